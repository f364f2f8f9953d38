/**
 * The extractive span reader: tokenize → windows → batched ONNX forward → span decoding.
 * One onnxruntime session per model, opened once and shared by every request.
 */
import { QaError } from '../core/errors.js';
import type { ReaderEntry, ReaderManifest } from '../models/manifest.js';
import {
  bertFeeds,
  type ModelSession,
  type OutputTensor,
  openSession,
  run,
  type SessionOptions,
  tokenizerFor,
} from '../models/session.js';
import type { Token, WordPieceTokenizer } from '../models/tokenizer.js';
import { type Decoded, type DecodeOptions, decodeSpans, type WindowLogits } from './decode.js';
import { type BatcherOptions, WindowBatcher } from './window-batcher.js';
import { makeWindows, type Window } from './windows.js';

export interface ReaderOptions extends SessionOptions {
  /** How windows of concurrent reads share runs (window-batcher.ts). */
  batching?: BatcherOptions;
}

export interface ReadOptions extends Partial<DecodeOptions> {
  /** The most windows in one forward pass, its own and concurrent reads' together (default 8). */
  batchSize?: number;
}

export interface ReadInput {
  question: string;
  context: string;
}

export type ReadResult = Decoded;

/** The tensors a reader graph must have. */
export const READER_IO = {
  inputs: ['input_ids', 'attention_mask'],
  outputs: ['start_logits', 'end_logits'],
} as const;

interface Job {
  input: number;
  window: Window;
}

/** Decoding defaults: the manifest's answer length and tuned no-answer threshold. */
export function decodeDefaults(m: ReaderManifest, over: Partial<DecodeOptions> = {}): DecodeOptions {
  return {
    nBest: over.nBest ?? 20,
    maxAnswerLen: over.maxAnswerLen ?? m.maxAnswerLen,
    topK: over.topK ?? 5,
    nullThreshold: over.nullThreshold ?? m.metrics.squad20?.threshold ?? 0,
  };
}

/** One batch's start and end logits, split into a row per window (views, not copies). */
export function windowLogits(
  windows: readonly Window[],
  out: Record<string, OutputTensor>,
  width: number,
): WindowLogits[] {
  const start = out.start_logits?.data ?? new Float32Array();
  const end = out.end_logits?.data ?? new Float32Array();
  return windows.map((window, r) => ({
    window,
    start: start.subarray(r * width, (r + 1) * width),
    end: end.subarray(r * width, (r + 1) * width),
  }));
}

/** What reads spans: one model (SpanReader) or a cascade of two (cascade.ts). */
export interface ExtractiveReader {
  readonly name: string;
  decodeOptions(over?: Partial<DecodeOptions>): DecodeOptions;
  read(input: ReadInput, opts?: ReadOptions): Promise<ReadResult>;
  readBatch(inputs: readonly ReadInput[], opts?: ReadOptions): Promise<ReadResult[]>;
  close(): Promise<void>;
}

export class SpanReader implements ExtractiveReader {
  private readonly batcher: WindowBatcher;

  private constructor(
    readonly entry: ReaderEntry,
    readonly tokenizer: WordPieceTokenizer,
    private readonly session: ModelSession,
    batching?: BatcherOptions,
  ) {
    this.batcher = new WindowBatcher((windows) => this.forward(windows), batching);
  }

  get name(): string {
    return this.entry.manifest.name;
  }

  static async load(entry: ReaderEntry, opts: ReaderOptions = {}): Promise<SpanReader> {
    const tokenizer = tokenizerFor(entry);
    const session = await openSession(entry, opts, READER_IO);
    return new SpanReader(entry, tokenizer, session, opts.batching);
  }

  decodeOptions(over: Partial<DecodeOptions> = {}): DecodeOptions {
    return decodeDefaults(this.entry.manifest, over);
  }

  async read(input: ReadInput, opts: ReadOptions = {}): Promise<ReadResult> {
    const [result] = await this.readBatch([input], opts);
    if (!result) throw new QaError('internal', 'reader returned no result');
    return result;
  }

  /**
   * Reads many (question, context) pairs, packing their windows, and those of reads running at
   * the same time, into shared batches of similar length.
   */
  async readBatch(inputs: readonly ReadInput[], opts: ReadOptions = {}): Promise<ReadResult[]> {
    const m = this.entry.manifest;
    const decode = this.decodeOptions(opts);
    const batchSize = Math.max(1, opts.batchSize ?? 8);
    const ctxTokens: Token[][] = [];
    const jobs: Job[] = [];
    inputs.forEach((inp, i) => {
      const q = this.tokenizer.tokenize(inp.question);
      const c = this.tokenizer.tokenize(inp.context);
      ctxTokens.push(c);
      for (const window of makeWindows(q, c, this.tokenizer.special, m)) jobs.push({ input: i, window });
    });

    const logits: WindowLogits[][] = inputs.map(() => []);
    const out = await this.batcher.submit(
      jobs.map((j) => j.window),
      batchSize,
    );
    out.forEach((row, r) => {
      const job = jobs[r];
      if (job) logits[job.input]?.push(row);
    });
    return inputs.map((inp, i) => decodeSpans(inp.context, ctxTokens[i] ?? [], logits[i] ?? [], decode));
  }

  private async forward(windows: Window[]): Promise<WindowLogits[]> {
    const { feeds, width } = bertFeeds(this.session, windows, this.tokenizer.special.pad);
    return windowLogits(windows, await run(this.session, feeds, this.entry.dir), width);
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
