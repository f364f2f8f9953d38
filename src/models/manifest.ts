/**
 * The `models/<name>/manifest.json` schema (see ../shared/DESIGN.md, "Models"): one shape per
 * `task`, sharing the fields that say what the model is and where its files are.
 */
import { z } from 'zod';

const squad11 = z.object({ em: z.number(), f1: z.number() });
const squad20 = z.object({
  em: z.number(),
  f1: z.number(),
  hasAnsF1: z.number(),
  noAnsF1: z.number(),
  /** No-answer threshold on (null score − best span score), tuned on SQuAD 2.0 dev. */
  threshold: z.number(),
});
/** Row-wise cosine between two encoders' vectors for the same `n` texts. */
const cosine = z.object({ mean: z.number(), min: z.number(), n: z.int().min(1) });

const common = {
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  kind: z.enum(['full', 'distilled', 'quantized', 'pruned']),
  /**
   * Every technique the model went through, in order (`kind` names only the last that changed
   * its size): fine-tuned, distilled (from a teacher's soft targets), pruned, quantized.
   */
  techniques: z.array(z.enum(['fine-tuned', 'distilled', 'pruned', 'quantized'])).optional(),
  base: z.string().min(1),
  /** ONNX file, relative to the model folder. */
  file: z.string().min(1).default('model.onnx'),
  tokenizer: z
    .object({
      vocab: z.string().min(1).default('vocab.txt'),
      lowercase: z.boolean(),
      stripAccents: z.boolean().optional(),
    })
    .strict(),
  maxSeqLen: z.int().min(32).max(4096),
  sizeBytes: z.int().min(0),
  trainedOn: z.string().optional(),
  licence: z.string().min(1),
};

const readerSchema = z.looseObject({
  ...common,
  task: z.literal('reader'),
  /** Tokens shared by consecutive windows over a long context (Hugging Face `stride` semantics). */
  docStride: z.int().min(0),
  maxQueryLen: z.int().min(1).default(64),
  maxAnswerLen: z.int().min(1).default(30),
  metrics: z.object({ squad11: squad11.optional(), squad20: squad20.optional() }).default({}),
  speed: z.object({ questionsPerSecond: z.number(), threads: z.int() }).optional(),
});

const encoderSchema = z.looseObject({
  ...common,
  task: z.literal('encoder'),
  /** Length of the output vectors. */
  dim: z.int().min(1),
  /**
   * What the graph computes, not what the product must do: the `output` is already mean-pooled over
   * the attention mask and L2-normalised, so a dot product is the cosine.
   */
  pooling: z.literal('mean'),
  normalize: z.literal(true),
  /** Output tensor name, [batch, dim]. */
  output: z.string().min(1).default('sentence_embedding'),
  metrics: z
    .object({
      /** This (quantised) export against the fp32 export. */
      cosineToFp32: cosine.optional(),
      /** This export against the original PyTorch model. */
      cosineToPyTorch: cosine.optional(),
    })
    .default({}),
  speed: z.object({ sentencesPerSecond: z.number(), threads: z.int() }),
  quantization: z.object({ perChannel: z.boolean() }).optional(),
});

export const manifestSchema = z.discriminatedUnion('task', [readerSchema, encoderSchema]);

export type ModelManifest = z.infer<typeof manifestSchema>;
export type ReaderManifest = z.infer<typeof readerSchema>;
export type EncoderManifest = z.infer<typeof encoderSchema>;

/** An installed model: its folder and its manifest. */
export interface ModelEntry<M extends ModelManifest = ModelManifest> {
  dir: string;
  manifest: M;
}

export type Task = ModelManifest['task'];
export type EntryOf<T extends Task> = ModelEntry<Extract<ModelManifest, { task: T }>>;
export type ReaderEntry = EntryOf<'reader'>;
export type EncoderEntry = EntryOf<'encoder'>;
