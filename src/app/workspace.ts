/**
 * The composition root's view of the workspace: the one SQLite file with every module's tables.
 * The CLI and the server open it here, once, and pass it down.
 */
import type { Config } from '../core/config.js';
import { type Db, openDatabase, workspaceDbPath } from '../core/database.js';
import { CQA_MIGRATIONS } from '../cqa/archive.js';
import { DOC_MIGRATIONS } from '../mrc/doc-store.js';

export const WORKSPACE_MIGRATIONS = [...DOC_MIGRATIONS, ...CQA_MIGRATIONS];

export function openWorkspaceDb(config: Pick<Config, 'workspace'>): Db {
  return openDatabase(workspaceDbPath(config.workspace), WORKSPACE_MIGRATIONS);
}
