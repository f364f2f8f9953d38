/**
 * Fitting the ranker's calibration on held-out labelled candidates, and the coverage–precision
 * curve the abstention threshold is chosen from.
 *
 * A route's candidates for a question are labelled right or wrong (MRC: F1 ≥ 0.5 against a gold
 * answer, never right for an unanswerable question; CQA: the candidate thread is relevant; KBQA: a
 * gold answer, on the KB's own questions and on other routes' questions it should not answer), and
 * p = σ(a · logit(raw) + b + c · log(3 · w̃)) is fitted per route by logistic regression. The curve
 * takes each question's best calibrated candidate: answered when it clears the threshold, right
 * when that candidate is; a question with no right candidate should be abstained on.
 */
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import { loadSquad } from '../core/squad-data.js';
import type { ParsedQuestion, RouteName, VectorEncoder } from '../core/types.js';
import { Archive } from '../cqa/archive.js';
import { readSemevalQuestions, semevalThreads } from '../cqa/import.js';
import { Matcher, questionText } from '../cqa/matcher.js';
import type { KbqaRoute } from '../kbqa/route.js';
import type { ExtractiveReader } from '../mrc/reader.js';
import type { MrcRoute } from '../mrc/route.js';
import type { CurvePoint } from '../rank/calibration-file.js';
import { fitLogistic, type LogisticModel } from '../rank/logistic.js';
import { type Calibration, calibrated, type RouteCalibration } from '../rank/ranker.js';
import { answerMatches } from './demo.js';
import { f1Score } from './squad.js';

export interface LabelledCandidate {
  route: RouteName;
  /** The route's own score. */
  raw: number;
  /** The router's (unsmoothed) weight for the route. */
  weight: number;
  correct: boolean;
}

/** One question's candidates, from every route that ran; none means the routes found nothing. */
export type HeldOutQuestion = readonly LabelledCandidate[];

const only = (part: RouteCalibration): Calibration => ({
  routes: { kbqa: part, mrc: part, cqa: part },
  threshold: 0,
  source: 'feature extraction',
});
const RAW_TERM = only({ a: 1, b: 0, c: 0 });
const ROUTER_TERM = only({ a: 0, b: 0, c: 1 });
const logit = (p: number) => Math.log(p / (1 - p));

/**
 * [logit(raw), log(3 · w̃)], read back through `calibrated` with one term switched on at a time, so
 * the clamping and router smoothing are exactly those the ranker applies a, b and c to.
 */
export function calibrationFeatures(c: Pick<LabelledCandidate, 'route' | 'raw' | 'weight'>): number[] {
  return [
    logit(calibrated(c.raw, c.route, c.weight, RAW_TERM)),
    logit(calibrated(c.raw, c.route, c.weight, ROUTER_TERM)),
  ];
}

/** Below this standard deviation of log(3 · w̃) the router term cannot be told apart from the bias. */
export const MIN_ROUTER_SPREAD = 0.1;

/**
 * The most weight the router's belief may get. Held-out questions come from benchmarks the router
 * was trained on, so on them it is nearly always right and a free fit gives it the last word
 * (c ≈ 3: a sure KB answer to a question worded like SQuAD's fell to 13%); the ranker's rule is
 * that routing weighs answers but never hides a sure one. At c = 1 it moves a score by at most
 * 1.5 logits.
 */
export const MAX_ROUTER_WEIGHT = 1;

export interface RouteFit {
  calibration: RouteCalibration;
  /** Standard deviation of log(3 · w̃) over the candidates. */
  routerSpread: number;
  /** How c was set: fitted; kept (the router term barely varied); or held at MAX_ROUTER_WEIGHT. */
  c: 'fitted' | 'kept' | 'capped';
}

/**
 * a, b, c for one route; undefined when the candidates are not both right and wrong somewhere.
 * Benchmark questions are the router's own kind, so its weight for their route is nearly always
 * the same and c is not identifiable: the fit would just split the bias. Then c keeps `keepC` and
 * its (near-constant) term is an offset folded into b.
 */
export function fitRouteCalibration(
  cands: readonly LabelledCandidate[],
  keepC: number,
): RouteFit | undefined {
  if (!cands.some((c) => c.correct) || cands.every((c) => c.correct)) return undefined;
  const xs = cands.map(calibrationFeatures);
  const ys = cands.map((c) => (c.correct ? 1 : 0));
  const router = xs.map((x) => x[1] ?? 0);
  const mean = router.reduce((s, v) => s + v, 0) / router.length;
  const routerSpread = Math.sqrt(router.reduce((s, v) => s + (v - mean) ** 2, 0) / router.length);
  if (routerSpread >= MIN_ROUTER_SPREAD) {
    const m = fitLogistic(['logit_raw', 'log_router'], xs, ys);
    const c = m.weights[1] ?? 0;
    if (c <= MAX_ROUTER_WEIGHT) {
      return { calibration: { a: m.weights[0] ?? 0, b: m.bias, c }, routerSpread, c: 'fitted' };
    }
    // Held at the cap: a and b are fitted with the router term as a fixed offset.
    const held = fitLogistic(
      ['logit_raw'],
      xs.map((x) => [x[0] ?? 0]),
      ys,
      { offsets: router.map((r) => MAX_ROUTER_WEIGHT * r) },
    );
    return {
      calibration: { a: held.weights[0] ?? 0, b: held.bias, c: MAX_ROUTER_WEIGHT },
      routerSpread,
      c: 'capped',
    };
  }
  const m = fitLogistic(
    ['logit_raw'],
    xs.map((x) => [x[0] ?? 0]),
    ys,
  );
  return {
    calibration: { a: m.weights[0] ?? 0, b: m.bias - keepC * mean, c: keepC },
    routerSpread,
    c: 'kept',
  };
}

/** The question's best candidate after calibration, as the ranker would put it first. */
export function bestCandidate(
  q: HeldOutQuestion,
  cal: Calibration,
): { probability: number; correct: boolean } | undefined {
  let best: { probability: number; correct: boolean } | undefined;
  for (const c of q) {
    const probability = calibrated(c.raw, c.route, c.weight, cal);
    if (!best || probability > best.probability) best = { probability, correct: c.correct };
  }
  return best;
}

/**
 * Each question's highest-scored candidate: the one the threshold is applied to, so fitting on these
 * calibrates where abstention is decided rather than among the many low-scored spans below it.
 */
export function topCandidates(questions: readonly HeldOutQuestion[]): LabelledCandidate[] {
  return questions.flatMap((q) => {
    const top = q.reduce<LabelledCandidate | undefined>((b, c) => (b && b.raw >= c.raw ? b : c), undefined);
    return top ? [top] : [];
  });
}

/** Thresholds 0, step, …, 1 (rounded, so 0.15 is 0.15). */
export function thresholds(step = 0.05): number[] {
  const n = Math.round(1 / step);
  return Array.from({ length: n + 1 }, (_, i) => Math.round((i / n) * 1e6) / 1e6);
}

/** Coverage (share answered) and precision (share of the answered that are right) per threshold. */
export function coverageCurve(
  questions: readonly HeldOutQuestion[],
  cal: Calibration,
  step = 0.05,
): CurvePoint[] {
  const best = questions.map((q) => bestCandidate(q, cal));
  return thresholds(step).map((threshold) => {
    // The ranker abstains only when the best score is below the threshold.
    const answered = best.filter((b) => b !== undefined && b.probability >= threshold);
    const right = answered.filter((b) => b?.correct).length;
    return {
      threshold,
      coverage: questions.length ? answered.length / questions.length : 0,
      precision: answered.length ? right / answered.length : null,
    };
  });
}

/**
 * The smallest threshold whose precision reaches the target; when none does, the one with the
 * highest precision (`met` false), so the choice is still the most careful one measured.
 */
export function chooseThreshold(
  curve: readonly CurvePoint[],
  target: number,
): { threshold: number; met: boolean } {
  const hit = curve.find((p) => p.precision !== null && p.precision >= target);
  if (hit) return { threshold: hit.threshold, met: true };
  let best: CurvePoint | undefined;
  for (const p of curve) {
    if (p.precision !== null && (best?.precision ?? -1) < p.precision) best = p;
  }
  return { threshold: best?.threshold ?? 1, met: false };
}

/** `n` items spread evenly over the list (every article, answerable and not), in file order. */
export function sampleEvenly<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

export const MRC_CORRECT_F1 = 0.5;

/** SQuAD questions asked through the MRC route over the file's contexts (already ingested). */
export async function squadHeldOut(opts: {
  file: string;
  limit: number;
  route: MrcRoute;
  reader: ExtractiveReader;
  parse: (text: string) => ParsedQuestion;
  onQuestion?: (done: number, total: number) => void;
}): Promise<{ questions: HeldOutQuestion[]; unanswerable: number }> {
  const sample = sampleEvenly(loadSquad(opts.file).questions, opts.limit);
  if (sample.length === 0) throw new QaError('bad_input', 'no questions', { where: opts.file });
  const questions: HeldOutQuestion[] = [];
  for (const [i, q] of sample.entries()) {
    const parsed = opts.parse(q.question);
    const { candidates } = await opts.route.answer(parsed.normalized, opts.reader);
    questions.push(
      candidates.map((c) => ({
        route: 'mrc',
        raw: c.score,
        weight: parsed.routeWeights.mrc,
        correct: !q.isImpossible && q.answers.some((g) => f1Score(g, c.text) >= MRC_CORRECT_F1),
      })),
    );
    opts.onQuestion?.(i + 1, sample.length);
  }
  return { questions, unanswerable: sample.filter((q) => q.isImpossible).length };
}

const RELEVANT = new Set(['PerfectMatch', 'Relevant']);

/**
 * SemEval-2016 subtask B: each original question's 10 candidate threads scored by the installed
 * matcher, over an archive of the training and evaluated questions' threads (as `runSemeval`).
 */
export async function semevalHeldOut(opts: {
  db: Db;
  evalFile: string;
  archiveFiles: readonly string[];
  model: LogisticModel;
  encoder?: { name: string; encoder: VectorEncoder };
  parse: (text: string) => ParsedQuestion;
  onVectors?: (done: number, total: number) => void;
}): Promise<HeldOutQuestion[]> {
  const test = readSemevalQuestions(opts.evalFile);
  if (test.length === 0) throw new QaError('bad_input', 'no questions', { where: opts.evalFile });
  const archive = new Archive(opts.db);
  archive.import(
    'semeval',
    semevalThreads([...opts.archiveFiles.flatMap((f) => readSemevalQuestions(f)), ...test]),
  );
  const matcher = new Matcher(archive, opts.model, opts.encoder);
  await matcher.refresh(opts.onVectors);
  const ids = archive.idsForKeys(test.flatMap((q) => q.candidates.map((c) => `semeval:${c.id}`)));
  const questions: HeldOutQuestion[] = [];
  for (const q of test) {
    const parsed = opts.parse(questionText(q.subject, q.body));
    const threadIds = q.candidates.map((c) => {
      const id = ids.get(`semeval:${c.id}`);
      if (id === undefined) throw new QaError('internal', `candidate ${c.id} missing from the archive`);
      return id;
    });
    const scores = await matcher.score(parsed.normalized, threadIds);
    questions.push(
      q.candidates.map((c, i) => ({
        route: 'cqa',
        raw: scores[i] ?? 0,
        weight: parsed.routeWeights.cqa,
        correct: RELEVANT.has(c.relevance),
      })),
    );
  }
  return questions;
}

/**
 * The KBQA route's top answer to held-out questions about its KB (right when it is a gold answer)
 * and to other routes' questions (`others`, right only when a gold answer matches, F1 ≥ 0.5): the
 * second kind is where a KB answer must come out unlikely — a question about a treaty that names
 * Japan must not be answered with Japan's independence date.
 */
export async function kbqaHeldOut(opts: {
  route: KbqaRoute;
  questions: ReadonlyArray<{ question: string; answers: readonly string[] }>;
  others: ReadonlyArray<{ question: string; answers: readonly string[] }>;
  parse: (text: string) => ParsedQuestion;
  onQuestion?: (done: number, total: number) => void;
}): Promise<{ own: HeldOutQuestion[]; others: HeldOutQuestion[] }> {
  const total = opts.questions.length + opts.others.length;
  let done = 0;
  const ask = async (question: string, right: (text: string) => boolean): Promise<HeldOutQuestion> => {
    const parsed = opts.parse(question);
    const { candidates } = await opts.route.answer(parsed.normalized, { limit: 20 });
    opts.onQuestion?.(++done, total);
    return candidates.map((c) => ({
      route: 'kbqa',
      raw: c.score,
      weight: parsed.routeWeights.kbqa,
      // A value is shown formatted ("12 December 1963") but kept as written ("1963-12-12").
      correct: right(c.text) || (c.value !== undefined && right(c.value)),
    }));
  };
  const own: HeldOutQuestion[] = [];
  for (const q of opts.questions) {
    own.push(await ask(q.question, (t) => q.answers.some((g) => answerMatches(t, g))));
  }
  const others: HeldOutQuestion[] = [];
  for (const q of opts.others) {
    others.push(await ask(q.question, (t) => q.answers.some((g) => f1Score(g, t) >= MRC_CORRECT_F1)));
  }
  return { own, others };
}
