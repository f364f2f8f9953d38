/**
 * `qa serve`: opens the pipeline once and serves the API and the web UI until SIGINT/SIGTERM,
 * then stops accepting, lets questions in flight finish and closes the stores.
 */
import type { Command } from 'commander';
import { pino } from 'pino';
import { isEmptyWorkspace, loadBundledData } from '../app/init.js';
import { openPipeline } from '../app/open.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { QaError } from '../core/errors.js';
import { createApp } from '../server/app.js';
import { listen, serverUrl, shutdown } from '../server/listen.js';
import { contextFrom, parseIntOption } from './context.js';
import { type Progress, progressBar } from './progress.js';

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

interface ServeOptions {
  port?: number;
  host?: string;
  logLevel: string;
  init: boolean;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the HTTP API and the web UI')
    .option('--port <n>', 'port to listen on (default: server.port, 8080)', parseIntOption('--port'))
    .option('--host <host>', 'address to listen on (default: server.host, 127.0.0.1)')
    .option('--log-level <level>', `one of ${LEVELS.join(', ')}`, 'info')
    .option('--no-init', 'do not load the bundled starter data into an empty workspace')
    .action(async (opts: ServeOptions, cmd: Command) => {
      if (!LEVELS.includes(opts.logLevel)) {
        throw new QaError('bad_input', `unknown log level "${opts.logLevel}"`, {
          where: '--log-level',
          hint: LEVELS.join(', '),
        });
      }
      if (opts.port !== undefined && opts.port > 65535) {
        throw new QaError('bad_input', `port ${opts.port} is above 65535`, { where: '--port' });
      }
      const { config, models } = contextFrom(cmd);
      const server = {
        ...config.server,
        port: opts.port ?? config.server.port,
        host: opts.host ?? config.server.host,
      };
      const logger = pino({ level: opts.logLevel, base: { service: 'qa' } });
      if (opts.init) {
        const db = openWorkspaceDb(config);
        try {
          if (await isEmptyWorkspace(db, config)) {
            logger.info({ workspace: config.workspace }, 'empty workspace: loading the bundled starter data');
            logger.info(await loadBundledData(db, config), 'starter data loaded');
          }
        } finally {
          db.close();
        }
      }
      // One bar per step (passage vectors, passage graph, thread vectors), each with its own total.
      let step: { name: string; bar: Progress } | undefined;
      const pipeline = await openPipeline(config, models, {
        onProgress: (name, d, t) => {
          if (step?.name !== name) {
            step?.bar.stop();
            step = { name, bar: progressBar(name) };
          }
          step.bar.update(d, t);
        },
      });
      step?.bar.stop();
      const http = await listen(createApp(pipeline, { ...config, server }, logger), server.port, server.host);
      logger.info({ url: serverUrl(http), routes: pipeline.available }, `listening on ${serverUrl(http)}`);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          logger.info({ signal }, 'shutting down');
          shutdown(http, pipeline).then(resolve, (e: unknown) => {
            logger.error({ err: e }, 'shutdown failed');
            resolve();
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      logger.info('stopped');
    });
}
