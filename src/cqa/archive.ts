/**
 * The community question archive: threads (a question: subject, body, tags) and their answers
 * (votes, at most one accepted), imported from dumps or posted in the web UI, in the workspace's
 * SQLite file with an FTS5 index and sentence vectors for matching.
 */
import { createHash } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db, Migration } from '../core/database.js';
import { QaError } from '../core/errors.js';
import { VectorTable } from '../core/vector-table.js';
import { COMMUNITY_SOURCE } from './trust.js';

export const CQA_MIGRATIONS: readonly Migration[] = [
  {
    id: 'cqa-001-archive',
    sql: `
      CREATE TABLE threads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL UNIQUE,
        source TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        created TEXT,
        author TEXT,
        hash TEXT NOT NULL DEFAULT ''
      );
      CREATE INDEX threads_source ON threads(source);
      CREATE TABLE answers (
        id INTEGER PRIMARY KEY,
        thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        key TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        votes INTEGER NOT NULL DEFAULT 0,
        accepted INTEGER NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1)),
        created TEXT,
        author TEXT
      );
      CREATE INDEX answers_thread ON answers(thread_id);
      CREATE VIRTUAL TABLE threads_fts USING fts5(
        subject, body, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER threads_fts_delete AFTER DELETE ON threads BEGIN
        DELETE FROM threads_fts WHERE rowid = old.id;
      END;
      CREATE TABLE thread_vectors (
        model TEXT NOT NULL,
        thread_id INTEGER NOT NULL REFERENCES threads(id) ON DELETE CASCADE,
        vec BLOB NOT NULL,
        UNIQUE (model, thread_id)
      );
      CREATE INDEX thread_vectors_thread ON thread_vectors(thread_id);
      CREATE VIRTUAL TABLE threads_vocab USING fts5vocab(threads_fts, 'row');
    `,
  },
  {
    // BM25 now counts a term's rows through FTS5 itself (mrc/bm25.ts); the vocabulary table is unused.
    id: 'cqa-002-drop-vocabulary',
    sql: 'DROP TABLE threads_vocab;',
  },
  {
    // Moderation: a pending post is seen by admins only, and answers nothing until approved.
    id: 'cqa-003-moderation',
    sql: `
      ALTER TABLE threads ADD COLUMN status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending'));
      ALTER TABLE answers ADD COLUMN status TEXT NOT NULL DEFAULT 'published' CHECK (status IN ('published', 'pending'));
    `,
  },
];

/** A post awaiting an admin's approval is 'pending' (config `community.moderation`). */
export type PostStatus = 'published' | 'pending';

export interface AnswerRecord {
  /** Unique within its thread's source; community answers get one made for them. */
  key: string;
  text: string;
  votes: number;
  accepted: boolean;
  created?: string | undefined;
  author?: string | undefined;
}

export interface ThreadRecord {
  key: string;
  subject: string;
  body: string;
  tags: string[];
  created?: string | undefined;
  author?: string | undefined;
  answers: AnswerRecord[];
}

export interface Answer {
  id: number;
  threadId: number;
  text: string;
  votes: number;
  accepted: boolean;
  created: string | null;
  author: string | null;
  status: PostStatus;
}

export interface Thread {
  id: number;
  key: string;
  source: string;
  subject: string;
  body: string;
  tags: string[];
  created: string | null;
  author: string | null;
  status: PostStatus;
}

export interface ThreadWithAnswers extends Thread {
  answers: Answer[];
}

export interface ImportReport {
  added: number;
  updated: number;
  unchanged: number;
  answers: number;
}

interface ThreadRow extends Omit<Thread, 'tags'> {
  tags: string;
}

interface AnswerRow extends Omit<Answer, 'accepted'> {
  accepted: number;
}

const THREAD_COLUMNS = 'id, key, source, subject, body, tags, created, author, status';
const ANSWER_COLUMNS = 'id, thread_id AS threadId, text, votes, accepted, created, author, status';

function recordHash(t: ThreadRecord): string {
  const answers = t.answers.map((a) => [a.key, a.text, a.votes, a.accepted]);
  return createHash('sha1')
    .update(JSON.stringify([t.subject, t.body, t.tags, t.created ?? null, t.author ?? null, answers]))
    .digest('hex');
}

function toThread(r: ThreadRow): Thread {
  return { ...r, tags: JSON.parse(r.tags) as string[] };
}

function toAnswer(r: AnswerRow): Answer {
  return { ...r, accepted: r.accepted === 1 };
}

/** Accepted first, then the most votes, then the oldest: the answer shown for a matched thread. */
export function bestAnswer(answers: readonly Answer[]): Answer | undefined {
  return [...answers].sort(
    (a, b) => Number(b.accepted) - Number(a.accepted) || b.votes - a.votes || a.id - b.id,
  )[0];
}

export class Archive {
  readonly vectors: VectorTable;

  private readonly statements = new Map<string, Statement>();

  constructor(readonly db: Db) {
    this.vectors = new VectorTable(db, { table: 'thread_vectors', key: 'thread_id', rows: 'threads' });
  }

  /** Each statement prepared once: imports run these per thread and per answer. */
  private prep<P extends unknown[] = unknown[], R = unknown>(sql: string): Statement<P, R> {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st as unknown as Statement<P, R>;
  }

  /**
   * Adds or updates threads of one source in one transaction; re-importing the same dump changes
   * nothing. An updated thread's imported answers are replaced; community answers stay.
   */
  import(source: string, threads: readonly ThreadRecord[]): ImportReport {
    const db = this.db;
    const report: ImportReport = { added: 0, updated: 0, unchanged: 0, answers: 0 };
    const find = db.prepare<[string], { id: number; source: string; hash: string }>(
      'SELECT id, source, hash FROM threads WHERE key = ?',
    );
    db.transaction(() => {
      for (const t of threads) {
        const hash = recordHash(t);
        const old = find.get(t.key);
        if (old && old.source !== source) {
          throw new QaError('bad_input', `thread key "${t.key}" already belongs to source ${old.source}`);
        }
        if (old?.hash === hash) {
          report.unchanged++;
          continue;
        }
        if (old) {
          this.updateThread(old.id, t, hash);
          report.updated++;
        } else {
          this.insertThread(source, t, hash);
          report.added++;
        }
        report.answers += t.answers.length;
      }
    })();
    return report;
  }

  private insertThread(source: string, t: ThreadRecord, hash: string): number {
    const id = Number(
      this.prep(
        'INSERT INTO threads (key, source, subject, body, tags, created, author, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(
        t.key,
        source,
        t.subject,
        t.body,
        JSON.stringify(t.tags),
        t.created ?? null,
        t.author ?? null,
        hash,
      ).lastInsertRowid,
    );
    this.prep('INSERT INTO threads_fts (rowid, subject, body) VALUES (?, ?, ?)').run(id, t.subject, t.body);
    this.insertAnswers(id, t.answers);
    return id;
  }

  private updateThread(id: number, t: ThreadRecord, hash: string): void {
    this.prep(
      'UPDATE threads SET subject = ?, body = ?, tags = ?, created = ?, author = ?, hash = ? WHERE id = ?',
    ).run(t.subject, t.body, JSON.stringify(t.tags), t.created ?? null, t.author ?? null, hash, id);
    this.prep('DELETE FROM threads_fts WHERE rowid = ?').run(id);
    this.prep('INSERT INTO threads_fts (rowid, subject, body) VALUES (?, ?, ?)').run(id, t.subject, t.body);
    this.prep("DELETE FROM answers WHERE thread_id = ? AND key NOT LIKE 'community:%'").run(id);
    this.prep('DELETE FROM thread_vectors WHERE thread_id = ?').run(id);
    this.insertAnswers(id, t.answers);
  }

  private insertAnswers(threadId: number, answers: readonly AnswerRecord[]): void {
    const ins = this.prep(
      'INSERT INTO answers (thread_id, key, text, votes, accepted, created, author) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const a of answers) {
      ins.run(threadId, a.key, a.text, a.votes, a.accepted ? 1 : 0, a.created ?? null, a.author ?? null);
    }
  }

  /**
   * A question posted by a person; searchable at once (its vector is added by the matcher), or,
   * `pending`, once an admin approves it.
   */
  post(
    q: { subject: string; body: string; tags: string[]; author?: string },
    status: PostStatus = 'published',
  ): Thread {
    const key = `${COMMUNITY_SOURCE}:${crypto.randomUUID()}`;
    const id = this.db.transaction(() => {
      const id = this.insertThread(
        COMMUNITY_SOURCE,
        { ...q, key, created: new Date().toISOString(), answers: [] },
        '',
      );
      this.prep('UPDATE threads SET status = ? WHERE id = ?').run(status, id);
      return id;
    })();
    return this.thread(id) as Thread;
  }

  answer(threadId: number, a: { text: string; author?: string }, status: PostStatus = 'published'): Answer {
    const thread = this.thread(threadId);
    if (!thread) throw new QaError('not_found', `no thread ${threadId}`);
    if (thread.status !== 'published') throw new QaError('conflict', `thread ${threadId} awaits moderation`);
    const id = Number(
      this.prep(
        'INSERT INTO answers (thread_id, key, text, created, author, status) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        threadId,
        `${COMMUNITY_SOURCE}:${crypto.randomUUID()}`,
        a.text,
        new Date().toISOString(),
        a.author ?? null,
        status,
      ).lastInsertRowid,
    );
    return this.answerById(id) as Answer;
  }

  /** A published answer, or a not-found error (a pending one is not there for the public yet). */
  private publishedAnswer(answerId: number): Answer {
    const a = this.answerById(answerId);
    if (!a) throw new QaError('not_found', `no answer ${answerId}`);
    if (a.status !== 'published') throw new QaError('conflict', `answer ${answerId} awaits moderation`);
    return a;
  }

  vote(answerId: number, delta: 1 | -1): Answer {
    this.publishedAnswer(answerId);
    this.prep('UPDATE answers SET votes = votes + ? WHERE id = ?').run(delta, answerId);
    return this.answerById(answerId) as Answer;
  }

  /** Marks the answer accepted and un-marks any other in its thread. */
  accept(answerId: number): Answer {
    const a = this.publishedAnswer(answerId);
    this.db.transaction(() => {
      this.prep('UPDATE answers SET accepted = 0 WHERE thread_id = ?').run(a.threadId);
      this.prep('UPDATE answers SET accepted = 1 WHERE id = ?').run(answerId);
    })();
    return this.answerById(answerId) as Answer;
  }

  thread(id: number): Thread | undefined {
    const r = this.prep<[number], ThreadRow>(`SELECT ${THREAD_COLUMNS} FROM threads WHERE id = ?`).get(id);
    return r && toThread(r);
  }

  threads(ids: readonly number[]): Thread[] {
    if (ids.length === 0) return [];
    const rows = this.prep<[string], ThreadRow>(
      `SELECT ${THREAD_COLUMNS} FROM threads WHERE id IN (SELECT value FROM json_each(?))`,
    ).all(JSON.stringify(ids));
    const byId = new Map(rows.map((r) => [r.id, toThread(r)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Thread ids of the given keys (keys not stored are left out). */
  idsForKeys(keys: readonly string[]): Map<string, number> {
    const rows = this.prep<[string], { id: number; key: string }>(
      'SELECT id, key FROM threads WHERE key IN (SELECT value FROM json_each(?))',
    ).all(JSON.stringify(keys));
    return new Map(rows.map((r) => [r.key, r.id]));
  }

  /** A published thread with its published answers. */
  withAnswers(id: number): ThreadWithAnswers | undefined {
    const t = this.thread(id);
    return t?.status === 'published' ? { ...t, answers: this.answersOf(id) } : undefined;
  }

  /** The thread's published answers, oldest first. */
  answersOf(threadId: number): Answer[] {
    return this.prep<[number], AnswerRow>(
      `SELECT ${ANSWER_COLUMNS} FROM answers WHERE thread_id = ? AND status = 'published' ORDER BY id`,
    )
      .all(threadId)
      .map(toAnswer);
  }

  /** Posts awaiting approval, oldest first. */
  pending(): { threads: Thread[]; answers: Answer[] } {
    return {
      threads: this.prep<[], ThreadRow>(
        `SELECT ${THREAD_COLUMNS} FROM threads WHERE status = 'pending' ORDER BY id`,
      )
        .all()
        .map(toThread),
      answers: this.prep<[], AnswerRow>(
        `SELECT ${ANSWER_COLUMNS} FROM answers WHERE status = 'pending' ORDER BY id`,
      )
        .all()
        .map(toAnswer),
    };
  }

  /** An admin's decision on a pending post: published, or deleted. */
  moderate(kind: 'thread' | 'answer', id: number, approve: boolean): void {
    const table = kind === 'thread' ? 'threads' : 'answers';
    const row = this.prep<[number], { status: PostStatus }>(`SELECT status FROM ${table} WHERE id = ?`).get(
      id,
    );
    if (!row) throw new QaError('not_found', `no ${kind} ${id}`);
    if (row.status !== 'pending') throw new QaError('conflict', `${kind} ${id} is not awaiting moderation`);
    if (approve) this.prep(`UPDATE ${table} SET status = 'published' WHERE id = ?`).run(id);
    else this.prep(`DELETE FROM ${table} WHERE id = ?`).run(id);
  }

  answerById(id: number): Answer | undefined {
    const r = this.prep<[number], AnswerRow>(`SELECT ${ANSWER_COLUMNS} FROM answers WHERE id = ?`).get(id);
    return r && toAnswer(r);
  }

  /** Newest first: the community board's listing. */
  recent(limit: number, offset = 0): Thread[] {
    return this.prep<[number, number], ThreadRow>(
      `SELECT ${THREAD_COLUMNS} FROM threads WHERE status = 'published'
       ORDER BY created IS NULL, created DESC, id DESC LIMIT ? OFFSET ?`,
    )
      .all(limit, offset)
      .map(toThread);
  }

  count(): number {
    return this.prep<[], { n: number }>('SELECT count(*) AS n FROM threads').get()?.n ?? 0;
  }
}
