/**
 * The MRC route: retrieve passages, read the best few with the span reader in one batch, and
 * return each passage's best spans with the passage as evidence. A span's score is the reader's
 * probability for it (softmax over the passage's n-best spans and its no-answer entry), so a
 * passage the reader thinks holds no answer gives low scores rather than none.
 */
import type { Candidate } from '../core/types.js';
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
    const results = await reader.readBatch(
      passages.map((p) => ({ question, context: p.text })),
      { topK: opts.spansPerPassage ?? 2 },
    );
    const candidates = passages.flatMap((p, i): Candidate[] =>
      (results[i]?.answers ?? []).map((a) => ({
        text: a.text,
        // A passage the reader rejects still offers its spans, at the reader's (low) confidence.
        score: a.probability,
        route: 'mrc',
        evidence: {
          kind: 'passage',
          docId: p.docKey,
          ...(p.title ? { title: p.title } : {}),
          passage: p.text,
          start: a.start,
          end: a.end,
          reader: reader.name,
        },
      })),
    );
    return { candidates: candidates.sort((a, b) => b.score - a.score), passages };
  }
}
