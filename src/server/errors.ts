/**
 * Every failure leaves as `{ "error": { "code", "message", "where" } }` with the status that says
 * whose fault it was. Unexpected errors are logged with their stack and answered without it.
 */
import type { ErrorRequestHandler, Express, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { QaError } from '../core/errors.js';
import { jsonPath } from '../core/json.js';

/** Failures that only HTTP has, next to QaError's codes. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly where?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const STATUS: Partial<Record<QaError['code'], number>> = {
  bad_input: 400,
  not_found: 404,
  conflict: 409,
  timeout: 504,
  unavailable: 503,
  upstream_error: 502,
};

export interface ErrorBody {
  error: { code: string; message: string; where?: string };
}

/** body-parser's error types (it sets `type` and `status` on what it throws). */
function parserError(err: unknown): HttpError | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') {
    // Valid JSON that is not an object or array ("null", "42") is refused as such, not as bad JSON.
    const raw = (err as { body?: unknown }).body;
    try {
      const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : undefined;
      if (typeof raw === 'string') {
        return new HttpError(
          400,
          'bad_input',
          `expected a JSON object, got ${value === null ? 'null' : typeof value}`,
          'body',
        );
      }
    } catch {
      // Not JSON at all.
    }
    return new HttpError(400, 'bad_input', 'the body is not valid JSON', 'body');
  }
  if (type === 'entity.too.large') {
    const limit = (err as { limit?: number }).limit;
    return new HttpError(413, 'too_large', `the body is larger than ${limit ?? 'allowed'} bytes`, 'body');
  }
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new HttpError(415, 'unsupported', (err as Error).message, 'body');
  }
  return undefined;
}

export function toHttp(err: unknown): { status: number; body: ErrorBody } {
  const known = err instanceof HttpError ? err : parserError(err);
  if (known) {
    return {
      status: known.status,
      body: {
        error: { code: known.code, message: known.message, ...(known.where ? { where: known.where } : {}) },
      },
    };
  }
  if (err instanceof QaError) {
    const status = STATUS[err.code] ?? 500;
    const message = err.hint ? `${err.message} (${err.hint})` : err.message;
    // A server-side `where` is a file path on this machine: not the client's business.
    const where = status < 500 ? err.where : undefined;
    return { status, body: { error: { code: err.code, message, ...(where ? { where } : {}) } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'internal error' } } };
}

/** Parses with a zod schema; the first issue becomes a 400 naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown, part: string): z.infer<T> {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const path = issue?.path.length ? jsonPath(issue.path) : part;
  throw new QaError('bad_input', issue?.message ?? 'invalid', { where: path });
}

/** A body that is not JSON is named by its content type rather than parsed as nothing. */
export function requireJson(): RequestHandler {
  return (req, _res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (hasBody && ['POST', 'PUT', 'PATCH'].includes(req.method) && !req.is('application/json')) {
      throw new HttpError(
        415,
        'unsupported',
        `expected a JSON body (Content-Type: application/json), got ${req.get('content-type') ?? 'no Content-Type'}`,
        'content-type',
      );
    }
    next();
  };
}

interface RouteLayer {
  route?: { methods: Record<string, boolean | undefined> };
  match(path: string): boolean;
}

/** A known path asked with another method: 405, with the methods it has in `Allow`. */
export function methodNotAllowed(app: Express): RequestHandler {
  return (req, res, next) => {
    // Mounted under /api, `req.path` is what follows the mount point.
    const path = `${req.baseUrl}${req.path}`;
    const allowed = new Set<string>();
    for (const layer of (app.router as unknown as { stack: RouteLayer[] }).stack) {
      if (!layer.route || !layer.match(path)) continue;
      for (const [m, on] of Object.entries(layer.route.methods))
        if (on && m !== '_all') allowed.add(m.toUpperCase());
    }
    if (allowed.size === 0) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    const list = [...allowed].sort();
    res.set('Allow', list.join(', '));
    throw new HttpError(
      405,
      'method_not_allowed',
      `${req.method} is not allowed on ${path}; it takes ${list.join(', ')}`,
    );
  };
}

export function notFound(): RequestHandler {
  return (req) => {
    throw new HttpError(404, 'not_found', `no endpoint ${req.method} ${req.path}`);
  };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body } = toHttp(err);
    if (status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.status(status).json(body);
  };
}
