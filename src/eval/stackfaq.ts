/**
 * StackFAQ (Karan & Šnajder 2018) as a second CQA check: the 125 StackExchange questions with their
 * answers are the archive, each of their 1,249 rephrasings is a query, and the hit is its own thread.
 */
import { z } from 'zod';
import { QaError } from '../core/errors.js';
import { validate } from '../core/json.js';
import type { ThreadRecord } from '../cqa/archive.js';
import type { Matcher } from '../cqa/matcher.js';
import { textLines } from '../kbqa/rdf-files.js';

const record = z.object({
  id: z.string().min(1),
  question: z.string().min(1),
  rephrasings: z.array(z.string().min(1)),
  answers: z.array(z.string()),
});

export type StackFaqRecord = z.infer<typeof record>;

export function readStackFaq(file: string): StackFaqRecord[] {
  const out: StackFaqRecord[] = [];
  for (const [line, no] of textLines(file, () => {})) {
    if (!line.trim()) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new QaError('bad_input', 'not valid JSON', { where: `${file}:${no}`, cause: e });
    }
    out.push(validate(record, v, `${file}:${no}`));
  }
  return out;
}

/** Earlier answers rank higher: the file lists a thread's answers best first. */
export function stackFaqThreads(records: readonly StackFaqRecord[]): ThreadRecord[] {
  return records.map((r) => ({
    key: `stackfaq:${r.id}`,
    subject: r.question,
    body: '',
    tags: [],
    answers: r.answers.map((text, i) => ({
      key: `stackfaq:${r.id}/${i}`,
      text,
      votes: r.answers.length - i,
      accepted: false,
    })),
  }));
}

export interface StackFaqMetrics {
  queries: number;
  p_at_1: number;
  mrr: number;
  recall_at_5: number;
}

/** Ranks every thread for each rephrasing (the matcher's candidate search, then its scores). */
export async function evaluateStackFaq(
  matcher: Matcher,
  records: readonly StackFaqRecord[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<StackFaqMetrics> {
  const ids = matcher.archive.idsForKeys(records.map((r) => `stackfaq:${r.id}`));
  const queries = records.flatMap((r) => r.rephrasings.map((q) => ({ q, id: ids.get(`stackfaq:${r.id}`) })));
  let p1 = 0;
  let rr = 0;
  let r5 = 0;
  for (const [i, { q, id }] of queries.entries()) {
    const ranked = (await matcher.match(q, 100)).map((m) => m.thread.id);
    const rank = ranked.indexOf(id ?? -1) + 1;
    if (rank === 1) p1++;
    if (rank > 0) rr += 1 / rank;
    if (rank > 0 && rank <= 5) r5++;
    onProgress(i + 1, queries.length);
  }
  const n = queries.length;
  return { queries: n, p_at_1: p1 / n, mrr: rr / n, recall_at_5: r5 / n };
}
