/**
 * KBQA on any knowledge base: question files in JSON Lines (`{question, answers, type?, split?}`,
 * one object a line) or MetaQA's form, run through the KBQA route, scored by Hits@1 (is the
 * first answer a gold one: SQuAD normalisation, numbers by value) overall, per question type and
 * per split (a set's tuning part and its held-out part are reported apart).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { QaError } from '../core/errors.js';
import { parseJson, validate } from '../core/json.js';
import type { KbqaRoute } from '../kbqa/route.js';
import { answerMatches } from './demo.js';
import { readMetaqa } from './metaqa.js';

const text = z.string().trim().min(1);
const kbQuestion = z
  .object({
    question: text,
    answers: z.array(z.union([text, z.number()]).transform(String)).min(1),
    type: text.optional(),
    split: text.optional(),
  })
  .strict();

export interface KbQuestion {
  question: string;
  answers: string[];
  type: string;
  split: string;
  where: string;
  /** MetaQA's bracketed topic, as a character span of `question`. */
  span?: [number, number];
}

/** A question file: `.jsonl` (or `.json` lines) as above, anything else as MetaQA (brackets dropped). */
export function readKbQuestions(file: string): KbQuestion[] {
  if (!/\.jsonl?$/i.test(file)) {
    return readMetaqa(file).map((q) => ({
      question: q.question,
      answers: q.answers,
      type: 'metaqa',
      split: 'all',
      where: q.where,
      span: q.span,
    }));
  }
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (e) {
    throw new QaError('not_found', 'cannot read the question file', { where: file, cause: e });
  }
  const out: KbQuestion[] = [];
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    const q = validate(kbQuestion, parseJson(where, line), where);
    out.push({
      question: q.question,
      answers: q.answers,
      type: q.type ?? 'all',
      split: q.split ?? 'all',
      where,
    });
  });
  if (out.length === 0) throw new QaError('bad_input', 'no questions', { where: file });
  return out;
}

export interface KbOutcome {
  question: string;
  type: string;
  split: string;
  correct: boolean;
  answer?: string;
  /** How the route read the question ("capital of Kenya"). */
  reading?: string;
  score?: number;
  expected: string[];
  ms: number;
}

export interface Tally {
  hits_at_1: number;
  total: number;
  answered: number;
}

export interface KbEvaluation {
  overall: Tally;
  byType: Record<string, Tally>;
  bySplit: Record<string, Tally>;
  latency_p50_ms: number;
  latency_p95_ms: number;
  outcomes: KbOutcome[];
}

function tally(outcomes: readonly KbOutcome[]): Tally {
  const n = outcomes.length || 1;
  return {
    hits_at_1: outcomes.filter((o) => o.correct).length / n,
    total: outcomes.length,
    answered: outcomes.filter((o) => o.answer !== undefined).length,
  };
}

function groupBy(outcomes: readonly KbOutcome[], key: (o: KbOutcome) => string): Record<string, Tally> {
  const groups = new Map<string, KbOutcome[]>();
  for (const o of outcomes) groups.set(key(o), [...(groups.get(key(o)) ?? []), o]);
  return Object.fromEntries(
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, tally(v)]),
  );
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/** One question's top answer, from the KBQA route alone or from the whole pipeline. */
export interface TopAnswer {
  top?: { text: string; value?: string; score: number };
  /** How the question was read ("capital of Kenya"), or why nothing was answered. */
  reading?: string;
}

/** The KBQA route alone; MetaQA's bracketed topic given to it with `brackets`. */
export function routeAnswers(route: KbqaRoute, brackets = false): (q: KbQuestion) => Promise<TopAnswer> {
  return async (q) => {
    const res = await route.answer(q.question, {
      limit: 20,
      ...(brackets && q.span ? { topicSpan: q.span } : {}),
    });
    const top = res.candidates[0];
    return {
      ...(top
        ? { top: { text: top.text, score: top.score, ...(top.value ? { value: top.value } : {}) } }
        : {}),
      ...(res.reading ? { reading: res.reading } : {}),
    };
  };
}

export async function evaluateKbqa(
  answer: (q: KbQuestion) => Promise<TopAnswer>,
  questions: readonly KbQuestion[],
  onProgress?: (done: number, total: number) => void,
): Promise<KbEvaluation> {
  const outcomes: KbOutcome[] = [];
  for (const [i, q] of questions.entries()) {
    const t0 = performance.now();
    const { top, reading } = await answer(q);
    const ms = performance.now() - t0;
    const right = (t: string) => q.answers.some((g) => answerMatches(t, g));
    outcomes.push({
      question: q.question,
      type: q.type,
      split: q.split,
      correct: top !== undefined && (right(top.text) || (top.value !== undefined && right(top.value))),
      ...(top ? { answer: top.text, score: top.score } : {}),
      ...(reading ? { reading } : {}),
      expected: q.answers,
      ms,
    });
    onProgress?.(i + 1, questions.length);
  }
  const lat = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  return {
    overall: tally(outcomes),
    byType: groupBy(outcomes, (o) => o.type),
    bySplit: groupBy(outcomes, (o) => o.split),
    latency_p50_ms: pct(lat, 50),
    latency_p95_ms: pct(lat, 95),
    outcomes,
  };
}
