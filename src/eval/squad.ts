/**
 * The official SQuAD metrics, line for line with `evaluate-v1.1.py` and `evaluate-v2.0.py`:
 * answer normalisation, EM and F1 as the maximum over gold answers, HasAns/NoAns splits and the
 * best no-answer thresholds. v1.1 counts a missing prediction as wrong; v2.0 leaves it out.
 */
import { normalizeAnswer, splitPy } from '../core/answer-text.js';
import type { LoadedSquad, SquadQuestion } from '../core/squad-data.js';

export function exactMatch(gold: string, pred: string): number {
  return normalizeAnswer(gold) === normalizeAnswer(pred) ? 1 : 0;
}

function overlapF1(gold: string[], pred: string[]): number {
  const counts = new Map<string, number>();
  for (const t of gold) counts.set(t, (counts.get(t) ?? 0) + 1);
  let same = 0;
  for (const t of pred) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      same++;
      counts.set(t, c - 1);
    }
  }
  if (same === 0) return 0;
  const precision = same / pred.length;
  const recall = same / gold.length;
  return (2 * precision * recall) / (precision + recall);
}

/** v2.0 `compute_f1`: when either side is empty, 1 if both are, else 0. */
export function f1Score(gold: string, pred: string): number {
  const g = splitPy(normalizeAnswer(gold));
  const p = splitPy(normalizeAnswer(pred));
  if (g.length === 0 || p.length === 0) return g.length === p.length ? 1 : 0;
  return overlapF1(g, p);
}

/** v1.1 `f1_score`: no special case for empty answers. */
export function f1ScoreV11(gold: string, pred: string): number {
  return overlapF1(splitPy(normalizeAnswer(gold)), splitPy(normalizeAnswer(pred)));
}

export interface SquadMetrics {
  exact: number;
  f1: number;
  total: number;
  HasAns_exact?: number;
  HasAns_f1?: number;
  HasAns_total?: number;
  NoAns_exact?: number;
  NoAns_f1?: number;
  NoAns_total?: number;
  best_exact?: number;
  best_exact_thresh?: number;
  best_f1?: number;
  best_f1_thresh?: number;
}

export interface QuestionScore {
  id: string;
  exact: number;
  f1: number;
}

/** Per-question EM and F1 (questions without a prediction are left out). */
export function scoreQuestions(
  data: LoadedSquad,
  predictions: Readonly<Record<string, string>>,
): Map<string, QuestionScore> {
  const out = new Map<string, QuestionScore>();
  for (const q of data.questions) {
    const pred = predictions[q.id];
    if (pred === undefined) continue;
    out.set(q.id, scoreOne(data.version, q, pred));
  }
  return out;
}

function scoreOne(version: LoadedSquad['version'], q: SquadQuestion, pred: string): QuestionScore {
  if (version === '1.1') {
    return {
      id: q.id,
      exact: Math.max(0, ...q.answers.map((g) => exactMatch(g, pred))),
      f1: Math.max(0, ...q.answers.map((g) => f1ScoreV11(g, pred))),
    };
  }
  const golds = q.answers.filter((a) => normalizeAnswer(a) !== '');
  const g = golds.length > 0 ? golds : [''];
  return {
    id: q.id,
    exact: Math.max(...g.map((a) => exactMatch(a, pred))),
    f1: Math.max(...g.map((a) => f1Score(a, pred))),
  };
}

function mean(scores: QuestionScore[], key: 'exact' | 'f1'): number {
  return scores.length === 0 ? 0 : (100 * scores.reduce((s, q) => s + q[key], 0)) / scores.length;
}

export interface ThresholdSweep {
  /** Best score (percent) over all thresholds, and the threshold that reaches it. */
  score: number;
  threshold: number;
  /** Score (percent) when answering "no answer" for null odds above each threshold. */
  curve: Array<{ threshold: number; score: number }>;
}

/** `find_best_thresh`: sweep the no-answer threshold over the sorted null odds. */
export function sweepThreshold(
  data: LoadedSquad,
  predictions: Readonly<Record<string, string>>,
  scores: ReadonlyMap<string, QuestionScore>,
  nullOdds: Readonly<Record<string, number>>,
  key: 'exact' | 'f1',
): ThresholdSweep {
  const hasAns = new Map(data.questions.map((q) => [q.id, hasAnswer(q)]));
  let cur = data.questions.filter((q) => !hasAnswer(q)).length;
  let best = cur;
  let threshold = 0;
  const pct = (v: number): number => (100 * v) / scores.size;
  const curve: ThresholdSweep['curve'] = [];
  const ids = Object.keys(nullOdds).sort((a, b) => (nullOdds[a] ?? 0) - (nullOdds[b] ?? 0));
  for (const id of ids) {
    const s = scores.get(id);
    if (!s) continue;
    cur += hasAns.get(id) ? s[key] : predictions[id] ? -1 : 0;
    curve.push({ threshold: nullOdds[id] ?? 0, score: pct(cur) });
    if (cur > best) {
      best = cur;
      threshold = nullOdds[id] ?? 0;
    }
  }
  return { score: pct(best), threshold, curve };
}

function hasAnswer(q: SquadQuestion): boolean {
  return q.answers.length > 0;
}

export function evaluateSquad(
  data: LoadedSquad,
  predictions: Readonly<Record<string, string>>,
  nullOdds?: Readonly<Record<string, number>>,
): SquadMetrics {
  const scores = scoreQuestions(data, predictions);
  if (data.version === '1.1') {
    // evaluate-v1.1.py divides by every question, so a missing prediction counts as 0.
    const total = data.questions.length;
    const sum = (k: 'exact' | 'f1'): number => [...scores.values()].reduce((s, q) => s + q[k], 0);
    return {
      exact: total ? (100 * sum('exact')) / total : 0,
      f1: total ? (100 * sum('f1')) / total : 0,
      total,
    };
  }
  const all = [...scores.values()];
  const out: SquadMetrics = { exact: mean(all, 'exact'), f1: mean(all, 'f1'), total: all.length };
  const has = data.questions.filter(hasAnswer).flatMap((q) => scores.get(q.id) ?? []);
  const no = data.questions.filter((q) => !hasAnswer(q)).flatMap((q) => scores.get(q.id) ?? []);
  if (has.length > 0) {
    Object.assign(out, {
      HasAns_exact: mean(has, 'exact'),
      HasAns_f1: mean(has, 'f1'),
      HasAns_total: has.length,
    });
  }
  if (no.length > 0) {
    Object.assign(out, { NoAns_exact: mean(no, 'exact'), NoAns_f1: mean(no, 'f1'), NoAns_total: no.length });
  }
  if (nullOdds) {
    const e = sweepThreshold(data, predictions, scores, nullOdds, 'exact');
    const f = sweepThreshold(data, predictions, scores, nullOdds, 'f1');
    Object.assign(out, {
      best_exact: e.score,
      best_exact_thresh: e.threshold,
      best_f1: f.score,
      best_f1_thresh: f.threshold,
    });
  }
  return out;
}
