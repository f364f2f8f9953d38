import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openRetrieval } from '../../src/app/retrieval.js';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { PACKAGE_ROOT } from '../../src/core/config.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { DenseIndex } from '../../src/retrieval/dense-index.js';
import { listDocFiles, readSourceFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { rrf } from '../../src/retrieval/retriever.js';
import { FIXTURES } from '../helpers/fixtures.js';

function randomUnitVectors(n: number, dim: number, seed: number): Float32Array {
  let s = seed;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
  const v = new Float32Array(n * dim);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      const x = rand();
      v[r * dim + j] = x;
      norm += x * x;
    }
    for (let j = 0; j < dim; j++) v[r * dim + j] = (v[r * dim + j] as number) / Math.sqrt(norm);
  }
  return v;
}

describe('DenseIndex', () => {
  const dim = 32;
  const n = 3000;
  const ids = Int32Array.from({ length: n }, (_, i) => 10 + i * 3);
  const vectors = randomUnitVectors(n, dim, 7);
  const queries = randomUnitVectors(50, dim, 99);

  it('finds the exact nearest neighbours by scan', () => {
    const index = DenseIndex.build(ids, vectors, dim, { annThreshold: Number.POSITIVE_INFINITY });
    expect(index.approximate).toBe(false);
    const q = vectors.subarray(5 * dim, 6 * dim);
    const [top] = index.search(q, 3);
    expect(top?.id).toBe(ids[5]);
    expect(top?.score).toBeCloseTo(1, 5);
    expect(index.scoresFor(q, [ids[5] as number, -1])).toEqual([expect.closeTo(1, 5), 0]);
  });

  it('keeps recall@10 of the HNSW graph at 0.95 or more, and caches the graph on disk', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qa-hnsw-')), 'v.hnsw');
    const ann = DenseIndex.build(ids, vectors, dim, { annThreshold: 0, cacheFile: file });
    expect(ann.approximate).toBe(true);
    let found = 0;
    for (let i = 0; i < 50; i++) {
      const q = queries.subarray(i * dim, (i + 1) * dim);
      const truth = new Set(ann.exact(q, 10).map((h) => h.id));
      found += ann.search(q, 10).filter((h) => truth.has(h.id)).length;
    }
    expect(found / 500).toBeGreaterThanOrEqual(0.95);
    const built = statSync(file).mtimeMs;
    const cached = DenseIndex.build(ids, vectors, dim, { annThreshold: 0, cacheFile: file });
    expect(statSync(file).mtimeMs).toBe(built);
    // The graph read back from the cache answers as the one just built.
    for (let i = 0; i < 10; i++) {
      const q = queries.subarray(i * dim, (i + 1) * dim);
      expect(cached.search(q, 10).map((h) => h.id)).toEqual(ann.search(q, 10).map((h) => h.id));
    }
    // One id gone: the cached graph is updated, and never returns it again.
    const fewer = DenseIndex.build(ids.subarray(1), vectors.subarray(dim), dim, {
      annThreshold: 0,
      cacheFile: file,
    });
    expect(existsSync(`${file}.json`)).toBe(true);
    expect(statSync(file).mtimeMs).not.toBe(built);
    expect(fewer.search(vectors.subarray(0, dim), 5).map((h) => h.id)).not.toContain(ids[0]);
  });
});

describe('rrf', () => {
  it('fuses by reciprocal rank, rewarding agreement', () => {
    const a = [
      { id: 1, score: 9 },
      { id: 2, score: 8 },
      { id: 3, score: 7 },
    ];
    const b = [
      { id: 3, score: 0.9 },
      { id: 2, score: 0.8 },
      { id: 4, score: 0.7 },
    ];
    // 3: 1/63 + 1/61 just beats 2: 2/62; both beat 1 (one list only).
    expect(rrf([a, b], 3).map((h) => h.id)).toEqual([3, 2, 1]);
  });
});

describe('dense and hybrid retrieval with the bundled encoder', () => {
  const models = new ModelRegistry(resolve(PACKAGE_ROOT, 'models'));
  const workspace = mkdtempSync(join(tmpdir(), 'qa-dense-'));
  const db = openWorkspaceDb({ workspace });
  const config = { workspace, threads: 1 };
  afterAll(async () => {
    await models.close();
    db.close();
  });

  it('vectorises every passage, catches up after an interruption, and finds paraphrases', async () => {
    const store = new DocStore(db);
    store.ingest(listDocFiles([join(FIXTURES, 'docs')]).map((f) => readSourceFile(f)));
    const retriever = await openRetrieval(db, config, models);
    expect(retriever.hasDense).toBe(true);
    const model = models.defaultEncoder()?.manifest.name ?? '';
    expect(store.vectors.countMissing(model)).toBe(0);

    db.prepare('DELETE FROM passage_vectors WHERE passage_id = (SELECT min(id) FROM passages)').run();
    expect(store.vectors.countMissing(model)).toBe(1);
    const reopened = await openRetrieval(db, config, models);
    expect(store.vectors.countMissing(model)).toBe(0);

    // No word of the question but "Kenya" is in the passage: the vectors carry it.
    const [dense] = await reopened.retrieve('tallest peak of Kenya', 1, 'dense');
    expect(dense?.title).toBe('Mount Kenya');
    const [hybrid] = await reopened.retrieve('What temperature should the water be for coffee?', 1, 'hybrid');
    expect(hybrid?.title).toBe('Brewing Guide');
  });
});
