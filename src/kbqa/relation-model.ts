/**
 * Question → relation path, learned from examples: the question with its topic entity masked,
 * as TF-IDF weighted word unigrams and bigrams, classified by its nearest training questions
 * (cosine similarity, a vote weighted by its cube). Serialises to plain JSON, with the examples'
 * texts, so that the same neighbours can be found by meaning too (semantic-paths.ts).
 */

export interface LabelledQuestion {
  /** The question with the topic mention replaced by MASK. */
  masked: string;
  path: string;
}

export interface PathPrediction {
  path: string;
  /** Share of the neighbours' similarity mass voting for this path, 0..1. */
  score: number;
  /** Cosine of the closest training question with this path, 0..1: how familiar the wording is. */
  similarity: number;
}

export const MASK = 'ENT';

type SparseVec = Map<number, number>;

export function maskMention(question: string, start: number, end: number): string {
  return `${question.slice(0, start)} ${MASK} ${question.slice(end)}`;
}

function features(text: string): string[] {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const out = [...words];
  for (let i = 0; i + 1 < words.length; i++) out.push(`${words[i]} ${words[i + 1]}`);
  return out;
}

export interface RelationModelJson {
  /** 1: without the examples' texts (they are then matched by words only). */
  version: 1 | 2;
  k: number;
  vocab: string[];
  idf: number[];
  examples: Array<{ vec: Array<[number, number]>; path: string; text?: string }>;
}

export class RelationModel {
  private constructor(
    private readonly k: number,
    private readonly vocab: Map<string, number>,
    private readonly idf: number[],
    private readonly examples: Array<{ vec: SparseVec; path: string; text?: string }>,
  ) {}

  get size(): number {
    return this.examples.length;
  }

  /** The k of the k-nearest-neighbour vote. */
  get neighbours(): number {
    return this.k;
  }

  /** The training examples' masked texts and paths (texts absent in version-1 files). */
  get texts(): Array<{ text: string; path: string }> {
    return this.examples.flatMap((e) => (e.text === undefined ? [] : [{ text: e.text, path: e.path }]));
  }

  static train(data: readonly LabelledQuestion[], k = 7): RelationModel {
    const vocab = new Map<string, number>();
    const df: number[] = [];
    const docs = data.map((d) => {
      const feats = new Set(features(d.masked));
      for (const f of feats) {
        let id = vocab.get(f);
        if (id === undefined) {
          id = vocab.size;
          vocab.set(f, id);
          df.push(0);
        }
        df[id] = (df[id] ?? 0) + 1;
      }
      return features(d.masked);
    });
    const idf = df.map((n) => Math.log((1 + data.length) / (1 + n)) + 1);
    const model = new RelationModel(k, vocab, idf, []);
    docs.forEach((feats, i) => {
      model.examples.push({
        vec: model.vectorize(feats),
        path: data[i]?.path ?? '',
        text: data[i]?.masked ?? '',
      });
    });
    return model;
  }

  /**
   * TF-IDF vector, unit length. Words never seen in training count in the length at the rarest
   * word's weight, so a question that only partly resembles the training wordings is not scored
   * as if its unknown words were not there.
   */
  private vectorize(feats: string[]): SparseVec {
    const vec: SparseVec = new Map();
    const unseen = new Map<string, number>();
    const rarest = Math.max(0, ...this.idf);
    for (const f of feats) {
      const id = this.vocab.get(f);
      if (id !== undefined) vec.set(id, (vec.get(id) ?? 0) + (this.idf[id] ?? 0));
      else unseen.set(f, (unseen.get(f) ?? 0) + rarest);
    }
    let norm = 0;
    for (const x of [...vec.values(), ...unseen.values()]) norm += x * x;
    norm = Math.sqrt(norm) || 1;
    for (const [id, x] of vec) vec.set(id, x / norm);
    return vec;
  }

  /** Paths ranked by the similarity-weighted vote of the k nearest training questions. */
  predict(masked: string, top = 3): PathPrediction[] {
    const q = this.vectorize(features(masked));
    const sims: Array<[number, string]> = [];
    for (const ex of this.examples) {
      let s = 0;
      const [small, big] = q.size < ex.vec.size ? [q, ex.vec] : [ex.vec, q];
      for (const [id, x] of small) s += x * (big.get(id) ?? 0);
      if (s > 0) sims.push([s, ex.path]);
    }
    return vote(sims, this.k, top);
  }

  toJSON(): RelationModelJson {
    return {
      version: 2,
      k: this.k,
      vocab: [...this.vocab.keys()],
      idf: this.idf,
      examples: this.examples.map((e) => ({
        vec: [...e.vec],
        path: e.path,
        ...(e.text === undefined ? {} : { text: e.text }),
      })),
    };
  }

  static fromJSON(json: RelationModelJson): RelationModel {
    return new RelationModel(
      json.k,
      new Map(json.vocab.map((w, i) => [w, i])),
      json.idf,
      json.examples.map((e) => ({
        vec: new Map(e.vec),
        path: e.path,
        ...(e.text === undefined ? {} : { text: e.text }),
      })),
    );
  }
}

/**
 * Paths ranked by the similarity-weighted vote of the k nearest examples, from the similarity
 * and path of every example.
 */
export function vote(sims: Array<[number, string]>, k: number, top: number): PathPrediction[] {
  sims.sort((a, b) => b[0] - a[0]);
  const votes = new Map<string, number>();
  const closest = new Map<string, number>();
  let mass = 0;
  // The k nearest vote. A path that only neighbours tied with the k-th have gets one vote too:
  // one wording may be labelled with several paths (by the kind of entity, "which continent is
  // X in" for a country and for a city), and which of the equal examples came first must not
  // hide one of them. Only one, so the more often labelled path keeps its majority.
  const kth = sims[Math.min(k, sims.length) - 1]?.[0] ?? 0;
  const near = sims.slice(0, k);
  const voted = new Set(near.map(([, path]) => path));
  for (const [s, path] of sims.slice(k)) {
    if (s < kth - 1e-9) break;
    if (!voted.has(path)) {
      voted.add(path);
      near.push([s, path]);
    }
  }
  for (const [s, path] of near) {
    // Cubed, so a few near-identical wordings outvote a crowd of loosely similar ones.
    votes.set(path, (votes.get(path) ?? 0) + s ** 3);
    if (!closest.has(path)) closest.set(path, s);
    mass += s ** 3;
  }
  return [...votes]
    .map(([path, w]) => ({ path, score: mass > 0 ? w / mass : 0, similarity: closest.get(path) ?? 0 }))
    .sort((a, b) => b.score - a.score)
    .slice(0, top);
}
