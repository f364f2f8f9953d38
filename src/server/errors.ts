/**
 * Every failure leaves as `{ "error": { "code", "message", "where" } }` with the status that says
 * whose fault it was. Unexpected errors are logged with their stack and answered without it.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
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
  if (type === 'entity.parse.failed')
    return new HttpError(400, 'bad_input', 'the body is not valid JSON', 'body');
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
