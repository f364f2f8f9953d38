/**
 * Admin endpoints (ingest), behind `Authorization: Bearer <server.adminToken>`; without a
 * configured token they do not exist (404). The body may be larger than elsewhere (16 MB), but is
 * only read once the token checks out.
 */
import { timingSafeEqual } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import type { ThreadRecord } from '../cqa/archive.js';
import type { UnansweredGroup } from '../feedback/report.js';
import type { SourceFile } from '../retrieval/doc-sources.js';
import { DocStore } from '../retrieval/doc-store.js';
import type { Board } from './community.js';
import { HttpError, parseInput } from './errors.js';
import { ingestCqaRequest, ingestDocsRequest, moderationParams } from './schemas.js';

/** Ingested over the API: the source (docs) and key prefix (both) of what came this way. */
const API_SOURCE = 'api';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function requireToken(token: string | undefined): RequestHandler {
  return (req, res, next) => {
    if (token === undefined) {
      throw new HttpError(404, 'not_found', 'the admin endpoints are disabled: no admin token is configured');
    }
    const m = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!m?.[1] || !sameToken(m[1], token)) {
      res.set('WWW-Authenticate', 'Bearer');
      throw new HttpError(
        401,
        'unauthorized',
        'a valid admin token is needed (Authorization: Bearer …)',
        'authorization',
      );
    }
    next();
  };
}

export interface AdminDeps {
  token: string | undefined;
  db: Db;
  board: Board;
  /** Makes newly ingested documents searchable (vectors, dense index, the MRC route). */
  refreshDocs: () => Promise<void>;
  /** The unanswered-questions report. */
  unanswered: () => Promise<UnansweredGroup[]>;
}

export function registerAdmin(app: Express, deps: AdminDeps): void {
  app.use('/api/ingest', requireToken(deps.token), express.json({ limit: '16mb' }));
  app.use('/api/admin', requireToken(deps.token));

  app.get('/api/admin/unanswered', async (_req, res) => {
    res.json({ groups: await deps.unanswered() });
  });

  app.get('/api/admin/pending', (_req, res) => {
    res.json(deps.board.archive.pending());
  });

  // Approve publishes a pending post (a thread becomes matchable); reject deletes it.
  app.post('/api/admin/:kind/:id/:decision', async (req, res) => {
    const { kind, id, decision } = parseInput(moderationParams, req.params, 'path');
    deps.board.archive.moderate(kind === 'threads' ? 'thread' : 'answer', id, decision === 'approve');
    if (decision === 'approve' && kind === 'threads') await deps.board.refresh();
    res.status(204).end();
  });

  app.post('/api/ingest/docs', async (req, res) => {
    const { documents } = parseInput(ingestDocsRequest, req.body, 'body');
    const seen = new Set<string>();
    // One source per document: re-sending an id replaces that document and leaves the others.
    const sources: SourceFile[] = documents.map((d, i) => {
      const id = String(d.id);
      if (seen.has(id))
        throw new QaError('bad_input', `duplicate id "${id}"`, { where: `documents[${i}].id` });
      seen.add(id);
      const key = `${API_SOURCE}:${id}`;
      return { source: key, format: 'jsonl', documents: [{ key, title: d.title, text: d.text.trim() }] };
    });
    const report = new DocStore(deps.db).ingest(sources);
    await deps.refreshDocs();
    res.json({ ...report, warnings: [] });
  });

  app.post('/api/ingest/cqa', async (req, res) => {
    const { threads } = parseInput(ingestCqaRequest, req.body, 'body');
    const seen = new Set<string>();
    const records: ThreadRecord[] = threads.map((t, i) => {
      const id = String(t.id);
      if (seen.has(id)) throw new QaError('bad_input', `duplicate id "${id}"`, { where: `threads[${i}].id` });
      seen.add(id);
      if (t.answers.filter((a) => a.accepted).length > 1) {
        throw new QaError('bad_input', 'more than one accepted answer', { where: `threads[${i}].answers` });
      }
      const key = `${API_SOURCE}:${id}`;
      return { ...t, key, answers: t.answers.map((a, j) => ({ ...a, key: `${key}/${j}` })) };
    });
    const report = deps.board.archive.import(API_SOURCE, records);
    await deps.board.refresh();
    const warnings = deps.board.matcher
      ? []
      : ['no CQA matcher is installed: questions are not matched to threads'];
    res.json({ ...report, warnings });
  });
}
