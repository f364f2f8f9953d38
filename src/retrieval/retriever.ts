/**
 * Passage retrieval: BM25 (FTS5), dense (sentence vectors), or both fused by reciprocal rank
 * (Cormack et al. 2009: score = Σ 1 / (60 + rank)), which needs no score calibration between
 * the two lists.
 */
import { QaError } from '../core/errors.js';
import { topIndices } from '../core/top-k.js';
import type { VectorEncoder } from '../core/types.js';
import { type FtsIndex, searchFts } from './bm25.js';
import { DenseIndex, type DenseIndexOptions, type ScoredPassage } from './dense-index.js';
import type { DocStore, Passage } from './doc-store.js';

export type RetrievalMode = 'bm25' | 'dense' | 'hybrid';

export const RETRIEVAL_MODES: readonly RetrievalMode[] = ['bm25', 'dense', 'hybrid'];

export interface RetrievedPassage extends Passage {
  /** BM25 score, cosine, or fused RRF score, by mode: comparable within one result list only. */
  score: number;
}

export const PASSAGES_FTS: FtsIndex = {
  table: 'passages_fts',
  rows: 'passages',
  weights: [1, 1],
};
/** Reciprocal rank fusion's constant (Cormack et al. 2009). */
export const RRF_K = 60;
/** How deep each list goes before fusion. */
const FUSION_DEPTH = 100;

/** How a passage is shown to the encoder: its document's title gives context the text may lack. */
export function passageForEncoding(title: string | null, text: string): string {
  return title ? `${title}. ${text}` : text;
}

/** Encodes every passage that has no vector from `model` yet; returns how many. */
export function indexVectors(
  store: DocStore,
  model: string,
  encoder: VectorEncoder,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const texts = (ids: number[]) => store.texts(ids).map((r) => passageForEncoding(r.title, r.text));
  return store.vectors.fill(model, encoder, texts, onProgress);
}

export function rrf(lists: readonly (readonly ScoredPassage[])[], k: number): ScoredPassage[] {
  const fused = new Map<number, number>();
  for (const list of lists) {
    list.forEach((p, rank) => {
      fused.set(p.id, (fused.get(p.id) ?? 0) + 1 / (RRF_K + rank + 1));
    });
  }
  return [...fused]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || a.id - b.id)
    .slice(0, k);
}

/** A query's vector, computed or being computed. */
export type QueryVector = Float32Array | Promise<Float32Array>;

export interface DenseSide {
  model: string;
  encoder: VectorEncoder;
  index: DenseIndex;
}

export class Retriever {
  constructor(
    readonly store: DocStore,
    private readonly dense?: DenseSide,
  ) {}

  /** A retriever whose dense side holds every stored vector of `model` (encode missing ones first). */
  static async withDense(
    store: DocStore,
    model: string,
    encoder: VectorEncoder,
    opts: DenseIndexOptions,
  ): Promise<Retriever> {
    const { ids, vectors } = store.vectors.load(model, encoder.dim);
    const index = await DenseIndex.open(ids, vectors, encoder.dim, opts);
    return new Retriever(store, { model, encoder, index });
  }

  get encoder(): VectorEncoder | undefined {
    return this.dense?.encoder;
  }

  get hasDense(): boolean {
    return this.dense !== undefined;
  }

  bm25(query: string, k: number): ScoredPassage[] {
    return searchFts(this.store.db, PASSAGES_FTS, query, k);
  }

  /**
   * `vector`: the query's vector when the caller already has it (batch evaluation), or is having
   * it computed (the MRC route).
   */
  async denseSearch(query: string, k: number, vector?: QueryVector): Promise<ScoredPassage[]> {
    if (!this.dense) {
      throw new QaError('unavailable', 'dense retrieval needs a sentence encoder model', {
        hint: 'install one in models/ (task "encoder") or use --mode bm25',
      });
    }
    const q = (await vector) ?? (await this.dense.encoder.encode([query]));
    return this.dense.index.search(q, k);
  }

  /** Cosine of a query vector with each passage's vector; undefined without a dense side. */
  similarities(vector: Float32Array, ids: readonly number[]): number[] | undefined {
    return this.dense?.index.scoresFor(vector, ids);
  }

  /**
   * The best `k` among the given passages only (a filter's): BM25 over them inside FTS5, cosine
   * over their vectors — never the whole collection's top-k filtered afterwards.
   */
  private async searchWithin(
    query: string,
    k: number,
    mode: RetrievalMode,
    within: readonly number[],
    vector?: QueryVector,
  ): Promise<ScoredPassage[]> {
    if (within.length === 0) return [];
    const sparse = () => searchFts(this.store.db, PASSAGES_FTS, query, Math.max(k, FUSION_DEPTH), within);
    const dense = async () => {
      if (!this.dense) throw new QaError('unavailable', 'dense retrieval needs a sentence encoder model');
      const q = (await vector) ?? (await this.dense.encoder.encode([query]));
      const scores = this.dense.index.scoresFor(q, within);
      return topIndices(scores, 0, scores.length, Math.max(k, FUSION_DEPTH)).map((i) => ({
        id: within[i] as number,
        score: scores[i] as number,
      }));
    };
    if (mode === 'bm25') return sparse().slice(0, k);
    if (mode === 'dense') return (await dense()).slice(0, k);
    return rrf([sparse(), await dense()], k);
  }

  async search(
    query: string,
    k: number,
    mode: RetrievalMode,
    vector?: QueryVector,
    /** Only these passages (a filter's, DocStore.passageIdsMatching). */
    within?: readonly number[],
  ): Promise<ScoredPassage[]> {
    if (within) return this.searchWithin(query, k, mode, within, vector);
    if (mode === 'bm25') return this.bm25(query, k);
    if (mode === 'dense') return this.denseSearch(query, k, vector);
    const depth = Math.max(k, FUSION_DEPTH);
    // The question is encoded in the encoder's worker while BM25 ranks on this thread; both
    // awaited together, so a failure of either never leaves the other's unhandled.
    const [dense, sparse] = await Promise.all([
      this.denseSearch(query, depth, vector),
      (async () => this.bm25(query, depth))(),
    ]);
    return rrf([sparse, dense], k);
  }

  async retrieve(
    query: string,
    k: number,
    mode: RetrievalMode,
    vector?: QueryVector,
    within?: readonly number[],
  ): Promise<RetrievedPassage[]> {
    const hits = await this.search(query, k, mode, vector, within);
    const score = new Map(hits.map((h) => [h.id, h.score]));
    return this.store.passages(hits.map((h) => h.id)).map((p) => ({ ...p, score: score.get(p.id) ?? 0 }));
  }
}
