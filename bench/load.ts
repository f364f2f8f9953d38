/**
 * API load: autocannon against POST /api/ask on 127.0.0.1, at each number of connections for a
 * fixed time. The server runs in a child process (this file with --serve) on a temp workspace
 * holding the fixture documents and threads, so the load generator does not share its event loop.
 * Prints latency percentiles (from each response's time), requests/s and errors.
 *
 *   npm run bench:load -- [--duration 20] [--connections 10,50] [--threads N] [--concurrency 4]
 *
 * --threads defaults to the product's default (the cores, at most 4).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { pino } from 'pino';
import { Pipeline } from '../src/app/pipeline.js';
import { openWorkspaceDb } from '../src/app/workspace.js';
import { DEFAULT_THREADS, loadConfig } from '../src/core/config.js';
import type { ParsedQuestion } from '../src/core/types.js';
import { Archive } from '../src/cqa/archive.js';
import { readArchive } from '../src/cqa/import.js';
import { ModelRegistry } from '../src/models/registry.js';
import { listDocFiles, readSourceFile } from '../src/retrieval/doc-sources.js';
import { DocStore } from '../src/retrieval/doc-store.js';
import { createApp } from '../src/server/app.js';
import { listen, serverUrl, shutdown } from '../src/server/listen.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '10,50' },
    threads: { type: 'string', default: String(DEFAULT_THREADS) },
    concurrency: { type: 'string', default: '4' },
    serve: { type: 'boolean', default: false },
  },
});

const FIXTURES = join(import.meta.dirname, '..', 'tests', 'fixtures');
const QUESTIONS = [
  'How high is Mount Kenya?',
  'What is the ideal water temperature for coffee?',
  'Which countries share Lake Victoria?',
  'Where does the Rhine rise?',
  'How do I reset my router?',
  'What is green tea made from?',
];

/** Every route trusted alike: the load is on retrieval, the reader and the matcher, not the router. */
function parse(text: string): ParsedQuestion {
  return {
    text,
    normalized: text,
    type: 'factoid',
    answerType: 'entity',
    mentions: [],
    routeWeights: { kbqa: 1 / 3, mrc: 1 / 3, cqa: 1 / 3 },
  };
}

/** The server side: prints its URL as the first line of stdout, stops on SIGTERM. */
async function serve(): Promise<void> {
  const workspace = mkdtempSync(join(tmpdir(), 'qa-load-'));
  const db = openWorkspaceDb({ workspace });
  new DocStore(db).ingest(listDocFiles([join(FIXTURES, 'docs')]).map((f) => readSourceFile(f)));
  new Archive(db).import('fixture', await readArchive(join(FIXTURES, 'cqa', 'threads.jsonl')));
  db.close();
  const config = loadConfig({
    env: {},
    cwd: workspace,
    flags: { workspace, threads: Number(values.threads) },
  });
  const pipeline = await Pipeline.open(config, new ModelRegistry(config.modelsDir), {
    parse,
    deadlineMs: config.server.routeDeadlineMs,
  });
  const app = createApp(pipeline, config, pino({ level: 'warn' }), {
    askConcurrency: Number(values.concurrency),
    askQueue: 1024,
  });
  const server = await listen(app, 0, '127.0.0.1');
  process.stdout.write(`${serverUrl(server)}\n`);
  process.once('SIGTERM', () => {
    shutdown(server, pipeline).finally(() => rmSync(workspace, { recursive: true, force: true }));
  });
}

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const args = ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'];
  args.push('--threads', values.threads, '--concurrency', values.concurrency);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (url) =>
      resolve({ child, url }),
    );
  });
}

/** autocannon reports p90 and p97.5, not p95: percentiles come from each response's own time. */
function run(url: string, connections: number, requests: autocannon.Request[]) {
  const ms: number[] = [];
  return new Promise<{ result: autocannon.Result; ms: number[] }>((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: Number(values.duration), timeout: 30, requests },
      (err, result) => (err ? reject(err) : resolve({ result, ms })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => ms.push(responseTime));
  });
}

const pct = (sorted: number[], p: number): string =>
  (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(0);

async function bench(): Promise<void> {
  const { child, url } = await startServer();
  try {
    const requests = QUESTIONS.map((question) => ({
      method: 'POST' as const,
      path: '/api/ask',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question }),
    }));
    // Warm-up: the reader and encoder sessions open on first use.
    for (const r of requests)
      await fetch(`${url}${r.path}`, { method: r.method, headers: r.headers, body: r.body });
    const head = [
      'connections',
      'seconds',
      'requests',
      'req/s',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'non-2xx',
      'errors',
    ];
    const line = (r: (string | number)[]): string => `| ${r.join(' | ')} |`;
    const rows: (string | number)[][] = [];
    for (const connections of values.connections.split(',').map(Number)) {
      const { result, ms } = await run(url, connections, requests);
      ms.sort((a, b) => a - b);
      rows.push([
        connections,
        values.duration,
        result.requests.total,
        (result.requests.total / result.duration).toFixed(1),
        pct(ms, 50),
        pct(ms, 95),
        pct(ms, 99),
        (ms.at(-1) ?? 0).toFixed(0),
        result.non2xx,
        result.errors + result.timeouts,
      ]);
    }
    console.log(
      `API load: POST /api/ask at ${url}, ${QUESTIONS.length} questions in turn, ${values.threads} ONNX ` +
        `thread(s), ${values.concurrency} questions in the pipeline at once`,
    );
    console.log(line(head));
    console.log(line(head.map(() => '---')));
    for (const r of rows) console.log(line(r));
  } finally {
    child.kill('SIGTERM');
  }
}

if (values.serve) await serve();
else await bench();
