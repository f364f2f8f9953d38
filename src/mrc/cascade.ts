/**
 * A reader cascade: a small reader reads every window first; when it is sure of the best answer
 * (or that there is none) its reading stands, and otherwise a larger reader rereads only the
 * windows where the small one found its best spans. The larger reader's cost is paid only where
 * the small one hesitates (figures in docs/BENCHMARKS.md).
 */
import { type DecodeOptions, NO_SPAN, questionSpans } from './decode.js';
import type { ExtractiveReader, ReadInput, ReadOptions, ReadResult } from './reader.js';

export interface CascadeSpec {
  /** The reader that reads every window (the small one). */
  first: string;
  /** The reader that rereads when the first is unsure. */
  second: string;
  /** The first reader's reading stands when its best (span or no answer) is at least this likely. */
  sure: number;
  /** How many of a question's passages the second reader rereads, best first. */
  reread: number;
}

export class CascadeReader implements ExtractiveReader {
  constructor(
    readonly name: string,
    private readonly first: ExtractiveReader,
    private readonly second: ExtractiveReader,
    private readonly spec: Pick<CascadeSpec, 'sure' | 'reread'>,
  ) {}

  /** The second reader's: what the cascade returns is on its scale. */
  decodeOptions(over: Partial<DecodeOptions> = {}): DecodeOptions {
    return this.second.decodeOptions(over);
  }

  async read(input: ReadInput, opts: ReadOptions = {}): Promise<ReadResult> {
    const [result] = await this.readBatch([input], opts);
    return result as ReadResult;
  }

  async readBatch(inputs: readonly ReadInput[], opts: ReadOptions = {}): Promise<ReadResult[]> {
    const firstRead = await this.first.readBatch(inputs, opts);
    const own = this.first.decodeOptions(opts).nullThreshold;
    // How sure the first reader is, scored as the MRC route scores a question's passages.
    if (Math.max(...questionSpans(firstRead, own).probs) >= this.spec.sure) {
      // Kept on the second reader's no-answer scale, since callers threshold with its options.
      const shift = this.second.decodeOptions(opts).nullThreshold - own;
      return firstRead.map((r) => ({ ...r, nullLogit: r.nullLogit + shift }));
    }
    const best = (r: ReadResult) => r.answers[0]?.logit ?? Number.NEGATIVE_INFINITY;
    const chosen = firstRead
      .map((r, i) => ({ i, logit: best(r) }))
      .sort((a, b) => b.logit - a.logit)
      .slice(0, Math.max(1, this.spec.reread))
      .map((x) => x.i);
    const reread = await this.second.readBatch(
      chosen.map((i) => inputs[i] as ReadInput),
      opts,
    );
    // Passages not reread add no spans, and a no-answer entry that never beats the reread ones'.
    const neutral = Math.max(...reread.map((r) => r.nullLogit));
    return inputs.map((_, i) => {
      const j = chosen.indexOf(i);
      if (j >= 0) return reread[j] as ReadResult;
      return { answers: [], noAnswer: true, nullLogit: neutral, noAnswerProbability: 1, nullOdds: NO_SPAN };
    });
  }

  async close(): Promise<void> {}
}
