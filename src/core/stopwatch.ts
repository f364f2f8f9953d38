/** Timing a request's steps into its `Stages` (ms by step). */
import type { Stages } from './types.js';

/**
 * `lap(step)` adds the time since the previous lap (or since the start, or `restart`) to `step`;
 * `restart()` starts the next step from now, leaving out what ran in between.
 */
export function stopwatch(stages: Stages): { lap: (step: string) => void; restart: () => void } {
  let mark = performance.now();
  return {
    lap(step) {
      const now = performance.now();
      stages[step] = (stages[step] ?? 0) + (now - mark);
      mark = now;
    },
    restart() {
      mark = performance.now();
    },
  };
}
