/**
 * The community board: people post questions and answers, vote, accept. A new question gets its
 * vector at once, so the next person asking it is matched to it. Without a CQA matcher the board
 * still works on the archive, searched with BM25 alone, and the CQA route stays off.
 */
import type { Express, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import { type Answer, Archive, bestAnswer, type Thread } from '../cqa/archive.js';
import { type Matcher, THREADS_FTS } from '../cqa/matcher.js';
import { searchFts } from '../retrieval/bm25.js';
import { HttpError, parseInput } from './errors.js';
import { answerRequest, idParam, threadRequest, threadsQuery, voteRequest } from './schemas.js';

export interface ThreadSummary extends Thread {
  answerCount: number;
  best?: Answer;
  similarity?: number;
}

export class Board {
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    readonly archive: Archive,
    readonly matcher: Matcher | undefined,
  ) {}

  static over(cqa: { archive: Archive; matcher: Matcher } | undefined, db: Db): Board {
    return cqa ? new Board(cqa.archive, cqa.matcher) : new Board(new Archive(db), undefined);
  }

  /** New threads get vectors; one refresh at a time, since two would encode the same threads. */
  refresh(): Promise<void> {
    const matcher = this.matcher;
    if (!matcher) return Promise.resolve();
    this.refreshing = this.refreshing.then(
      () => matcher.refresh(),
      () => matcher.refresh(),
    );
    return this.refreshing;
  }

  private summary(t: Thread, similarity?: number): ThreadSummary {
    const answers = this.archive.answersOf(t.id);
    const best = bestAnswer(answers);
    return {
      ...t,
      answerCount: answers.length,
      ...(best ? { best } : {}),
      ...(similarity === undefined ? {} : { similarity }),
    };
  }

  async search(query: string | undefined, limit: number): Promise<ThreadSummary[]> {
    if (query === undefined || query.trim() === '') {
      return this.archive.recent(limit).map((t) => this.summary(t));
    }
    if (this.matcher) {
      return (await this.matcher.match(query, limit)).map((m) => this.summary(m.thread, m.similarity));
    }
    const hits = searchFts(this.archive.db, THREADS_FTS, query, limit);
    return this.archive.threads(hits.map((h) => h.id)).map((t) => this.summary(t));
  }
}

export interface CommunityOptions {
  /** Posts wait for an admin's approval (202, status "pending"). */
  moderation: boolean;
  /** Posts one client may make per window (by IP address). */
  postsPerWindow: number;
  windowMinutes: number;
}

/** One client's posts per window; beyond it, 429 with Retry-After, in the API's error shape. */
export function postLimit(opts: Pick<CommunityOptions, 'postsPerWindow' | 'windowMinutes'>): RequestHandler {
  const windowMs = opts.windowMinutes * 60_000;
  return rateLimit({
    windowMs,
    limit: opts.postsPerWindow,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => {
      next(
        new HttpError(
          429,
          'rate_limited',
          `at most ${opts.postsPerWindow} posts per ${opts.windowMinutes} minutes from one client; try again later`,
        ),
      );
    },
  });
}

export function registerCommunity(
  app: Express,
  board: Board,
  opts: CommunityOptions,
  limit: RequestHandler = postLimit(opts),
): void {
  const { archive } = board;
  const status = opts.moderation ? 'pending' : 'published';

  app.get('/api/threads', async (req, res) => {
    const q = parseInput(threadsQuery, req.query, 'query');
    res.json({ threads: await board.search(q.query, q.limit) });
  });

  app.post('/api/threads', limit, async (req, res) => {
    const body = parseInput(threadRequest, req.body, 'body');
    const thread = archive.post(body, status);
    if (thread.status === 'pending') {
      res.status(202).json(thread);
      return;
    }
    await board.refresh();
    res.status(201).location(`/api/threads/${thread.id}`).json(thread);
  });

  app.get('/api/threads/:id', (req, res) => {
    const { id } = parseInput(idParam, req.params, 'id');
    const thread = archive.withAnswers(id);
    if (!thread) throw new QaError('not_found', `no thread ${id}`, { where: 'id' });
    res.json(thread);
  });

  app.post('/api/threads/:id/answers', limit, (req, res) => {
    const { id } = parseInput(idParam, req.params, 'id');
    const { text } = parseInput(answerRequest, req.body, 'body');
    // The matcher reads answers live: a thread that gains its first answer is a candidate at once.
    const answer = archive.answer(id, { text }, status);
    res.status(answer.status === 'pending' ? 202 : 201).json(answer);
  });

  app.post('/api/answers/:id/vote', limit, (req, res) => {
    const { id } = parseInput(idParam, req.params, 'id');
    const { delta } = parseInput(voteRequest, req.body, 'body');
    res.json(archive.vote(id, delta));
  });

  app.post('/api/answers/:id/accept', limit, (req, res) => {
    const { id } = parseInput(idParam, req.params, 'id');
    res.json(archive.accept(id));
  });
}
