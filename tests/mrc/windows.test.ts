import { describe, expect, it } from 'vitest';
import type { Token } from '../../src/models/tokenizer.js';
import { makeWindows } from '../../src/mrc/windows.js';

const special = { cls: 101, sep: 102, pad: 0, unk: 100 };
const toks = (n: number, base = 1000): Token[] =>
  Array.from({ length: n }, (_, i) => ({ id: base + i, text: `t${i}`, start: i, end: i + 1 }));

describe('makeWindows', () => {
  it('puts a short context in one window: [CLS] q [SEP] c [SEP]', () => {
    const [w, more] = makeWindows(toks(2, 1), toks(3), special, {
      maxSeqLen: 32,
      docStride: 4,
      maxQueryLen: 8,
    });
    expect(more).toBeUndefined();
    expect(w?.inputIds).toEqual([101, 1, 2, 102, 1000, 1001, 1002, 102]);
    expect(w?.typeIds).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(w).toMatchObject({ ctxOffset: 4, ctxStart: 0, ctxLength: 3, maxContext: [true, true, true] });
  });

  it('covers a long context with windows sharing docStride tokens, each within maxSeqLen', () => {
    // 16 - 2 question - 3 special = 11 context tokens a window; step 11 - 4 = 7.
    const ws = makeWindows(toks(2), toks(30), special, { maxSeqLen: 16, docStride: 4, maxQueryLen: 8 });
    expect(ws.map((w) => [w.ctxStart, w.ctxLength])).toEqual([
      [0, 11],
      [7, 11],
      [14, 11],
      [21, 9],
    ]);
    for (const w of ws) expect(w.inputIds.length).toBeLessThanOrEqual(16);
    // Every context token is the max-context token of exactly one window.
    const owners = Array.from({ length: 30 }, (_, pos) =>
      ws.filter((w) => pos >= w.ctxStart && pos < w.ctxStart + w.ctxLength && w.maxContext[pos - w.ctxStart]),
    );
    expect(owners.every((o) => o.length === 1)).toBe(true);
  });

  it('truncates the question to maxQueryLen', () => {
    const [w] = makeWindows(toks(20, 1), toks(3), special, { maxSeqLen: 32, docStride: 4, maxQueryLen: 5 });
    expect(w?.inputIds.slice(0, 7)).toEqual([101, 1, 2, 3, 4, 5, 102]);
  });

  it('still makes one window for an empty context', () => {
    const ws = makeWindows(toks(2), [], special, { maxSeqLen: 16, docStride: 4, maxQueryLen: 8 });
    expect(ws).toHaveLength(1);
    expect(ws[0]?.ctxLength).toBe(0);
  });
});
