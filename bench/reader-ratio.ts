/**
 * Speed ratios between readers, measured in turn so that drift cannot pass for a speed-up.
 *
 * On a shared 2-core machine one reader's speed wanders by 15% or more within an hour, and the
 * issue's bars ("int8 2× faster than its fp32", "the student 2× faster than the teacher") are
 * ratios near that noise. So every reader is loaded once, every block of 25 questions is read by
 * every reader in turn, and a round's ratio is that of the readers' total times over the same
 * questions: the table gives each pair's median over the rounds, with the lowest and highest.
 *
 *   npx tsx bench/reader-ratio.ts [--data FILE] [--limit N] [--models-dir DIR] [--model NAME ...]
 *     [--threads N] [--rounds R]
 */

import { ModelRegistry } from '../src/models/registry.js';
import type { ExtractiveReader } from '../src/mrc/reader.js';
import { readerBenchSetup } from './reader-setup.js';

const { data, modelsDir, questions, readers, threads, rounds } = readerBenchSetup('2');
const reg = new ModelRegistry(modelsDir);
const loaded: ExtractiveReader[] = [];
for (const entry of readers) loaded.push(await reg.reader(entry.manifest.name, { threads: threads[0] ?? 2 }));

// A warm-up pass per reader, not counted.
for (const reader of loaded) {
  for (const q of questions.slice(0, 20)) await reader.read({ question: q.question, context: q.context });
}
// Blocks of BLOCK questions go through every reader in turn, in an order that turns with the
// block: short enough that a slow second of the machine falls on all readers alike, long enough
// that each reader mostly runs alone, as a server answering with one reader does. Question by
// question, each reader's ONNX Runtime threads, still spin-waiting after its run, slow the next
// reader's run down (the student looked 1.65x the teacher's int8, against 1.78x in blocks of 25).
const BLOCK = 25;
const speeds: number[][] = loaded.map(() => []);
for (let r = 0; r < rounds; r++) {
  const ms = loaded.map(() => 0);
  for (let b = 0; b < questions.length; b += BLOCK) {
    const block = questions.slice(b, b + BLOCK);
    for (let k = 0; k < loaded.length; k++) {
      const i = (k + b / BLOCK) % loaded.length;
      const t = performance.now();
      for (const q of block) await loaded[i]?.read({ question: q.question, context: q.context });
      ms[i] = (ms[i] ?? 0) + performance.now() - t;
    }
  }
  ms.forEach((total, i) => {
    speeds[i]?.push(questions.length / (total / 1000));
  });
}
await reg.close();

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] ?? 0) : ((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2;
};
const line = (r: string[]): string => `| ${r.join(' | ')} |`;
const names = loaded.map((r) => r.name);
console.log(
  `reader speed ratios: ${data}, first ${questions.length} questions, one at a time, ${threads[0] ?? 2} ONNX thread(s), ${rounds} rounds in turn per block of ${BLOCK} questions`,
);
console.log(line(['model', 'questions/s per round', 'median']));
console.log(line(['---', '---', '---:']));
names.forEach((n, i) => {
  const s = speeds[i] ?? [];
  console.log(line([n, s.map((x) => x.toFixed(1)).join(', '), median(s).toFixed(1)]));
});
console.log(`\nspeed of the row over the column, median of the rounds' ratios (lowest–highest)`);
console.log(line(['', ...names]));
console.log(line(['---', ...names.map(() => '---:')]));
names.forEach((n, i) => {
  const cells = names.map((_, j) => {
    if (i === j) return '–';
    const ratios = (speeds[i] ?? []).map((x, r) => x / (speeds[j]?.[r] ?? Number.NaN));
    return `${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;
  });
  console.log(line([n, ...cells]));
});
