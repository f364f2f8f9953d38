/** The `models/<name>/manifest.json` schema (see ../shared/DESIGN.md, "Models"). */
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

export const manifestSchema = z.looseObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
  task: z.enum(['reader', 'encoder']),
  kind: z.enum(['full', 'distilled', 'quantized', 'pruned']),
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
  /** Tokens shared by consecutive windows over a long context (Hugging Face `stride` semantics). */
  docStride: z.int().min(0),
  maxQueryLen: z.int().min(1).default(64),
  maxAnswerLen: z.int().min(1).default(30),
  sizeBytes: z.int().min(0),
  metrics: z.object({ squad11: squad11.optional(), squad20: squad20.optional() }).default({}),
  speed: z.object({ questionsPerSecond: z.number(), threads: z.int() }).optional(),
  trainedOn: z.string().optional(),
  licence: z.string().min(1),
});

export type ModelManifest = z.infer<typeof manifestSchema>;
