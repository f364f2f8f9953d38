/**
 * Learned paths found by meaning: the training questions of a relation model (their masked
 * texts) as sentence vectors, so a wording never seen ("what films did X appear in", MetaQA's
 * machine paraphrases) still finds the examples it means the same as. The vote is the relation
 * model's; similarities are rescaled so that an unrelated sentence (cosine about 0.5 with this
 * encoder) vouches for nothing.
 */
import type { VectorEncoder } from '../core/types.js';
import { type PathPrediction, type RelationModel, vote } from './relation-model.js';

/** A masked question as the encoder reads it: the topic as X, lower case. */
export function encoderText(masked: string): string {
  return masked
    .replace(/\bENT\b/g, 'X')
    .toLowerCase()
    .replace(/\bx\b/g, 'X');
}

/** Cosine below which two questions are taken to mean different things. */
const UNRELATED = 0.5;

export class SemanticPaths {
  private constructor(
    private readonly rows: Float32Array,
    private readonly paths: string[],
    private readonly dim: number,
    private readonly k: number,
  ) {}

  /** Undefined when the model keeps no texts (a version-1 file). */
  static async build(model: RelationModel, encoder: VectorEncoder): Promise<SemanticPaths | undefined> {
    const examples = model.texts;
    if (examples.length === 0) return undefined;
    // Wordings repeat across topics' classes: each text is encoded once.
    const unique = [...new Set(examples.map((e) => encoderText(e.text)))];
    const vectors = await encoder.encode(unique);
    const at = new Map(unique.map((t, i) => [t, i]));
    const d = encoder.dim;
    const rows = new Float32Array(examples.length * d);
    examples.forEach((e, i) => {
      const j = at.get(encoderText(e.text)) ?? 0;
      rows.set(vectors.subarray(j * d, (j + 1) * d), i * d);
    });
    return new SemanticPaths(
      rows,
      examples.map((e) => e.path),
      d,
      model.neighbours,
    );
  }

  /** Paths by the vote of the nearest examples to the question's vector (`encoderText` form). */
  predict(query: Float32Array, top = 5): PathPrediction[] {
    const sims: Array<[number, string]> = [];
    for (let i = 0; i < this.paths.length; i++) {
      let s = 0;
      const off = i * this.dim;
      for (let k = 0; k < this.dim; k++) s += (query[k] as number) * (this.rows[off + k] as number);
      const rescaled = Math.max(0, (s - UNRELATED) / (1 - UNRELATED));
      if (rescaled > 0) sims.push([rescaled, this.paths[i] as string]);
    }
    return vote(sims, this.k, top);
  }
}
