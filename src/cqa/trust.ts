/**
 * How far an archived answer can be trusted, apart from how well its thread matches the question.
 *
 * Reference answers (imported from a curated source: an FAQ, a dump with its own moderation) and
 * answers accepted by the asker are vetted. A community answer is trusted by its votes: unvoted it
 * is one person's word, and down-voted it is disputed. An unvetted answer never outranks a vetted
 * one the archive also matched (CqaRoute caps it below), however close its thread's wording.
 */
import type { Answer, Thread } from './archive.js';

/** Where posts made in the web UI and the API are stored (`Archive.post`). */
export const COMMUNITY_SOURCE = 'community';

export interface Trust {
  /** Multiplies the thread's match: 1 for a vetted answer, less for one nobody vouched for. */
  quality: number;
  /** Accepted by the asker, or imported from a curated source. */
  vetted: boolean;
  /** In words, for explaining. */
  why: string;
}

/** An unvoted community answer: one person's word. */
const UNVOTED = 0.6;
/** How many up-votes make a community answer nearly as good as a vetted one. */
const VOTE_SCALE = 3;

export function trustOf(answer: Answer, thread: Pick<Thread, 'source'>): Trust {
  if (answer.accepted) return { quality: 1, vetted: true, why: 'accepted answer' };
  if (thread.source !== COMMUNITY_SOURCE) {
    // Imported archives keep their own votes: a down-voted imported answer is disputed too.
    const quality = answer.votes < 0 ? Math.exp(answer.votes / VOTE_SCALE) : 1;
    return { quality, vetted: answer.votes >= 0, why: `imported from ${thread.source}` };
  }
  if (answer.votes > 0) {
    const quality = UNVOTED + (1 - UNVOTED) * (1 - Math.exp(-answer.votes / VOTE_SCALE));
    return { quality, vetted: false, why: `community answer, ${answer.votes} up-vote(s)` };
  }
  if (answer.votes < 0) {
    return {
      quality: UNVOTED * Math.exp(answer.votes / 2),
      vetted: false,
      why: 'community answer, down-voted',
    };
  }
  return { quality: UNVOTED, vetted: false, why: 'community answer, not yet voted on or accepted' };
}
