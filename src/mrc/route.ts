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
import type { Candidate, PassageEvidence } from '../core/types.js';
import { normalizeAnswer } from '../eval/squad.js';
import { softmax } from './decode.js';
import type { SpanReader } from './reader.js';
import type { RetrievalMode, RetrievedPassage, Retriever } from './retriever.js';

export interface MrcOptions {
  /** Passages read per question. */
  passages?: number;
  /** Spans kept per passage. */
  spansPerPassage?: number;
  mode?: RetrievalMode;
}

export interface MrcAnswer {
  candidates: Candidate[];
  passages: RetrievedPassage[];
}

export class MrcRoute {
  constructor(private readonly retriever: Retriever) {}

  async answer(question: string, reader: SpanReader, opts: MrcOptions = {}): Promise<MrcAnswer> {
    const mode = opts.mode ?? (this.retriever.hasDense ? 'hybrid' : 'bm25');
    const passages = await this.retriever.retrieve(question, opts.passages ?? 5, mode);
    if (passages.length === 0) return { candidates: [], passages };
    const decode = reader.decodeOptions();
    const results = await reader.readBatch(
      passages.map((p) => ({ question, context: p.text })),
      { topK: decode.nBest },
    );
    const nullLogit = Math.min(...results.map((r) => r.nullLogit)) - decode.nullThreshold;
    const spans = results.flatMap((r, i) => r.answers.map((a) => ({ a, i })));
    const probs = softmax([...spans.map((s) => s.a.logit), nullLogit]);
    // One answer found several times is one candidate: its probabilities add up (they are
    // shares of one distribution). Other passages holding it become its supporting evidence;
    // another span of the same passage ("5,199 metres." beside "5,199 metres") adds only its
    // share, and takes none of the passage's places for distinct answers.
    const perPassage = opts.spansPerPassage ?? 2;
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
      const evidence: PassageEvidence = {
        kind: 'passage',
        docId: p.docKey,
        ...(p.title ? { title: p.title } : {}),
        passage: p.text,
        start: a.start,
        end: a.end,
        reader: reader.name,
      };
      if (!same) {
        const candidate: Candidate = { text: a.text, score, route: 'mrc', evidence };
        byText.set(key, { candidate, passages: new Set([i]) });
        return;
      }
      same.passages.add(i);
      same.candidate.score = Math.min(1, same.candidate.score + score);
      same.candidate.support = [...(same.candidate.support ?? []), evidence];
    });
    const candidates = [...byText.values()].map((x) => x.candidate);
    return { candidates: candidates.sort((a, b) => b.score - a.score), passages };
  }
}
