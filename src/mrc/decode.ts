/**
 * Span decoding, as in BERT's run_squad: the n best start and end logits of each window, pairs
 * with start ≤ end ≤ start + maxAnswerLen − 1 inside the context, scored by start + end logit;
 * the answer text is cut from the original context by character offsets. The no-answer score is
 * the smallest [CLS] start + end over the windows; softmax runs over the n-best list plus the
 * null entry, so probabilities are comparable across windows (never one softmax per window).
 */

import { topIndices } from '../core/top-k.js';
import type { Token } from '../models/tokenizer.js';
import type { Window } from './windows.js';

export interface WindowLogits {
  window: Window;
  start: ArrayLike<number>;
  end: ArrayLike<number>;
}

export interface DecodeOptions {
  /** Start and end positions kept per window. */
  nBest: number;
  /** Longest answer, in tokens. */
  maxAnswerLen: number;
  /** Spans returned after de-duplication. */
  topK: number;
  /** Answer "no answer" when nullLogit − bestSpanLogit exceeds this. */
  nullThreshold: number;
}

export interface SpanAnswer {
  text: string;
  /** Character span [start, end) in the context. */
  start: number;
  end: number;
  /** start + end logit. */
  logit: number;
  /** Softmax over the n-best spans and the null entry. */
  probability: number;
}

export interface Decoded {
  answers: SpanAnswer[];
  noAnswer: boolean;
  nullLogit: number;
  noAnswerProbability: number;
  /** nullLogit − best span logit (the "null odds" of run_squad); NO_SPAN when there is no span. */
  nullOdds: number;
}

/** nullOdds when no span could be formed at all (an empty context, say). */
export const NO_SPAN = 1e6;

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * One question's spans over its passages, scored on one scale: a softmax over every passage's span
 * logits and one no-answer entry, the most answerable passage's null logit less `nullThreshold`.
 * `probs` holds each span's probability in `spans`' order, then the no-answer one.
 */
export function questionSpans(
  results: readonly Pick<Decoded, 'answers' | 'nullLogit'>[],
  nullThreshold: number,
): { spans: { a: SpanAnswer; i: number }[]; probs: number[] } {
  const nullLogit = Math.min(...results.map((r) => r.nullLogit)) - nullThreshold;
  const spans = results.flatMap((r, i) => r.answers.map((a) => ({ a, i })));
  return { spans, probs: softmax([...spans.map((s) => s.a.logit), nullLogit]) };
}

interface RawSpan {
  startChar: number;
  endChar: number;
  logit: number;
}

function windowSpans(w: WindowLogits, ctx: readonly Token[], opts: DecodeOptions): RawSpan[] {
  const { window } = w;
  const lo = window.ctxOffset;
  const hi = window.ctxOffset + window.ctxLength;
  const starts = topIndices(w.start, lo, hi, opts.nBest);
  const ends = topIndices(w.end, lo, hi, opts.nBest);
  const out: RawSpan[] = [];
  for (const s of starts) {
    if (!window.maxContext[s - lo]) continue;
    for (const e of ends) {
      if (e < s || e - s + 1 > opts.maxAnswerLen) continue;
      const first = ctx[window.ctxStart + s - lo];
      const last = ctx[window.ctxStart + e - lo];
      if (!first || !last) continue;
      out.push({ startChar: first.start, endChar: last.end, logit: (w.start[s] ?? 0) + (w.end[e] ?? 0) });
    }
  }
  return out;
}

export function decodeSpans(
  context: string,
  ctxTokens: readonly Token[],
  windows: readonly WindowLogits[],
  opts: DecodeOptions,
): Decoded {
  let nullLogit = Number.POSITIVE_INFINITY;
  const raw: RawSpan[] = [];
  for (const w of windows) {
    nullLogit = Math.min(nullLogit, (w.start[0] ?? 0) + (w.end[0] ?? 0));
    raw.push(...windowSpans(w, ctxTokens, opts));
  }
  raw.sort((a, b) => b.logit - a.logit);

  // The same text found in several windows or places counts once, at its best score.
  const seen = new Set<string>();
  const kept: Array<RawSpan & { text: string }> = [];
  for (const r of raw) {
    const text = context.slice(r.startChar, r.endChar);
    if (seen.has(text)) continue;
    seen.add(text);
    kept.push({ ...r, text });
    if (kept.length === opts.nBest) break;
  }

  const probs = softmax([...kept.map((k) => k.logit), nullLogit]);
  const answers = kept.slice(0, opts.topK).map((k, i) => ({
    text: k.text,
    start: k.startChar,
    end: k.endChar,
    logit: k.logit,
    probability: probs[i] ?? 0,
  }));
  const best = kept[0];
  const nullOdds = best ? nullLogit - best.logit : NO_SPAN;
  return {
    answers,
    noAnswer: nullOdds > opts.nullThreshold,
    nullLogit,
    noAnswerProbability: probs[kept.length] ?? 1,
    nullOdds,
  };
}
