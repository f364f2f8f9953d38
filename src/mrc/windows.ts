/**
 * Windows over a long context: `[CLS] question [SEP] context-slice [SEP]`, consecutive slices
 * sharing `docStride` tokens (Hugging Face `stride` semantics).
 */
import type { SpecialIds, Token } from '../models/tokenizer.js';

export interface WindowOptions {
  maxSeqLen: number;
  docStride: number;
  maxQueryLen: number;
}

export interface Window {
  inputIds: number[];
  typeIds: number[];
  /** Index in the window of the first context token. */
  ctxOffset: number;
  /** Context tokens covered: [ctxStart, ctxStart + ctxLength) in the context's token list. */
  ctxStart: number;
  ctxLength: number;
  /**
   * For each context token of this window: is this the window where the token has the most
   * context on both sides? A span may only start at such a token (BERT's `_check_is_max_context`),
   * so overlapping windows never propose the same start twice with less context.
   */
  maxContext: boolean[];
}

/** Context tokens that fit beside the question; at least 1. */
export function contextBudget(questionTokens: number, opts: WindowOptions): number {
  return Math.max(1, opts.maxSeqLen - Math.min(questionTokens, opts.maxQueryLen) - 3);
}

function slices(n: number, budget: number, stride: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const step = Math.max(1, budget - stride);
  for (let start = 0; ; start += step) {
    const length = Math.min(budget, n - start);
    out.push([start, Math.max(0, length)]);
    if (start + length >= n) return out;
  }
}

export function makeWindows(
  question: readonly Token[],
  context: readonly Token[],
  special: SpecialIds,
  opts: WindowOptions,
): Window[] {
  const q = question.slice(0, opts.maxQueryLen).map((t) => t.id);
  const budget = contextBudget(q.length, opts);
  const spans = slices(context.length, budget, opts.docStride);
  const score = (pos: number, [start, length]: [number, number]): number =>
    Math.min(pos - start, start + length - 1 - pos) + 0.01 * length;

  return spans.map(([start, length], w) => {
    const ctxIds = context.slice(start, start + length).map((t) => t.id);
    const maxContext = ctxIds.map((_, i) => {
      const pos = start + i;
      const mine = score(pos, [start, length]);
      // Ties go to the earlier window, as in run_squad.
      return spans.every((other, o) => {
        if (o === w || pos < other[0] || pos >= other[0] + other[1]) return true;
        const theirs = score(pos, other);
        return theirs < mine || (theirs === mine && o > w);
      });
    });
    const head = [special.cls, ...q, special.sep];
    return {
      inputIds: [...head, ...ctxIds, special.sep],
      typeIds: [...head.map(() => 0), ...ctxIds.map(() => 1), 1],
      ctxOffset: head.length,
      ctxStart: start,
      ctxLength: length,
      maxContext,
    };
  });
}
