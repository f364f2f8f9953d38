/**
 * Documents and passages in the workspace's SQLite file, with their FTS5 index and vectors.
 * One ingest is one transaction: it adds new documents, replaces changed ones, drops those a
 * re-ingested source no longer holds, and skips a document whose text is already stored.
 */
import { createHash } from 'node:crypto';
import { sep } from 'node:path';
import { bumpDataVersion, dataVersion } from '../core/data-version.js';
import type { Db, Migration } from '../core/database.js';
import { QaError } from '../core/errors.js';
import { VectorTable } from '../core/vector-table.js';
import type { SourceFile } from './doc-sources.js';
import { DEFAULT_SPLIT, type SplitOptions, splitSections } from './passages.js';

/**
 * FTS5 tokenizer: unicode61 folds case and (with remove_diacritics 2) accents for every script;
 * porter stems English on top, which raised BM25 recall on SQuAD (see docs/BENCHMARKS.md).
 * Contentless: the text lives once, in `passages`. Passage ids are never reused
 * (AUTOINCREMENT), so a cached vector index can trust that an id it holds still means the same text.
 */
export const DOC_MIGRATIONS: readonly Migration[] = [
  {
    id: 'mrc-001-documents',
    sql: `
      CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        title TEXT,
        hash TEXT NOT NULL,
        ingested_at TEXT NOT NULL
      );
      CREATE INDEX documents_source ON documents(source);
      CREATE INDEX documents_hash ON documents(hash);
      CREATE TABLE passages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        ord INTEGER NOT NULL,
        start INTEGER NOT NULL,
        "end" INTEGER NOT NULL,
        text TEXT NOT NULL
      );
      CREATE INDEX passages_doc ON passages(doc_id);
      CREATE VIRTUAL TABLE passages_fts USING fts5(
        title, text, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER passages_fts_delete AFTER DELETE ON passages BEGIN
        DELETE FROM passages_fts WHERE rowid = old.id;
      END;
      CREATE TABLE passage_vectors (
        model TEXT NOT NULL,
        passage_id INTEGER NOT NULL REFERENCES passages(id) ON DELETE CASCADE,
        vec BLOB NOT NULL,
        UNIQUE (model, passage_id)
      );
      CREATE INDEX passage_vectors_passage ON passage_vectors(passage_id);
    `,
  },
  {
    id: 'mrc-002-vocabulary',
    sql: `CREATE VIRTUAL TABLE passages_vocab USING fts5vocab(passages_fts, 'row');`,
  },
  {
    // BM25 now counts a term's rows through FTS5 itself (bm25.ts); the vocabulary table is unused.
    id: 'mrc-003-drop-vocabulary',
    sql: 'DROP TABLE passages_vocab;',
  },
  {
    // What questions can be restricted to: a document's tags and its date.
    id: 'mrc-004-document-metadata',
    sql: `
      ALTER TABLE documents ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE documents ADD COLUMN modified TEXT;
      CREATE INDEX documents_modified ON documents(modified);
    `,
  },
  {
    // A PDF page is its own document: its passages cite the page.
    id: 'mrc-005-document-page',
    sql: 'ALTER TABLE documents ADD COLUMN page INTEGER;',
  },
  {
    // A passage names the section (heading) it stands in. A file ingested from disk is recorded with
    // its size and time, so a rerun skips it unread, and with the folder it was ingested from, the
    // only place it may be served from.
    id: 'mrc-006-sections-and-files',
    sql: `
      ALTER TABLE passages ADD COLUMN section TEXT;
      CREATE TABLE source_files (
        source TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        root TEXT NOT NULL,
        format TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        hash TEXT NOT NULL,
        tags TEXT NOT NULL
      );
    `,
  },
];

/** A file on disk as ingested: what tells a rerun it is unchanged, and where it may be served from. */
export interface FileStamp {
  path: string;
  /** The folder (or the file itself) named on the command line. */
  root: string;
  format: string;
  size: number;
  mtimeMs: number;
  /** SHA-1 of the file's bytes. */
  hash: string;
  /** The tags it was ingested with (JSON array). */
  tags: string;
}

/** Restricts retrieval to some documents; every field given must hold. */
export interface DocFilter {
  /** Sources as `qa docs list` names them (any of them). */
  source?: string[];
  /** Tags (any of them). */
  tags?: string[];
  /** Documents modified on or after this ISO date. */
  after?: string;
  /** Documents modified on or before this ISO date. */
  before?: string;
}

export interface Passage {
  id: number;
  docId: number;
  docKey: string;
  title: string | null;
  /** The PDF page the passage is on. */
  page: number | null;
  /** The heading of the section it starts in. */
  section: string | null;
  /** The source of its document (a file's path, `api:…`, `bundled:…`). */
  source: string;
  /** Whether the source's file can be served (an ingested PDF, Word, HTML, Markdown or text file). */
  hasFile: number;
  ord: number;
  /** Character offsets into the document's text. */
  start: number;
  end: number;
  text: string;
}

export interface IngestReport {
  sources: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  /** Documents skipped because the same text is already stored under another key. */
  duplicates: number;
  passages: number;
}

/** Filters' passage ids per connection, for the data version they were looked up at. */
const filterCache = new WeakMap<Db, { version: number; ids: Map<string, readonly number[]> }>();
const FILTER_CACHE_SIZE = 32;

/** Formats a person opens as a file; JSON Lines and SQuAD files are data, not documents to open. */
export const SERVED_FORMATS = ['pdf', 'docx', 'html', 'markdown', 'text'] as const;
export type ServedFormat = (typeof SERVED_FORMATS)[number];
const SERVED_SQL = SERVED_FORMATS.map((f) => `'${f}'`).join(', ');

/** The counts an ingest reports, each summed when ingests add up (folder-ingest.ts). */
export const INGEST_COUNTS = [
  'sources',
  'added',
  'updated',
  'unchanged',
  'removed',
  'duplicates',
  'passages',
] as const;

export function emptyIngestReport(): IngestReport {
  return { sources: 0, added: 0, updated: 0, unchanged: 0, removed: 0, duplicates: 0, passages: 0 };
}

function sha1(s: string): string {
  return createHash('sha1').update(s).digest('hex');
}

export class DocStore {
  readonly vectors: VectorTable;

  constructor(readonly db: Db) {
    this.vectors = new VectorTable(db, { table: 'passage_vectors', key: 'passage_id', rows: 'passages' });
  }

  /**
   * Writes the documents of the given sources in one transaction. A source read from a file on disk
   * (`file`) is recorded with its stamp, so a later run can skip it unread (`fileStamp`).
   */
  ingest(sources: readonly SourceFile[], split: SplitOptions = DEFAULT_SPLIT): IngestReport {
    const db = this.db;
    const report = { ...emptyIngestReport(), sources: sources.length };
    const byKey = db.prepare<[string], { id: number; hash: string }>(
      'SELECT id, hash FROM documents WHERE key = ?',
    );
    const byHash = db.prepare<[string], { key: string }>('SELECT key FROM documents WHERE hash = ? LIMIT 1');
    const keysOf = db.prepare<[string], { id: number; key: string }>(
      'SELECT id, key FROM documents WHERE source = ?',
    );
    const del = db.prepare<[number]>('DELETE FROM documents WHERE id = ?');
    const insDoc = db.prepare<
      [string, string, string | null, string, string, string, string | null, number | null]
    >(
      'INSERT INTO documents (key, source, title, hash, ingested_at, tags, modified, page) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insPassage = db.prepare<[number | bigint, number, number, number, string, string | null]>(
      'INSERT INTO passages (doc_id, ord, start, "end", text, section) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const putFile = db.prepare<[string, string, string, string, number, number, string, string]>(
      `INSERT OR REPLACE INTO source_files (source, path, root, format, size, mtime_ms, hash, tags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insFts = db.prepare<[number | bigint, string, string]>(
      'INSERT INTO passages_fts (rowid, title, text) VALUES (?, ?, ?)',
    );
    const now = new Date().toISOString();

    db.transaction(() => {
      for (const src of sources) {
        const keep = new Set<string>();
        for (const doc of src.documents) {
          keep.add(doc.key);
          const tags = [...new Set([...(src.tags ?? []), ...(doc.tags ?? [])])].sort();
          // A file's date alone does not make a document new: only its title, text and tags do.
          const hash = sha1(
            `${doc.title ?? ''}\n${doc.text}${tags.length ? `\n${JSON.stringify(tags)}` : ''}`,
          );
          const old = byKey.get(doc.key);
          if (old?.hash === hash) {
            report.unchanged++;
            continue;
          }
          if (old) {
            del.run(old.id);
            report.updated++;
          } else if (byHash.get(hash)) {
            report.duplicates++;
            continue;
          } else {
            report.added++;
          }
          const docId = insDoc.run(
            doc.key,
            src.source,
            doc.title ?? null,
            hash,
            now,
            JSON.stringify(tags),
            doc.modified ?? null,
            doc.page ?? null,
          ).lastInsertRowid;
          splitSections(doc.text, doc.sections, split).forEach((p, ord) => {
            const pid = insPassage.run(docId, ord, p.start, p.end, p.text, p.section).lastInsertRowid;
            insFts.run(pid, doc.title ?? '', p.text);
            report.passages++;
          });
        }
        for (const row of keysOf.all(src.source)) {
          if (!keep.has(row.key)) {
            del.run(row.id);
            report.removed++;
          }
        }
        const f = src.file;
        if (f) putFile.run(src.source, f.path, f.root, f.format, f.size, f.mtimeMs, f.hash, f.tags);
      }
      if (report.added + report.updated + report.removed > 0) bumpDataVersion(db);
    })();
    return report;
  }

  /** The stamp a file was ingested with, if it was. */
  fileStamp(source: string): FileStamp | undefined {
    return this.db
      .prepare<[string], FileStamp>(
        'SELECT path, root, format, size, mtime_ms AS mtimeMs, hash, tags FROM source_files WHERE source = ?',
      )
      .get(source);
  }

  /** Records that a file whose time changed still has the bytes it was ingested with. */
  touchFile(source: string, mtimeMs: number): void {
    this.db.prepare('UPDATE source_files SET mtime_ms = ? WHERE source = ?').run(mtimeMs, source);
  }

  /**
   * Removes, in one transaction, the stored sources inside these folders that are not in
   * `present` (their files are gone): `qa ingest docs --sync`.
   */
  removeGoneUnder(folders: readonly string[], present: ReadonlySet<string>): number {
    const inside = (x: string) =>
      folders.some((dir) => x.startsWith(dir.endsWith(sep) ? dir : `${dir}${sep}`));
    const stored = this.db
      .prepare<[], { source: string }>(
        'SELECT DISTINCT source FROM documents UNION SELECT source FROM source_files',
      )
      .all();
    const gone = stored.map((x) => x.source).filter((x) => !present.has(x) && inside(x));
    let removed = 0;
    this.db.transaction(() => {
      for (const source of gone) removed += this.deleteSource(source);
      if (removed > 0) bumpDataVersion(this.db);
    })();
    return removed;
  }

  private deleteSource(source: string): number {
    this.db.prepare('DELETE FROM source_files WHERE source = ?').run(source);
    return this.db.prepare('DELETE FROM documents WHERE source = ?').run(source).changes;
  }

  counts(): { documents: number; passages: number } {
    const row = this.db
      .prepare<[], { documents: number; passages: number }>(
        'SELECT (SELECT count(*) FROM documents) AS documents, (SELECT count(*) FROM passages) AS passages',
      )
      .get();
    return row ?? { documents: 0, passages: 0 };
  }

  /** Passages by id, in the order asked; ids no longer stored are left out. */
  passages(ids: readonly number[]): Passage[] {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare<unknown[], Passage>(
        `SELECT p.id, p.doc_id AS docId, d.key AS docKey, d.title, d.page, p.section, d.source,
                EXISTS (SELECT 1 FROM source_files f WHERE f.source = d.source AND f.format IN (${SERVED_SQL})) AS hasFile,
                p.ord, p.start, p."end", p.text
         FROM passages p JOIN documents d ON d.id = p.doc_id
         WHERE p.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /**
   * The ids of the passages of the documents a filter lets through, in ascending order.
   * Remembered per filter until the documents change: a person asks several questions under one.
   */
  passageIdsMatching(filter: DocFilter): readonly number[] {
    const key = JSON.stringify([filter.source, filter.tags, filter.after, filter.before]);
    const version = dataVersion(this.db);
    let cache = filterCache.get(this.db);
    if (cache?.version !== version) {
      cache = { version, ids: new Map() };
      filterCache.set(this.db, cache);
    }
    const hit = cache.ids.get(key);
    if (hit) return hit;
    const where: string[] = [];
    const args: string[] = [];
    if (filter.source?.length) {
      where.push('d.source IN (SELECT value FROM json_each(?))');
      args.push(JSON.stringify(filter.source));
    }
    if (filter.tags?.length) {
      // instr() on the tags' JSON first: cheap, and only its hits are parsed for the exact test.
      where.push(
        `(${filter.tags.map(() => 'instr(d.tags, ?) > 0').join(' OR ')})`,
        'EXISTS (SELECT 1 FROM json_each(d.tags) t WHERE t.value IN (SELECT value FROM json_each(?)))',
      );
      args.push(...filter.tags.map((t) => JSON.stringify(t)), JSON.stringify(filter.tags));
    }
    if (filter.after) {
      where.push('d.modified >= ?');
      args.push(filter.after);
    }
    if (filter.before) {
      // "before 2024-06-30" includes that whole day.
      where.push('substr(d.modified, 1, 10) <= ?');
      args.push(filter.before.slice(0, 10));
    }
    const ids = this.db
      .prepare<string[], number>(
        `SELECT p.id FROM documents d CROSS JOIN passages p ON p.doc_id = d.id ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      )
      .pluck()
      .all(...args)
      .sort((a, b) => a - b);
    if (cache.ids.size >= FILTER_CACHE_SIZE) cache.ids.delete(cache.ids.keys().next().value as string);
    cache.ids.set(key, ids);
    return ids;
  }

  /** Each source (a file, or what came over the API) with its documents and passages. */
  sources(): { source: string; documents: number; passages: number; ingestedAt: string }[] {
    return this.db
      .prepare<[], { source: string; documents: number; passages: number; ingestedAt: string }>(
        `SELECT d.source, count(DISTINCT d.id) AS documents, count(p.id) AS passages, max(d.ingested_at) AS ingestedAt
         FROM documents d LEFT JOIN passages p ON p.doc_id = d.id GROUP BY d.source ORDER BY d.source`,
      )
      .all();
  }

  /** What questions can be restricted to: the tags with their documents, and the range of dates. */
  facets(): {
    tags: { tag: string; documents: number }[];
    modified: { first: string | null; last: string | null };
  } {
    const tags = this.db
      .prepare<[], { tag: string; documents: number }>(
        `SELECT t.value AS tag, count(*) AS documents FROM documents d, json_each(d.tags) t
         GROUP BY t.value ORDER BY documents DESC, tag`,
      )
      .all();
    const modified = this.db
      .prepare<[], { first: string | null; last: string | null }>(
        'SELECT min(modified) AS first, max(modified) AS last FROM documents',
      )
      .get() ?? { first: null, last: null };
    return { tags, modified };
  }

  /**
   * Removes every document of the given sources, with their passages and vectors, in one
   * transaction; a source not stored is an error and removes nothing.
   */
  removeSources(sources: readonly string[]): { documents: number; passages: number } {
    const known = new Set(this.sources().map((s) => s.source));
    const missing = sources.filter((s) => !known.has(s));
    if (missing.length) {
      throw new QaError('not_found', `no documents from ${missing.map((m) => `"${m}"`).join(', ')}`, {
        hint: 'qa docs list names the sources',
      });
    }
    const counts = { documents: 0, passages: 0 };
    this.db.transaction(() => {
      for (const source of sources) {
        counts.passages += Number(
          this.db
            .prepare<[string], { n: number }>(
              'SELECT count(*) AS n FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.source = ?',
            )
            .get(source)?.n ?? 0,
        );
        counts.documents += this.deleteSource(source);
      }
      bumpDataVersion(this.db);
    })();
    return counts;
  }

  /** Every document's id and title, in the order they were first ingested. */
  documents(): { id: number; title: string | null }[] {
    return this.db
      .prepare<[], { id: number; title: string | null }>('SELECT id, title FROM documents ORDER BY id')
      .all();
  }

  /** The ids of the passages of these documents, document by document, in reading order. */
  passageIdsOf(docIds: readonly number[]): number[] {
    if (docIds.length === 0) return [];
    return this.db
      .prepare<unknown[], { id: number }>(
        `SELECT p.id FROM passages p JOIN json_each(?) j ON j.value = p.doc_id ORDER BY j.key, p.ord`,
      )
      .all(JSON.stringify(docIds))
      .map((r) => r.id);
  }

  /** Title and text of passages by id, for encoding. */
  texts(ids: readonly number[]): { id: number; title: string | null; text: string }[] {
    return this.passages(ids).map((p) => ({ id: p.id, title: p.title, text: p.text }));
  }
}
