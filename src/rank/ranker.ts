/**
 * The ranker: puts every route's scores on one calibrated probability scale, merges equal answers
 * (same normalised text, or the same IRI/value) with their evidence, and abstains when the best
 * answer is not likely enough to be right.
 *
 * Calibration per route is Platt scaling with the router's belief as a second input:
 *   p = σ(a · logit(raw) + b + c · log(3 · w_route))
 * With uniform route weights the second term is 0; a route the router doubts is pulled down but
 * a very confident answer from it still comes through. Merged answers combine by noisy-OR, as
 * independent pieces of evidence for the same answer, one per source (passage, query, thread).
 */

import { normalizeAnswer } from '../core/answer-text.js';
import type { Candidate, CheckResult, Evidence, ParsedQuestion, RouteName } from '../core/types.js';
import { sigmoid } from './logistic.js';

export interface RouteCalibration {
  a: number;
  b: number;
  /** Weight of the router's log-belief. */
  c: number;
}

export interface Calibration {
  routes: Record<RouteName, RouteCalibration>;
  /**
   * The MRC route's parameters for readers fitted on their own: readers' scores differ in scale (a
   * distilled student is less sure than its teacher), so one mapping cannot be right for all.
   * A reader not listed gets `routes.mrc`.
   */
  readers?: Readonly<Record<string, RouteCalibration>>;
  /**
   * The second stage: per route of a merged answer's lead, σ(a · logit(p) + b), fitted on the whole
   * pipeline's top answers to realistic questions (reworded, out of scope, about other things), so
   * a score means the probability that the answer is right whichever routes ran. Absent: p as is.
   */
  answers?: AnswerCalibrations;
  /** Abstain when the best calibrated probability is below this. */
  threshold: number;
  /** Where the parameters came from (fitted file, or the defaults). */
  source: string;
}

export interface AnswerCalibration {
  a: number;
  b: number;
}

/**
 * What kind of answer a merged answer is, for the second stage: its lead's route, or 'passage' for
 * a passage given whole to a question that asked for a description. A passage offered because a
 * factoid question reads like a section's name ("what currency does Greece use" near "Economy")
 * is the reader's guess, and is weighed as one.
 */
export type AnswerKind = RouteName | 'passage';

export type AnswerCalibrations = Readonly<Record<RouteName, AnswerCalibration>> & {
  readonly passage?: AnswerCalibration;
};

export function answerKind(c: Pick<Candidate, 'route' | 'form'>, descriptive: boolean): AnswerKind {
  return c.form === 'passage' && descriptive ? 'passage' : c.route;
}

export const DEFAULT_CALIBRATION: Calibration = {
  routes: {
    kbqa: { a: 1, b: 0, c: 0.5 },
    mrc: { a: 1, b: 0, c: 0.5 },
    cqa: { a: 1, b: 0, c: 0.5 },
  },
  threshold: 0.3,
  source: 'defaults (not fitted)',
};

/** The calibration for answers read by `reader`: its own MRC parameters when it has them. */
export function forReader(cal: Calibration, reader: string | undefined): Calibration {
  const own = reader === undefined ? undefined : cal.readers?.[reader];
  if (!own) return cal;
  return {
    ...cal,
    routes: { ...cal.routes, mrc: own },
    source: `${cal.source}; mrc: fitted for reader ${reader}`,
  };
}

const EPS = 1e-6;

function logit(p: number): number {
  const q = Math.min(1 - EPS, Math.max(EPS, p));
  return Math.log(q / (1 - q));
}

/**
 * The router is trained on benchmark questions and is often near-certain (weights ~0 or ~1) on
 * questions unlike them; smoothing bounds how far its belief can move a score, so a route it
 * rules out can still answer when that route is sure (at most −0.73 logit with c = 0.5).
 */
const ROUTER_SMOOTHING = 0.1;

/**
 * A KB answer's raw score is how well a linked entity's query matched the question (kbqa/plan.ts).
 * From this match on, the router's doubt fades, gone at a near-perfect match: the router never saw
 * most KBs' questions, and a matched query is better evidence of a KB question than its wording.
 */
const KB_SURE_FROM = 0.6;
const KB_SURE_AT = 0.95;

export function calibrated(raw: number, route: RouteName, weight: number, cal: Calibration): number {
  const { a, b, c } = cal.routes[route];
  const w = (weight + ROUTER_SMOOTHING) / (1 + 3 * ROUTER_SMOOTHING);
  let prior = c * Math.log(3 * w);
  if (route === 'kbqa' && prior < 0) {
    prior *= 1 - Math.min(1, Math.max(0, (raw - KB_SURE_FROM) / (KB_SURE_AT - KB_SURE_FROM)));
  }
  return sigmoid(a * logit(raw) + b + prior);
}

function answerKey(c: Candidate): string {
  return c.value?.startsWith('http') || c.value?.startsWith('urn:')
    ? c.value
    : normalizeAnswer(c.text) || c.text;
}

/** Where a piece of evidence comes from: two spans of one passage are one source, not two. */
function sourceKey(e: Evidence): string {
  if (e.kind === 'passage') return `passage\u0000${e.docId}\u0000${e.passage}`;
  if (e.kind === 'sparql') return `sparql\u0000${e.query}`;
  return `thread\u0000${e.threadId}`;
}

/** The first item from each source, in order. */
function firstPerSource<T>(items: readonly T[], evidenceOf: (x: T) => Evidence): T[] {
  const seen = new Set<string>();
  return items.filter((x) => {
    const k = sourceKey(evidenceOf(x));
    return !seen.has(k) && Boolean(seen.add(k));
  });
}

/**
 * Equal answers become one: the best-scored one leads, the others' evidence supports it. A source
 * counts once, with its best candidate: a reader's n-best often holds "5,199 metres" and
 * "5,199 metres." from the same passage, which are not two independent pieces of evidence.
 */
export function mergeCandidates(candidates: readonly Candidate[]): Candidate[] {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const k = answerKey(c);
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups.values()]
    .map((g) => {
      const sorted = firstPerSource(
        [...g].sort((x, y) => y.score - x.score),
        (c) => c.evidence,
      );
      const lead = sorted[0] as Candidate;
      if (sorted.length === 1) return lead;
      const score = 1 - sorted.reduce((q, c) => q * (1 - c.score), 1);
      const support = firstPerSource(
        [
          lead.evidence,
          ...(lead.support ?? []),
          ...sorted.slice(1).flatMap((c) => [c.evidence, ...(c.support ?? [])]),
        ],
        (e) => e,
      ).slice(1);
      return { ...lead, score, support };
    })
    .sort((x, y) => y.score - x.score);
}

/** A question asking for a description ("tell me about…", "why…", "how does…"). */
export function isDescriptive(parsed: Partial<Pick<ParsedQuestion, 'type' | 'answerType'>>): boolean {
  return parsed.type === 'definition' || parsed.type === 'howto' || parsed.answerType === 'description';
}

/** The second stage (Calibration.answers) on merged answers, best first again. */
export function finalScores(
  merged: readonly Candidate[],
  answers: Calibration['answers'],
  descriptive = false,
): Candidate[] {
  if (!answers) return [...merged];
  return merged
    .map((c) => {
      const kind = answerKind(c, descriptive);
      const { a, b } = (kind === 'passage' ? answers.passage : undefined) ?? answers[c.route];
      return { ...c, score: sigmoid(a * logit(c.score) + b) };
    })
    .sort((x, y) => y.score - x.score);
}

export interface Ranked {
  answers: Candidate[];
  abstained: boolean;
  reason?: string;
  /** The candidates as they came, with their calibrated probabilities and checks, for explaining. */
  scored: Array<{ route: RouteName; text: string; raw: number; calibrated: number; checks?: CheckResult[] }>;
}

/**
 * The router's belief over the routes with data to answer from: a workspace with only a knowledge
 * base has only the KB route, however much the router (trained on other people's questions)
 * would have sent a question to documents. Its weights are a prior over the routes present,
 * never a veto on the only one there is. Unchanged when every route has data.
 */
export function priorOver(
  weights: Record<RouteName, number>,
  ran: readonly RouteName[],
): Record<RouteName, number> {
  if (ran.length === 0 || ran.length === Object.keys(weights).length) return weights;
  const mass = ran.reduce((sum, r) => sum + weights[r], 0);
  const out = { kbqa: 0, mrc: 0, cqa: 0 };
  for (const r of ran) out[r] = mass > 0 ? weights[r] / mass : 1 / ran.length;
  return out;
}

export function rank(
  candidates: readonly Candidate[],
  parsed: Pick<ParsedQuestion, 'routeWeights'> & Partial<Pick<ParsedQuestion, 'type' | 'answerType'>>,
  cal: Calibration,
  topK: number,
  ranRoutes: readonly RouteName[],
  /** Routes with data in the workspace (default: those that ran). */
  present: readonly RouteName[] = ranRoutes,
  /** Each candidate's verification (rank/verify.ts), in the same order: its factor scales the raw score. */
  verified: readonly ({ checks: CheckResult[]; factor: number } | undefined)[] = [],
): Ranked {
  const weights = priorOver(parsed.routeWeights, present);
  const scaled = candidates.map((c, i) => {
    const factor = verified[i]?.factor ?? 1;
    return { ...c, score: factor > 0 ? calibrated(c.score * factor, c.route, weights[c.route], cal) : 0 };
  });
  const scored = candidates.map((c, i) => {
    const checks = verified[i]?.checks;
    return {
      route: c.route,
      text: c.text,
      raw: c.score * (verified[i]?.factor ?? 1),
      calibrated: scaled[i]?.score ?? 0,
      ...(checks?.length ? { checks } : {}),
    };
  });
  const merged = finalScores(
    mergeCandidates(scaled.filter((_, i) => (verified[i]?.factor ?? 1) > 0)),
    cal.answers,
    isDescriptive(parsed),
  );
  const best = merged[0];
  if (!best) {
    const where = ranRoutes.length ? ranRoutes.join(', ') : 'no route';
    const removedBy = verified.find((v) => v && v.factor === 0)?.checks.find((c) => !c.passed);
    return {
      answers: [],
      abstained: true,
      reason: removedBy
        ? `the data cannot answer this: ${removedBy.detail}`
        : `no candidate answer was found (${where} searched)`,
      scored,
    };
  }
  if (best.score < cal.threshold) {
    return {
      answers: [],
      abstained: true,
      scored,
      reason:
        `the best answer found, "${best.text}" (${best.route}), is only ${(100 * best.score).toFixed(0)}% likely ` +
        `to be right, below the ${(100 * cal.threshold).toFixed(0)}% needed to answer`,
    };
  }
  return { answers: merged.slice(0, topK), abstained: false, scored };
}
