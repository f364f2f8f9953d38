/**
 * Retrieval at scale: ingest speed, index size on disk, and query latency (p50/p95) of BM25,
 * dense (exact scan and HNSW) and hybrid retrieval at growing corpus sizes. BM25 is measured as
 * the retriever runs it (pruned above 20,000 rows, see src/retrieval/bm25.ts) and against two
 * rankings that score every matching row: all query terms (exact BM25), and the pruned query's
 * terms (frequent ones dropped): latency of each, top-10/top-100 overlap with exact BM25, and how
 * often the question's own SQuAD context (one of the corpus's documents) is in the top 10 / 100.
 *
 *   npx tsx bench/retrieval.ts [--sizes 10000,100000,1000000] [--queries 200] [--encode 2000] [--dir DIR]
 *                              [--reuse [--bm25-only]] [--shards N] [--ann-max N]
 *
 * The HNSW graphs are built as the product builds them (src/retrieval/dense-index.ts: a shard per
 * 50k vectors up to the cores, in parallel workers, checkpointed) into DIR/<size>/v.hnsw*; a run
 * stopped during the build resumes it with --reuse. Hybrid is timed twice: on the questions'
 * vectors computed beforehand, and as the MRC route retrieves (the question encoded meanwhile).
 *
 * Corpora (not committed, rebuilt each run, deterministic): the contexts of
 * ../shared/data/squad/train-v1.1.json first, then synthetic documents of the same article,
 * each 5–8 sentences drawn at random from that article's contexts (so vocabulary and term
 * statistics stay those of the real texts). Dense vectors: `--encode` real passages are encoded
 * by the installed encoder; every other passage gets a normalised mix of two of those vectors
 * plus noise, since encoding a million passages would take a day on 2 cores and search cost
 * depends on the count and dimension, not on what the vectors mean. Queries are SQuAD train
 * questions (their vectors from the encoder).
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openWorkspaceDb } from '../src/app/workspace.js';
import { loadConfig } from '../src/core/config.js';
import { loadSquad } from '../src/core/squad-data.js';
import { ModelRegistry } from '../src/models/registry.js';
import {
  type FtsIndex,
  ftsMatch,
  queryTerms,
  rowRange,
  searchFts,
  selectiveTerms,
} from '../src/retrieval/bm25.js';
import { DenseIndex } from '../src/retrieval/dense-index.js';
import type { RawDocument } from '../src/retrieval/doc-sources.js';
import { DocStore } from '../src/retrieval/doc-store.js';
import { PASSAGES_FTS, passageForEncoding, Retriever, rrf } from '../src/retrieval/retriever.js';
import { seeded } from './seeded.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10000,100000,1000000' },
    queries: { type: 'string', default: '200' },
    encode: { type: 'string', default: '2000' },
    dir: { type: 'string', default: '/tmp/qa-bench-retrieval' },
    'ann-max': { type: 'string', default: '1000000' },
    /** HNSW shards (default: as the product picks, one per 50k vectors up to the cores). */
    shards: { type: 'string' },
    /** Measure again on the corpora a previous run left in --dir (no ingest, vectors as stored). */
    reuse: { type: 'boolean', default: false },
    /** Only BM25 (nothing encoded, no vectors; with --reuse: a re-measure after a change to the query). */
    'bm25-only': { type: 'boolean', default: false },
  },
});

const rand = seeded(13);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

const squad = loadSquad('../shared/data/squad/train-v1.1.json');
const contexts = new Map<string, string[]>();
for (const q of squad.questions) {
  const list = contexts.get(q.title) ?? [];
  if (!list.includes(q.context)) list.push(q.context);
  contexts.set(q.title, list);
}
const seg = new Intl.Segmenter('en', { granularity: 'sentence' });
const sentences = new Map(
  [...contexts].map(([t, cs]) => [t, cs.flatMap((c) => [...seg.segment(c)].map((s) => s.segment.trim()))]),
);
const titles = [...contexts.keys()];
const real: RawDocument[] = [...contexts].flatMap(([title, cs]) =>
  cs.map((text, i) => ({ key: `real:${title}/${i}`, title: title.replace(/_/g, ' '), text })),
);

function* corpus(n: number): Generator<RawDocument> {
  for (let i = 0; i < n; i++) {
    if (i < real.length) {
      yield real[i] as RawDocument;
      continue;
    }
    const title = pick(titles);
    const pool = sentences.get(title) ?? [];
    const k = 5 + Math.floor(rand() * 4);
    yield {
      key: `syn:${i}`,
      title: `${title.replace(/_/g, ' ')} (synthetic ${i})`,
      text: Array.from({ length: k }, () => pick(pool)).join(' '),
    };
  }
}

const config = loadConfig();
const models = new ModelRegistry(config.modelsDir);
const encoderEntry = models.defaultEncoder();
if (!encoderEntry) throw new Error('no encoder installed');
const encoder = await models.encoder(encoderEntry.manifest.name, { threads: 2 });
const dim = encoder.dim;
const asked = Array.from({ length: Number(values.queries) }, () => pick(squad.questions));
const queries = asked.map((q) => q.question);
const bm25Only = values['bm25-only'];
const queryVecs = bm25Only ? new Float32Array() : await encoder.encode(queries);
const encodeN = bm25Only ? 0 : Math.min(Number(values.encode), real.length);
const seedVecs = await encoder.encode(
  real.slice(0, encodeN).map((d) => passageForEncoding(d.title ?? null, d.text)),
);
console.error(`encoded ${encodeN} passages and ${queries.length} queries`);

function vectorFor(i: number): Float32Array {
  if (i < encodeN) return seedVecs.slice(i * dim, (i + 1) * dim);
  const a = Math.floor(rand() * encodeN);
  const b = Math.floor(rand() * encodeN);
  const v = new Float32Array(dim);
  let norm = 0;
  for (let j = 0; j < dim; j++) {
    const x =
      0.6 * (seedVecs[a * dim + j] as number) +
      0.4 * (seedVecs[b * dim + j] as number) +
      0.02 * (rand() - 0.5);
    v[j] = x;
    norm += x * x;
  }
  for (let j = 0; j < dim; j++) v[j] = (v[j] as number) / Math.sqrt(norm);
  return v;
}

/** The document each question was asked on (its key in the corpus). */
const goldKeys = asked.map((q) => `real:${q.title}/${contexts.get(q.title)?.indexOf(q.context)}`);
/** Retriever's passage index, every row scored (no pruning at any size). */
const EXHAUSTIVE: FtsIndex = { ...PASSAGES_FTS, exactRows: Number.POSITIVE_INFINITY };

/** p50 and p95 of `run` over the first `n` questions, after 5 untimed ones (awaited when it is async). */
async function latencies(
  run: (i: number) => unknown,
  n = queries.length,
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < 5; i++) await run(i);
  const lat: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await run(i);
    lat.push(performance.now() - t);
  }
  lat.sort((a, b) => a - b);
  return { p50: pct(lat, 50), p95: pct(lat, 95) };
}

interface Measured {
  ms: { p50: number; p95: number };
  top10_overlap: number;
  top100_overlap: number;
  gold_at_10: number;
  gold_at_100: number;
}
interface Bm25Row {
  passages: number;
  bm25: Measured;
  bm25_exhaustive: Measured;
  bm25_dropped: Measured;
  gold_in_corpus: number;
}
const rows: Record<string, unknown>[] = [];
const bm25Rows: Bm25Row[] = [];
for (const size of values.sizes.split(',').map(Number)) {
  const dir = join(values.dir, String(size));
  if (!values.reuse) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const db = openWorkspaceDb({ workspace: dir });
  const store = new DocStore(db);
  const t0 = performance.now();
  let passages = values.reuse ? store.counts().passages : 0;
  let batch: RawDocument[] = [];
  const flush = () => {
    passages += store.ingest([{ source: `bench:${passages}`, format: 'jsonl', documents: batch }]).passages;
    batch = [];
  };
  for (const doc of values.reuse ? [] : corpus(size)) {
    batch.push(doc);
    if (batch.length === 20_000) flush();
  }
  if (batch.length) flush();
  const ingestSecs = (performance.now() - t0) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const textBytes = statSync(join(dir, 'qa.sqlite')).size;

  const model = encoder.name;
  const t1 = performance.now();
  // --reuse keeps the vectors a previous run stored; BM25 alone needs none.
  if (!values.reuse && !bm25Only) {
    const allIds = db
      .prepare<[], { id: number }>('SELECT id FROM passages ORDER BY id')
      .all()
      .map((r) => r.id);
    for (let c = 0; c < allIds.length; c += 20_000) {
      const ids = allIds.slice(c, c + 20_000);
      const vecs = new Float32Array(ids.length * dim);
      for (let i = 0; i < ids.length; i++) vecs.set(vectorFor(c + i), i * dim);
      store.vectors.put(model, ids, vecs, dim);
    }
  }
  const vecSecs = (performance.now() - t1) / 1000;
  db.pragma('wal_checkpoint(TRUNCATE)');
  const totalBytes = statSync(join(dir, 'qa.sqlite')).size;

  const retriever = new Retriever(store);
  const k = 100;
  const range = rowRange(db, EXHAUSTIVE);
  const rankDropped = db.prepare<[string, number], { id: number }>(
    'SELECT rowid AS id FROM passages_fts WHERE passages_fts MATCH ? ORDER BY bm25(passages_fts, 1, 1) LIMIT ?',
  );
  const rankings: Record<'pruned' | 'exhaustive' | 'dropped', (q: string) => number[]> = {
    pruned: (q) => retriever.bm25(q, k).map((h) => h.id),
    exhaustive: (q) => searchFts(db, EXHAUSTIVE, q, k).map((h) => h.id),
    dropped: (q) => {
      const terms = selectiveTerms(db, EXHAUSTIVE, queryTerms(q), range).map((t) => t.term);
      return terms.length ? rankDropped.all(ftsMatch(terms), k).map((r) => r.id) : [];
    },
  };
  // Untimed first pass: the reference lists, and the index pages they touch read into memory.
  const reference = queries.map((q) => rankings.exhaustive(q));
  const goldOf = db
    .prepare<[string], number>(
      'SELECT p.id FROM passages p JOIN documents d ON d.id = p.doc_id WHERE d.key = ?',
    )
    .pluck();
  const gold = goldKeys.map((key) => new Set(goldOf.all(key)));
  const goldInCorpus = gold.filter((g) => g.size > 0).length;
  const measure = async (rank: (q: string) => number[]): Promise<Measured> => {
    const lists: number[][] = [];
    const ms = await latencies((i) => {
      lists[i] = rank(queries[i] as string);
    });
    const mean = (f: (ids: number[], i: number) => number, of = queries.length) =>
      +(lists.reduce((a, ids, i) => a + f(ids, i), 0) / of).toFixed(3);
    const overlap = (n: number) => (ids: number[], i: number) => {
      const ref = (reference[i] as number[]).slice(0, n);
      return ref.length ? ids.slice(0, n).filter((id) => ref.includes(id)).length / ref.length : 1;
    };
    const hit = (n: number) => (ids: number[], i: number) =>
      ids.slice(0, n).some((id) => (gold[i] as Set<number>).has(id)) ? 1 : 0;
    return {
      ms,
      top10_overlap: mean(overlap(10)),
      top100_overlap: mean(overlap(k)),
      gold_at_10: mean(hit(10), goldInCorpus),
      gold_at_100: mean(hit(k), goldInCorpus),
    };
  };
  const bm25Row: Bm25Row = {
    passages,
    bm25: await measure(rankings.pruned),
    bm25_exhaustive: await measure(rankings.exhaustive),
    bm25_dropped: await measure(rankings.dropped),
    gold_in_corpus: goldInCorpus,
  };
  bm25Rows.push(bm25Row);
  if (bm25Only) {
    console.log(JSON.stringify(bm25Row));
    db.close();
    continue;
  }
  const t2 = performance.now();
  const { ids, vectors } = store.vectors.load(model, dim);
  const loadSecs = (performance.now() - t2) / 1000;
  const exact = DenseIndex.exact(ids, vectors, dim);
  const qv = (i: number) => queryVecs.subarray(i * dim, (i + 1) * dim);
  // The exact scan takes seconds a question at 1M: it is timed, and is the truth, on the first 50.
  const truthN = Math.min(50, queries.length);
  const truth: Set<number>[] = [];
  const exactLat = await latencies((i) => {
    truth[i] = new Set(
      exact
        .search(qv(i), 100)
        .slice(0, 10)
        .map((h) => h.id),
    );
  }, truthN);
  let annLat: { p50: number; p95: number } | undefined;
  let annBuildSecs: number | undefined;
  let annRecall: number | undefined;
  let ann: DenseIndex | undefined;
  if (size <= Number(values['ann-max'])) {
    const t3 = performance.now();
    ann = await DenseIndex.open(ids, vectors, dim, {
      annThreshold: 0,
      cacheFile: join(dir, 'v.hnsw'),
      ...(values.shards ? { shards: Number(values.shards) } : {}),
    });
    annBuildSecs = (performance.now() - t3) / 1000;
    const index = ann;
    annLat = await latencies((i) => index.search(qv(i), 100));
    let hit = 0;
    for (let i = 0; i < truthN; i++) hit += index.search(qv(i), 10).filter((h) => truth[i]?.has(h.id)).length;
    annRecall = hit / (10 * truthN);
  }
  const denseIndex = ann ?? exact;
  const hybrid = await latencies((i) =>
    rrf([retriever.bm25(queries[i] as string, 100), denseIndex.search(qv(i), 100)], 100),
  );
  // As the MRC route retrieves: the question encoded (in the encoder's worker, beside BM25) too.
  const product = new Retriever(store, { model, encoder, index: denseIndex });
  const hybridEncoded = await latencies((i) =>
    product.search(queries[i] as string, 100, 'hybrid', encoder.encode([queries[i] as string])),
  );
  const row = {
    ingest_passages_per_s: values.reuse ? null : Math.round(passages / ingestSecs),
    db_mb_text: +(textBytes / 2 ** 20).toFixed(1),
    db_mb_with_vectors: +(totalBytes / 2 ** 20).toFixed(1),
    vectors_store_s: values.reuse ? null : +vecSecs.toFixed(1),
    vectors_load_s: +loadSecs.toFixed(1),
    ...bm25Row,
    dense_exact_ms: exactLat,
    dense_hnsw_ms: annLat ?? null,
    hnsw_build_s: annBuildSecs === undefined ? null : +annBuildSecs.toFixed(1),
    hnsw_recall_at_10: annRecall ?? null,
    hybrid_ms: hybrid,
    hybrid_encoded_ms: hybridEncoded,
  };
  rows.push(row);
  console.log(JSON.stringify(row));
  db.close();
}
await models.close();

const f = (x: { p50: number; p95: number } | null) => (x ? `${x.p50.toFixed(1)} / ${x.p95.toFixed(1)}` : '–');
const measured = (m: Measured) =>
  `${f(m.ms)} | ${m.top10_overlap} / ${m.top100_overlap} | ${m.gold_at_10} / ${m.gold_at_100}`;
console.log(
  '\n| passages | BM25 p50/p95 ms | top-10 / top-100 overlap with exact BM25 | gold context in top 10 / 100 |' +
    ' exact BM25 p50/p95 ms | gold in top 10 / 100 | every row scored p50/p95 ms | overlap | gold |',
);
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of bm25Rows) {
  const x = r.bm25_exhaustive;
  console.log(
    `| ${r.passages} | ${measured(r.bm25)} | ${f(x.ms)} | ${x.gold_at_10} / ${x.gold_at_100} | ${measured(r.bm25_dropped)} |`,
  );
}
if (rows.length > 0) {
  console.log(
    '\n| passages | ingest/s | DB MB (text / +vectors) | BM25 p50/p95 ms | dense exact | dense HNSW (build s, recall@10) | hybrid | hybrid with the question encoded |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows as {
    passages: number;
    ingest_passages_per_s: number | null;
    db_mb_text: number;
    db_mb_with_vectors: number;
    bm25: Measured;
    dense_exact_ms: { p50: number; p95: number };
    dense_hnsw_ms: { p50: number; p95: number } | null;
    hnsw_build_s: number | null;
    hnsw_recall_at_10: number | null;
    hybrid_ms: { p50: number; p95: number };
    hybrid_encoded_ms: { p50: number; p95: number };
  }[]) {
    console.log(
      `| ${r.passages} | ${r.ingest_passages_per_s} | ${r.db_mb_text} / ${r.db_mb_with_vectors} | ${f(r.bm25.ms)} | ` +
        `${f(r.dense_exact_ms)} | ${f(r.dense_hnsw_ms)}${r.hnsw_build_s === null ? '' : ` (${r.hnsw_build_s}, ${r.hnsw_recall_at_10})`} | ${f(r.hybrid_ms)} | ${f(r.hybrid_encoded_ms)} |`,
    );
  }
}
