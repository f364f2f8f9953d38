/**
 * Dense sentence vectors from an encoder model (task "encoder"): WordPiece → `[CLS] … [SEP]` cut to
 * maxSeqLen → length-sorted batches through ONNX Runtime. Mean pooling and L2 normalisation are in
 * the graph (training/export_encoder.py), so its output rows are the vectors as they are.
 */
import { join } from 'node:path';
import { QaError } from '../core/errors.js';
import type { EncoderEntry } from './manifest.js';
import {
  bertFeeds,
  type ModelSession,
  openSession,
  run,
  type SessionOptions,
  tokenizerFor,
} from './session.js';
import type { WordPieceTokenizer } from './tokenizer.js';

export type EncoderOptions = SessionOptions;

export interface EncodeOptions {
  /** Texts per forward pass (default 32). */
  batchSize?: number;
}

const REQUIRED_INPUTS = ['input_ids', 'attention_mask'] as const;

export class SentenceEncoder {
  /** Length of every vector. */
  readonly dim: number;

  private constructor(
    readonly entry: EncoderEntry,
    readonly tokenizer: WordPieceTokenizer,
    private readonly session: ModelSession,
  ) {
    this.dim = entry.manifest.dim;
  }

  get name(): string {
    return this.entry.manifest.name;
  }

  static async load(entry: EncoderEntry, opts: EncoderOptions = {}): Promise<SentenceEncoder> {
    const tokenizer = tokenizerFor(entry);
    // An encoder run is one short batch between the reader's runs (the question, a few passages):
    // its pool spin-waiting afterwards would take the cores from the reader (bench/load.ts).
    const session = await openSession(
      entry,
      { spinWait: false, ...opts },
      {
        inputs: REQUIRED_INPUTS,
        outputs: [entry.manifest.output],
      },
    );
    return new SentenceEncoder(entry, tokenizer, session);
  }

  /**
   * One unit-length vector per text, as `texts.length × dim` floats, row-major, in input order.
   * Text beyond maxSeqLen − 2 word pieces is ignored, as sentence-transformers does.
   */
  async encode(texts: readonly string[], opts: EncodeOptions = {}): Promise<Float32Array> {
    const batchSize = Math.max(1, opts.batchSize ?? 32);
    const { cls, sep } = this.tokenizer.special;
    const keep = this.entry.manifest.maxSeqLen - 2;
    const jobs = texts.map((t, at) => ({
      at,
      inputIds: [
        cls,
        ...this.tokenizer
          .tokenize(t)
          .slice(0, keep)
          .map((tok) => tok.id),
        sep,
      ],
    }));
    // Batches of similar lengths carry little padding; the output is written back in input order.
    jobs.sort((a, b) => a.inputIds.length - b.inputIds.length);
    const out = new Float32Array(texts.length * this.dim);
    for (let b = 0; b < jobs.length; b += batchSize) {
      const batch = jobs.slice(b, b + batchSize);
      const vectors = await this.forward(batch);
      batch.forEach((job, r) => {
        out.set(vectors.subarray(r * this.dim, (r + 1) * this.dim), job.at * this.dim);
      });
    }
    return out;
  }

  private async forward(rows: Array<{ inputIds: number[] }>): Promise<Float32Array> {
    const m = this.entry.manifest;
    const { feeds } = bertFeeds(this.session, rows, this.tokenizer.special.pad);
    const out = (await run(this.session, feeds, this.entry.dir))[m.output];
    const [n, dim] = out?.dims ?? [];
    if (out?.type !== 'float32' || out.dims.length !== 2 || n !== rows.length || dim !== this.dim) {
      throw new QaError(
        'model_error',
        `output "${m.output}" is ${out?.type} [${out?.dims.join(', ')}], expected float32 [${rows.length}, ${this.dim}] (manifest dim)`,
        { where: join(this.entry.dir, m.file) },
      );
    }
    return out.data as Float32Array;
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
