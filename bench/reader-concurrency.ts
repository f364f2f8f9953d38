/**
 * The reader under concurrent reads: questions/s when `--callers` callers at once each read two
 * (question, context) pairs of SQuAD dev (one question against its own context and the next
 * question's, as the MRC route reads a question's best two passages), for each `maxPadding` of
 * the window batcher (src/mrc/window-batcher.ts): -1 puts every window in a run of its own, a
 * large value batches any windows (up to 8 a run).
 *
 *   npx tsx bench/reader-concurrency.ts [--model NAME] [--paddings -1,0.1,0.2,0.4,100]
 *                                       [--callers 10] [--limit 120] [--rounds 3] [--threads 2]
 *
 * Every setting is run in turn, `--rounds` times, so a busy minute falls on all of them.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/core/config.js';
import { loadSquad } from '../src/core/squad-data.js';
import { ModelRegistry } from '../src/models/registry.js';
import type { ExtractiveReader } from '../src/mrc/reader.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'minilm-l6-squad-int8' },
    paddings: { type: 'string', default: '-1,0.1,0.2,0.4,100' },
    callers: { type: 'string', default: '10' },
    limit: { type: 'string', default: '120' },
    rounds: { type: 'string', default: '3' },
    threads: { type: 'string', default: '2' },
  },
});

const { modelsDir } = loadConfig();
const questions = loadSquad('../shared/data/squad/dev-v1.1.public.json')
  .questions.filter((_, i) => i % 5 === 0)
  .slice(0, Number(values.limit));
const paddings = values.paddings.split(',').map(Number);
const readers: { padding: number; reader: ExtractiveReader; registry: ModelRegistry }[] = [];
for (const maxPadding of paddings) {
  // A registry each: a reader is opened once per registry, with the registry's batching.
  const registry = new ModelRegistry(modelsDir, {}, { maxPadding, waitMs: 0 });
  const reader = await registry.reader(values.model, { threads: Number(values.threads) });
  readers.push({ padding: maxPadding, reader, registry });
}

const rates = new Map<number, number[]>();
for (let round = 0; round < Number(values.rounds); round++) {
  for (const { padding, reader } of readers) {
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: Number(values.callers) }, async () => {
        while (next + 1 < questions.length) {
          const a = questions[next++];
          const b = questions[next++];
          if (!a || !b) break;
          await reader.readBatch([
            { question: a.question, context: a.context },
            { question: a.question, context: b.context },
          ]);
        }
      }),
    );
    const rate = questions.length / 2 / ((performance.now() - t0) / 1000);
    rates.set(padding, [...(rates.get(padding) ?? []), rate]);
  }
}
for (const { registry } of readers) await registry.close();

console.log(
  `${values.model}, ${values.callers} callers, ${Math.floor(questions.length / 2)} questions of two reads, ${values.rounds} rounds`,
);
console.log('| maxPadding | questions/s, each round | median |');
console.log('| --- | --- | --- |');
for (const [padding, r] of rates) {
  const sorted = [...r].sort((x, y) => x - y);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  console.log(`| ${padding} | ${r.map((x) => x.toFixed(2)).join(', ')} | ${median.toFixed(2)} |`);
}
