/**
 * SemEval-2016 Task 3 subtask B ranking measures, as the official scorer computes them: the top 10
 * of each ranking, PerfectMatch and Relevant are relevant, questions with no relevant candidate
 * stay in with AP = 0, ties keep the gold file's order.
 */

export interface RankingMetrics {
  questions: number;
  map: number;
  /** Fraction 0..1 (the official scorer prints it ×100). */
  mrr: number;
  p_at_1: number;
  avg_rec: number;
}

const TOP = 10;

/** Relevance flags in the order of descending score; equal scores keep the input order. */
export function rankByScore(relevant: readonly boolean[], scores: readonly number[]): boolean[] {
  return relevant
    .map((r, i) => ({ r, s: scores[i] ?? Number.NEGATIVE_INFINITY, i }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.r);
}

export function rankingMetrics(ranked: readonly (readonly boolean[])[]): RankingMetrics {
  const n = ranked.length;
  let ap = 0;
  let rr = 0;
  let p1 = 0;
  const found = new Array<number>(TOP).fill(0);
  const maxrel = new Array<number>(TOP).fill(0);
  for (const rels of ranked) {
    let hits = 0;
    let first = 0;
    const precs: number[] = [];
    for (let k = 1; k <= TOP; k++) {
      if (k <= rels.length && rels[k - 1]) {
        hits++;
        precs.push(hits / k);
        if (!first) first = k;
      }
      found[k - 1] = (found[k - 1] ?? 0) + hits;
    }
    ap += precs.length ? precs.reduce((a, b) => a + b, 0) / precs.length : 0;
    rr += first ? 1 / first : 0;
    p1 += rels[0] ? 1 : 0;
    const nrel = rels.filter(Boolean).length;
    for (let k = 1; k <= TOP; k++) maxrel[k - 1] = (maxrel[k - 1] ?? 0) + Math.min(k, nrel);
  }
  const avgRec = found.reduce((s, f, i) => s + ((maxrel[i] ?? 0) ? f / (maxrel[i] ?? 1) : 0), 0) / TOP;
  return { questions: n, map: n ? ap / n : 0, mrr: n ? rr / n : 0, p_at_1: n ? p1 / n : 0, avg_rec: avgRec };
}
