import { afterAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src/models/registry.js';
import type { WindowLogits } from '../../src/mrc/decode.js';
import { pickRun, WindowBatcher } from '../../src/mrc/window-batcher.js';
import type { Window } from '../../src/mrc/windows.js';
import { FIXTURE_MODELS } from '../helpers/fixtures.js';

const windowOf = (length: number): Window => ({
  inputIds: new Array<number>(length).fill(1),
  typeIds: [],
  ctxOffset: 0,
  ctxStart: 0,
  ctxLength: 0,
  maxContext: [],
});
const request = { results: [], left: 1, maxWindows: 8, resolve: () => {}, reject: () => {} };
const pendingOf = (lengths: number[]) => lengths.map((l, index) => ({ window: windowOf(l), request, index }));
const lengths = (run: { window: Window }[]) => run.map((p) => p.window.inputIds.length);

describe('pickRun', () => {
  it('takes the oldest window and those nearest its length, within the padding allowed', () => {
    // 100 first: 96 and 110 add little padding; 300 and 20 would pad too much.
    expect(lengths(pickRun(pendingOf([100, 300, 96, 20, 110]), 8, 0.2))).toEqual([96, 100, 110]);
    // No padding allowed: only windows of the oldest one's own length.
    expect(lengths(pickRun(pendingOf([50, 51, 50, 49]), 8, 0))).toEqual([50, 50]);
  });

  it('holds at most maxWindows, the nearest lengths first', () => {
    expect(lengths(pickRun(pendingOf([100, 90, 101, 99, 140]), 3, 0.5))).toEqual([99, 100, 101]);
    expect(pickRun([], 8, 0.2)).toEqual([]);
  });
});

describe('WindowBatcher', () => {
  /** A forward pass that records its runs and answers each window with its own length. */
  function recording(fail?: (w: Window[]) => boolean) {
    const runs: number[][] = [];
    const forward = async (windows: Window[]): Promise<WindowLogits[]> => {
      runs.push(windows.map((w) => w.inputIds.length));
      await new Promise((r) => setTimeout(r, 5));
      if (fail?.(windows)) throw new Error('run failed');
      return windows.map((window) => ({
        window,
        start: Float32Array.of(window.inputIds.length),
        end: new Float32Array(1),
      }));
    };
    return { runs, forward };
  }

  it('reads windows of questions arriving while a run is on in shared runs, each answer in its place', async () => {
    const { runs, forward } = recording();
    const batcher = new WindowBatcher(forward, { maxPadding: 0.2, waitMs: 0 });
    const asks = [[100], [98, 300], [102], [299]].map((ls) => batcher.submit(ls.map(windowOf), 8));
    const answers = await Promise.all(asks);
    expect(answers.map((a) => a.map((l) => l.start[0]))).toEqual([[100], [98, 300], [102], [299]]);
    // The first window runs alone (nothing waits yet); the rest share two runs by length.
    expect(runs).toEqual([[100], [98, 102], [299, 300]]);
  });

  it('fails only the questions whose run failed; the others are answered', async () => {
    const { forward } = recording((ws) => ws.some((w) => w.inputIds.length === 7));
    const batcher = new WindowBatcher(forward, { maxPadding: 0, waitMs: 0 });
    const bad = batcher.submit([windowOf(7), windowOf(200)], 8);
    const good = batcher.submit([windowOf(50)], 8);
    await expect(bad).rejects.toThrow('run failed');
    expect((await good).map((l) => l.start[0])).toEqual([50]);
  });

  it('waits waitMs for other windows to join when idle', async () => {
    const { runs, forward } = recording();
    const batcher = new WindowBatcher(forward, { maxPadding: 0.2, waitMs: 20 });
    const first = batcher.submit([windowOf(100)], 8);
    await new Promise((r) => setTimeout(r, 5));
    await Promise.all([first, batcher.submit([windowOf(101)], 8)]);
    expect(runs).toEqual([[100, 101]]);
  });
});

describe('concurrent reads on a real ONNX session', () => {
  const registry = new ModelRegistry(FIXTURE_MODELS);
  afterAll(() => registry.close());

  it('answer as the same reads one at a time', async () => {
    const reader = await registry.reader('tiny-reader');
    const inputs = [
      { question: 'When?', context: 'Built in 1889.' },
      { question: 'Who?', context: 'Gustave Eiffel built it.' },
      { question: 'When?', context: `${'long context. '.repeat(40)}Year 1901 then.` },
      { question: 'When did it open?', context: 'It opened in 1902.' },
    ];
    const alone = [];
    for (const input of inputs) alone.push(await reader.read(input));
    const together = await Promise.all(inputs.map((input) => reader.read(input)));
    expect(together).toEqual(alone);
  });
});
