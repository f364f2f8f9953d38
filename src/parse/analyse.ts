/**
 * Rule-based question analysis: the normalised text, the kind of question, the kind of answer it
 * wants and the spans that may name an entity. Rules rather than a model, so that a wrong call is
 * easy to see and to fix; the learned router (router.ts) uses these as features.
 */
import type { AnswerType, Mention, QuestionType } from '../core/types.js';

export interface QuestionAnalysis {
  text: string;
  normalized: string;
  type: QuestionType;
  answerType: AnswerType;
  mentions: Mention[];
}

/** NFKC (full-width letters, ligatures, no-break spaces), whitespace collapsed, trimmed. */
export function normalize(text: string): string {
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

export function analyse(text: string): QuestionAnalysis {
  const normalized = normalize(text);
  const type = questionType(normalized);
  return { text, normalized, type, answerType: answerType(normalized, type), mentions: findMentions(text) };
}

const setOf = (words: string): Set<string> => new Set(words.split(' '));

const AUX = setOf(
  'is are was were am do does did can could will would shall should has have had may might must ' +
    "isn't aren't wasn't weren't don't doesn't didn't can't couldn't won't wouldn't shouldn't hasn't haven't hadn't",
);
const DETERMINERS = setOf('the a an some any all this that these those its his her their our your my');
const PREPOSITIONS = setOf(
  'in on at by for from with to into during about after before under over against through throughout ' +
    'among between within without across along around near despite unlike like beyond toward towards via ' +
    'per upon until since',
);

const PERSON = setOf(
  'person people man men woman women actor actors actress actresses director directors writer writers ' +
    'screenwriter screenwriters author authors producer producers composer composers singer singers ' +
    'musician musicians artist artists player players star stars president presidents leader leaders ' +
    'king kings queen queens emperor emperors ruler rulers founder founders inventor inventors scientist ' +
    'scientists poet poets philosopher philosophers politician politicians minister ministers chancellor ' +
    'pope governor governors mayor mayors ceo chairman coach captain wife husband spouse son sons daughter ' +
    'daughters father mother parents brother sister child children',
);
const PLACE = setOf(
  'country countries nation nations city cities town towns capital capitals state states province ' +
    'provinces region regions continent continents place places location locations village villages ' +
    'county counties island islands river rivers mountain mountains lake lakes sea seas ocean oceans ' +
    'district districts neighbourhood neighborhood port ports',
);
const DATE = setOf('year years date dates day days month months century centuries decade decades time era');
const NUMBER = setOf(
  'number population percentage percent proportion ratio amount total area size length height width ' +
    'depth distance age cost price speed weight temperature rate gdp income salary',
);
// "how long/old/far..." ask for a measure; any other "how" asks for a manner or a reason.
const HOW_MEASURE = setOf(
  'many much long old far big large tall high deep often fast heavy wide small few hot cold',
);
// Nouns that do not say what the answer is: look past them ("the name of the president").
const LOOK_PAST = setOf('name names kind kinds type types sort sorts one ones first last other main largest');

/** Lower case, straight apostrophes, no brackets or quote marks, common contractions spelled out. */
function cueText(normalized: string): string {
  return normalized
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    .replace(/[[\]"“”«»„]/g, '')
    .replace(/\b(what|who|where|when|how|why|that)'s\b/g, '$1 is')
    .replace(/\bwhats\b/g, 'what is')
    .replace(/\s+/g, ' ')
    .trim();
}

const words = (s: string): string[] => s.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*/gu) ?? [];

// Politeness around a question ("does anyone know where…", "can you tell me who…"): the question
// is what follows, when what follows is one.
const POLITE =
  /^(?:(?:can|could|would|will) (?:you|anyone|anybody|someone|somebody) (?:please )?(?:tell|show|let) me (?:know )?|(?:do|does) (?:you|anyone|anybody|someone|somebody) know |i (?:want|would like|need|wish) to know |i(?: am|'m) wondering |i wonder |tell me )(?=(?:what|which|who|whom|whose|where|when|why|how|if|whether)\b)/;

/** The sentence that asks (the first ending in "?", else the first opening like a question), polite lead-in cut. */
function questionSentence(cue: string): string {
  const sentences = sentenceSpans(cue).map((s) => cue.slice(s.start, s.end));
  const opens = (s: string) => {
    const first = words(s)[0] ?? '';
    return (
      AUX.has(first) || /^(?:what|which|who|whom|whose|where|when|why|how|name|list|define)$/.test(first)
    );
  };
  const asking = sentences.find((s) => s.endsWith('?')) ?? sentences.find(opens) ?? cue;
  return asking.replace(/^please /, '').replace(POLITE, '');
}

const DEFINITION = [
  /^define\b/,
  /^(?:the )?(?:meaning|definition) of\b/,
  /^what (?:is|are|was) (?:the )?(?:meaning|definition) of\b/,
  /^what is meant by\b/,
  /^what (?:does|do) .+ (?:mean|stand for)\b/,
  /^(?:tell me about|describe|explain) (?!why|how|what|when|where|who)/,
  // "what is an X", but not "what is a group of crows called" or "what is a city that…".
  /^what (?:is|are) (?:a|an) (?!.*\b(?:of|in|on|for|that|which|who|called|used|named)\b)[\p{L}\p{N}' -]+[?.!]*$/u,
  // "what is photosynthesis": one or two words and no determiner, so not "what is the capital of…".
  /^what (?:is|are) (?!(?:the|your|my|his|her|their|its|our|this|that|it|there|these|those|he|she|they|you|i|we)\b)\p{L}[\p{L}-]*(?: \p{L}[\p{L}-]*)?[?.!]*$/u,
];
const HOWTO = [
  /^how (?:do|can|could|should|would|shall|may|might|does|did) (?:i|we|you|one|u|someone|somebody|anyone)\b/,
  /^how (?:is|are) (?:it|one) (?:possible|done)\b/,
  /(?:^|\b(?:know|learn|tell me|show me|explain|idea|ideas|advice on|tips on|help me|guide on) )how to\b/,
  /\b(?:what is|what's|whats) the (?:best |easiest |right |proper |fastest |cheapest )?(?:way|procedure|process) (?:to|for)\b/,
  /\b(?:steps|procedure) (?:to|for)\b/,
];
// Asking people for judgement. "best" is a superlative in trivia ("best-selling album", "best
// actor"), so those uses do not count.
const OPINION = [
  /\bbest\b(?![- ](?:selling|known|picture|actor|actress|director|supporting|original|foreign|animated|song|album|film|new artist))/,
  /\bshould (?:i|we)\b/,
  /\b(?:any|your|some) (?:suggestions?|advice|advices|recommendations?|ideas|tips|opinions?|thoughts|views|feedback|reviews?)\b/,
  /\b(?:you|anyone|anybody|someone|somebody|u) (?:recommend|suggest|advise)\b/,
  /\b(?:recommend|suggest) (?:me|a|an|any|some|good)\b/,
  /\b(?:please|pls|plz) (?:advise|advice|suggest|recommend)\b/,
  /\b(?:your|any|anyone's|personal) experiences?\b|\bexperiences? with\b/,
  /\bin your opinion\b|\bwhat do you think\b|\bworth it\b|\bis it worth\b|\bpros and cons\b|\bwhich is better\b/,
  /\b(?:any|a|some) (?:good|nice|decent|reliable|cheap|affordable|trustworthy) /,
];
const LIST_START =
  /^(?:list|enumerate|give me (?:all|a list|the list|some)|(?:what|who|which) (?:are|were) (?:all |some )?(?:the|some|all)\b|what are\b)/;
const IRREGULAR_PLURALS = setOf('people men women children mice feet teeth data media criteria phenomena');
const NOT_PLURAL = setOf(
  'news series species physics mathematics politics economics means this his its was has does is yes plus ' +
    'less unless across towards afterwards besides sometimes perhaps thus always whereas',
);

function isPlural(word: string): boolean {
  if (IRREGULAR_PLURALS.has(word)) return true;
  if (NOT_PLURAL.has(word) || AUX.has(word) || word.length < 4) return false;
  return /s$/.test(word) && !/(?:ss|us|is|'s)$/.test(word);
}

/**
 * The noun phrase after "which/what" (or an imperative): up to three words, past numbers,
 * determiners, "kind of", "other" and a possessor ("Kenya's"), up to a preposition or a verb.
 */
function headPhrase(after: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of after) {
    const skip =
      /^\d+$/.test(w) ||
      /^(?:two|three|four|five|ten)$/.test(w) ||
      LOOK_PAST.has(w) ||
      w === 'of' ||
      /'s$/.test(w);
    if (out.length === 0 && (skip || DETERMINERS.has(w) || AUX.has(w))) continue;
    if (skip || PREPOSITIONS.has(w) || AUX.has(w) || DETERMINERS.has(w) || out.length === 3) break;
    out.push(w);
  }
  return out;
}

export function questionType(normalized: string): QuestionType {
  const all = cueText(normalized);
  const q = questionSentence(all);
  const w = words(q);
  const first = w[0] ?? '';
  if (
    /\bhow (?:many|much)\b/.test(q) ||
    /^(?:what|which) (?:is|was|are|were) the (?:total )?number of\b/.test(q)
  )
    return 'count';
  if (HOWTO.some((re) => re.test(q))) return 'howto';
  if (OPINION.some((re) => re.test(all))) return 'opinion';
  if (DEFINITION.some((re) => re.test(q))) return 'definition';
  if (AUX.has(first) || first === 'if' || first === 'whether') return 'yesno';
  if (LIST_START.test(q)) return 'list';
  // Imperative "name all/the countries…", or "which/what" with a plural noun ("which countries…").
  const lead = /^name$/.test(first) ? 0 : w.findIndex((x) => x === 'which' || x === 'what');
  if (lead >= 0) {
    const noun = headPhrase(w.slice(lead + 1))[0];
    if (noun !== undefined && isPlural(noun)) return 'list';
  }
  return 'factoid';
}

/** The first word of the phrase that says what the answer is ("unemployment rate": a number). */
function phraseClass(phrase: readonly string[]): AnswerType | undefined {
  for (const w of phrase) {
    if (PERSON.has(w)) return 'person';
    if (PLACE.has(w)) return 'place';
    if (DATE.has(w)) return 'date';
    if (NUMBER.has(w)) return 'number';
  }
  return undefined;
}

export function answerType(normalized: string, type: QuestionType): AnswerType {
  if (type === 'count') return 'number';
  if (type === 'definition' || type === 'howto') return 'description';
  // A yes/no question's wh-words are in relative clauses ("is there a bank where…").
  if (type === 'yesno') return 'entity';
  const w = words(questionSentence(cueText(normalized)));
  const fallback: AnswerType = type === 'opinion' ? 'description' : 'entity';
  const at = w.findIndex((x) => /^(?:who|whom|whose|where|when|why|how|which|what)$/.test(x));
  if (at < 0) {
    // Imperatives: "name the capital of Kenya", "list the countries bordering China".
    return /^(?:name|list|give|tell|find|show)$/.test(w[0] ?? '')
      ? (phraseClass(headPhrase(w.slice(1).filter((x) => x !== 'me'))) ?? fallback)
      : fallback;
  }
  const wh = w[at];
  const next = w[at + 1] ?? '';
  if (wh === 'who' || wh === 'whom' || wh === 'whose') return 'person';
  if (wh === 'where') return 'place';
  if (wh === 'when') return 'date';
  if (wh === 'why') return 'description';
  if (wh === 'how') return HOW_MEASURE.has(next) ? 'number' : 'description';
  return phraseClass(headPhrase(w.slice(at + 1))) ?? fallback;
}

export interface Span {
  start: number;
  end: number;
}

const ABBREVIATIONS = setOf(
  'mr mrs ms dr st mt ft jr sr vs etc no approx inc ltd co prof gen gov sen rep rev lt col sgt capt e.g i.e',
);

/** Whether the "." at `dot` ends an abbreviation ("U.S.", "Dr.", "J. R. R. Tolkien") rather than a sentence. */
function isAbbreviation(text: string, dot: number): boolean {
  const word = /(?:\p{L}\.)*\p{L}+$/u.exec(text.slice(Math.max(0, dot - 20), dot))?.[0] ?? '';
  return /^(?:\p{L}\.)+\p{L}$/u.test(word) || /^\p{Lu}$/u.test(word) || ABBREVIATIONS.has(word.toLowerCase());
}

/** Sentences, trimmed: split after ".", "?", "!", ";" or a line break, never after an abbreviation. */
export function sentenceSpans(text: string): Span[] {
  const out: Span[] = [];
  const push = (start: number, end: number) => {
    const s = text.slice(start, end);
    const lead = s.length - s.trimStart().length;
    const trimmed = s.trim();
    if (trimmed !== '') out.push({ start: start + lead, end: start + lead + trimmed.length });
  };
  let start = 0;
  for (const m of text.matchAll(/[.?!;]+(?=\s|$)|\n/g)) {
    if (m[0] === '.' && isAbbreviation(text, m.index)) continue;
    push(start, m.index + m[0].length);
    start = m.index + m[0].length;
  }
  push(start, text.length);
  return out;
}

// Sentence-initial words that are capitalised only because they open the sentence.
const SENTENCE_INITIAL = setOf(
  'what which who whom whose where when why how whats name list give tell define describe explain show find ' +
    `${[...PREPOSITIONS].join(' ')} of as according besides apart following starting if and while although ` +
    'but or so also the a an this that these those there it its he she they we you i my our your his her ' +
    'their please hi hello hey dear thanks thank any anyone anybody someone somebody does ' +
    "what's who's where's how's when's why's that's it's there's " +
    [...AUX].join(' '),
);
const FIRST_PERSON = setOf("i i'm i've i'd i'll");
// Lower-case words that may sit inside a name ("Bank of America", "Leonardo da Vinci").
const CONNECTORS = setOf('of the de da del della di du des la le van von der den upon &');
// "St. Louis", "Mt. Kenya": the period does not end the name.
const NAME_ABBREVIATIONS = setOf('st mt ft dr mr mrs ms jr sr');
const TOKEN = /(?:\p{Lu}\.){2,}|[\p{L}\p{N}]+(?:['’&-][\p{L}\p{N}]+)*/gu;
const QUOTES = [
  /"([^"\n]+)"/dg,
  /“([^”\n]+)”/dg,
  /„([^“”\n]+)[“”]/dg,
  /«([^»\n]+)»/dg,
  /(?<![\p{L}\p{N}])‘([^’\n]+)’(?![\p{L}\p{N}])/dgu,
  /(?<![\p{L}\p{N}])'([^'\n]+)'(?![\p{L}\p{N}])/dgu,
  /\[([^[\]\n]+)\]/dg,
];

interface Token extends Span {
  text: string;
  lower: string;
}

/**
 * Spans that may name an entity, with offsets into `text`: quoted and bracketed spans (MetaQA
 * marks the topic as `[x]`), then runs of capitalised words ("the United Kingdom" gives "United
 * Kingdom", "Kenya's" gives "Kenya"). A text with no lower-case letter (all caps) or none in upper
 * case carries no casing signal, so it gives only its quoted spans: the KBQA linker scans n-grams
 * against the KB labels itself.
 */
export function findMentions(text: string): Mention[] {
  const marked: Span[] = [];
  for (const re of QUOTES) {
    for (const m of text.matchAll(re)) {
      const [s, e] = m.indices?.[1] ?? [0, 0];
      const inner = text.slice(s, e);
      const lead = inner.length - inner.trimStart().length;
      const span = { start: s + lead, end: s + lead + inner.trim().length };
      // "rock 'n' roll" is no quotation; nested quotes keep the outer one.
      if (span.end - span.start >= 2 && !marked.some((o) => o.start < span.end && span.start < o.end))
        marked.push(span);
    }
  }
  const spans = [...marked, ...capitalisedRuns(text, marked)].sort((a, b) => a.start - b.start);
  return spans.map((s) => ({ text: text.slice(s.start, s.end), start: s.start, end: s.end }));
}

function capitalisedRuns(text: string, taken: readonly Span[]): Span[] {
  if (!/\p{Ll}/u.test(text)) return [];
  const sentences = sentenceSpans(text);
  const sentenceOf = (pos: number) => sentences.findIndex((s) => pos < s.end);
  const tokens: Token[] = [...text.matchAll(TOKEN)]
    .map((m) => ({
      text: m[0],
      lower: m[0].toLowerCase().replace(/’/g, "'"),
      start: m.index,
      end: m.index + m[0].length,
    }))
    .filter((t) => !taken.some((o) => o.start < t.end && t.start < o.end));
  const out: Span[] = [];
  let run: Token[] = [];
  const close = () => {
    while (run.length > 0 && CONNECTORS.has(run[run.length - 1]?.lower ?? '')) run.pop();
    const [head] = run;
    const last = run[run.length - 1];
    if (head && last) {
      const possessive = /['’]s$/.test(last.text) ? 2 : 0;
      out.push({ start: head.start, end: last.end - possessive });
    }
    run = [];
  };
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    const initial = !prev || sentenceOf(prev.start) !== sentenceOf(t.start);
    const gap = prev ? text.slice(prev.end, t.start) : '';
    const joined =
      /^[^\S\n]+$/.test(gap) || (/^\.[^\S\n]+$/.test(gap) && NAME_ABBREVIATIONS.has(prev?.lower ?? ''));
    if (!joined || initial) close();
    const capitalised = /^\p{Lu}|^\p{Ll}+\p{Lu}/u.test(t.text);
    if (capitalised && !FIRST_PERSON.has(t.lower) && !(initial && SENTENCE_INITIAL.has(t.lower))) {
      run.push(t);
    } else if (
      run.length > 0 &&
      (/^\p{N}/u.test(t.text) ||
        (CONNECTORS.has(t.lower) && (t.lower !== 'the' || run[run.length - 1]?.lower === 'of')))
    ) {
      run.push(t);
    } else {
      close();
    }
  });
  close();
  return out;
}
