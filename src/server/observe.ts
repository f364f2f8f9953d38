/** One structured log line and one metrics sample per request, taken when the response is done. */
import type { Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from './metrics.js';

/** The endpoint pattern, so `/api/threads/7` and `/api/threads/8` count as one. */
function endpoint(req: Request): string {
  const route = req.route as { path?: unknown } | undefined;
  if (typeof route?.path === 'string') return `${req.baseUrl}${route.path}`;
  return req.path.startsWith('/api/') || req.path === '/metrics' ? 'unmatched' : 'static';
}

export function observe(logger: Logger, metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const t0 = performance.now();
    res.on('finish', () => {
      const ms = performance.now() - t0;
      metrics.request(endpoint(req), req.method, res.statusCode, ms / 1000);
      // What was asked stays out of the logs; its length is enough to see abuse or truncation.
      const extra = res.locals.questionChars === undefined ? {} : { questionChars: res.locals.questionChars };
      logger.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          ...extra,
        },
        'request',
      );
    });
    next();
  };
}
