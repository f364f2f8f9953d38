/**
 * The CQA route: the archived questions most like the asked one, answered by their best answer
 * (accepted, else the most voted). Threads without an answer are not candidates.
 */
import type { Candidate } from '../core/types.js';
import { type Match, type Matcher, questionText } from './matcher.js';

export interface CqaAnswer {
  candidates: Candidate[];
  matches: Match[];
}

export class CqaRoute {
  constructor(private readonly matcher: Matcher) {}

  async answer(question: string, opts: { limit?: number } = {}): Promise<CqaAnswer> {
    const matches = await this.matcher.match(question, Math.max(10, opts.limit ?? 5));
    const candidates = matches.flatMap((m): Candidate[] =>
      m.answer
        ? [
            {
              text: m.answer.text,
              score: m.similarity,
              route: 'cqa',
              evidence: {
                kind: 'thread',
                threadId: String(m.thread.id),
                question: questionText(m.thread.subject, m.thread.body),
                similarity: m.similarity,
              },
            },
          ]
        : [],
    );
    return { candidates: candidates.slice(0, opts.limit ?? 5), matches };
  }
}
