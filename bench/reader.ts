/**
 * Reader speed: questions per second and p50/p95 latency per model, with 1 and 2 ONNX threads,
 * one question at a time over the first N questions of a SQuAD file (each with its own context).
 *
 *   npx tsx bench/reader.ts [--data FILE] [--limit N] [--models-dir DIR] [--model NAME ...] [--threads 1,2]
 */
import { ModelRegistry } from '../src/models/registry.js';
import { readerBenchSetup } from './reader-setup.js';

const { data, modelsDir, questions, readers: models, threads: threadCounts } = readerBenchSetup('1,2');

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const rows: string[][] = [];
for (const entry of models) {
  for (const threads of threadCounts) {
    const reg = new ModelRegistry(modelsDir);
    const reader = await reg.reader(entry.manifest.name, { threads });
    for (const q of questions.slice(0, 5)) await reader.read({ question: q.question, context: q.context });
    const lat: number[] = [];
    const t0 = performance.now();
    for (const q of questions) {
      const t = performance.now();
      await reader.read({ question: q.question, context: q.context });
      lat.push(performance.now() - t);
    }
    const secs = (performance.now() - t0) / 1000;
    await reg.close();
    lat.sort((a, b) => a - b);
    rows.push([
      entry.manifest.name,
      entry.manifest.kind,
      String(threads),
      String(questions.length),
      (questions.length / secs).toFixed(1),
      pct(lat, 50).toFixed(1),
      pct(lat, 95).toFixed(1),
    ]);
  }
}

const head = ['model', 'kind', 'threads', 'questions', 'questions/s', 'p50 ms', 'p95 ms'];
const line = (r: string[]): string => `| ${r.join(' | ')} |`;
console.log(`reader benchmark: ${data}, first ${questions.length} questions, one at a time`);
console.log(line(head));
console.log(line(head.map(() => '---')));
for (const r of rows) console.log(line(r));
