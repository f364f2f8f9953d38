import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
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
import { buildGraphFile } from '../../src/retrieval/hnsw-build.js';
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
    const index = DenseIndex.exact(ids, vectors, dim);
    expect(index.approximate).toBe(false);
    const q = vectors.subarray(5 * dim, 6 * dim);
    const [top] = index.search(q, 3);
    expect(top?.id).toBe(ids[5]);
    expect(top?.score).toBeCloseTo(1, 5);
    expect(index.scoresFor(q, [ids[5] as number, -1])).toEqual([expect.closeTo(1, 5), 0]);
  });

  const recall = (index: DenseIndex): number => {
    let found = 0;
    for (let i = 0; i < 50; i++) {
      const q = queries.subarray(i * dim, (i + 1) * dim);
      const truth = new Set(index.exact(q, 10).map((h) => h.id));
      found += index.search(q, 10).filter((h) => truth.has(h.id)).length;
    }
    return found / 500;
  };

  it('keeps recall@10 of sharded HNSW graphs at 0.95 or more, caches them, and updates them in place', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qa-hnsw-')), 'v.hnsw');
    const shards = [`${file}.0-of-2`, `${file}.1-of-2`];
    let progress = 0;
    const ann = await DenseIndex.open(ids, vectors, dim, {
      annThreshold: 0,
      cacheFile: file,
      shards: 2,
      onProgress: (done, total) => {
        expect(total).toBe(n);
        progress = done;
      },
    });
    expect(ann.approximate).toBe(true);
    expect(progress).toBe(n);
    expect(recall(ann)).toBeGreaterThanOrEqual(0.95);
    const built = shards.map((f) => statSync(f).mtimeMs);
    // Read back as built: no shard rewritten, the same answers, the split kept from the cache.
    const cached = await DenseIndex.open(ids, vectors, dim, { annThreshold: 0, cacheFile: file });
    expect(shards.map((f) => statSync(f).mtimeMs)).toEqual(built);
    for (let i = 0; i < 10; i++) {
      const q = queries.subarray(i * dim, (i + 1) * dim);
      expect(cached.search(q, 10)).toEqual(ann.search(q, 10));
    }
    // One id gone (10 + 0: shard 0): only its shard is rewritten, and never returns it again.
    const fewer = await DenseIndex.open(ids.subarray(1), vectors.subarray(dim), dim, {
      annThreshold: 0,
      cacheFile: file,
    });
    expect(statSync(shards[0] as string).mtimeMs).not.toBe(built[0]);
    expect(statSync(shards[1] as string).mtimeMs).toBe(built[1]);
    expect(fewer.search(vectors.subarray(0, dim), 5).map((h) => h.id)).not.toContain(ids[0]);
    // Another split asked for: the old shards' files go, the new ones answer as well.
    const one = await DenseIndex.open(ids, vectors, dim, { annThreshold: 0, cacheFile: file, shards: 1 });
    expect(shards.some((f) => existsSync(f))).toBe(false);
    expect(recall(one)).toBeGreaterThanOrEqual(0.95);
  });

  it('resumes an interrupted build from the graph file it left', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qa-hnsw-')), 'v.hnsw');
    const half = n / 2;
    // What a build stopped after its checkpoint leaves: a graph of the first half, no signature.
    const job = { file, dim, checkpointMs: 60_000 };
    expect(
      await buildGraphFile({ ...job, ids: ids.slice(0, half), vectors: vectors.slice(0, half * dim) }),
    ).toBe(half);
    expect(existsSync(`${file}.json`)).toBe(false);
    let added = 0;
    const resumed = await DenseIndex.open(ids, vectors, dim, {
      annThreshold: 0,
      cacheFile: file,
      shards: 1,
      onProgress: (done, total) => {
        expect(total).toBe(n - half);
        added = done;
      },
    });
    expect(added).toBe(n - half);
    expect(recall(resumed)).toBeGreaterThanOrEqual(0.95);
  });

  it('builds one at a time per cache file when opened twice at once (two uploads)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qa-hnsw-')), 'v.hnsw');
    const opts = { annThreshold: 0, cacheFile: file, shards: 2 };
    const [before, after] = await Promise.all([
      DenseIndex.open(ids.subarray(0, 2000), vectors.subarray(0, 2000 * dim), dim, opts),
      DenseIndex.open(ids, vectors, dim, opts),
    ]);
    const later = new Set(ids.subarray(2000));
    expect(before.search(queries.subarray(0, dim), 50).some((h) => later.has(h.id))).toBe(false);
    expect(recall(after)).toBeGreaterThanOrEqual(0.95);
    // The second build's graphs are what the cache holds: reopening reads them unchanged.
    const built = statSync(`${file}.0-of-2`).mtimeMs;
    await DenseIndex.open(ids, vectors, dim, opts);
    expect(statSync(`${file}.0-of-2`).mtimeMs).toBe(built);
  });

  it('builds in a temporary folder when there is no cache file', async () => {
    const before = readdirSync(tmpdir()).filter((f) => f.startsWith('qa-hnsw-')).length;
    const ann = await DenseIndex.open(ids, vectors, dim, { annThreshold: 1000, shards: 2 });
    expect(ann.approximate).toBe(true);
    expect(recall(ann)).toBeGreaterThanOrEqual(0.95);
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('qa-hnsw-')).length).toBe(before);
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

  it('rejects a hybrid search whose BM25 side or encoding fails, leaving no failure unhandled', async () => {
    const own = openWorkspaceDb({ workspace: mkdtempSync(join(tmpdir(), 'qa-dense-')) });
    new DocStore(own).ingest(listDocFiles([join(FIXTURES, 'docs')]).map((f) => readSourceFile(f)));
    const retriever = await openRetrieval(own, { ...config, workspace: own.name }, models);
    const failed = Promise.reject(new Error('the encoder stopped'));
    await expect(retriever.search('coffee', 3, 'hybrid', failed)).rejects.toThrow('the encoder stopped');
    own.close();
    // BM25 throws at once (the database is closed; a server stopping) and the encoding fails too.
    const stopped = Promise.reject(new Error('the session was released'));
    await expect(retriever.search('coffee', 3, 'hybrid', stopped)).rejects.toThrow(
      /database connection is not open/,
    );
  });
});
