/**
 * A real server for the tests: a temp workspace holding the fixture documents and threads, the
 * repository's models, the pipeline opened once, and the app listening on a free loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { type Parse, Pipeline } from '../../src/app/pipeline.js';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { type Config, loadConfig } from '../../src/core/config.js';
import { Archive } from '../../src/cqa/archive.js';
import { readArchive } from '../../src/cqa/import.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { analyse } from '../../src/parse/analyse.js';
import { listDocFiles, readSourceFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { type AppOptions, createApp } from '../../src/server/app.js';
import { listen, serverUrl } from '../../src/server/listen.js';
import { FIXTURES } from '../helpers/fixtures.js';

/** Makes the pipeline fail unexpectedly, to see a 500 and the server carry on. */
export const BOOM = 'please fail inside the parser';

/** Every route trusted alike, so the tests do not depend on the router model. */
export const uniformParse: Parse = (text) => {
  if (text === BOOM) throw new Error('parser exploded');
  return { ...analyse(text), routeWeights: { kbqa: 1 / 3, mrc: 1 / 3, cqa: 1 / 3 } };
};

/** A temp workspace with the fixture documents and threads ingested. */
export async function fixtureWorkspace(): Promise<string> {
  const workspace = mkdtempSync(join(tmpdir(), 'qa-server-'));
  const db = openWorkspaceDb({ workspace });
  try {
    new DocStore(db).ingest(listDocFiles([join(FIXTURES, 'docs')]).map((f) => readSourceFile(f)));
    new Archive(db).import('fixture', await readArchive(join(FIXTURES, 'cqa', 'threads.jsonl')));
  } finally {
    db.close();
  }
  return workspace;
}

export function testConfig(
  workspace: string,
  server: Partial<Config['server']> = {},
  modelsDir?: string,
): Config {
  const config = loadConfig({ env: {}, cwd: workspace, flags: { workspace, threads: 1, modelsDir } });
  return { ...config, server: { ...config.server, ...server } };
}

export interface TestServer {
  url: string;
  server: Server;
  pipeline: Pipeline;
  config: Config;
  /** Parsed log lines, in order. */
  logs: Record<string, unknown>[];
  /** Stops the server and closes the pipeline; removes the workspace if it made it. */
  close(): Promise<void>;
}

export async function startServer(
  server: Partial<Config['server']> = {},
  opts: AppOptions & {
    workspace?: string;
    modelsDir?: string;
    parse?: Parse;
    community?: Partial<Config['community']>;
  } = {},
): Promise<TestServer> {
  const owned = opts.workspace === undefined;
  const workspace = opts.workspace ?? (await fixtureWorkspace());
  const base = testConfig(workspace, server, opts.modelsDir);
  const config = { ...base, community: { ...base.community, ...opts.community } };
  const pipeline = await Pipeline.open(config, new ModelRegistry(config.modelsDir), {
    parse: opts.parse ?? uniformParse,
    deadlineMs: config.server.routeDeadlineMs,
  });
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
  const http = await listen(createApp(pipeline, config, logger, opts), 0, '127.0.0.1');
  return {
    url: serverUrl(http),
    server: http,
    pipeline,
    config,
    logs,
    async close() {
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
      await pipeline.close();
      if (owned) rmSync(workspace, { recursive: true, force: true });
    },
  };
}
