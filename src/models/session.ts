/**
 * What every BERT-style model in the registry needs: its WordPiece tokenizer, an onnxruntime session
 * (in its own worker thread) checked for the tensors the caller relies on, and padded int64 feeds.
 * Shared by the reader and the encoder.
 */
import { join } from 'node:path';
import { QaError } from '../core/errors.js';
import type { ModelEntry } from './manifest.js';
import { type FeedTensor, type OutputTensor, WorkerSession } from './session-worker.js';
import { WordPieceTokenizer } from './tokenizer.js';

export type { OutputTensor } from './session-worker.js';
export type ModelSession = WorkerSession;

export interface SessionOptions {
  /** Intra-op threads of the ONNX session (default: 1). */
  threads?: number;
  /**
   * Whether the session's pool threads spin-wait for the next run (default: true). Spinning makes
   * back-to-back runs faster, but a pool still spinning after its run takes the cores from another
   * session's run in the same process (bench/load.ts --threads 2).
   */
  spinWait?: boolean;
}

export function tokenizerFor(entry: ModelEntry): WordPieceTokenizer {
  const t = entry.manifest.tokenizer;
  return WordPieceTokenizer.fromVocabFile(join(entry.dir, t.vocab), {
    lowercase: t.lowercase,
    ...(t.stripAccents === undefined ? {} : { stripAccents: t.stripAccents }),
  });
}

/** Opens the model's ONNX file; a file onnxruntime rejects, or one lacking a tensor, is a `model_error`. */
export async function openSession(
  entry: ModelEntry,
  opts: SessionOptions,
  io: { inputs: readonly string[]; outputs: readonly string[] },
): Promise<ModelSession> {
  const modelPath = join(entry.dir, entry.manifest.file);
  let session: ModelSession;
  try {
    session = await WorkerSession.open({
      modelPath,
      threads: opts.threads ?? 1,
      spinWait: opts.spinWait ?? true,
    });
  } catch (e) {
    throw new QaError('model_error', `onnxruntime cannot load the model: ${(e as Error).message}`, {
      where: modelPath,
      cause: e,
    });
  }
  const checks = [
    ['input', io.inputs, session.inputNames],
    ['output', io.outputs, session.outputNames],
  ] as const;
  for (const [kind, want, has] of checks) {
    const name = want.find((n) => !has.includes(n));
    if (name !== undefined) {
      // The session is of no use to anyone; free its memory rather than wait for the GC.
      await session.release();
      throw new QaError('model_error', `model has no ${kind} "${name}" (has ${has.join(', ')})`, {
        where: modelPath,
      });
    }
  }
  return session;
}

function int64(rows: readonly (readonly number[])[], width: number, pad: number): FeedTensor {
  const data = new BigInt64Array(rows.length * width).fill(BigInt(pad));
  rows.forEach((row, r) => {
    row.forEach((v, c) => {
      data[r * width + c] = BigInt(v);
    });
  });
  return { type: 'int64', data, dims: [rows.length, width] };
}

/**
 * `input_ids` padded to the longest row, its `attention_mask`, and `token_type_ids` (0 where a row
 * gives none) when the graph takes them.
 */
export function bertFeeds(
  session: Pick<ModelSession, 'inputNames'>,
  rows: ReadonlyArray<{ inputIds: readonly number[]; typeIds?: readonly number[] }>,
  pad: number,
): { feeds: Record<string, FeedTensor>; width: number } {
  const width = Math.max(...rows.map((r) => r.inputIds.length));
  const feeds: Record<string, FeedTensor> = {
    input_ids: int64(
      rows.map((r) => r.inputIds),
      width,
      pad,
    ),
    attention_mask: int64(
      rows.map((r) => r.inputIds.map(() => 1)),
      width,
      0,
    ),
  };
  if (session.inputNames.includes('token_type_ids')) {
    feeds.token_type_ids = int64(
      rows.map((r) => r.typeIds ?? []),
      width,
      0,
    );
  }
  return { feeds, width };
}

/** `session.run` with its failures as `model_error` naming the model folder. */
export async function run(
  session: ModelSession,
  feeds: Record<string, FeedTensor>,
  where: string,
): Promise<Record<string, OutputTensor>> {
  try {
    return await session.run(feeds);
  } catch (e) {
    throw new QaError('model_error', `inference failed: ${(e as Error).message}`, { where, cause: e });
  }
}
