/**
 * The fitted matcher: logistic weights over the matcher's features, one fit with the sentence
 * encoder's cosine and one without (used when no encoder, or another one, is installed), with
 * the figures they reached. Written by `qa train matcher`, read at start-up.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { readJsonFile, validate } from '../core/json.js';
import type { VectorEncoder } from '../core/types.js';
import type { LogisticModel } from '../rank/logistic.js';
import { MATCH_FEATURES } from './matcher.js';

const logistic = z
  .object({
    features: z.array(z.string()).refine((f) => f.join() === MATCH_FEATURES.join(), {
      message: `must be ${JSON.stringify(MATCH_FEATURES)}`,
    }),
    weights: z.array(z.number()).length(MATCH_FEATURES.length),
    bias: z.number(),
  })
  .strict();

const figures = z.object({ map: z.number(), mrr: z.number(), p_at_1: z.number() }).strict();

export const matcherFileSchema = z
  .object({
    /** The encoder whose cosines `dense` was fitted on. */
    encoder: z.string().min(1),
    dense: logistic,
    bm25Only: logistic,
    trainedOn: z.string().min(1),
    metrics: z.object({ dense: figures, bm25Only: figures, evaluatedOn: z.string() }).strict().optional(),
  })
  .strict();

export type MatcherFile = z.infer<typeof matcherFileSchema>;

export function readMatcherFile(file: string): MatcherFile {
  return validate(matcherFileSchema, readJsonFile(file), file);
}

export function writeMatcherFile(file: string, m: MatcherFile): void {
  writeFileSync(file, `${JSON.stringify(m, null, 2)}\n`);
}

export interface MatcherParts {
  model: LogisticModel;
  dense?: { name: string; encoder: VectorEncoder };
}

/**
 * The fit and the dense side that go with the encoder at hand: with the encoder the weights were
 * fitted with, both signals; with none, or another one, the BM25-only fit and no vectors.
 */
export function matcherParts(
  m: MatcherFile,
  encoder: (VectorEncoder & { name: string }) | undefined,
): MatcherParts {
  return encoder && encoder.name === m.encoder
    ? { model: m.dense, dense: { name: encoder.name, encoder } }
    : { model: m.bm25Only };
}
