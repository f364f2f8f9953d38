/**
 * The unanswered-questions report: what people asked that got no answer, or an answer marked
 * wrong, grouped by meaning (sentence-encoder cosine, greedy, most asked first) with counts — the
 * content owner's to-do list.
 */
import type { VectorEncoder } from '../core/types.js';
import { foldLabel } from '../core/words.js';
import type { FeedbackStore } from './store.js';

export interface UnansweredGroup {
  /** The wording asked most often in the group. */
  question: string;
  count: number;
  /** Other wordings, most asked first. */
  variants: string[];
  /** How many of them were answers marked wrong (the rest were abstained on). */
  markedWrong: number;
  lastAsked: string;
}

/** Two questions this close in meaning are one item of the to-do list. */
export const SAME_QUESTION = 0.8;

interface Asked {
  question: string;
  wrong: boolean;
  at: string;
}

export async function unansweredReport(
  store: FeedbackStore,
  encoder: VectorEncoder | undefined,
): Promise<UnansweredGroup[]> {
  const asked: Asked[] = [
    ...store.unanswered().map((u) => ({ question: u.question, wrong: false, at: u.askedAt })),
    ...store
      .all()
      .filter((f) => !f.helpful)
      .map((f) => ({ question: f.question, wrong: true, at: f.createdAt })),
  ];
  // The same words are one wording; wordings are grouped by meaning.
  const wordings = new Map<string, Asked[]>();
  for (const a of asked) {
    const key = foldLabel(a.question);
    wordings.set(key, [...(wordings.get(key) ?? []), a]);
  }
  const list = [...wordings.values()].sort((x, y) => y.length - x.length);
  const texts = list.map((w) => (w[0] as Asked).question);
  const vectors = encoder && texts.length ? await encoder.encode(texts) : undefined;
  const dim = encoder?.dim ?? 0;
  const cos = (i: number, j: number) => {
    if (!vectors) return 0;
    let s = 0;
    for (let k = 0; k < dim; k++) s += (vectors[i * dim + k] as number) * (vectors[j * dim + k] as number);
    return s;
  };
  const groups: { lead: number; members: number[] }[] = [];
  list.forEach((_, i) => {
    const home = groups.find((g) => cos(g.lead, i) >= SAME_QUESTION);
    if (home) home.members.push(i);
    else groups.push({ lead: i, members: [i] });
  });
  return groups
    .map((g) => {
      const all = g.members.flatMap((i) => list[i] ?? []);
      return {
        question: texts[g.lead] as string,
        count: all.length,
        variants: g.members.slice(1).map((i) => texts[i] as string),
        markedWrong: all.filter((a) => a.wrong).length,
        lastAsked:
          all
            .map((a) => a.at)
            .sort()
            .at(-1) ?? '',
      };
    })
    .sort((a, b) => b.count - a.count || b.lastAsked.localeCompare(a.lastAsked));
}
