/** Word-level text matching shared by the routes: folding, content words, crude singulars, overlap. */

export const FUNCTION_WORDS = new Set(
  (
    'a an the of in on at by for from to with and or is are was were be been do does did has have had ' +
    'what which who whom whose where when why how many much that this these those it its there their ' +
    'they them he she his her me tell name list give show please x than as into about'
  ).split(' '),
);

/** Lower-case, strip accents, punctuation to spaces, collapse whitespace. */
export function foldLabel(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Crude singular: enough to match "countries" with "country" and "gases" with "gas". */
export function singular(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(s|x|z|ch|sh)es$/.test(w)) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) return w.slice(0, -1);
  return w;
}

export function contentWords(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? [])
    .filter((w) => !FUNCTION_WORDS.has(w))
    .map(singular);
}

/** Share of `phrase`'s content words found among the question's (prefix match for inflections). */
export function overlap(phrase: readonly string[], question: ReadonlySet<string>): number {
  const words = [...new Set(phrase.filter((w) => !FUNCTION_WORDS.has(w)).map(singular))];
  if (words.length === 0) return 0;
  let hit = 0;
  for (const w of words) {
    if (question.has(w)) hit++;
    else if (
      w.length >= 5 &&
      [...question].some((q) => q.length >= 5 && (q.startsWith(w.slice(0, 5)) || w.startsWith(q.slice(0, 5))))
    )
      hit += 0.7;
  }
  return hit / words.length;
}
