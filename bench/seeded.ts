/** A seeded pseudo-random stream in [0, 1) (an LCG), so a bench's corpus is the same on every run. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
