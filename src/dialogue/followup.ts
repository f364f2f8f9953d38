/**
 * Follow-up questions made standalone, without a generative model: a follow-up's pronoun ("it",
 * "its", "there", "he") or ellipsis ("and Chile?", "what about its area?", "the population?") is
 * rewritten against what the conversation was about. Each reading the words allow is a candidate
 * rewrite, most likely first; the pipeline asks them in turn and keeps the first it can answer
 * with confidence, so the data, not a guess about English, decides between "Hanoi" and "Vietnam"
 * for the "it" of "what currency does it use?".
 */

/** Earlier turns read; older ones are left out (and refused over the API). */
export const MAX_HISTORY = 20;

/** Something a turn was about: a KB entity, a document's subject, or a name as written. */
export interface Topic {
  label: string;
  /** The KB entity's IRI or the documents' subject key, when the workspace knows it. */
  id?: string;
}

/** A name found in a text: what it names, and the words that name it there. */
export interface Named extends Topic {
  start: number;
  end: number;
  surface: string;
}

/** Finds the things a text names that the workspace knows (KB entities, document subjects). */
export type FindNames = (text: string) => Named[];

/** An earlier turn as the resolver sees it. */
export interface PriorTurn {
  question: string;
  /** The standalone question it was answered as. */
  resolved: string;
  /** What it was about, with the words that name it in `resolved`. */
  topic?: Topic & { surface?: string };
  /** The answer shown, or undefined when the system abstained. */
  answer?: string;
}

export interface Rewrite {
  resolved: string;
  topic?: Topic;
}

const PERSONAL = /\b(he|him|his|she|her|hers)\b/i;
// A possessive ("its capital") most often means what the conversation is about; a pronoun standing
// for a thing ("how high is it", "live there", "when did he die") most often the last answer.
const POSSESSIVE = /\b(its|their|theirs|his|her|hers)\b/i;
// "it's" is "it is"; "there" is a place unless it opens or follows a form of "be" ("is there a…").
const REFERRING =
  /\b(its|it|they|them|their|theirs|he|him|his|she|her|hers|that one|this one|(?:that|this|the same) (?:country|city|place|one|mountain|language|currency))\b|(?<!\b(?:is|are|was|were|be)\s)\bthere\b(?!\s+(?:is|are|was|were|be|a|an|any|some)\b)/i;
const LEAD =
  /^\s*(?:(?:and|so|ok|okay|then|also|now|and then)\s+)*(?:(?:what|how)\s+about|same\s+for|and\s+for)?\s*/i;
/** Opened like a follow-up: "and…", "so…", "what about…". */
const LEAD_WORD = /^\s*(?:and|so|also|then|what about|how about)\b/i;
const WH = /\b(?:what|which|who|whom|whose|where|when|why|how)\b/i;
// Words that only frame a fragment: "and in Australia?", "and of Morocco?".
const FRAME_PREPOSITION = /^(?:in|of|for|on|at|from|with)\s+/i;
const BACK_TO = /^\s*(?:back to|returning to|going back to|about)\s+[^:,;?]+[:,;]\s*/i;

const PRONOUN = new RegExp(`^(?:${REFERRING.source})$`, 'i');

/** A pronoun is never the name of what it refers to, whatever a KB holds ("he" is a language code). */
export function isPronoun(words: string): boolean {
  return PRONOUN.test(words.trim());
}

/** Capitalised, as a question stands on its own. */
function sentence(s: string): string {
  const t = s.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}`;
}

function possessive(label: string): string {
  return /s$/i.test(label) ? `${label}'` : `${label}'s`;
}

/** The question with its referring words replaced by `to`. */
function substitute(question: string, to: Topic): string {
  const re = new RegExp(REFERRING.source, 'gi');
  return question.replace(re, (word) => {
    const w = word.toLowerCase();
    if (w === 'its' || w === 'their' || w === 'theirs' || w === 'his' || w === 'hers')
      return possessive(to.label);
    if (w === 'her') return to.label;
    if (w === 'there') return `in ${to.label}`;
    return to.label;
  });
}

/**
 * A fragment: what is left after "and", "what about"…, when it is a short phrase with no question
 * word of its own ("Chile", "its capital", "the population", "in Australia"); without such an
 * opening, at most three words.
 */
function fragmentOf(question: string): string | undefined {
  const rest = question
    .replace(LEAD, '')
    .replace(/[?.!\s]+$/u, '')
    .trim();
  const words = rest.split(/\s+/).length;
  if (rest === '' || WH.test(rest) || words > (LEAD_WORD.test(question) ? 5 : 3)) return undefined;
  return rest;
}

/** The earlier topics, most recent first, without repeats. */
function topicsOf(prior: readonly PriorTurn[]): Topic[] {
  const seen = new Set<string>();
  const out: Topic[] = [];
  for (const t of [...prior].reverse()) {
    if (!t.topic) continue;
    const key = t.topic.id ?? t.topic.label.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(t.topic);
  }
  return out;
}

/** The previous answer as a thing to refer to: short, not a number or a date. */
function answerAsTopic(answer: string | undefined, find: FindNames): Topic | undefined {
  if (!answer) return undefined;
  const text = answer.trim();
  if (text.length === 0 || text.length > 60 || /^[\d\s.,%$€£-]+$/.test(text) || /\d{3,}/.test(text))
    return undefined;
  if (text.split(/\s+/).length > 5 || !/\p{Lu}/u.test(text)) return undefined;
  const named = find(text).find((n) => n.start === 0 && n.end === text.length);
  return named ? { label: named.label, ...(named.id ? { id: named.id } : {}) } : { label: text };
}

function unique(rewrites: readonly Rewrite[]): Rewrite[] {
  const seen = new Set<string>();
  return rewrites.filter(
    (r) => !seen.has(r.resolved.toLowerCase()) && Boolean(seen.add(r.resolved.toLowerCase())),
  );
}

/**
 * Standalone readings of `question` after `prior` turns, most likely first. A question that names
 * what it is about and refers to nothing earlier stands alone (a new topic); its one reading is
 * itself.
 */
export function rewrites(question: string, prior: readonly PriorTurn[], find: FindNames): Rewrite[] {
  const q = question.trim();
  const named = find(q).filter((n) => !isPronoun(n.surface));
  const own: Topic | undefined = named[0]
    ? { label: named[0].label, ...(named[0].id ? { id: named[0].id } : {}) }
    : undefined;
  const standalone: Rewrite = { resolved: q, ...(own ? { topic: own } : {}) };
  const last = prior[prior.length - 1];
  if (!last) return [standalone];

  const refers = REFERRING.test(q);
  const fragment = fragmentOf(q);
  const topics = topicsOf(prior);
  const fromAnswer = answerAsTopic(last.answer, find);

  // "back to Italy: what currency does it use?" — the name in the same question is the referent.
  if (own && refers) {
    const body = q.replace(BACK_TO, '');
    return unique([{ resolved: sentence(substitute(body, own)), topic: own }, standalone]);
  }
  // A question that refers back or is a fragment means nothing alone: it is not asked as it stands.
  if (fragment !== undefined && last.resolved) {
    const frame = last.resolved;
    const part = fragment.replace(FRAME_PREPOSITION, '');
    // "and Chile?": the last question again, about Chile.
    // Only a fragment that is the name alone ("Chile", "in Australia") asks the last question again.
    const onlyName = named[0] !== undefined && part.toLowerCase() === named[0].surface.toLowerCase();
    if (own && onlyName && last.topic) {
      const swapped = swapTopic(frame, last.topic, own);
      if (swapped) return unique([{ resolved: swapped, topic: own }, standalone]);
    }
    if (!own) {
      // "and its capital?", "the population?": that, of what the conversation is about; else the
      // fragment with the last question as its context ("and the unstable one?").
      const out: Rewrite[] = [];
      for (const t of topics) {
        const np = REFERRING.test(part)
          ? substitute(part, t)
          : `${part.replace(/^(?:the\s+)?/i, 'the ')} of ${t.label}`;
        out.push({ resolved: `What is ${np}?`, topic: t });
      }
      // Only a fragment opened like a follow-up ("and …") leans on the last question as a whole.
      return unique([...out, LEAD_WORD.test(q) ? withContext(q, last) : standalone]);
    }
  }
  if (refers) {
    const possessive = POSSESSIVE.test(q);
    // A personal pronoun never means a place the conversation was about when an answer can be meant.
    const later = PERSONAL.test(q) && !possessive && fromAnswer ? [] : topics;
    const answer = fromAnswer ? [fromAnswer] : [];
    const referents = possessive ? [...topics, ...answer] : [...answer, ...later];
    const out = referents.map((t) => ({ resolved: sentence(substitute(q.replace(LEAD, ''), t)), topic: t }));
    return unique(out.length ? out : [withContext(q, last)]);
  }
  if (!own && topics[0] && WH.test(q) && /\bthe\b/i.test(q) && q.split(/\s+/).length <= 6) {
    // "What is the capital?": a short question about "the" something, naming nothing — about the
    // current topic first.
    const t = topics[0];
    return unique([{ resolved: `${q.replace(/[?.!\s]+$/u, '')} of ${t.label}?`, topic: t }, standalone]);
  }
  // "and where can I see the known ones?": opened like a follow-up, it may lean on the last question.
  if (!own && LEAD_WORD.test(q)) return unique([standalone, withContext(q, last)]);
  return [standalone];
}

/**
 * The question with the last one as its context, for follow-ups no name can resolve ("and where can
 * I see the known ones?" after a question on reporting bugs): what a matcher or a retriever reads.
 */
function withContext(question: string, last: PriorTurn): Rewrite {
  return {
    resolved: `${sentence(question.replace(LEAD, ''))} (${last.resolved.replace(/[?.!\s]+$/u, '')})`,
    ...(last.topic
      ? { topic: { label: last.topic.label, ...(last.topic.id ? { id: last.topic.id } : {}) } }
      : {}),
  };
}

/** `frame` with the words naming `from` replaced by `to`, or undefined when it does not name it. */
function swapTopic(frame: string, from: Topic & { surface?: string }, to: Topic): string | undefined {
  const words = from.surface ?? from.label;
  const at = frame.toLowerCase().indexOf(words.toLowerCase());
  if (at < 0) return undefined;
  return `${frame.slice(0, at)}${to.label}${frame.slice(at + words.length)}`;
}
