/**
 * The CQA route: the archived questions most like the asked one, answered by their best answer
 * (accepted, else the most voted). Threads without an answer are not candidates.
 *
 * A candidate's score is its thread's match times its answer's trust (trust.ts), and an unvetted
 * answer is kept below every vetted one the archive matched well: a post from a minute ago with
 * no votes never outranks the FAQ's own answer.
 */
import type { Candidate } from '../core/types.js';
import { type Match, type Matcher, questionText } from './matcher.js';
import { trustOf } from './trust.js';

export interface CqaAnswer {
  candidates: Candidate[];
  matches: Match[];
}

/** How far below the best vetted answer an unvetted one is kept. */
const BELOW = 0.95;
/**
 * A vetted answer matched this well is a real competitor; below it, an unvetted answer stands on
 * its own (at its lower trust): an FAQ entry that barely matches is not a reason to hide a
 * community answer to a question the FAQ does not cover.
 */
const COMPETING = 0.3;

export class CqaRoute {
  constructor(private readonly matcher: Matcher) {}

  async answer(question: string, opts: { limit?: number } = {}): Promise<CqaAnswer> {
    const matches = await this.matcher.match(question, Math.max(10, opts.limit ?? 5));
    const scored = matches.flatMap((m) => {
      if (!m.answer) return [];
      const trust = trustOf(m.answer, m.thread);
      return [{ m, answer: m.answer, trust, score: m.similarity * trust.quality }];
    });
    const bestVetted = Math.max(0, ...scored.filter((x) => x.trust.vetted).map((x) => x.score));
    const cap = bestVetted >= COMPETING ? bestVetted * BELOW : Number.POSITIVE_INFINITY;
    const candidates = scored
      .map(
        ({ m, answer, trust, score }): Candidate => ({
          text: answer.text,
          score: trust.vetted ? score : Math.min(score, cap),
          route: 'cqa',
          evidence: {
            kind: 'thread',
            threadId: String(m.thread.id),
            question: questionText(m.thread.subject, m.thread.body),
            similarity: m.similarity,
            vetted: trust.vetted,
            trust: trust.why,
          },
        }),
      )
      .sort((a, b) => b.score - a.score);
    return { candidates: candidates.slice(0, opts.limit ?? 5), matches };
  }
}
