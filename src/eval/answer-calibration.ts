/**
 * The ranker's second stage (Calibration.answers), fitted on what people see: the whole pipeline's
 * top answer to each question of realistic sets (reworded, out of scope, about other things), one
 * logistic map per kind of answer, σ(a · logit(p) + b). The route-level calibration is fitted on
 * benchmark questions each route was built for; this stage corrects it for everyone else's
 * questions, so that a score is the probability that the answer is right.
 */
import type { CurvePoint } from '../rank/calibration-file.js';
import { fitLogistic, sigmoid } from '../rank/logistic.js';
import type { AnswerCalibration, AnswerKind } from '../rank/ranker.js';
import { thresholds } from './calibration.js';

export interface AnswerSample {
  /** The top answer's kind and first-stage probability; undefined when no route found anything. */
  kind?: AnswerKind;
  p: number;
  correct: boolean;
  /** Whether the data can answer the question at all. */
  answerable: boolean;
}

export type AnswerMaps = Record<AnswerKind, AnswerCalibration>;

export const ANSWER_KINDS: readonly AnswerKind[] = ['kbqa', 'mrc', 'passage', 'cqa'];

/**
 * Fewer right or fewer wrong top answers than this of one kind leave its map unfitted: with one
 * or two wrong ones, the fit says every such answer is right.
 */
export const MIN_EACH = 3;
/** The precision of the prior that a descriptive answer is as likely right as a span of that score. */
const SHIFT_PRIOR = 1;
/** A map must keep higher first-stage scores higher. */
const MIN_SLOPE = 0.1;
const EPS = 1e-6;
const logit = (p: number) => {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
};

/**
 * Descriptive answers are the reader's route answering differently, and few: they share the
 * reader's map and fit only a shift of it, so a handful of them cannot tilt it.
 */
function fitShift(samples: readonly AnswerSample[], base: AnswerCalibration): AnswerCalibration {
  const offsets = samples.map((s) => base.a * logit(s.p) + base.b);
  // Newton steps on the penalised log-likelihood of one shift δ (a Gaussian prior at 0).
  let shift = 0;
  for (let it = 0; it < 50; it++) {
    let grad = -SHIFT_PRIOR * shift;
    let curv = SHIFT_PRIOR;
    samples.forEach((s, i) => {
      const p = sigmoid((offsets[i] ?? 0) + shift);
      grad += (s.correct ? 1 : 0) - p;
      curv += p * (1 - p);
    });
    const step = grad / curv;
    shift += step;
    if (Math.abs(step) < 1e-9) break;
  }
  return { a: base.a, b: base.b + shift };
}

export function fitAnswerCalibration(
  samples: readonly AnswerSample[],
  /** The maps a kind keeps when its answers are too few to fit (default: none, p as is). */
  current?: Partial<AnswerMaps>,
): {
  routes: AnswerMaps;
  notes: string[];
} {
  const notes: string[] = [];
  const routes = {} as AnswerMaps;
  for (const kind of ANSWER_KINDS) {
    const of = samples.filter((s) => s.kind === kind);
    const right = of.filter((s) => s.correct).length;
    if (kind === 'passage') {
      routes.passage = of.length ? fitShift(of, routes.mrc) : { ...routes.mrc };
      notes.push(
        `passage: the reader's map shifted by ${(routes.passage.b - routes.mrc.b).toFixed(3)} (${of.length} top answers, ${right} right)`,
      );
      continue;
    }
    if (right < MIN_EACH || of.length - right < MIN_EACH) {
      routes[kind] = current?.[kind] ?? { a: 1, b: 0 };
      notes.push(
        `${kind}: ${current?.[kind] ? 'kept' : 'left as is'} (${of.length} top answers, ${right} right)`,
      );
      continue;
    }
    const m = fitLogistic(
      ['logit_p'],
      of.map((s) => [logit(s.p)]),
      of.map((s) => (s.correct ? 1 : 0)),
    );
    const a = m.weights[0] ?? 0;
    if (a < MIN_SLOPE) notes.push(`${kind}: slope held at ${MIN_SLOPE} (fitted ${a.toFixed(3)})`);
    routes[kind] = { a: Math.max(MIN_SLOPE, a), b: m.bias };
  }
  return { routes, notes };
}

export function finalProbability(s: AnswerSample, routes: AnswerMaps): number {
  if (!s.kind) return 0;
  const { a, b } = routes[s.kind];
  return sigmoid(a * logit(s.p) + b);
}

export interface AnswerPoint extends CurvePoint {
  /** Of the answerable questions, the share answered. */
  answerableCoverage: number;
  /** Of the unanswerable questions, the share abstained on. */
  unanswerableAbstained: number | null;
}

export function answerCurve(
  samples: readonly AnswerSample[],
  routes: AnswerMaps,
  step = 0.05,
): AnswerPoint[] {
  const scored = samples.map((s) => ({ s, p: finalProbability(s, routes) }));
  const answerable = samples.filter((s) => s.answerable).length;
  const unanswerable = samples.length - answerable;
  return thresholds(step).map((threshold) => {
    const answered = scored.filter((x) => x.s.kind !== undefined && x.p >= threshold);
    const right = answered.filter((x) => x.s.correct).length;
    const answeredAnswerable = answered.filter((x) => x.s.answerable).length;
    return {
      threshold,
      coverage: samples.length ? answered.length / samples.length : 0,
      precision: answered.length ? right / answered.length : null,
      answerableCoverage: answerable ? answeredAnswerable / answerable : 0,
      unanswerableAbstained: unanswerable ? 1 - (answered.length - answeredAnswerable) / unanswerable : null,
    };
  });
}
