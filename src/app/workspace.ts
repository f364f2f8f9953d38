/**
 * The composition root's view of the workspace: the one SQLite file with every module's tables.
 * The CLI and the server open it here, once, and pass it down.
 */
import type { Config } from '../core/config.js';
import { DATA_VERSION_DOCUMENTS_MIGRATION, DATA_VERSION_MIGRATION } from '../core/data-version.js';
import { type Db, type Migration, openDatabase, workspaceDbPath } from '../core/database.js';
import { CQA_MIGRATIONS } from '../cqa/archive.js';
import { FEEDBACK_MIGRATIONS } from '../feedback/store.js';
import { DOC_MIGRATIONS } from '../retrieval/doc-store.js';

/** Facts about the workspace's data as a whole (when it was written). */
const SETTINGS_MIGRATIONS: readonly Migration[] = [
  {
    id: 'workspace-001-settings',
    sql: 'CREATE TABLE workspace_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);',
  },
];

export const WORKSPACE_MIGRATIONS = [
  ...DOC_MIGRATIONS,
  ...CQA_MIGRATIONS,
  ...SETTINGS_MIGRATIONS,
  ...FEEDBACK_MIGRATIONS,
  // After the tables it watches exist.
  DATA_VERSION_MIGRATION,
  DATA_VERSION_DOCUMENTS_MIGRATION,
];

export function openWorkspaceDb(config: Pick<Config, 'workspace'>): Db {
  return openDatabase(workspaceDbPath(config.workspace), WORKSPACE_MIGRATIONS);
}

/** When the workspace's data was written (a year or an ISO date), as recorded when it was loaded. */
export function dataAsOf(db: Db): string | undefined {
  return db.prepare<[], { value: string }>("SELECT value FROM workspace_settings WHERE key = 'asOf'").get()
    ?.value;
}

export function setDataAsOf(db: Db, asOf: string): void {
  db.prepare(
    "INSERT INTO workspace_settings (key, value) VALUES ('asOf', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  ).run(asOf);
}
