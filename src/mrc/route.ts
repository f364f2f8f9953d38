/**
 * The MRC route: retrieve passages, read the best few with the span reader in one batch, and
 * return each passage's best spans with the passage as evidence.
 *
 * A span's score is one softmax over every passage's n-best spans and a single no-answer entry,
 * so passages that disagree share the probability (read one by one, each would claim nearly
 * all of it). The no-answer entry is the most answerable passage's null logit moved by the
 * reader's tuned no-answer threshold: the best span outscores it exactly when the reader, on its
 * own, would answer.
 */

import { normalizeAnswer } from '../core/answer-text.js';
import { stopwatch } from '../core/stopwatch.js';
import type { Candidate, PassageEvidence, Stages } from '../core/types.js';
import { contentWords, foldLabel, overlap } from '../core/words.js';
import { sentenceSpans } from '../parse/analyse.js';
import type { DocFilter } from '../retrieval/doc-store.js';
import { type RetrievalMode, type RetrievedPassage, type Retriever, RRF_K } from '../retrieval/retriever.js';
import { DocTopics } from '../retrieval/topics.js';
import { questionSpans } from './decode.js';
import type { ExtractiveReader, ReadResult } from './reader.js';

/**
 * 'span': a factoid, answered by the reader's spans. 'passage': a descriptive question ("tell me
 * about…", "why…"), answered by the passage, or its best sentences, whole. 'auto': a passage when
 * the question asks for one section of the subject it names ("the terrain of Switzerland"), spans
 * otherwise.
 */
export type AnswerForm = 'span' | 'passage' | 'auto';

export interface MrcOptions {
  /** Passages read per question. */
  passages?: number;
  /** Spans kept per passage. */
  spansPerPassage?: number;
  mode?: RetrievalMode;
  /**
   * Subjects the question names (DocTopics keys): their passages are read first, and passages
   * about other subjects are not read at all.
   */
  about?: readonly string[];
  form?: AnswerForm;
  /** Only passages of these documents are read (`filters` of a request). */
  filter?: DocFilter;
  /** Filled with the time of each step, ms (retrieve, with the question's encoding beside BM25; wait; read). */
  stages?: Stages;
  /**
   * Asked after retrieval: false skips the reading (another route already holds a confident
   * answer), and the route answers nothing.
   */
  readIf?: () => Promise<boolean>;
}

/**
 * Passages read before deciding whether to read the rest, and how likely a span among theirs must
 * be to make reading the rest pointless. Chosen on the demo set and the strangers' tune part: no
 * answer got worse there, held-out accuracy and SQuAD open F1 stayed as they were, and the
 * strangers' median latency fell from 213 to 157 ms (docs/BENCHMARKS.md).
 */
export const READ_FIRST = 2;
export const CLEARLY_BEST = 0.8;

/** How deep the ordinary retrieval goes when the question names a subject. */
const ABOUT_DEPTH = 30;
/** At most this many of a subject's passages are weighed. */
const MAX_ABOUT_PASSAGES = 64;
/** How close the rest of the question must be to a section's name for it to ask for that section. */
const SECTION_MIN = 0.45;
/** How sure "tell me about X" is of X's first document: a guess at the overview, not a named section. */
const OVERVIEW_MATCH = 0.7;
/** A question asking for a section has at most this many content words besides its subject. */
const SECTION_WORDS = 3;
/** Longest descriptive answer, characters: a longer passage gives its best sentences. */
const PASSAGE_CHARS = 1200;
// Words that ask for a description without saying what of it: "what is X like", "describe X".
const DESCRIBING = new Set(
  'like describe explain tell know something anything some more overview'.split(' '),
);

export interface MrcAnswer {
  candidates: Candidate[];
  passages: RetrievedPassage[];
}

export class MrcRoute {
  readonly topics: DocTopics;
  /** Section names' vectors, encoded once each. */
  private readonly sectionVectors = new Map<string, Float32Array>();

  constructor(private readonly retriever: Retriever) {
    this.topics = DocTopics.fromStore(retriever.store);
  }

  async answer(question: string, reader: ExtractiveReader, opts: MrcOptions = {}): Promise<MrcAnswer> {
    const mode = opts.mode ?? (this.retriever.hasDense ? 'hybrid' : 'bm25');
    const k = opts.passages ?? 5;
    const encoder = this.retriever.encoder;
    const { lap } = stopwatch(opts.stages ?? {});
    // Not awaited here: BM25 ranks on this thread while the encoder's worker encodes the question.
    const encoding = encoder && mode !== 'bm25' ? encoder.encode([question]) : undefined;
    // Handled here too: a step before the retrieval that throws must not leave it unhandled.
    encoding?.catch(() => {});
    const about = (opts.about ?? []).filter((s) => this.topics.has(s));
    const form = opts.form ?? 'span';
    const section = form === 'span' ? undefined : await this.sectionAsked(question, about, form);
    // A filter's passages are looked up once, for the retrieval and for the subject's passages alike.
    const within = opts.filter ? this.retriever.store.passageIdsMatching(opts.filter) : undefined;
    let passages = await this.retriever.retrieve(
      question,
      about.length ? ABOUT_DEPTH : k,
      mode,
      encoding,
      within,
    );
    const vector = await encoding;
    if (about.length) {
      const allowed = within ? new Set(within) : undefined;
      passages = this.aboutFirst(passages, about, k, vector, section?.docId, allowed);
    }
    lap('retrieve');
    if (passages.length === 0) return { candidates: [], passages };
    if (opts.readIf && !(await opts.readIf())) return { candidates: [], passages };
    lap('wait');
    const spans = await this.readSpans(question, passages, reader, opts.spansPerPassage ?? 2);
    lap('read');
    if (form === 'span' || (form === 'auto' && !section)) return { candidates: spans, passages };
    const described = this.describe(passages, spans, section, reader.name, form);
    // A factoid-looking question that names a section ("what currency does Greece use" is near
    // "Economy") keeps its spans: a span the reader is sure of still wins over the section.
    return { candidates: form === 'auto' ? [...described, ...spans] : described, passages };
  }

  /**
   * The passages of the subjects the question names, ranked by their similarity to the question
   * fused with the ordinary retrieval's rank (reciprocal rank, as hybrid retrieval fuses), instead of
   * passages about anything. The section the question asks for, if any, comes first.
   */
  private aboutFirst(
    retrieved: readonly RetrievedPassage[],
    about: readonly string[],
    k: number,
    vector: Float32Array | undefined,
    sectionDoc: number | undefined,
    allowed: ReadonlySet<number> | undefined,
  ): RetrievedPassage[] {
    const docIds = about.flatMap((s) => this.topics.documentsAbout(s).map((t) => t.docId));
    const ids = this.retriever.store
      .passageIdsOf(docIds)
      .filter((id) => !allowed || allowed.has(id))
      .slice(0, MAX_ABOUT_PASSAGES);
    const listed = new Map(retrieved.map((p, r) => [p.id, r]));
    const sims = vector ? this.retriever.similarities(vector, ids) : undefined;
    const bySim = new Map(
      ids
        .map((id, i) => ({ id, s: sims?.[i] ?? 0 }))
        .sort((a, b) => b.s - a.s)
        .map((x, r) => [x.id, r]),
    );
    const fused = (id: number) =>
      1 / (RRF_K + (bySim.get(id) ?? ids.length)) + 1 / (RRF_K + (listed.get(id) ?? ABOUT_DEPTH));
    const ranked = [...ids].sort((a, b) => fused(b) - fused(a));
    const passages = this.retriever.store.passages(ranked.slice(0, MAX_ABOUT_PASSAGES));
    const first = sectionDoc === undefined ? [] : passages.filter((p) => p.docId === sectionDoc);
    return [...first, ...passages.filter((p) => p.docId !== sectionDoc)]
      .slice(0, k)
      .map((p) => ({ ...p, score: fused(p.id) }));
  }

  /**
   * The section a question asks for: what is left of it without its subject and function words
   * ("terrain", "history", "environmental problems") close to the name of one of the subject's
   * sections. A descriptive question naming no section asks for the subject's overview (its first
   * document).
   */
  private async sectionAsked(
    question: string,
    about: readonly string[],
    form: AnswerForm,
  ): Promise<{ docId: number; match: number } | undefined> {
    if (about.length === 0) return undefined;
    const subjectWords = new Set(about.flatMap((s) => s.split(' ')));
    const rest = contentWords(foldLabel(question.replace(/['’]s\b/gu, ''))).filter(
      (w) => !subjectWords.has(w) && !DESCRIBING.has(w),
    );
    const docs = about.flatMap((s) => this.topics.documentsAbout(s));
    if (rest.length === 0) {
      if (form !== 'passage') return undefined;
      const overview = docs.find((d) => d.order === 0);
      return overview ? { docId: overview.docId, match: OVERVIEW_MATCH } : undefined;
    }
    const encoder = this.retriever.encoder;
    const named = docs.filter((d) => d.section !== undefined);
    if (rest.length > SECTION_WORDS || !encoder || named.length === 0) return undefined;
    const restVector = await encoder.encode([rest.join(' ')]);
    let best: { docId: number; match: number } | undefined;
    for (const d of named) {
      const name = d.section as string;
      let v = this.sectionVectors.get(name);
      if (!v) {
        v = await encoder.encode([name]);
        this.sectionVectors.set(name, v);
      }
      let dot = 0;
      for (let j = 0; j < v.length; j++) dot += (v[j] as number) * (restVector[j] as number);
      // A word of the section's name in the question ("disputes") is as good as a close meaning.
      const shared = overlap(contentWords(name), new Set(rest));
      const match = Math.max(dot, shared > 0 ? 0.5 + 0.5 * shared : 0);
      if (!best || match > best.match) best = { docId: d.docId, match };
    }
    return best && best.match >= SECTION_MIN ? best : undefined;
  }

  /**
   * Descriptive answers: the passage the question asks for (the section, else the best
   * retrieved), whole when short, else the sentences around the reader's best span in it.
   */
  private describe(
    passages: readonly RetrievedPassage[],
    spans: readonly Candidate[],
    section: { docId: number; match: number } | undefined,
    reader: string,
    form: AnswerForm,
  ): Candidate[] {
    const p = passages.find((x) => x.docId === section?.docId) ?? passages[0];
    if (!p) return [];
    const inIt = spans.filter((c) => c.evidence.kind === 'passage' && c.evidence.passage === p.text);
    const spanScore = inIt.reduce((m, c) => Math.max(m, c.score), 0);
    const sectionScore = section
      ? 0.5 + 0.5 * Math.min(1, (section.match - SECTION_MIN) / (1 - SECTION_MIN))
      : 0;
    const best = inIt[0]?.evidence;
    const at = best?.kind === 'passage' ? best.start : 0;
    const { start, end } = excerpt(p.text, at, PASSAGE_CHARS);
    const evidence = passageEvidence(p, start, end, reader);
    return [
      {
        text: p.text.slice(start, end),
        // Asked for a description, a confident span makes the passage likelier right; asked
        // for a section only by how the question reads, the section match alone counts.
        score: form === 'passage' ? Math.max(sectionScore, spanScore) : sectionScore,
        route: 'mrc',
        form: 'passage',
        evidence,
      },
    ];
  }

  /** The reader's spans over the passages, one softmax over all of them and no-answer. */
  private async readSpans(
    question: string,
    passages: readonly RetrievedPassage[],
    reader: ExtractiveReader,
    perPassage: number,
  ): Promise<Candidate[]> {
    const decode = reader.decodeOptions();
    const read = (ps: readonly RetrievedPassage[]) =>
      reader.readBatch(
        ps.map((p) => ({ question, context: p.text })),
        { topK: decode.nBest },
      );
    const score = (results: readonly ReadResult[]) => questionSpans(results, decode.nullThreshold);
    // The best-ranked passages first: when one of their spans is clearly the answer, the rest
    // are not read.
    const early = passages.length > READ_FIRST;
    let results = await read(early ? passages.slice(0, READ_FIRST) : passages);
    let scored = score(results);
    if (early && Math.max(0, ...scored.probs.slice(0, -1)) < CLEARLY_BEST) {
      results = [...results, ...(await read(passages.slice(READ_FIRST)))];
      scored = score(results);
    }
    return this.candidatesOf(scored.spans, scored.probs, passages, reader.name, perPassage);
  }

  private candidatesOf(
    spans: ReadonlyArray<{ a: { text: string; start: number; end: number }; i: number }>,
    probs: readonly number[],
    passages: readonly RetrievedPassage[],
    readerName: string,
    perPassage: number,
  ): Candidate[] {
    // One answer found several times is one candidate: its probabilities add up (they are
    // shares of one distribution). Other passages holding it become its supporting evidence;
    // another span of the same passage ("5,199 metres." beside "5,199 metres") adds only its
    // share, and takes none of the passage's places for distinct answers.
    const kept = new Map<number, number>();
    const byText = new Map<string, { candidate: Candidate; passages: Set<number> }>();
    spans.forEach(({ a, i }, k) => {
      const p = passages[i];
      if (!p) return;
      const key = normalizeAnswer(a.text) || a.text;
      const same = byText.get(key);
      const score = probs[k] ?? 0;
      if (same?.passages.has(i)) {
        same.candidate.score = Math.min(1, same.candidate.score + score);
        return;
      }
      if ((kept.get(i) ?? 0) >= perPassage) return;
      kept.set(i, (kept.get(i) ?? 0) + 1);
      const evidence = passageEvidence(p, a.start, a.end, readerName);
      if (!same) {
        const candidate: Candidate = { text: a.text, score, route: 'mrc', evidence };
        byText.set(key, { candidate, passages: new Set([i]) });
        return;
      }
      same.passages.add(i);
      same.candidate.score = Math.min(1, same.candidate.score + score);
      same.candidate.support = [...(same.candidate.support ?? []), evidence];
    });
    return [...byText.values()].map((x) => x.candidate).sort((a, b) => b.score - a.score);
  }
}

/** Where the server serves a source's file: a PDF opens at the page (the viewer reads `#page=`). */
export function sourceFileUrl(source: string, page: number | null): string {
  return `/api/docs/file?source=${encodeURIComponent(source)}${page ? `#page=${page}` : ''}`;
}

/** A retrieved passage as an answer's evidence, the answer at [start, end). */
function passageEvidence(p: RetrievedPassage, start: number, end: number, reader: string): PassageEvidence {
  return {
    kind: 'passage',
    docId: p.docKey,
    ...(p.title ? { title: p.title } : {}),
    ...(p.page ? { page: p.page } : {}),
    ...(p.section && p.section !== p.title ? { section: p.section } : {}),
    ...(p.hasFile ? { file: sourceFileUrl(p.source, p.page) } : {}),
    passage: p.text,
    start,
    end,
    reader,
  };
}

/** The whole text when it fits, else whole sentences around `at` up to `max` characters. */
export function excerpt(text: string, at: number, max: number): { start: number; end: number } {
  if (text.length <= max) return { start: 0, end: text.length };
  const sentences = sentenceSpans(text);
  let i = Math.max(
    0,
    sentences.findIndex((s) => at < s.end),
  );
  let start = sentences[i]?.start ?? 0;
  let end = sentences[i]?.end ?? Math.min(text.length, max);
  // Grow by the following sentence first (what comes after a cause is its effect), then the one before.
  let j = i + 1;
  while (true) {
    const next = sentences[j];
    const prev = sentences[i - 1];
    if (next && next.end - start <= max) {
      end = next.end;
      j++;
    } else if (prev && end - prev.start <= max) {
      start = prev.start;
      i--;
    } else break;
  }
  return { start, end };
}
