/**
 * Nearest passages by inner product of L2-normalised vectors (= cosine). Below `annThreshold`
 * vectors an exact scan over one contiguous Float32Array; above it HNSW graphs (hnswlib), one per
 * shard of the ids (id mod shards), built in parallel worker threads, cached beside the database,
 * and brought up to date when the set of vectors changes. A query searches every shard and keeps
 * the best. The threshold is where the scan's latency passes the graph's (bench/retrieval.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { topIndices } from '../core/top-k.js';
import { buildGraphFile } from './hnsw-build.js';

const { HierarchicalNSW } = hnswlib;
type Graph = InstanceType<typeof HierarchicalNSW>;

export interface ScoredPassage {
  id: number;
  score: number;
}

export interface DenseIndexOptions {
  /** Use HNSW graphs from this many vectors on. */
  annThreshold: number;
  /**
   * Where to cache the graphs (`<file>` or `<file>.<i>-of-<n>` per shard, and `<file>.json`
   * naming each shard's ids); built in a temporary folder and held in memory only when unset.
   */
  cacheFile?: string;
  /** HNSW search breadth: higher is more exact and slower. */
  ef?: number;
  /** Shards to build (default: kept from the cache, else one per SHARD_VECTORS, at most one per core). */
  shards?: number;
  /** How often a graph being built is written to its file (default 2 minutes). */
  checkpointMs?: number;
  /** Hears (points added, points to add) across the shards while graphs are built. */
  onProgress?: (done: number, total: number) => void;
}

/** From here on the graph wins: at 3k passages the scan took 8 ms, the graph 0.6 ms (bench/retrieval.ts). */
export const DEFAULT_ANN_THRESHOLD = 20_000;
/** A shard per this many vectors (up to the cores): below it a second worker saves little. */
export const SHARD_VECTORS = 50_000;

interface CacheMeta {
  /** Absent in caches written before shards: one graph in `<file>` itself. */
  shards?: number;
  /** One per shard (the single graph's `signature` before shards). */
  signatures?: string[];
  signature?: string;
}

/** The build under way for each cache file, so that another waits for it. */
const building = new Map<string, Promise<void>>();

function signature(ids: Int32Array): string {
  let h = 2166136261;
  for (const id of ids) h = Math.imul(h ^ id, 16777619) >>> 0;
  return `${ids.length}:${h.toString(16)}`;
}

const shardFile = (file: string, i: number, shards: number): string =>
  shards === 1 ? file : `${file}.${i}-of-${shards}`;

function readMeta(file: string): CacheMeta | undefined {
  if (!existsSync(`${file}.json`)) return undefined;
  const meta = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as CacheMeta;
  return meta.shards ? meta : { shards: 1, signatures: meta.signature ? [meta.signature] : [] };
}

/** Each shard's ids and vectors: row r goes to shard ids[r] mod shards, so an id never moves. */
function split(ids: Int32Array, vectors: Float32Array, dim: number, shards: number) {
  const counts = new Array<number>(shards).fill(0);
  for (const id of ids) (counts[id % shards] as number)++;
  const parts = counts.map((n) => ({ ids: new Int32Array(n), vectors: new Float32Array(n * dim), n: 0 }));
  ids.forEach((id, r) => {
    const p = parts[id % shards];
    if (!p) return;
    p.ids[p.n] = id;
    p.vectors.set(vectors.subarray(r * dim, (r + 1) * dim), p.n * dim);
    p.n++;
  });
  return parts;
}

export class DenseIndex {
  private rows: Map<number, number> | undefined;

  private constructor(
    private readonly ids: Int32Array,
    private readonly vectors: Float32Array,
    readonly dim: number,
    /** The shards' graphs and how many live ids each holds; empty for the exact scan. */
    private readonly graphs: { graph?: Graph; size: number }[],
  ) {}

  /** The exact scan only, whatever the size. */
  static exact(ids: Int32Array, vectors: Float32Array, dim: number): DenseIndex {
    return new DenseIndex(ids, vectors, dim, []);
  }

  /** The exact scan below `annThreshold` vectors, else the shards' graphs, read or built. */
  static async open(
    ids: Int32Array,
    vectors: Float32Array,
    dim: number,
    opts: DenseIndexOptions,
  ): Promise<DenseIndex> {
    if (ids.length < opts.annThreshold) return DenseIndex.exact(ids, vectors, dim);
    const { cacheFile } = opts;
    if (!cacheFile) {
      const temp = mkdtempSync(join(tmpdir(), 'qa-hnsw-'));
      try {
        return new DenseIndex(
          ids,
          vectors,
          dim,
          await openGraphs(ids, vectors, dim, join(temp, 'v.hnsw'), opts),
        );
      } finally {
        rmSync(temp, { recursive: true, force: true });
      }
    }
    // One build per cache at a time (two uploads at once refresh the index twice): the second
    // starts from what the first wrote.
    const before = building.get(cacheFile) ?? Promise.resolve();
    const graphs = before.then(() => openGraphs(ids, vectors, dim, cacheFile, opts));
    const done = graphs.then(
      () => {},
      () => {},
    );
    building.set(cacheFile, done);
    void done.then(() => {
      if (building.get(cacheFile) === done) building.delete(cacheFile);
    });
    return new DenseIndex(ids, vectors, dim, await graphs);
  }

  get size(): number {
    return this.ids.length;
  }

  get approximate(): boolean {
    return this.graphs.length > 0;
  }

  search(query: Float32Array, k: number): ScoredPassage[] {
    if (this.ids.length === 0 || k <= 0) return [];
    if (!this.approximate) return this.exact(query, k);
    const q = Array.from(query);
    const found: ScoredPassage[] = [];
    for (const { graph, size } of this.graphs) {
      if (!graph || size === 0) continue;
      const res = graph.searchKnn(q, Math.min(k, size));
      // hnswlib's 'ip' distance is 1 − dot.
      res.neighbors.forEach((id, i) => {
        found.push({ id, score: 1 - (res.distances[i] ?? 1) });
      });
    }
    return found.sort((a, b) => b.score - a.score || a.id - b.id).slice(0, k);
  }

  /** Cosine of the query with each given id's vector (0 for ids not in the index). */
  scoresFor(query: Float32Array, ids: readonly number[]): number[] {
    if (!this.rows) this.rows = new Map(Array.from(this.ids, (id, r) => [id, r]));
    const { dim, vectors } = this;
    return ids.map((id) => {
      const r = this.rows?.get(id);
      if (r === undefined) return 0;
      let s = 0;
      for (let j = 0, off = r * dim; j < dim; j++) s += (vectors[off + j] as number) * (query[j] as number);
      return s;
    });
  }

  /** The exact scan, also used to measure the graphs' recall. */
  exact(query: Float32Array, k: number): ScoredPassage[] {
    const { dim, vectors, ids } = this;
    const n = ids.length;
    const scores = new Float32Array(n);
    for (let r = 0, off = 0; r < n; r++, off += dim) {
      let s = 0;
      for (let j = 0; j < dim; j++) s += (vectors[off + j] as number) * (query[j] as number);
      scores[r] = s;
    }
    return topIndices(scores, 0, n, k).map((r) => ({ id: ids[r] as number, score: scores[r] as number }));
  }
}

/**
 * The shards' graphs: a shard whose cached ids are exactly its ids is read as it is; the others
 * are built, resumed or updated by workers at once, then read.
 */
async function openGraphs(
  ids: Int32Array,
  vectors: Float32Array,
  dim: number,
  file: string,
  opts: DenseIndexOptions,
): Promise<{ graph?: Graph; size: number }[]> {
  const meta = readMeta(file);
  const auto = Math.min(availableParallelism(), Math.max(1, Math.floor(ids.length / SHARD_VECTORS)));
  const shards = opts.shards ?? meta?.shards ?? auto;
  if (meta?.shards !== undefined && meta.shards !== shards) {
    // Another split: its files would only be read to have every point deleted.
    for (let i = 0; i < meta.shards; i++) rmSync(shardFile(file, i, meta.shards), { force: true });
  }
  const parts = split(ids, vectors, dim, shards);
  const signatures = parts.map((p) => signature(p.ids));
  const fresh = parts.map((_, i) => meta?.shards === shards && meta.signatures?.[i] === signatures[i]);
  const stale = parts.map((p, i) => ({ ...p, i })).filter(({ i, n }) => !fresh[i] && n > 0);
  if (stale.length > 0) {
    // A shard's file changes before the build ends: until it does, no signature may vouch for it.
    const vouched = signatures.map((s, i) => (fresh[i] ? s : ''));
    writeFileSync(`${file}.json`, JSON.stringify({ shards, signatures: vouched } satisfies CacheMeta));
  }
  // Each shard's total is its size until its worker says how many it lacks (fewer when resuming).
  const progress = stale.map((p) => ({ done: 0, total: p.n }));
  const checkpointMs = opts.checkpointMs ?? 120_000;
  await Promise.all(
    stale.map((p, s) =>
      buildGraphFile(
        { file: shardFile(file, p.i, shards), dim, ids: p.ids, vectors: p.vectors, checkpointMs },
        (done, total) => {
          progress[s] = { done, total };
          const sum = (f: (x: { done: number; total: number }) => number) =>
            progress.reduce((a, x) => a + f(x), 0);
          opts.onProgress?.(
            sum((x) => x.done),
            sum((x) => x.total),
          );
        },
      ),
    ),
  );
  if (stale.length > 0)
    writeFileSync(`${file}.json`, JSON.stringify({ shards, signatures } satisfies CacheMeta));
  return Promise.all(
    parts.map(async (p, i) => {
      if (p.n === 0) return { size: 0 };
      const graph = new HierarchicalNSW('ip', dim);
      await graph.readIndex(shardFile(file, i, shards), true);
      graph.setEf(opts.ef ?? 128);
      return { graph, size: p.n };
    }),
  );
}
