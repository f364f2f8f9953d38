/**
 * How close two phrases are in meaning: the cosine of their sentence vectors (the bundled
 * encoder), with the vectors of the KB's own phrases (relation paths in words, property names)
 * cached, since the same few hundred come back question after question.
 */
import type { VectorEncoder } from '../core/types.js';

const CACHE_LIMIT = 50_000;
const RECENT_QUERIES = 64;

export class PhraseScorer {
  private readonly cache = new Map<string, Float32Array>();
  private readonly queries = new Map<string, Float32Array>();

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

  /**
   * A question's vector. One question asks with the same text many times (its cue, once per
   * reading it orders), so the last few are kept; older ones go, questions rarely come back.
   */
  async query(text: string): Promise<Float32Array> {
    const hit = this.queries.get(text);
    if (hit) return hit;
    const vector = await this.encoder.encode([text]);
    if (this.queries.size >= RECENT_QUERIES) this.queries.delete(this.queries.keys().next().value as string);
    this.queries.set(text, vector);
    return vector;
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
