/** Selecting the best few of many scores without sorting them all. */

/** Indices of the k largest values in values[lo, hi), best first, without sorting the whole range. */
export function topIndices(values: ArrayLike<number>, lo: number, hi: number, k: number): number[] {
  const idx: number[] = [];
  const val: number[] = [];
  const NEG = Number.NEGATIVE_INFINITY;
  for (let i = lo; i < hi; i++) {
    const v = values[i] ?? NEG;
    if (idx.length === k && v <= (val[k - 1] ?? NEG)) continue;
    let at = idx.length;
    while (at > 0 && (val[at - 1] ?? NEG) < v) at--;
    idx.splice(at, 0, i);
    val.splice(at, 0, v);
    if (idx.length > k) {
      idx.pop();
      val.pop();
    }
  }
  return idx;
}
