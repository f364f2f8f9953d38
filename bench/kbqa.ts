/**
 * Knowledge-base load and query times as the KB grows: the MetaQA KB, then synthetic KBs made of
 * N renamed copies of it (every entity string of copy k gets the suffix " ~k"; same shape, more
 * triples), loaded into the embedded Oxigraph store through the product's MetaQA importer.
 * Queries: 1-, 2- and 3-hop relation-path SELECTs (translate.ts) from 200 topic entities of copy 0;
 * then whole questions through the KBQA route as the product opens it (zero-shot, the shipped
 * encoder scoring every candidate query graph, entity linking included): the time to index the KB
 * and the p50/p95 of a question, on MetaQA dev questions without their brackets.
 *
 *   npx tsx bench/kbqa.ts [--kb ../shared/data/kbqa/metaqa/kb.txt] [--copies 1,3,6]
 *       [--questions ../shared/data/kbqa/metaqa/qa_dev_1hop.txt,...] [--per-file 100]
 *
 * Generated files go to the system temp folder and are deleted afterwards.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openKbqa } from '../src/app/kbqa.js';
import { loadConfig } from '../src/core/config.js';
import { readMetaqa } from '../src/eval/metaqa.js';
import { OxigraphStore } from '../src/kbqa/oxigraph-store.js';
import type { RelationPath } from '../src/kbqa/paths.js';
import { iri, toSparql } from '../src/kbqa/sparql.js';
import { listQuery } from '../src/kbqa/translate.js';
import { entityIri, relationIri } from '../src/kbqa/vocab.js';
import { ModelRegistry } from '../src/models/registry.js';

const M = '../shared/data/kbqa/metaqa';
const { values } = parseArgs({
  options: {
    kb: { type: 'string', default: `${M}/kb.txt` },
    copies: { type: 'string', default: '1,3,6' },
    questions: { type: 'string', default: [1, 2, 3].map((h) => `${M}/qa_dev_${h}hop.txt`).join(',') },
    'per-file': { type: 'string', default: '100' },
  },
});
// Spread over each file, so every template is asked.
const questions = values.questions.split(',').flatMap((f) => {
  const all = readMetaqa(f);
  const n = Number(values['per-file']);
  return Array.from(
    { length: Math.min(n, all.length) },
    (_, i) => all[Math.floor((i * all.length) / n)],
  ).filter((q) => q !== undefined);
});
const config = loadConfig();
const models = new ModelRegistry(config.modelsDir);

const lines = readFileSync(values.kb, 'utf8')
  .split('\n')
  .filter((l) => l.includes('|'));
const movies = [...new Set(lines.map((l) => l.split('|')[0] ?? ''))].slice(0, 200);
const hop = (rel: string, inverse = false) => ({ predicate: relationIri(rel), inverse });
const PATHS: Record<string, RelationPath> = {
  '1-hop': [hop('directed_by')],
  '2-hop': [hop('directed_by'), hop('directed_by', true)],
  '3-hop': [hop('directed_by'), hop('directed_by', true), hop('has_genre')],
};
const pct = (a: number[], p: number): number =>
  a[Math.min(a.length - 1, Math.floor((p / 100) * a.length))] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'qa-bench-kb-'));
console.log(
  `KB benchmark: ${values.kb} (${lines.length} lines), copies ${values.copies}, ${questions.length} questions`,
);
console.log(
  '| copies | triples | load s | triples/s | 1-hop p50/p95 ms | 2-hop p50/p95 ms | 3-hop p50/p95 ms | index s | question p50/p95 ms |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
try {
  for (const copies of values.copies.split(',').map(Number)) {
    const file = join(dir, `kb-${copies}.txt`);
    const out: string[] = [];
    for (let k = 0; k < copies; k++) {
      const suffix = k === 0 ? '' : ` ~${k}`;
      for (const l of lines) {
        const [s, r, o] = l.split('|');
        out.push(`${s}${suffix}|${r}|${o}${suffix}`);
      }
    }
    writeFileSync(file, `${out.join('\n')}\n`);
    const store = new OxigraphStore();
    const report = await store.load([{ file, format: 'metaqa' }]);
    const cells: string[] = [];
    for (const path of Object.values(PATHS)) {
      const lat: number[] = [];
      for (const m of movies) {
        const q = toSparql(listQuery({ topics: [iri(entityIri(m))], path }));
        const t = performance.now();
        await store.select(q);
        lat.push(performance.now() - t);
      }
      lat.sort((a, b) => a - b);
      cells.push(`${pct(lat, 50).toFixed(2)} / ${pct(lat, 95).toFixed(2)}`);
    }
    const t0 = performance.now();
    const { route } = await openKbqa(store, config, models, { model: null });
    cells.push(((performance.now() - t0) / 1000).toFixed(1));
    const asked: number[] = [];
    for (const q of questions) {
      const t = performance.now();
      await route.answer(q.question);
      asked.push(performance.now() - t);
    }
    asked.sort((a, b) => a - b);
    cells.push(`${pct(asked, 50).toFixed(1)} / ${pct(asked, 95).toFixed(1)}`);
    console.log(
      `| ${copies} | ${report.triples} | ${report.seconds.toFixed(1)} | ${Math.round(report.triples / report.seconds)} | ${cells.join(' | ')} |`,
    );
    await store.close();
    rmSync(file);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  await models.close();
}
