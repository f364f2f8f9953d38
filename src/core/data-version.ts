/**
 * The workspace's data version: a counter in the database that triggers raise on every change to
 * what answers are made of (documents, community threads and answers, the data's date), whoever
 * makes it: this process, another one, the CLI. What is cached about the data is keyed by it.
 */
import type { Db, Migration } from './database.js';

const WATCHED = ['documents', 'threads', 'answers', 'workspace_settings'];

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

/** The current data version; it changes whenever the watched data does. */
export function dataVersion(db: Db): number {
  return db.prepare<[], number>('SELECT n FROM data_version WHERE id = 1').pluck().get() ?? 0;
}
