/**
 * How close two phrases are in meaning: the cosine of their sentence vectors (the bundled
 * encoder), with the vectors of the KB's own phrases (relation paths in words, property names)
 * cached, since the same few hundred come back question after question.
 */
import type { VectorEncoder } from '../core/types.js';

const CACHE_LIMIT = 50_000;

export class PhraseScorer {
  private readonly cache = new Map<string, Float32Array>();

  constructor(readonly encoder: VectorEncoder) {}

  private async vectors(texts: readonly string[]): Promise<Float32Array[]> {
    const missing = [...new Set(texts.filter((t) => !this.cache.has(t)))];
    if (missing.length > 0) {
      const flat = await this.encoder.encode(missing);
      const d = this.encoder.dim;
      if (this.cache.size + missing.length > CACHE_LIMIT) this.cache.clear();
      missing.forEach((t, i) => {
        this.cache.set(t, flat.slice(i * d, (i + 1) * d));
      });
    }
    return texts.map((t) => this.cache.get(t) as Float32Array);
  }

  /** A question's vector: not cached, questions rarely come back word for word. */
  async query(text: string): Promise<Float32Array> {
    return this.encoder.encode([text]);
  }

  /** Cosine of a query vector with each of `phrases` (vectors are unit length). */
  async similarities(query: Float32Array, phrases: readonly string[]): Promise<number[]> {
    if (phrases.length === 0) return [];
    const ps = await this.vectors(phrases);
    return ps.map((p) => {
      let s = 0;
      for (let k = 0; k < p.length; k++) s += (query[k] as number) * (p[k] as number);
      return s;
    });
  }
}
