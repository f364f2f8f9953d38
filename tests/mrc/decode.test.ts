import { describe, expect, it } from 'vitest';
import { topIndices } from '../../src/core/top-k.js';
import type { Token } from '../../src/models/tokenizer.js';
import { decodeSpans, NO_SPAN, softmax, type WindowLogits } from '../../src/mrc/decode.js';
import type { Window } from '../../src/mrc/windows.js';

// Context "a b c d e": five one-letter tokens at even offsets.
const context = 'a b c d e';
const tokens: Token[] = ['a', 'b', 'c', 'd', 'e'].map((t, i) => ({
  id: i + 10,
  text: t,
  start: 2 * i,
  end: 2 * i + 1,
}));

/** A window holding context tokens [ctxStart, ctxStart + n) after a 3-token question block. */
function win(ctxStart: number, n: number, maxContext = Array(n).fill(true)): Window {
  return {
    inputIds: [],
    typeIds: [],
    ctxOffset: 3,
    ctxStart,
    ctxLength: n,
    maxContext,
  };
}

/** Position 0 is [CLS], 1-2 the question and [SEP], then the context tokens, then [SEP]. */
function logits(window: Window, start: number[], end: number[]): WindowLogits {
  return { window, start, end };
}

const opts = { nBest: 20, maxAnswerLen: 30, topK: 5, nullThreshold: 0 };

describe('topIndices', () => {
  it('returns the k best indices in the range, best first, stable on ties', () => {
    expect(topIndices([5, 1, 9, 3, 9, 7], 0, 6, 3)).toEqual([2, 4, 5]);
    expect(topIndices([5, 1, 9, 3, 9, 7], 1, 4, 5)).toEqual([2, 3, 1]);
    expect(topIndices([], 0, 0, 3)).toEqual([]);
  });
});

describe('softmax', () => {
  it('is stable for large logits and sums to 1', () => {
    const p = softmax([1000, 1000, 999]);
    expect(p[0]).toBeCloseTo(p[1] ?? 0, 12);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('decodeSpans', () => {
  it('picks the best start/end pair and cuts the text by character offsets', () => {
    const w = win(0, 5);
    // positions: 0 CLS, 1-2 question, 3-7 context (a..e), 8 SEP
    const start = [0, 9, 9, 0, 0, 5, 0, 0, 9];
    const end = [0, 9, 9, 0, 0, 0, 6, 0, 9];
    const d = decodeSpans(context, tokens, [logits(w, start, end)], opts);
    expect(d.answers[0]).toMatchObject({ text: 'c d', start: 4, end: 7, logit: 11 });
    expect(d.nullLogit).toBe(0);
    expect(d.nullOdds).toBe(-11);
    expect(d.noAnswer).toBe(false);
  });

  it('never proposes question tokens, [SEP], or an end before the start', () => {
    const w = win(0, 5);
    const start = [0, 50, 50, 0, 0, 0, 0, 1, 50];
    const end = [0, 50, 50, 2, 0, 0, 0, 0, 50];
    const d = decodeSpans(context, tokens, [logits(w, start, end)], opts);
    for (const a of d.answers) expect(a.start).toBeLessThan(a.end);
    // Best allowed pair: a→a (0 + 2); e→a would score 3 but ends before it starts.
    expect(d.answers[0]?.text).toBe('a');
  });

  it('respects the maximum answer length in tokens', () => {
    const w = win(0, 5);
    const start = [0, 0, 0, 9, 0, 0, 0, 0, 0];
    const end = [0, 0, 0, 0, 0, 0, 0, 9, 0];
    const long = decodeSpans(context, tokens, [logits(w, start, end)], opts);
    expect(long.answers[0]?.text).toBe('a b c d e');
    const short = decodeSpans(context, tokens, [logits(w, start, end)], { ...opts, maxAnswerLen: 2 });
    expect(short.answers[0]?.text).not.toBe('a b c d e');
    for (const a of short.answers) expect(a.text.split(' ').length).toBeLessThanOrEqual(2);
  });

  it('answers "no answer" when the null score beats the best span by more than the threshold', () => {
    const w = win(0, 5);
    const start = [4, 0, 0, 1, 0, 0, 0, 0, 0];
    const end = [4, 0, 0, 1, 0, 0, 0, 0, 0];
    const d = decodeSpans(context, tokens, [logits(w, start, end)], opts);
    expect(d.nullOdds).toBe(6);
    expect(d.noAnswer).toBe(true);
    expect(
      decodeSpans(context, tokens, [logits(w, start, end)], { ...opts, nullThreshold: 6 }).noAnswer,
    ).toBe(false);
    // Probabilities: softmax over the n-best spans plus the null entry.
    const total = d.answers.reduce((s, a) => s + a.probability, 0) + d.noAnswerProbability;
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    expect(d.noAnswerProbability).toBeGreaterThan(d.answers[0]?.probability ?? 1);
  });

  it('takes the smallest null score over windows and de-duplicates texts found twice', () => {
    // Two windows: [a b c] and [c d e], "c" in both.
    const w1 = win(0, 3, [true, true, false]);
    const w2 = win(2, 3, [true, true, true]);
    const l1 = logits(w1, [3, 0, 0, 0, 0, 8, 0], [3, 0, 0, 0, 0, 8, 0]);
    const l2 = logits(w2, [1, 0, 0, 7, 0, 0, 0], [1, 0, 0, 7, 0, 0, 0]);
    const d = decodeSpans(context, tokens, [l1, l2], opts);
    expect(d.nullLogit).toBe(2);
    // "c" may start only in its max-context window (w2), so its score is 14, not 16.
    expect(d.answers[0]).toMatchObject({ text: 'c', logit: 14, start: 4, end: 5 });
    expect(d.answers.filter((a) => a.text === 'c')).toHaveLength(1);
  });

  it('returns no spans and the NO_SPAN odds for an empty context', () => {
    const d = decodeSpans('', [], [logits(win(0, 0, []), [1, 0, 0, 0], [1, 0, 0, 0])], opts);
    expect(d.answers).toEqual([]);
    expect(d.noAnswer).toBe(true);
    expect(d.nullOdds).toBe(NO_SPAN);
    expect(d.noAnswerProbability).toBe(1);
  });
});
