/**
 * SQuAD's answer normalisation (`normalize_answer` of the official scorers): what makes two answer
 * texts the same answer, for the scorers and for the product alike (merging equal answers, judging
 * a correction).
 */

// Python's string.punctuation.
const PUNCT = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');
// Python's `\b` is Unicode-aware (word = letters, digits, "_"); JavaScript's is ASCII-only.
const ARTICLES = /(?<![\p{L}\p{N}_])(a|an|the)(?![\p{L}\p{N}_])/gu;
// What Python's str.split() splits on (str.isspace); unlike JS `\s` it has no U+FEFF.
const PY_WHITESPACE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: U+001C..U+001F are whitespace to Python.
  /[\t\n\v\f\r \u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Lower-case, drop punctuation and articles, collapse whitespace (`normalize_answer`). */
export function normalizeAnswer(s: string): string {
  let out = '';
  for (const ch of s.toLowerCase()) if (!PUNCT.has(ch)) out += ch;
  return splitPy(out.replace(ARTICLES, ' ')).join(' ');
}

export function splitPy(s: string): string[] {
  return s.split(PY_WHITESPACE).filter((t) => t.length > 0);
}
