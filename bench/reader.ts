/**
 * Reader speed: questions per second and p50/p95 latency per model, with 1 and 2 ONNX threads,
 * one question at a time over the first N questions of a SQuAD file (each with its own context).
 *
 *   npx tsx bench/reader.ts [--data FILE] [--limit N] [--models-dir DIR] [--model NAME ...] [--threads 1,2]
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/core/config.js';
import { loadSquad } from '../src/eval/squad-data.js';
import { ModelRegistry } from '../src/mrc/models.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '../shared/data/squad/dev-v1.1.public.json' },
    limit: { type: 'string', default: '300' },
    'models-dir': { type: 'string' },
    model: { type: 'string', multiple: true },
    threads: { type: 'string', default: '1,2' },
  },
});

const config = loadConfig({ flags: { modelsDir: values['models-dir'] } });
const registry = new ModelRegistry(config.modelsDir);
const data = loadSquad(values.data);
const questions = data.questions.slice(0, Number(values.limit));
const models = registry
  .scan()
  .models.filter((m) => m.manifest.task === 'reader')
  .filter((m) => !values.model || values.model.includes(m.manifest.name));

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const rows: string[][] = [];
for (const entry of models) {
  for (const threads of values.threads.split(',').map(Number)) {
    const reg = new ModelRegistry(config.modelsDir);
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
console.log(`reader benchmark: ${values.data}, first ${questions.length} questions, one at a time`);
console.log(line(head));
console.log(line(head.map(() => '---')));
for (const r of rows) console.log(line(r));
