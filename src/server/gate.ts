/**
 * At most `concurrency` questions in the pipeline at once; the rest wait in a bounded queue and
 * beyond it are turned away (503). Route deadlines start when a question is admitted, so a burst
 * makes questions wait instead of making every route time out.
 */
import { QaError } from '../core/errors.js';

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly queue: number,
  ) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new QaError('unavailable', 'too many questions are waiting; try again shortly');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next in line, or free it.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
