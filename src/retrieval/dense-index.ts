/**
 * Nearest passages by inner product of L2-normalised vectors (= cosine). Below `annThreshold`
 * vectors an exact scan over one contiguous Float32Array; above it an HNSW graph (hnswlib),
 * built once and cached beside the database, rebuilt when the set of vectors changes.
 * The threshold is where the scan's latency passes the graph's (bench/retrieval.ts).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import hnswlib from 'hnswlib-node';
import { topIndices } from '../core/top-k.js';

const { HierarchicalNSW } = hnswlib;

export interface ScoredPassage {
  id: number;
  score: number;
}

export interface DenseIndexOptions {
  /** Use the HNSW graph from this many vectors on. */
  annThreshold: number;
  /** Where to cache the graph (a `.hnsw` file and its `.json` signature); in memory only when unset. */
  cacheFile?: string;
  /** HNSW search breadth: higher is more exact and slower. */
  ef?: number;
}

/** From here on the graph wins: at 3k passages the scan took 8 ms, the graph 0.6 ms (bench/retrieval.ts). */
export const DEFAULT_ANN_THRESHOLD = 20_000;

function signature(ids: Int32Array): string {
  let h = 2166136261;
  for (const id of ids) h = Math.imul(h ^ id, 16777619) >>> 0;
  return `${ids.length}:${h.toString(16)}`;
}

export class DenseIndex {
  private readonly ann: InstanceType<typeof HierarchicalNSW> | undefined;
  private rows: Map<number, number> | undefined;

  private constructor(
    private readonly ids: Int32Array,
    private readonly vectors: Float32Array,
    readonly dim: number,
    opts: DenseIndexOptions,
  ) {
    this.ann = ids.length >= opts.annThreshold ? this.graph(opts) : undefined;
  }

  static build(ids: Int32Array, vectors: Float32Array, dim: number, opts: DenseIndexOptions): DenseIndex {
    return new DenseIndex(ids, vectors, dim, opts);
  }

  get size(): number {
    return this.ids.length;
  }

  get approximate(): boolean {
    return this.ann !== undefined;
  }

  search(query: Float32Array, k: number): ScoredPassage[] {
    const n = this.ids.length;
    if (n === 0 || k <= 0) return [];
    if (this.ann) {
      const res = this.ann.searchKnn(Array.from(query), Math.min(k, n));
      // hnswlib's 'ip' distance is 1 − dot.
      return res.neighbors.map((id, i) => ({ id, score: 1 - (res.distances[i] ?? 1) }));
    }
    return this.exact(query, k);
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

  /** The exact scan, also used to measure the graph's recall. */
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

  /**
   * The HNSW graph: read from the cache when it holds exactly these ids; otherwise the cached
   * graph is brought up to date (new ids added, gone ones marked deleted) or, with no cache,
   * built from scratch; then written back.
   */
  private graph(opts: DenseIndexOptions): InstanceType<typeof HierarchicalNSW> {
    const index = new HierarchicalNSW('ip', this.dim);
    const sig = signature(this.ids);
    const file = opts.cacheFile;
    const cached = file !== undefined && existsSync(file) && existsSync(`${file}.json`);
    const meta = cached ? (JSON.parse(readFileSync(`${file}.json`, 'utf8')) as { signature?: string }) : {};
    if (cached && meta.signature === sig) {
      index.readIndexSync(file, true);
      index.setEf(opts.ef ?? 128);
      return index;
    }
    let present = new Set<number>();
    if (cached) {
      index.readIndexSync(file, true);
      present = new Set(index.getIdsList());
      const wanted = new Set(this.ids);
      for (const id of present) if (!wanted.has(id)) index.markDelete(id);
      index.resizeIndex(Math.max(index.getMaxElements(), this.ids.length + present.size));
    } else {
      index.initIndex({
        maxElements: this.ids.length,
        m: 16,
        efConstruction: 200,
        randomSeed: 13,
        allowReplaceDeleted: true,
      });
    }
    for (let r = 0; r < this.ids.length; r++) {
      const id = this.ids[r] as number;
      if (present.has(id)) continue;
      index.addPoint(Array.from(this.vectors.subarray(r * this.dim, (r + 1) * this.dim)), id);
    }
    index.setEf(opts.ef ?? 128);
    if (file) {
      index.writeIndexSync(`${file}.tmp`);
      renameSync(`${file}.tmp`, file);
      writeFileSync(`${file}.json`, JSON.stringify({ signature: sig }));
    }
    return index;
  }
}
