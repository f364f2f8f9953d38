/**
 * Similar-question matching: candidates from BM25 on subject + body and from sentence vectors,
 * each scored by a logistic combination of the two signals, fitted on SemEval-2016 train
 * (`qa train matcher`), so the score is a probability that the archived question asks the same.
 */
import type { VectorEncoder } from '../core/types.js';
import { type LogisticModel, predict } from '../rank/logistic.js';
import { type FtsIndex, searchFts } from '../retrieval/bm25.js';
import { DenseIndex } from '../retrieval/dense-index.js';
import { type Answer, type Archive, bestAnswer, type Thread } from './archive.js';

/** Feature order of the matcher's logistic model. */
export const MATCH_FEATURES = ['cosine', 'bm25_log', 'bm25_rel'] as const;

export interface Match {
  thread: Thread;
  answer: Answer | undefined;
  /** Probability (0..1) that the thread asks the same question. */
  similarity: number;
  features: Record<(typeof MATCH_FEATURES)[number], number>;
}

/** Column weights (subject, body): a subject says what is asked, a body adds circumstance. */
export const THREADS_FTS: FtsIndex = {
  table: 'threads_fts',
  rows: 'threads',
  weights: [2, 1],
};
const CANDIDATES = 50;

/** How a question is shown to the encoder and to BM25. */
export function questionText(subject: string, body: string): string {
  const b = body.trim();
  const s = subject.trim();
  if (!b || b === s) return s;
  return /[.?!:;]$/.test(s) ? `${s} ${b}` : `${s}. ${b}`;
}

export function matchFeatures(cosine: number, bm25: number, bestBm25: number): number[] {
  return [cosine, Math.log1p(Math.max(0, bm25)), bestBm25 > 0 ? bm25 / bestBm25 : 0];
}

/** Encodes every thread that has no vector from `model` yet; returns how many. */
export function indexThreadVectors(
  archive: Archive,
  model: string,
  encoder: VectorEncoder,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const texts = (ids: number[]) => archive.threads(ids).map((t) => questionText(t.subject, t.body));
  return archive.vectors.fill(model, encoder, texts, onProgress);
}

export class Matcher {
  private index: DenseIndex | undefined;

  constructor(
    readonly archive: Archive,
    public model: LogisticModel,
    private readonly dense?: { name: string; encoder: VectorEncoder },
  ) {}

  /** Vectors for threads that have none (new posts, a new import), then a fresh index. */
  async refresh(onProgress?: (done: number, total: number) => void): Promise<void> {
    if (!this.dense) return;
    const { name, encoder } = this.dense;
    await indexThreadVectors(this.archive, name, encoder, onProgress);
    const { ids, vectors } = this.archive.vectors.load(name, encoder.dim);
    this.index = DenseIndex.exact(ids, vectors, encoder.dim);
  }

  /** BM25 scores of the text against the archive, optionally only among the given threads. */
  bm25(text: string, k: number, within?: readonly number[]): Map<number, number> {
    const hits = searchFts(this.archive.db, THREADS_FTS, text, k, within);
    return new Map(hits.map((h) => [h.id, h.score]));
  }

  async queryVector(text: string): Promise<Float32Array | undefined> {
    return this.dense ? this.dense.encoder.encode([text]) : undefined;
  }

  /** Feature rows of given threads against a question (SemEval's reranking setting). */
  async features(text: string, threadIds: readonly number[], vector?: Float32Array): Promise<number[][]> {
    const q = vector ?? (await this.queryVector(text));
    const bm = this.bm25(text, threadIds.length, threadIds);
    const best = Math.max(0, ...bm.values());
    const cos = q && this.index ? this.index.scoresFor(q, threadIds) : threadIds.map(() => 0);
    return threadIds.map((id, i) => matchFeatures(cos[i] ?? 0, bm.get(id) ?? 0, best));
  }

  async score(text: string, threadIds: readonly number[], vector?: Float32Array): Promise<number[]> {
    return (await this.features(text, threadIds, vector)).map((x) => predict(this.model, x));
  }

  /** The archived questions most similar to `text`, best first. */
  async match(text: string, k: number): Promise<Match[]> {
    const q = await this.queryVector(text);
    const bm = this.bm25(text, CANDIDATES);
    const dense = q && this.index ? this.index.search(q, CANDIDATES) : [];
    const ids = [...new Set([...bm.keys(), ...dense.map((d) => d.id)])];
    if (ids.length === 0) return [];
    const best = Math.max(0, ...bm.values());
    const cos = q && this.index ? this.index.scoresFor(q, ids) : ids.map(() => 0);
    const threads = new Map(this.archive.threads(ids).map((t) => [t.id, t]));
    return ids
      .flatMap((id, i): Match[] => {
        const thread = threads.get(id);
        if (thread?.status !== 'published') return [];
        const x = matchFeatures(cos[i] ?? 0, bm.get(id) ?? 0, best);
        return [
          {
            thread,
            answer: undefined,
            similarity: predict(this.model, x),
            features: { cosine: x[0] ?? 0, bm25_log: x[1] ?? 0, bm25_rel: x[2] ?? 0 },
          },
        ];
      })
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, k)
      .map((m) => ({ ...m, answer: bestAnswer(this.archive.answersOf(m.thread.id)) }));
  }
}
