/**
 * Splitting a document into passages for retrieval and reading: whole sentences (ICU's sentence
 * boundaries via Intl.Segmenter), about `minWords`–`maxWords` words each, the last sentence of a
 * passage repeated at the start of the next so an answer that straddles the cut is still whole
 * in one of them. Offsets are into the document text, so evidence can point back at it.
 */

export interface PassageSpan {
  start: number;
  end: number;
  text: string;
}

export interface SplitOptions {
  minWords: number;
  maxWords: number;
  /** Longest sentence carried over into the next passage as overlap. */
  overlapMaxWords: number;
}

export const DEFAULT_SPLIT: SplitOptions = { minWords: 100, maxWords: 200, overlapMaxWords: 40 };

interface Piece {
  start: number;
  end: number;
  words: number;
}

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

function countWords(s: string): number {
  return s.match(/\S+/g)?.length ?? 0;
}

/** Sentences, with any sentence longer than `maxWords` cut at word boundaries. */
function pieces(text: string, maxWords: number): Piece[] {
  const out: Piece[] = [];
  for (const seg of segmenter.segment(text)) {
    const words = countWords(seg.segment);
    if (words === 0) continue;
    if (words <= maxWords) {
      out.push({ start: seg.index, end: seg.index + seg.segment.length, words });
      continue;
    }
    const re = /\S+/g;
    let chunkStart = -1;
    let n = 0;
    let lastEnd = 0;
    for (let m = re.exec(seg.segment); m; m = re.exec(seg.segment)) {
      if (chunkStart < 0) chunkStart = m.index;
      lastEnd = m.index + m[0].length;
      if (++n === maxWords) {
        out.push({ start: seg.index + chunkStart, end: seg.index + lastEnd, words: n });
        chunkStart = -1;
        n = 0;
      }
    }
    if (n > 0) out.push({ start: seg.index + chunkStart, end: seg.index + lastEnd, words: n });
  }
  return out;
}

function span(text: string, from: Piece, to: Piece): PassageSpan {
  // Trim so a passage never starts or ends in whitespace; offsets stay exact.
  let start = from.start;
  let end = to.end;
  while (start < end && /\s/.test(text[start] ?? '')) start++;
  while (end > start && /\s/.test(text[end - 1] ?? '')) end--;
  return { start, end, text: text.slice(start, end) };
}

export function splitPassages(text: string, opts: SplitOptions = DEFAULT_SPLIT): PassageSpan[] {
  const ps = pieces(text, opts.maxWords);
  if (ps.length === 0) return [];
  const groups: [number, number][] = [];
  let first = 0;
  let words = 0;
  for (let i = 0; i < ps.length; i++) {
    const w = (ps[i] as Piece).words;
    if (i > first && words >= opts.minWords && words + w > opts.maxWords) {
      groups.push([first, i - 1]);
      const prev = ps[i - 1] as Piece;
      const overlap = i - 1 > first && prev.words <= opts.overlapMaxWords;
      first = overlap ? i - 1 : i;
      words = overlap ? prev.words : 0;
    }
    words += w;
  }
  // A short tail joins the passage before it rather than standing alone.
  const last = groups[groups.length - 1];
  if (last && words < opts.minWords / 2) last[1] = ps.length - 1;
  else groups.push([first, ps.length - 1]);
  return groups.map(([a, b]) => span(text, ps[a] as Piece, ps[b] as Piece));
}

/** A passage and the heading of the section it stands in. */
export interface SectionPassage extends PassageSpan {
  section: string | null;
}

/** A section this short is a heading with little under it: it joins the section after it. */
const HEADING_ONLY_WORDS = 12;

/**
 * Passages that never straddle two sections, so each names its own: the text is cut at the
 * headings (`sections`, offsets into `text`), and each part split as `splitPassages` does.
 * A heading with (almost) nothing under it, such as a title followed at once by a subheading, is
 * kept with the section after it, which names the passage.
 */
export function splitSections(
  text: string,
  sections: readonly { start: number; title: string }[] | undefined,
  opts: SplitOptions = DEFAULT_SPLIT,
): SectionPassage[] {
  const parts: { start: number; end: number; title: string | null }[] = [];
  const marks = sections ?? [];
  if ((marks[0]?.start ?? text.length) > 0)
    parts.push({ start: 0, end: marks[0]?.start ?? text.length, title: null });
  marks.forEach((m, i) => {
    parts.push({ start: m.start, end: marks[i + 1]?.start ?? text.length, title: m.title });
  });
  const out: SectionPassage[] = [];
  let pending: number | undefined;
  parts.forEach((part, i) => {
    const start = pending ?? part.start;
    if (i < parts.length - 1 && countWords(text.slice(part.start, part.end)) < HEADING_ONLY_WORDS) {
      pending = start;
      return;
    }
    pending = undefined;
    for (const p of splitPassages(text.slice(start, part.end), opts)) {
      out.push({ start: p.start + start, end: p.end + start, text: p.text, section: part.title });
    }
  });
  return out;
}
