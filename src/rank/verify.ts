/**
 * Verification before ranking: each candidate is checked against its question, and a failed check
 * lowers the route's raw score or removes the candidate, so the calibrated score (fitted on scores
 * after these checks) keeps one meaning.
 *
 * - time-scope: the data was written at one time (`asOf`); a question about a later year, the
 *   future ("tomorrow"), or the present of a stale archive ("right now", "current") is out of its
 *   reach — unless the evidence itself speaks of that time (a thread titled "a current list of…").
 * - entity: evidence about another subject than the one the question names, or, when no document
 *   is about what it names, read evidence that never mentions those names ("Wakanda", "Lima").
 * - coverage: read evidence holds some of the question's key words.
 * - answer-type: "who" wants a name, "when" a date, "how many" a number, "where" not a number; a
 *   community thread that answers another kind of question ("where is…" for "who is…") fails too.
 */

import type { AnswerType, Candidate, CheckResult, ParsedQuestion, QuestionScope } from '../core/types.js';
import { contentWords, FUNCTION_WORDS, foldLabel } from '../core/words.js';
import { analyse } from '../parse/analyse.js';
import { splitTitle } from '../retrieval/topics.js';

export interface VerifyOptions {
  /** Year the workspace's data was written; time checks on years and "now" need it. */
  asOf?: number;
  /** Today's year (the present the question's "now" means). */
  thisYear: number;
}

/** Multiplies the raw score when a check fails; 0 removes the candidate. */
const FACTOR: Record<CheckResult['check'], number> = {
  'time-scope': 0,
  entity: 0.25,
  'answer-type': 0.3,
  coverage: 0.3,
};

const YEAR = /\b(1[0-9]{3}|20[0-9]{2}|21[0-9]{2})\b/g;
const PRESENT =
  /\b(?:right now|now|nowadays|today|tonight|currently|current|presently|at the moment|these days|this (?:week|month|year))\b/;
const FUTURE = /\b(?:tomorrow|next (?:week|month|year|decade|season)|in the future|forecast)\b/;
const MONTH =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/i;
const NUMBER_WORD =
  /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|hundred|thousand|million|billion|dozen|half|several|few|many|no)\b/i;

/** What a candidate's evidence says, as text: where its entities, years and words are looked for. */
function evidenceText(c: Candidate): string {
  const e = c.evidence;
  if (e.kind === 'passage') return `${e.title ?? ''}\n${e.passage}`;
  if (e.kind === 'thread') return `${e.question}\n${c.text}`;
  return [c.text, ...e.entities.map((x) => x.label)].join('\n');
}

function timeScope(question: string, evidence: string, opts: VerifyOptions): CheckResult | undefined {
  const q = question.toLowerCase();
  const ev = evidence.toLowerCase();
  const later =
    opts.asOf === undefined
      ? []
      : [...q.matchAll(YEAR)].map((m) => Number(m[1])).filter((y) => y > (opts.asOf as number));
  const unseen = later.filter((y) => !ev.includes(String(y)));
  if (unseen.length) {
    return {
      check: 'time-scope',
      passed: false,
      detail: `the question is about ${unseen.join(', ')}; the data is from ${opts.asOf}`,
    };
  }
  const future = FUTURE.exec(q)?.[0];
  if (future && !ev.includes(future)) {
    return { check: 'time-scope', passed: false, detail: `"${future}" is beyond what stored data can say` };
  }
  const present = PRESENT.exec(q)?.[0];
  if (present && opts.asOf !== undefined && opts.asOf < opts.thisYear - 1 && !ev.includes(present)) {
    return {
      check: 'time-scope',
      passed: false,
      detail: `"${present}" asks about ${opts.thisYear}; the data is from ${opts.asOf}`,
    };
  }
  if (later.length || future || present)
    return { check: 'time-scope', passed: true, detail: 'the evidence speaks of that time' };
  return undefined;
}

function entity(c: Candidate, scope: QuestionScope, evidence: string): CheckResult | undefined {
  const e = c.evidence;
  if (e.kind === 'passage' && scope.about.length > 0 && e.title) {
    const subject = foldLabel(splitTitle(e.title).subject);
    if (!scope.about.includes(subject)) {
      return {
        check: 'entity',
        passed: false,
        detail: `the passage is about ${splitTitle(e.title).subject}, the question about ${scope.about.join(', ')}`,
      };
    }
  }
  if (scope.named.length === 0 || e.kind === 'sparql')
    return scope.about.length && e.kind === 'passage' ? pass('entity') : undefined;
  const folded = ` ${foldLabel(evidence)} `;
  const missing = scope.named.filter((n) => !folded.includes(` ${foldLabel(n)} `));
  if (missing.length) {
    return {
      check: 'entity',
      passed: false,
      detail: `the question names ${missing.map((m) => `"${m}"`).join(', ')}, which no document is about, and the evidence does not mention it`,
    };
  }
  return pass('entity');
}

function pass(check: CheckResult['check']): CheckResult {
  return { check, passed: true, detail: 'consistent with the question' };
}

const isNumeric = (t: string) => /^[^\p{L}]*\d[^\p{L}]*(?:\p{L}{0,3}\.?)?$/u.test(t.trim());
const hasDate = (t: string) =>
  /\d/.test(t) || MONTH.test(t) || /\bcentur|\bdecade|\bB\.?C\b|\bera\b/i.test(t);
const hasNumber = (t: string) => /\d/.test(t) || NUMBER_WORD.test(t);

/**
 * A name of a person or a group: not a number, and most of its content words capitalised
 * ("Jomo KENYATTA", "communist forces under Ho Chi MINH"; not "government took power in March").
 */
function nameLike(t: string): boolean {
  if (isNumeric(t) || /^\d/.test(t.trim())) return false;
  const ws = t.match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*/gu) ?? [];
  const content = ws.filter((w) => !FUNCTION_WORDS.has(w.toLowerCase()));
  const capitalised = content.filter((w) => /^\p{Lu}/u.test(w)).length;
  return capitalised > 0 && (content.length <= 3 || capitalised / content.length >= 0.5);
}

/** A thread answers another kind of question when both kinds are definite and differ. */
const DEFINITE: ReadonlySet<AnswerType> = new Set(['person', 'place', 'date', 'number']);

function answerType(c: Candidate, parsed: ParsedQuestion): CheckResult | undefined {
  const want = parsed.answerType;
  const e = c.evidence;
  if (want === 'description' && e.kind === 'sparql') {
    // "Why…", "tell me about…": a value from a knowledge base explains nothing.
    return {
      check: 'answer-type',
      passed: false,
      detail: `a description was asked for; the answer is a value ("${c.text}")`,
    };
  }
  if (c.form === 'passage' || parsed.type === 'yesno' || !DEFINITE.has(want)) return undefined;
  let ok: boolean;
  let got: string;
  if (e.kind === 'thread') {
    const theirs = analyse(e.question).answerType;
    ok = !DEFINITE.has(theirs) || theirs === want;
    got = `a thread asking for a ${theirs}`;
  } else {
    const t = c.text;
    got = `"${t.length > 40 ? `${t.slice(0, 40)}…` : t}"`;
    if (want === 'person') ok = nameLike(t);
    else if (want === 'date') ok = hasDate(t);
    else if (want === 'number') ok = hasNumber(t);
    else ok = !isNumeric(t);
  }
  return ok
    ? { check: 'answer-type', passed: true, detail: `a ${want} was asked for` }
    : { check: 'answer-type', passed: false, detail: `a ${want} was asked for; the answer is ${got}` };
}

/** Closed-class words a question holds that say nothing about its topic ("how can I get…"). */
const NOT_KEY = new Set(
  'can could should would will shall may might must i you we my your our us get got out up'.split(' '),
);

/** At least this share of the question's content words must be in read evidence. */
const MIN_COVERAGE = 1 / 3;

/**
 * Read evidence (a passage, a thread) must speak of what the question asks: a passage holding none
 * of "players", "football", "team" does not answer how many players a football team has, whatever
 * span the reader found in it. Knowledge-base answers are left out: their relation is matched by
 * meaning, not by words ("speak" for "official language").
 */
function coverage(c: Candidate, question: string, evidence: string): CheckResult | undefined {
  if (c.evidence.kind === 'sparql') return undefined;
  const asked = [...new Set(contentWords(question))].filter(
    (w) => w.length > 2 && !/^\d+$/.test(w) && !NOT_KEY.has(w),
  );
  if (asked.length < 2) return undefined;
  const have = new Set(contentWords(evidence));
  const stems = [...have].filter((w) => w.length >= 5).map((w) => w.slice(0, 5));
  const found = asked.filter((w) => have.has(w) || (w.length >= 5 && stems.includes(w.slice(0, 5))));
  const share = found.length / asked.length;
  return share >= MIN_COVERAGE
    ? {
        check: 'coverage',
        passed: true,
        detail: `the evidence holds ${found.length} of the question's ${asked.length} key words`,
      }
    : {
        check: 'coverage',
        passed: false,
        detail: `the evidence holds ${found.length} of the question's key words (${asked.join(', ')})`,
      };
}

export interface Verified {
  checks: CheckResult[];
  /** What the raw score is multiplied by: 1 when every check passed, 0 to remove. */
  factor: number;
}

export function verify(
  c: Candidate,
  parsed: ParsedQuestion,
  scope: QuestionScope,
  opts: VerifyOptions,
): Verified {
  const evidence = evidenceText(c);
  const checks = [
    timeScope(parsed.normalized, evidence, opts),
    entity(c, scope, evidence),
    answerType(c, parsed),
    coverage(c, parsed.normalized, evidence),
  ].filter((x): x is CheckResult => x !== undefined);
  const factor = checks.reduce((f, x) => (x.passed ? f : f * FACTOR[x.check]), 1);
  return { checks, factor };
}
