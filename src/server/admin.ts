/**
 * Admin endpoints (ingest), behind `Authorization: Bearer <server.adminToken>`; without a
 * configured token they do not exist (404). The body may be larger than elsewhere (16 MB), but is
 * only read once the token checks out.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import express, { type Express, type RequestHandler } from 'express';
import multer from 'multer';
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import type { ThreadRecord } from '../cqa/archive.js';
import type { UnansweredGroup } from '../feedback/report.js';
import { readDocumentFile, type SourceFile } from '../retrieval/doc-sources.js';
import { DocStore, type FileStamp } from '../retrieval/doc-store.js';
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
  /** Where uploaded files are kept, so citations can open them. */
  uploadsDir: string;
  /** Makes newly ingested documents searchable (vectors, dense index, the MRC route). */
  refreshDocs: () => Promise<void>;
  /** The unanswered-questions report. */
  unanswered: () => Promise<UnansweredGroup[]>;
}

const MAX_UPLOAD_FILES = 20;
const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

function uploadMessage(err: multer.MulterError): string {
  if (err.code === 'LIMIT_FILE_SIZE') return `a file is larger than ${MAX_UPLOAD_BYTES / 1024 / 1024} MB`;
  if (err.code === 'LIMIT_FILE_COUNT') return `at most ${MAX_UPLOAD_FILES} files at once`;
  return `${err.message}${err.field ? ` (field "${err.field}")` : ''}; send the files as "files"`;
}

/** What a file's first bytes say it is, when its name says PDF or Word. */
function sniff(file: Express.Multer.File): string | undefined {
  const ext = extname(file.originalname).toLowerCase();
  const head = file.buffer.subarray(0, 5).toString('latin1');
  if (ext === '.pdf' && !head.startsWith('%PDF-')) return 'is named .pdf but is not a PDF';
  if (ext === '.docx' && !head.startsWith('PK')) return 'is named .docx but is not a Word file';
  return undefined;
}

/**
 * Uploaded files are read like files on disk, from a staging folder beside the kept uploads, and
 * ingested in one transaction; only then do they join the kept uploads (served for citations).
 */
async function ingestUploads(files: Express.Multer.File[] | undefined, deps: AdminDeps) {
  if (!files?.length)
    throw new QaError('bad_input', 'no files: send them as multipart form data, field "files"', {
      where: 'files',
    });
  mkdirSync(deps.uploadsDir, { recursive: true });
  const uploads = realpathSync(deps.uploadsDir);
  const staging = mkdtempSync(join(uploads, '.staging-'));
  try {
    const sources: SourceFile[] = [];
    const warnings: string[] = [];
    const kept = new Map<string, string>();
    for (const [i, f] of files.entries()) {
      const name =
        basename(f.originalname)
          .replace(/[^\p{L}\p{N}._ -]/gu, '_')
          .replace(/^\.+/, '') || `file-${i}`;
      const bad = sniff(f);
      if (bad) throw new QaError('bad_input', `${name} ${bad}`, { where: `files[${i}]` });
      const path = join(staging, `${i}-${name}`);
      writeFileSync(path, f.buffer);
      let read: Awaited<ReturnType<typeof readDocumentFile>>;
      try {
        read = await readDocumentFile(path, undefined, `${API_SOURCE}:${name}`);
      } catch (e) {
        if (e instanceof QaError)
          throw new QaError('bad_input', `${name}: ${e.message}`, { where: `files[${i}]` });
        throw e;
      }
      const final = join(uploads, name);
      const st = statSync(path);
      const file: FileStamp = {
        path: final,
        root: uploads,
        format: read.source.format,
        size: st.size,
        mtimeMs: st.mtimeMs,
        hash: createHash('sha1').update(f.buffer).digest('hex'),
        tags: '[]',
      };
      sources.push({ ...read.source, file });
      kept.set(path, final);
      warnings.push(...read.warnings.map((w) => w.replace(path, name)));
    }
    const report = new DocStore(deps.db).ingest(sources);
    for (const [from, to] of kept) renameSync(from, to);
    await deps.refreshDocs();
    return { ...report, warnings };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
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

  // Files as people have them (PDF, Word, HTML, Markdown, text, JSON Lines), in one transaction.
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { files: MAX_UPLOAD_FILES, fileSize: MAX_UPLOAD_BYTES },
  }).array('files', MAX_UPLOAD_FILES);
  app.post('/api/ingest/files', (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err instanceof multer.MulterError) {
        const status = err.code === 'LIMIT_FILE_SIZE' ? 413 : 400;
        next(new HttpError(status, status === 413 ? 'too_large' : 'bad_input', uploadMessage(err), 'files'));
        return;
      }
      if (err) return next(err);
      ingestUploads(req.files as Express.Multer.File[] | undefined, deps).then((out) => res.json(out), next);
    });
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
