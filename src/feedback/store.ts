/**
 * What people tell the system about its answers, and what it could not answer: 👍/👎 (with an
 * optional correction) on an answer, and every question asked over the API that was abstained on.
 * Both live in the workspace database; the calibration learns from the first
 * (`qa train calibration --feedback`), the content owner reads the second (`qa report unanswered`).
 */
import type { Db, Migration } from '../core/database.js';
import type { RouteName } from '../core/types.js';

export const FEEDBACK_MIGRATIONS: readonly Migration[] = [
  {
    id: 'feedback-001',
    sql: `
      CREATE TABLE feedback (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        route TEXT NOT NULL,
        helpful INTEGER NOT NULL CHECK (helpful IN (0, 1)),
        correction TEXT,
        score REAL,
        reader TEXT,
        created_at TEXT NOT NULL
      );
      CREATE TABLE unanswered (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        question TEXT NOT NULL,
        reason TEXT,
        asked_at TEXT NOT NULL
      );
    `,
  },
];

export interface Feedback {
  question: string;
  answer: string;
  route: RouteName;
  helpful: boolean;
  correction?: string;
  /** The answer's score as shown. */
  score?: number;
  reader?: string;
}

export interface StoredFeedback extends Feedback {
  id: number;
  createdAt: string;
}

export interface Unanswered {
  question: string;
  reason?: string;
  askedAt: string;
}

interface FeedbackRow {
  id: number;
  question: string;
  answer: string;
  route: RouteName;
  helpful: number;
  correction: string | null;
  score: number | null;
  reader: string | null;
  createdAt: string;
}

export class FeedbackStore {
  constructor(readonly db: Db) {}

  record(f: Feedback): StoredFeedback {
    const createdAt = new Date().toISOString();
    const id = Number(
      this.db
        .prepare(
          'INSERT INTO feedback (question, answer, route, helpful, correction, score, reader, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(
          f.question,
          f.answer,
          f.route,
          f.helpful ? 1 : 0,
          f.correction ?? null,
          f.score ?? null,
          f.reader ?? null,
          createdAt,
        ).lastInsertRowid,
    );
    return { ...f, id, createdAt };
  }

  /** Every judgement, oldest first. */
  all(): StoredFeedback[] {
    return this.db
      .prepare<[], FeedbackRow>(
        'SELECT id, question, answer, route, helpful, correction, score, reader, created_at AS createdAt FROM feedback ORDER BY id',
      )
      .all()
      .map((r) => ({
        id: r.id,
        question: r.question,
        answer: r.answer,
        route: r.route,
        helpful: r.helpful === 1,
        ...(r.correction !== null ? { correction: r.correction } : {}),
        ...(r.score !== null ? { score: r.score } : {}),
        ...(r.reader !== null ? { reader: r.reader } : {}),
        createdAt: r.createdAt,
      }));
  }

  recordUnanswered(question: string, reason?: string): void {
    this.db
      .prepare('INSERT INTO unanswered (question, reason, asked_at) VALUES (?, ?, ?)')
      .run(question, reason ?? null, new Date().toISOString());
  }

  unanswered(): Unanswered[] {
    return this.db
      .prepare<[], { question: string; reason: string | null; askedAt: string }>(
        'SELECT question, reason, asked_at AS askedAt FROM unanswered ORDER BY id',
      )
      .all()
      .map((r) => ({
        question: r.question,
        ...(r.reason !== null ? { reason: r.reason } : {}),
        askedAt: r.askedAt,
      }));
  }
}
