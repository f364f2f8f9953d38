/**
 * The workspace's data version: a counter in the database raised on every change to what answers
 * are made of, whoever makes it (this process, another one, the CLI). What is cached about the
 * data is keyed by it. Triggers raise it for community threads and answers and the data's date;
 * the document store raises it once per ingest transaction (`bumpDataVersion`), since a trigger
 * per document row made a 100,000-document ingest take twice as long.
 */
import type { Db, Migration } from './database.js';

const WATCHED = ['threads', 'answers', 'workspace_settings'];

export const DATA_VERSION_MIGRATION: Migration = {
  id: 'workspace-002-data-version',
  sql: [
    'CREATE TABLE data_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);',
    'INSERT INTO data_version (id, n) VALUES (1, 0);',
    ...WATCHED.flatMap((table) =>
      ['INSERT', 'UPDATE', 'DELETE'].map(
        (op) =>
          `CREATE TRIGGER ${table}_${op.toLowerCase()}_version AFTER ${op} ON ${table} BEGIN ` +
          'UPDATE data_version SET n = n + 1 WHERE id = 1; END;',
      ),
    ),
  ].join('\n'),
};

/** Drops the per-row document triggers a first version of the migration above made. */
export const DATA_VERSION_DOCUMENTS_MIGRATION: Migration = {
  id: 'workspace-003-document-version-once-per-ingest',
  sql: ['INSERT', 'UPDATE', 'DELETE']
    .map((op) => `DROP TRIGGER IF EXISTS documents_${op.toLowerCase()}_version;`)
    .join('\n'),
};

/** Raises the data version: called inside the transaction that changed the documents. */
export function bumpDataVersion(db: Db): void {
  db.prepare('UPDATE data_version SET n = n + 1 WHERE id = 1').run();
}

/** Read on every question (the answer cache, filters): prepared once per connection. */
const reads = new WeakMap<Db, () => number>();

/** The current data version; it changes whenever the watched data does. */
export function dataVersion(db: Db): number {
  let read = reads.get(db);
  if (!read) {
    const st = db.prepare<[], number>('SELECT n FROM data_version WHERE id = 1').pluck();
    read = () => st.get() ?? 0;
    reads.set(db, read);
  }
  return read();
}
