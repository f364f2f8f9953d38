/**
 * Where a reader's time goes, per question: WordPiece tokenizing, window making, building the
 * int64 feeds, the ONNX run (worker round trip included) and span decoding. It answers whether
 * a smaller model's speed-up is held back by the JavaScript around the model or inside the graph.
 *
 *   npx tsx bench/reader-phases.ts [--data FILE] [--limit N] [--models-dir DIR] [--model NAME ...] [--threads N]
 */

import type { ReaderEntry } from '../src/models/manifest.js';
import { bertFeeds, openSession, run, tokenizerFor } from '../src/models/session.js';
import { decodeSpans } from '../src/mrc/decode.js';
import { decodeDefaults, READER_IO, windowLogits } from '../src/mrc/reader.js';
import { makeWindows } from '../src/mrc/windows.js';
import { readerBenchSetup } from './reader-setup.js';

const setup = readerBenchSetup('1');
const { data, questions, readers } = setup;
const threads = setup.threads[0] ?? 1;

const PHASES = ['tokenize', 'windows', 'feeds', 'onnx run', 'decode'] as const;
type Phase = (typeof PHASES)[number];

async function profile(
  entry: ReaderEntry,
): Promise<{ ms: Record<Phase, number>; windows: number; width: number }> {
  const tokenizer = tokenizerFor(entry);
  const session = await openSession(entry, { threads }, READER_IO);
  const decode = decodeDefaults(entry.manifest);
  const ms = Object.fromEntries(PHASES.map((p) => [p, 0])) as Record<Phase, number>;
  let windows = 0;
  let tokens = 0;
  // The first pass warms the session and the JIT up and is not counted.
  for (const counted of [false, true]) {
    for (const q of questions) {
      let t = performance.now();
      const lap = (phase: Phase): void => {
        const now = performance.now();
        if (counted) ms[phase] += now - t;
        t = now;
      };
      const qTokens = tokenizer.tokenize(q.question);
      const cTokens = tokenizer.tokenize(q.context);
      lap('tokenize');
      const wins = makeWindows(qTokens, cTokens, tokenizer.special, entry.manifest);
      lap('windows');
      const { feeds, width } = bertFeeds(session, wins, tokenizer.special.pad);
      lap('feeds');
      const out = await run(session, feeds, entry.dir);
      lap('onnx run');
      decodeSpans(q.context, cTokens, windowLogits(wins, out, width), decode);
      lap('decode');
      if (counted) {
        windows += wins.length;
        tokens += wins.length * width;
      }
    }
  }
  await session.release();
  for (const p of PHASES) ms[p] /= questions.length;
  return { ms, windows, width: tokens / Math.max(1, windows) };
}

const head = ['model', ...PHASES.map((p) => `${p} ms`), 'outside onnx', 'windows', 'mean width'];
const line = (r: string[]): string => `| ${r.join(' | ')} |`;
console.log(
  `reader phases: ${data}, first ${questions.length} questions, one at a time, ${threads} ONNX thread(s); mean ms per question`,
);
console.log(line(head));
console.log(line(head.map(() => '---')));
for (const entry of readers) {
  const { ms, windows, width } = await profile(entry);
  const total = PHASES.reduce((s, p) => s + ms[p], 0);
  const outside = (100 * (total - ms['onnx run'])) / total;
  console.log(
    line([
      entry.manifest.name,
      ...PHASES.map((p) => ms[p].toFixed(2)),
      `${outside.toFixed(1)}%`,
      String(windows),
      width.toFixed(0),
    ]),
  );
}
