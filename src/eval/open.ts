/**
 * Open-domain SQuAD (`qa eval open`): every question asked of the whole pipeline over all the
 * file's paragraphs at once, so retrieval, reading, verification and ranking are measured together
 * rather than the reader on its gold paragraph alone. An abstention is the empty answer, as
 * SQuAD 2.0 scores it.
 */
import { fnv1a } from '../core/hash.js';
import type { LoadedSquad, SquadQuestion } from '../core/squad-data.js';
import type { Answer } from '../core/types.js';
import { evaluateSquad, f1Score, type SquadMetrics } from './squad.js';

export type ArticleSplit = 'tune' | 'held-out';

/**
 * Whole articles on one side, by a hash of their title: the answer-level calibration is fitted on
 * the tune half and `qa eval open --split held-out` reports the other, so no paragraph is on both.
 */
export function articleSplit(title: string): ArticleSplit {
  return fnv1a(title) % 2 === 0 ? 'tune' : 'held-out';
}

/** An answered question counts as right at this F1 or more (the calibration's MRC criterion). */
export const OPEN_CORRECT_F1 = 0.5;

export interface OpenOutcome {
  id: string;
  answer: string;
  abstained: boolean;
  /** Calibrated probability of the top answer (0 when abstained). */
  score: number;
  f1: number;
  /** The top answer's evidence is the question's own paragraph. */
  ownParagraph: boolean;
  ms: number;
}

export interface OpenMetrics extends SquadMetrics {
  questions: number;
  /** Share of the answered questions whose answer scores F1 ≥ 0.5. */
  answered_precision: number;
  /** Share of the answerable questions given an answer. */
  answerable_coverage: number;
  /** Share of the unanswerable questions abstained on (v2.0). */
  unanswerable_abstained?: number;
  /** Share of the answered questions answered from their own paragraph. */
  own_paragraph: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
}

export function outcomeOf(q: SquadQuestion, a: Answer): OpenOutcome {
  const top = a.abstained ? undefined : a.answers[0];
  const text = top?.text ?? '';
  const f1 = q.answers.length ? Math.max(...q.answers.map((g) => f1Score(g, text))) : text === '' ? 1 : 0;
  const ev = top?.evidence;
  return {
    id: q.id,
    answer: text,
    abstained: a.abstained,
    score: top?.score ?? 0,
    f1,
    ownParagraph: ev?.kind === 'passage' && q.context.includes(ev.passage),
    ms: a.ms,
  };
}

const share = (part: number, of: number) => (of ? part / of : 0);

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0) : 0;
}

export function summariseOpen(data: LoadedSquad, outcomes: readonly OpenOutcome[]): OpenMetrics {
  const byId = new Map(outcomes.map((o) => [o.id, o]));
  const asked = { ...data, questions: data.questions.filter((q) => byId.has(q.id)) };
  const predictions = Object.fromEntries(outcomes.map((o) => [o.id, o.answer]));
  // The no-answer odds SQuAD 2.0's best_f1 sweeps: how unsure the pipeline was of its answer.
  const nullOdds = Object.fromEntries(outcomes.map((o) => [o.id, 1 - o.score]));
  const answered = outcomes.filter((o) => !o.abstained);
  const answerable = asked.questions.filter((q) => q.answers.length > 0);
  const unanswerable = asked.questions.filter((q) => q.answers.length === 0);
  const ms = outcomes.map((o) => o.ms).sort((x, y) => x - y);
  return {
    ...evaluateSquad(asked, predictions, data.version === '2.0' ? nullOdds : undefined),
    questions: outcomes.length,
    answered_precision: share(answered.filter((o) => o.f1 >= OPEN_CORRECT_F1).length, answered.length),
    answerable_coverage: share(
      answerable.filter((q) => !byId.get(q.id)?.abstained).length,
      answerable.length,
    ),
    ...(unanswerable.length
      ? {
          unanswerable_abstained: share(
            unanswerable.filter((q) => byId.get(q.id)?.abstained).length,
            unanswerable.length,
          ),
        }
      : {}),
    own_paragraph: share(answered.filter((o) => o.ownParagraph).length, answered.length),
    latency_p50_ms: percentile(ms, 0.5),
    latency_p95_ms: percentile(ms, 0.95),
  };
}
