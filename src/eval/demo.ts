/**
 * The demo question set (`tests/demo-questions.json`): questions a visitor would ask the bundled
 * data, each with what counts as right — acceptable answers (kbqa, mrc), the archive thread whose
 * answer must come back (cqa), or an abstention (unanswerable). Judging is pure; running the
 * questions through the pipeline is the CLI's job.
 */
import { z } from 'zod';
import { readJsonFile, validate } from '../core/json.js';
import type { Answer, RouteName } from '../core/types.js';
import { normalizeAnswer } from './squad.js';

const text = z.string().trim().min(1);

const demoQuestion = z.discriminatedUnion('route', [
  z
    .object({ id: text, route: z.enum(['kbqa', 'mrc']), question: text, answers: z.array(text).min(1) })
    .strict(),
  z.object({ id: text, route: z.literal('cqa'), question: text, thread: text }).strict(),
  z.object({ id: text, route: z.literal('none'), question: text, unanswerable: z.literal(true) }).strict(),
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
  } else {
    correct = top !== undefined && q.answers.some((g) => answerMatches(top.text, g));
    expected = q.answers.join(' | ');
  }
  return {
    id: q.id,
    group: q.route,
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
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const n = outcomes.length;
  return {
    accuracy: n ? outcomes.filter((o) => o.correct).length / n : 0,
    total: n,
    abstention_rate: n ? outcomes.filter((o) => o.abstained).length / n : 0,
    wrong_answer_rate: answerable.length
      ? answerable.filter((o) => !o.correct && !o.abstained).length / answerable.length
      : 0,
    per_group,
    latency_p50_ms: ms.length ? (ms[Math.floor((ms.length - 1) / 2)] ?? 0) : 0,
  };
}
