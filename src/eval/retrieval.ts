/**
 * Retrieval metrics on SQuAD-style data: a retrieved passage is a hit when it contains a gold
 * answer (SQuAD-normalised, on word boundaries, as DrQA's "answer in the retrieved text"
 * measure); recall@k = share of questions with a hit in the top k; MRR of the first hit.
 */
import { normalizeAnswer } from '../core/answer-text.js';

export const RECALL_KS = [1, 5, 20, 100] as const;

export interface RetrievalMetrics {
  questions: number;
  recall_at_1: number;
  recall_at_5: number;
  recall_at_20: number;
  recall_at_100: number;
  mrr: number;
}

export function containsAnswer(passage: string, answers: readonly string[]): boolean {
  const p = ` ${normalizeAnswer(passage)} `;
  return answers.some((a) => {
    const n = normalizeAnswer(a);
    return n !== '' && p.includes(` ${n} `);
  });
}

/** 1-based rank of the first passage holding an answer, or 0 when none does. */
export function firstHit(passages: readonly string[], answers: readonly string[]): number {
  const i = passages.findIndex((p) => containsAnswer(p, answers));
  return i + 1;
}

export function retrievalMetrics(firstHits: readonly number[]): RetrievalMetrics {
  const n = firstHits.length;
  const recall = (k: number) => (n ? firstHits.filter((r) => r > 0 && r <= k).length / n : 0);
  const mrr = n ? firstHits.reduce((s, r) => s + (r > 0 ? 1 / r : 0), 0) / n : 0;
  return {
    questions: n,
    recall_at_1: recall(1),
    recall_at_5: recall(5),
    recall_at_20: recall(20),
    recall_at_100: recall(100),
    mrr,
  };
}
