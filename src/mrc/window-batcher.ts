/**
 * Windows of concurrent questions read in shared ONNX runs. A reader's session answers one run at
 * a time, so while it runs, the windows other questions ask for wait here; the next run takes the
 * oldest waiting window and the waiting windows nearest its length. Padding is what batching costs
 * on a CPU (a batch is as wide as its longest window, and unequal windows read in one run measured
 * slower than one at a time), so a run holds only windows within `maxPadding` of waste.
 */
import type { WindowLogits } from './decode.js';
import type { Window } from './windows.js';

export interface BatcherOptions {
  /** Padding a run may add, as a share of its real tokens (0.2: at most 20% more tokens read). */
  maxPadding: number;
  /** How long the first window of an idle reader waits for others to join (ms; 0: none). */
  waitMs: number;
}

export const DEFAULT_BATCHER: BatcherOptions = { maxPadding: 0.2, waitMs: 0 };

interface Request {
  results: WindowLogits[];
  left: number;
  /** The most windows in one run this request allows (its `batchSize`). */
  maxWindows: number;
  resolve: (r: WindowLogits[]) => void;
  reject: (e: Error) => void;
}

interface Pending {
  window: Window;
  request: Request;
  /** Its place in the request's windows. */
  index: number;
}

/**
 * The oldest pending window and those nearest its length, growing to the shorter or the longer
 * side (whichever is nearer) while the run stays within `maxWindows` and `maxPadding`.
 */
export function pickRun(pending: readonly Pending[], maxWindows: number, maxPadding: number): Pending[] {
  const anchor = pending[0];
  if (!anchor) return [];
  const len = (p: Pending) => p.window.inputIds.length;
  const sorted = [...pending].sort((a, b) => len(a) - len(b));
  let lo = sorted.indexOf(anchor);
  let hi = lo;
  let sum = len(anchor);
  const fits = (count: number, total: number, widest: number) =>
    count <= maxWindows && widest * count <= (1 + maxPadding) * total;
  for (;;) {
    const shorter = sorted[lo - 1];
    const longer = sorted[hi + 1];
    const widest = len(sorted[hi] as Pending);
    const count = hi - lo + 2;
    const takeShorter = shorter !== undefined && fits(count, sum + len(shorter), widest);
    const takeLonger = longer !== undefined && fits(count, sum + len(longer), len(longer));
    if (!takeShorter && !takeLonger) break;
    const anchorLen = len(anchor);
    if (takeShorter && (!takeLonger || anchorLen - len(shorter) <= len(longer as Pending) - anchorLen)) {
      lo--;
      sum += len(shorter);
    } else {
      hi++;
      sum += len(longer as Pending);
    }
  }
  return sorted.slice(lo, hi + 1);
}

export class WindowBatcher {
  private pending: Pending[] = [];
  private pumping = false;

  constructor(
    private readonly forward: (windows: Window[]) => Promise<WindowLogits[]>,
    private readonly opts: BatcherOptions = DEFAULT_BATCHER,
  ) {}

  /**
   * Each window's logits at its index (a hole where the model gave no row), read in whatever runs
   * the waiting windows make up.
   */
  submit(windows: readonly Window[], maxWindows: number): Promise<WindowLogits[]> {
    if (windows.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const request: Request = { results: [], left: windows.length, maxWindows, resolve, reject };
      windows.forEach((window, index) => {
        this.pending.push({ window, request, index });
      });
      if (!this.pumping) void this.pump();
    });
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    if (this.opts.waitMs > 0) await new Promise((r) => setTimeout(r, this.opts.waitMs));
    while (this.pending.length > 0) {
      const anchor = this.pending[0] as Pending;
      const run = pickRun(this.pending, Math.max(1, anchor.request.maxWindows), this.opts.maxPadding);
      const taken = new Set(run);
      this.pending = this.pending.filter((p) => !taken.has(p));
      try {
        const logits = await this.forward(run.map((p) => p.window));
        run.forEach((p, r) => {
          const row = logits[r];
          if (row) p.request.results[p.index] = row;
          if (--p.request.left === 0) p.request.resolve(p.request.results);
        });
      } catch (e) {
        // A failed run fails its questions, and only them: their other windows are dropped.
        const failed = new Set(run.map((p) => p.request));
        this.pending = this.pending.filter((p) => !failed.has(p.request));
        for (const request of failed) request.reject(e as Error);
      }
    }
    this.pumping = false;
  }
}
