/**
 * API load on real data: the product's own server (`qa serve`, the router, every route, the
 * bundled models) in a child process, and autocannon closing the loop on POST /api/ask from this
 * one, at each number of connections for a fixed time. Questions go out in turn across all
 * connections from a mix across the three routes and unanswerable ones: the demo set and the
 * strangers' set (tests/), plus, on the 100k corpus, SQuAD train questions about its passages.
 *
 *   npm run bench:load -- [--data bundled|squad100k] [--duration 20] [--connections 1,10,50]
 *                         [--cache off,on] [--workspace DIR]
 *
 * - bundled: the starter data (kb/, corpora/), loaded by `qa init` into --workspace when empty.
 * - squad100k: the starter data plus 100,000 passages from ../shared/data/squad/train-v1.1.json
 *   (its contexts, then 5-sentence mixes of them), ingested with their vectors when the workspace
 *   is empty (its vectors take about an hour of both cores the first time; kept for later runs,
 *   and an interrupted run's vectors resume).
 * - --cache off: QA_ANSWER_CACHE=0, every question computed; on: answers remembered, as served,
 *   with every question asked once before the runs (so they measure questions asked again).
 *
 * Prints questions/s and the latency percentiles of each run, and where a question's time goes
 * (parse, scope, each route and the MRC route's steps, rank: means over the computed answers of the
 * one-connection run without the cache).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { loadSquad } from '../src/core/squad-data.js';
import { seeded } from './seeded.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'bundled' },
    duration: { type: 'string', default: '20' },
    connections: { type: 'string', default: '1,10,50' },
    cache: { type: 'string', default: 'off,on' },
    workspace: { type: 'string' },
  },
});

const ROOT = join(import.meta.dirname, '..');
const CLI = ['--import', 'tsx', join(ROOT, 'src', 'cli', 'main.ts')];
const data = values.data;
if (data !== 'bundled' && data !== 'squad100k') throw new Error('--data is bundled or squad100k');
const workspace = values.workspace ?? `/tmp/qa-load-${data}`;
const SQUAD_TRAIN = join(ROOT, '..', 'shared', 'data', 'squad', 'train-v1.1.json');

function qa(args: string[]): void {
  execFileSync(process.execPath, [...CLI, ...args, '--workspace', workspace], { stdio: 'inherit' });
}

const questions: string[] = [];
for (const file of ['tests/demo-questions.json', 'tests/open-sets/strangers.json']) {
  const set = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { questions: { question: string }[] };
  questions.push(...set.questions.map((q) => q.question));
}

/** The 100k corpus: SQuAD train's contexts, then 5-sentence mixes of them (a fixed seed). */
function writeSquadCorpus(file: string): string[] {
  const squad = loadSquad(SQUAD_TRAIN);
  const contexts = [...new Set(squad.questions.map((q) => q.context))];
  const seg = new Intl.Segmenter('en', { granularity: 'sentence' });
  const sentences = contexts.flatMap((c) => [...seg.segment(c)].map((s) => s.segment.trim()));
  const rand = seeded(11);
  const lines: string[] = [];
  for (let i = 0; i < 100_000; i++) {
    const text =
      i < contexts.length
        ? contexts[i]
        : Array.from({ length: 5 }, () => sentences[Math.floor(rand() * sentences.length)]).join(' ');
    lines.push(JSON.stringify({ id: i, title: `SQuAD ${i}`, text }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  // Every 88th question, about 1,000 of them, asked about the corpus's own contexts.
  return squad.questions.filter((_, i) => i % 88 === 0).map((q) => q.question);
}

if (!existsSync(join(workspace, 'qa.sqlite'))) {
  mkdirSync(workspace, { recursive: true });
  qa(['init']);
  if (data === 'squad100k') {
    const corpus = join(workspace, 'squad-100k.jsonl');
    writeFileSync(join(workspace, 'squad-questions.json'), JSON.stringify(writeSquadCorpus(corpus)));
    qa(['ingest', 'docs', corpus]);
  }
}
if (data === 'squad100k') {
  const asked = JSON.parse(readFileSync(join(workspace, 'squad-questions.json'), 'utf8')) as string[];
  questions.push(...asked.slice(0, 200));
}

/** `qa serve` on a free port; resolves with its URL from the "listening" log line. */
function startServer(cache: boolean): Promise<{ child: ChildProcess; url: string }> {
  const args = [...CLI, 'serve', '--workspace', workspace, '--port', '0', '--log-level', 'info'];
  const env = { ...process.env, QA_ANSWER_CACHE: cache ? '1000' : '0' };
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code}) before listening`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const url = (JSON.parse(line) as { url?: string }).url;
      if (url) resolve({ child, url });
    });
  });
}

interface Timed {
  stages?: Record<string, number>;
  timings: { route: string; ms: number; stages?: Record<string, number> }[];
  cached?: boolean;
}

/** One closed-loop run; the next question goes to whichever connection is free. */
function run(url: string, connections: number, seen: Timed[]) {
  let next = 0;
  const ms: number[] = [];
  const requests: autocannon.Request[] = [
    {
      method: 'POST',
      path: '/api/ask',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({ question: questions[next++ % questions.length] }),
      }),
      onResponse: (status, body) => {
        if (status === 200) seen.push(JSON.parse(body) as Timed);
      },
    },
  ];
  return new Promise<{ result: autocannon.Result; ms: number[] }>((resolve, reject) => {
    const instance = autocannon(
      { url, connections, duration: Number(values.duration), timeout: 60, requests },
      (err, result) => (err ? reject(err) : resolve({ result, ms })),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => ms.push(responseTime));
  });
}

const pct = (sorted: number[], p: number): string =>
  (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(0);
const line = (r: (string | number)[]): string => `| ${r.join(' | ')} |`;

const rows: (string | number)[][] = [];
const breakdown = new Map<string, number>();
let computed = 0;
for (const cache of values.cache.split(',').map((c) => c === 'on')) {
  const { child, url } = await startServer(cache);
  try {
    // Warm-up: every session opens on first use. With the cache on, every question is asked once
    // first, so the runs measure questions asked again (the steady state of a repeated mix).
    for (const question of cache ? questions : questions.slice(0, 10)) {
      await fetch(`${url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question }),
      });
    }
    for (const connections of values.connections.split(',').map(Number)) {
      const seen: Timed[] = [];
      const { result, ms } = await run(url, connections, seen);
      ms.sort((a, b) => a - b);
      rows.push([
        data,
        cache ? 'on' : 'off',
        connections,
        result.requests.total,
        (result.requests.total / result.duration).toFixed(1),
        pct(ms, 50),
        pct(ms, 95),
        pct(ms, 99),
        seen.filter((s) => s.cached).length,
        result.non2xx + result.errors + result.timeouts,
      ]);
      if (!cache && connections === 1) {
        for (const s of seen) {
          computed++;
          const add = (k: string, v: number) => breakdown.set(k, (breakdown.get(k) ?? 0) + v);
          for (const [k, v] of Object.entries(s.stages ?? {})) add(k, v);
          for (const t of s.timings) {
            add(`route ${t.route}`, t.ms);
            for (const [k, v] of Object.entries(t.stages ?? {})) add(`  ${t.route} ${k}`, v);
          }
        }
      }
    }
  } finally {
    child.kill('SIGTERM');
  }
}

console.log(
  `API load: qa serve on ${data} (${workspace}), ${questions.length} questions in turn, ${values.duration} s a run`,
);
const head = [
  'data',
  'cache',
  'connections',
  'questions',
  'q/s',
  'p50 ms',
  'p95 ms',
  'p99 ms',
  'cached',
  'errors',
];
console.log(line(head));
console.log(line(head.map(() => '---')));
for (const r of rows) console.log(line(r));
if (computed > 0) {
  console.log(`\nWhere a question's time goes (mean ms over ${computed} computed answers, 1 connection):`);
  for (const [k, v] of breakdown) console.log(`${k.padEnd(22)} ${(v / computed).toFixed(1)}`);
}
