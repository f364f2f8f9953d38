/**
 * The fitted matcher: logistic weights over the matcher's features, one fit with the sentence
 * encoder's cosine and one without (used when no encoder, or another one, is installed), with
 * the figures they reached. Written by `qa train matcher`, read at start-up.
 */
import { writeFileSync } from 'node:fs';
import { z } from 'zod';
import { readJsonFile, validate } from '../core/json.js';
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

/** The fit to use with the encoder at hand (none, or not the one `dense` was fitted with: BM25 only). */
export function modelFor(m: MatcherFile, encoder: string | undefined): LogisticModel {
  return encoder === m.encoder ? m.dense : m.bm25Only;
}
