/**
 * How the KBQA route reads a question's form, whatever the KB: a count, a yes/no question, a
 * comparison of two things, a superlative, and what kind of answer the question word wants.
 * Only closed-class English is listed here (question words, "more"/"less", the direction of
 * comparatives); which property a "bigger" or a "heaviest" is about is left to the KB's own
 * names (see plan.ts).
 */

export type Polarity = 'high' | 'low';

export interface Reading {
  count: boolean;
  yesNo: boolean;
  /** A comparative or superlative word, and which way its order goes. */
  order?: { polarity: Polarity; word: string; superlative: boolean; age: boolean };
  /** "than": "is A larger than B". */
  than: boolean;
  wh?: 'when' | 'who' | 'where' | 'how many' | 'how much' | 'how measure' | 'what' | 'which';
}

const COUNT = /^\s*how many\b|\bnumber of\b/;
const YES_NO = /^\s*(is|was|are|were|did|does|do|has|have|had|can|could)\b/;

// Comparatives and superlatives that point down; every other one points up ("bigger", "most").
const LOW = new Set(
  (
    'smallest lowest least fewest lightest shortest cheapest youngest earliest first minimum tiniest ' +
    'thinnest narrowest shallowest coldest slowest poorest weakest closest nearest ' +
    'smaller lower less fewer lighter shorter cheaper younger earlier before thinner narrower ' +
    'shallower colder slower poorer weaker closer nearer'
  ).split(' '),
);
// Age words: for dates, the oldest is the earliest.
const AGE = new Set(['oldest', 'older', 'newest', 'newer', 'youngest', 'younger']);
const PLAIN_ORDER = new Set([
  'most',
  'least',
  'more',
  'less',
  'fewer',
  'fewest',
  'first',
  'last',
  'earlier',
  'later',
]);
const NOT_ORDER = new Set(['first', 'last']);
// "How high/long/old ...": a measure, whatever the KB calls it.
const MEASURE = new Set(
  'long old far big large tall high deep often fast heavy wide small hot cold dense populous'.split(' '),
);

/** Lower case, straight apostrophes, "what's" spelled out, no brackets. */
export function cueText(question: string): string {
  return question
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    .replace(/[[\]"“”«»„]/g, ' ')
    .replace(/\b(what|who|where|when|how|which|that)'s\b/g, '$1 is')
    .replace(/\bwhats\b/g, 'what is')
    .replace(/\bwheres\b/g, 'where is')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The stem of a comparative or superlative: "biggest" → "big", "heaviest" → "heavy". */
function stems(word: string): string[] {
  const m = /^(\p{L}{2,}?)(iest|ier|est|er)$/u.exec(word);
  if (!m) return [];
  const [, stem = '', suffix = ''] = m;
  if (suffix.startsWith('i')) return [`${stem}y`];
  const out = [stem, `${stem}e`];
  if (/(\p{L})\1$/u.test(stem)) out.push(stem.slice(0, -1));
  return out;
}

/**
 * Reads a question. `known` tells a real word from a non-word (the encoder's vocabulary): a
 * word ending in -est or -er is a comparative only if its stem is a word ("biggest", not
 * "forest"; "larger", not "border").
 */
export function readQuestion(question: string, known?: (w: string) => boolean): Reading {
  const text = cueText(question);
  const words = text.match(/\p{L}+|\p{N}+/gu) ?? [];
  const than = /\bthan\b/.test(text);
  const contrast = than || /\bor\b/.test(text);
  let order: Reading['order'];
  for (const w of words) {
    const isMostLess = w === 'most' || w === 'least' || w === 'more' || w === 'less';
    // Without a vocabulary, a long -est word is a superlative, and an -er word before "than" or
    // between two alternatives a comparative.
    const inflected = known
      ? stems(w).some((s) => s.length >= 3 && known(s) && !known(`${w}s`))
      : (w.length >= 6 && w.endsWith('est')) || (contrast && w.length >= 5 && w.endsWith('er'));
    if (!isMostLess && !inflected && !PLAIN_ORDER.has(w) && !LOW.has(w) && !AGE.has(w)) continue;
    if (NOT_ORDER.has(w) && !contrast) continue;
    const superlative = w.endsWith('est') || w === 'most' || w === 'least' || w === 'first' || w === 'last';
    order = { polarity: LOW.has(w) ? 'low' : 'high', word: w, superlative, age: AGE.has(w) };
    break;
  }
  const whMatch =
    /^(?:\p{L}+ ){0,3}?(how many|how much|how \p{L}+|when|who|whom|whose|where|what|which)\b/u.exec(text);
  const whWord = whMatch?.[1];
  let wh: Reading['wh'];
  if (whWord === 'whom' || whWord === 'whose') wh = 'who';
  else if (whWord?.startsWith('how ') && whWord !== 'how many' && whWord !== 'how much') {
    wh = MEASURE.has(whWord.slice(4)) ? 'how measure' : undefined;
  } else wh = whWord as Reading['wh'] | undefined;
  return {
    count: COUNT.test(text),
    yesNo: YES_NO.test(text),
    ...(order ? { order } : {}),
    than,
    ...(wh ? { wh } : {}),
  };
}
