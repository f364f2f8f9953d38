/**
 * The workspace's SQLite file (`qa.sqlite`): documents, passages, vectors and the community archive.
 * WAL mode so the server reads while an ingest writes; each module owns its tables and brings them
 * as named migrations, applied once, in order, inside a transaction.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { QaError } from './errors.js';

export type Db = Database.Database;

export interface Migration {
  /** Unique and stable: recorded in the file once applied. */
  id: string;
  sql: string;
}

export function workspaceDbPath(workspace: string): string {
  return join(workspace, 'qa.sqlite');
}

export function openDatabase(path: string, migrations: readonly Migration[]): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (e) {
    throw new QaError('unavailable', `cannot open the database: ${(e as Error).message}`, {
      where: path,
      cause: e,
    });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // A concurrent writer (an ingest while the server runs) waits instead of failing at once.
  db.pragma('busy_timeout = 5000');
  migrate(db, migrations, path);
  return db;
}

function migrate(db: Db, migrations: readonly Migration[], path: string): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id),
  );
  const record = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    try {
      db.transaction(() => {
        db.exec(m.sql);
        record.run(m.id, new Date().toISOString());
      })();
    } catch (e) {
      throw new QaError('internal', `schema migration ${m.id} failed: ${(e as Error).message}`, {
        where: path,
        cause: e,
      });
    }
  }
}

/** Float32 vectors as BLOBs: little-endian, as the platform lays them out. */
export function vectorToBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

export function blobToVector(b: Buffer): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}
