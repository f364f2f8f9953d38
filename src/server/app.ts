/**
 * The HTTP application: the QA API, the community board, admin ingest, OpenAPI, metrics and the
 * web UI, over one opened pipeline. Same-origin by default; CORS only for configured origins.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Pipeline } from '../app/pipeline.js';
import { openEncoder } from '../app/retrieval.js';
import { type Config, PACKAGE_ROOT } from '../core/config.js';
import { unansweredReport } from '../feedback/report.js';
import { FeedbackStore } from '../feedback/store.js';
import { registerAdmin } from './admin.js';
import { registerApi } from './api.js';
import { Board, postLimit, registerCommunity } from './community.js';
import { registerDocs } from './docs.js';
import { errorHandler, methodNotAllowed, notFound, requireJson } from './errors.js';
import { Gate } from './gate.js';
import { Metrics } from './metrics.js';
import { observe } from './observe.js';
import { openApiDocument } from './openapi.js';

export const WEB_DIR = join(PACKAGE_ROOT, 'src', 'web');
const MARKDOWN_IT = createRequire(import.meta.url).resolve('markdown-it/dist/markdown-it.min.js');

export interface AppOptions {
  /** Questions in the pipeline at once (default 4); more wait. */
  askConcurrency?: number;
  /** Questions that may wait (default 256); more get 503. */
  askQueue?: number;
}

/** The UI loads only its own files and talks only to this server; nothing else may run in it. */
const CSP = [
  "default-src 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set({
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  });
  next();
};

function cors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  return (req, res, next) => {
    if (origins.length === 0) return next();
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined || !(any || origins.includes(origin))) return next();
    res.set('Access-Control-Allow-Origin', any ? '*' : origin);
    if (req.method !== 'OPTIONS') return next();
    res.set({
      'Access-Control-Allow-Methods': 'GET, POST',
      'Access-Control-Allow-Headers': 'Content-Type, Authorization',
      'Access-Control-Max-Age': '600',
    });
    res.status(204).end();
  };
}

function packageVersion(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string })
    .version;
}

export function createApp(
  pipeline: Pipeline,
  config: Config,
  logger: Logger,
  opts: AppOptions = {},
): express.Express {
  const app = express();
  app.disable('x-powered-by');
  const metrics = new Metrics();
  const board = Board.over(pipeline.cqa, pipeline.db);
  const openapi = openApiDocument(packageVersion());

  app.use(observe(logger, metrics), securityHeaders, cors(config.server.corsOrigins));
  // Before the general body parser: admin bodies may be larger, and are read only once authorised.
  const feedback = new FeedbackStore(pipeline.db);
  // One budget per client for everything it posts: questions, answers, votes, judgements.
  const limit = postLimit(config.community);
  registerAdmin(app, {
    token: config.server.adminToken,
    db: pipeline.db,
    board,
    uploadsDir: join(config.workspace, 'uploads'),
    refreshDocs: () => pipeline.refreshDocs(),
    unanswered: async () => unansweredReport(feedback, await openEncoder(config, pipeline.models)),
  });
  app.use('/api', requireJson());
  app.use(express.json({ limit: '64kb' }));
  registerApi(app, {
    pipeline,
    board,
    metrics,
    gate: new Gate(opts.askConcurrency ?? 4, opts.askQueue ?? 256),
    feedback,
    postLimit: limit,
  });
  registerCommunity(app, board, config.community, limit);
  registerDocs(app, pipeline.db);
  app.get('/api/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });
  app.use('/api', methodNotAllowed(app), notFound());
  // Browsers ask for /favicon.ico whatever the page says; the icon is an SVG.
  app.get('/favicon.ico', (_req, res) => {
    res.type('image/svg+xml').sendFile(join(WEB_DIR, 'favicon.svg'));
  });
  // The Markdown renderer for community answers (raw HTML off), from its npm package as published.
  app.get('/vendor/markdown-it.min.js', (_req, res) => {
    res.sendFile(MARKDOWN_IT);
  });
  app.use(express.static(WEB_DIR, { index: 'index.html', dotfiles: 'ignore' }));
  app.use(notFound());
  app.use(errorHandler(logger));
  return app;
}
