/**
 * The extractive span reader: tokenize → windows → batched ONNX forward → span decoding.
 * One onnxruntime session per model, opened once and shared by every request.
 */
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { QaError } from '../core/errors.js';
import { type Decoded, type DecodeOptions, decodeSpans, type WindowLogits } from './decode.js';
import type { ModelEntry } from './models.js';
import { type Token, WordPieceTokenizer } from './tokenizer.js';
import { makeWindows, type Window } from './windows.js';

export interface ReaderOptions {
  /** Intra-op threads of the ONNX session (default: 1). */
  threads?: number;
}

export interface ReadOptions extends Partial<DecodeOptions> {
  /** Windows per forward pass (default 8). */
  batchSize?: number;
}

export interface ReadInput {
  question: string;
  context: string;
}

export type ReadResult = Decoded;

const REQUIRED_INPUTS = ['input_ids', 'attention_mask'] as const;
const OUTPUTS = ['start_logits', 'end_logits'] as const;

interface Job {
  input: number;
  window: Window;
}

function int64(rows: number[][], width: number, pad: number): ort.Tensor {
  const data = new BigInt64Array(rows.length * width).fill(BigInt(pad));
  rows.forEach((row, r) => {
    row.forEach((v, c) => {
      data[r * width + c] = BigInt(v);
    });
  });
  return new ort.Tensor('int64', data, [rows.length, width]);
}

export class SpanReader {
  private constructor(
    readonly entry: ModelEntry,
    readonly tokenizer: WordPieceTokenizer,
    private readonly session: ort.InferenceSession,
  ) {}

  get name(): string {
    return this.entry.manifest.name;
  }

  static async load(entry: ModelEntry, opts: ReaderOptions = {}): Promise<SpanReader> {
    const m = entry.manifest;
    const modelPath = join(entry.dir, m.file);
    const tokenizer = WordPieceTokenizer.fromVocabFile(join(entry.dir, m.tokenizer.vocab), {
      lowercase: m.tokenizer.lowercase,
      ...(m.tokenizer.stripAccents === undefined ? {} : { stripAccents: m.tokenizer.stripAccents }),
    });
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(modelPath, {
        intraOpNumThreads: opts.threads ?? 1,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
      });
    } catch (e) {
      throw new QaError('model_error', `onnxruntime cannot load the model: ${(e as Error).message}`, {
        where: modelPath,
        cause: e,
      });
    }
    for (const name of REQUIRED_INPUTS) {
      if (!session.inputNames.includes(name)) {
        throw new QaError(
          'model_error',
          `model has no input "${name}" (has ${session.inputNames.join(', ')})`,
          {
            where: modelPath,
          },
        );
      }
    }
    for (const name of OUTPUTS) {
      if (!session.outputNames.includes(name)) {
        throw new QaError(
          'model_error',
          `model has no output "${name}" (has ${session.outputNames.join(', ')})`,
          { where: modelPath },
        );
      }
    }
    return new SpanReader(entry, tokenizer, session);
  }

  /** Decoding defaults: the manifest's answer length and tuned no-answer threshold. */
  decodeOptions(over: Partial<DecodeOptions> = {}): DecodeOptions {
    const m = this.entry.manifest;
    return {
      nBest: over.nBest ?? 20,
      maxAnswerLen: over.maxAnswerLen ?? m.maxAnswerLen,
      topK: over.topK ?? 5,
      nullThreshold: over.nullThreshold ?? m.metrics.squad20?.threshold ?? 0,
    };
  }

  async read(input: ReadInput, opts: ReadOptions = {}): Promise<ReadResult> {
    const [result] = await this.readBatch([input], opts);
    if (!result) throw new QaError('internal', 'reader returned no result');
    return result;
  }

  /** Reads many (question, context) pairs, packing their windows into shared batches. */
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
    for (let b = 0; b < jobs.length; b += batchSize) {
      const batch = jobs.slice(b, b + batchSize);
      const out = await this.forward(batch.map((j) => j.window));
      batch.forEach((j, r) => {
        logits[j.input]?.push({ window: j.window, start: out[r]?.start ?? [], end: out[r]?.end ?? [] });
      });
    }
    return inputs.map((inp, i) => decodeSpans(inp.context, ctxTokens[i] ?? [], logits[i] ?? [], decode));
  }

  private async forward(windows: Window[]): Promise<Array<{ start: Float32Array; end: Float32Array }>> {
    const width = Math.max(...windows.map((w) => w.inputIds.length));
    const feeds: Record<string, ort.Tensor> = {
      input_ids: int64(
        windows.map((w) => w.inputIds),
        width,
        this.tokenizer.special.pad,
      ),
      attention_mask: int64(
        windows.map((w) => w.inputIds.map(() => 1)),
        width,
        0,
      ),
    };
    if (this.session.inputNames.includes('token_type_ids')) {
      feeds.token_type_ids = int64(
        windows.map((w) => w.typeIds),
        width,
        0,
      );
    }
    let out: ort.InferenceSession.OnnxValueMapType;
    try {
      out = await this.session.run(feeds);
    } catch (e) {
      throw new QaError('model_error', `inference failed: ${(e as Error).message}`, {
        where: this.entry.dir,
        cause: e,
      });
    }
    const start = out.start_logits?.data as Float32Array;
    const end = out.end_logits?.data as Float32Array;
    return windows.map((_, r) => ({
      start: start.subarray(r * width, (r + 1) * width),
      end: end.subarray(r * width, (r + 1) * width),
    }));
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
