/**
 * The demo question set (`tests/demo-questions.json`): questions a visitor would ask the bundled
 * data, each with what counts as right — acceptable answers (kbqa, mrc), the archive thread whose
 * answer must come back (cqa), or an abstention (unanswerable). Judging is pure; running the
 * questions through the pipeline is the CLI's job.
 */
import { z } from 'zod';
import { normalizeAnswer } from '../core/answer-text.js';
import { readJsonFile, validate } from '../core/json.js';
import type { Answer, RouteName } from '../core/types.js';

const text = z.string().trim().min(1);

/** Tune questions may guide development; held-out ones never do, and are reported apart. */
const split = z.enum(['tune', 'held-out']).optional();

export const demoQuestion = z.discriminatedUnion('route', [
  z
    .object({ id: text, route: z.literal('kbqa'), question: text, answers: z.array(text).min(1), split })
    .strict(),
  z
    .object({
      id: text,
      route: z.literal('mrc'),
      question: text,
      answers: z.array(text).min(1).optional(),
      /** A descriptive question: the title of the passage that must come back whole. */
      passage: text.optional(),
      split,
    })
    .strict()
    .refine((q) => (q.answers === undefined) !== (q.passage === undefined), {
      message: 'an mrc question needs either "answers" or "passage", not both',
    }),
  z.object({ id: text, route: z.literal('cqa'), question: text, thread: text, split }).strict(),
  z
    .object({ id: text, route: z.literal('none'), question: text, unanswerable: z.literal(true), split })
    .strict(),
]);

export const demoFileSchema = z
  .object({ about: z.string().optional(), questions: z.array(demoQuestion).min(1) })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Set<string>();
    f.questions.forEach((q, i) => {
      if (seen.has(q.id)) {
        ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `duplicate id "${q.id}"` });
      }
      seen.add(q.id);
    });
  });

export type DemoQuestion = z.infer<typeof demoQuestion>;
export type DemoGroup = RouteName | 'none';
export const DEMO_GROUPS: readonly DemoGroup[] = ['kbqa', 'mrc', 'cqa', 'none'];

export function readDemoQuestions(file: string): DemoQuestion[] {
  return validate(demoFileSchema, readJsonFile(file), file).questions;
}

/** A number written with digit grouping, an optional unit or currency sign: "45,925,301 people". */
function numberIn(s: string): number | undefined {
  const m = /^[^\d-]*(-?\d[\d,\s]*(?:\.\d+)?)(?:\s*\D*)$/u.exec(s.trim());
  if (!m?.[1]) return undefined;
  const n = Number(m[1].replace(/[,\s]/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** SQuAD's normalised exact match, or equal numbers however they are grouped or united. */
export function answerMatches(predicted: string, gold: string): boolean {
  if (normalizeAnswer(predicted) === normalizeAnswer(gold)) return true;
  const p = numberIn(predicted);
  const g = numberIn(gold);
  return p !== undefined && g !== undefined && /^\s*-?[\d,.\s]+\s*$/.test(gold) && p === g;
}

export interface DemoOutcome {
  id: string;
  group: DemoGroup;
  split?: 'tune' | 'held-out';
  question: string;
  correct: boolean;
  abstained: boolean;
  /** The top answer as given, when there is one. */
  answer?: string;
  /** The route of the top answer. */
  route?: RouteName;
  score?: number;
  expected: string;
  ms: number;
}

export function judge(q: DemoQuestion, a: Answer): DemoOutcome {
  const top = a.abstained ? undefined : a.answers[0];
  let correct: boolean;
  let expected: string;
  if (q.route === 'none') {
    correct = a.abstained;
    expected = 'abstain';
  } else if (q.route === 'cqa') {
    correct = top?.evidence.kind === 'thread' && top.evidence.question === q.thread;
    expected = `thread "${q.thread}"`;
  } else if (q.route === 'mrc' && q.passage !== undefined) {
    correct = top?.evidence.kind === 'passage' && top.evidence.title === q.passage && top.form === 'passage';
    expected = `passage "${q.passage}"`;
  } else {
    const answers = q.answers ?? [];
    correct = top !== undefined && answers.some((g) => answerMatches(top.text, g));
    expected = answers.join(' | ');
  }
  return {
    id: q.id,
    group: q.route,
    ...(q.split ? { split: q.split } : {}),
    question: q.question,
    correct,
    abstained: a.abstained,
    ...(top ? { answer: top.text, route: top.route, score: top.score } : {}),
    expected,
    ms: a.ms,
  };
}

export interface DemoGroupMetrics {
  total: number;
  correct: number;
  accuracy: number;
  abstained: number;
}

export interface DemoMetrics {
  /** Share of all questions judged right, 0..1. */
  accuracy: number;
  total: number;
  /** Share of all questions the system abstained on. */
  abstention_rate: number;
  /** Share of the answerable questions answered wrongly rather than abstained on. */
  wrong_answer_rate: number;
  /** Of the questions answered at all, the share answered wrongly (answerable or not). */
  answered_wrong_rate: number;
  /** Share of the answerable questions given an answer (right or wrong). */
  answerable_coverage: number;
  /** Share of the unanswerable questions abstained on. */
  unanswerable_abstained: number;
  per_group: Record<DemoGroup, DemoGroupMetrics>;
  latency_p50_ms: number;
}

export function summarise(outcomes: readonly DemoOutcome[]): DemoMetrics {
  const per_group = Object.fromEntries(
    DEMO_GROUPS.map((g) => {
      const of = outcomes.filter((o) => o.group === g);
      const correct = of.filter((o) => o.correct).length;
      const metrics: DemoGroupMetrics = {
        total: of.length,
        correct,
        accuracy: of.length ? correct / of.length : 0,
        abstained: of.filter((o) => o.abstained).length,
      };
      return [g, metrics];
    }),
  ) as Record<DemoGroup, DemoGroupMetrics>;
  const answerable = outcomes.filter((o) => o.group !== 'none');
  const unanswerable = outcomes.filter((o) => o.group === 'none');
  const answered = outcomes.filter((o) => !o.abstained);
  const share = (part: number, of: number) => (of ? part / of : 0);
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const n = outcomes.length;
  return {
    accuracy: n ? outcomes.filter((o) => o.correct).length / n : 0,
    total: n,
    abstention_rate: n ? outcomes.filter((o) => o.abstained).length / n : 0,
    wrong_answer_rate: answerable.length
      ? answerable.filter((o) => !o.correct && !o.abstained).length / answerable.length
      : 0,
    answered_wrong_rate: share(answered.filter((o) => !o.correct).length, answered.length),
    answerable_coverage: share(answerable.filter((o) => !o.abstained).length, answerable.length),
    unanswerable_abstained: share(unanswerable.filter((o) => o.abstained).length, unanswerable.length),
    per_group,
    latency_p50_ms: ms.length ? (ms[Math.floor((ms.length - 1) / 2)] ?? 0) : 0,
  };
}
