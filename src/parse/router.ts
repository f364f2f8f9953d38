/**
 * The learned router: how much to trust each route for a question, as softmax probabilities of a
 * multinomial logistic regression over hashed word and character n-grams of the question and the
 * analyser's parse. Fitted by `qa train router` (AdaGrad, L2) and stored as sparse JSON.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../core/config.js';
import { fnv1a } from '../core/hash.js';
import { readJsonFile, validate } from '../core/json.js';
import type { ParsedQuestion, RouteName } from '../core/types.js';
import { analyse, type QuestionAnalysis } from './analyse.js';

export const ROUTES: readonly RouteName[] = ['kbqa', 'mrc', 'cqa'];
const K = ROUTES.length;
export const HASH_BITS = 18;
const DIM = 1 << HASH_BITS;
/** Names the feature scheme below; a model file made for another one must be refitted. */
export const FEATURE_SCHEME = 'fnv1a-18/words-1-2/chars-3-5/type/answer/mentions';

export function routerPath(config: Pick<Config, 'modelsDir'>): string {
  return join(config.modelsDir, 'router', 'router.json');
}

/** The text the router reads: normalised, lower-cased, without MetaQA's topic brackets (a giveaway). */
export function routerText(normalized: string): string {
  return normalized.replace(/[[\]]/g, '').toLowerCase();
}

export interface SparseVector {
  index: number[];
  value: number[];
}

// XOR-folding the high bits in mixes them into the bucket, better than masking FNV's low bits alone.
const bucket = (key: string): number => {
  const h = fnv1a(key);
  return (h ^ (h >>> HASH_BITS)) & (DIM - 1);
};

/** Adds one group of n-gram counts scaled to unit length, so a long forum post does not drown the rest. */
function addGroup(into: Map<number, number>, keys: readonly string[]): void {
  const counts = new Map<number, number>();
  for (const k of keys) {
    const b = bucket(k);
    counts.set(b, (counts.get(b) ?? 0) + 1);
  }
  let norm = 0;
  for (const c of counts.values()) norm += c * c;
  norm = Math.sqrt(norm);
  for (const [b, c] of counts) into.set(b, (into.get(b) ?? 0) + c / norm);
}

export function routerFeatures(a: QuestionAnalysis): SparseVector {
  const text = routerText(a.normalized);
  // Punctuation is kept as tokens: a closing "?" or a run of "!!!" says something about the source.
  const tokens = ['<s>', ...(text.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)*|[^\s\p{L}\p{N}]/gu) ?? []), '</s>'];
  const wordKeys = tokens.slice(1, -1).map((t) => `w:${t}`);
  for (let i = 1; i < tokens.length; i++) wordKeys.push(`b:${tokens[i - 1]} ${tokens[i]}`);
  const padded = ` ${text} `;
  const charKeys: string[] = [];
  for (let n = 3; n <= 5; n++) {
    for (let i = 0; i + n <= padded.length; i++) charKeys.push(`c:${padded.slice(i, i + n)}`);
  }
  const acc = new Map<number, number>();
  addGroup(acc, wordKeys);
  if (charKeys.length > 0) addGroup(acc, charKeys); // an empty question has none
  for (const key of [`t:${a.type}`, `a:${a.answerType}`, `m:${Math.min(a.mentions.length, 3)}`]) {
    const b = bucket(key);
    acc.set(b, (acc.get(b) ?? 0) + 1);
  }
  return { index: [...acc.keys()], value: [...acc.values()] };
}

export interface RouterExample {
  text: string;
  route: RouteName;
}

export interface TrainOptions {
  epochs?: number;
  /** AdaGrad's base step. */
  learningRate?: number;
  /** L2 penalty, applied to the weights a step touches. */
  l2?: number;
  /** Buckets found in fewer training questions get no weight (mostly names and typos: they do not generalise). */
  minCount?: number;
  seed?: number;
  onEpoch?: (done: number, total: number) => void;
}

/** mulberry32: a small seeded generator, so a refit on the same data gives the same file. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 || 0;

function softmax(z: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of z) max = Math.max(max, v);
  let sum = 0;
  const p = new Float64Array(z.length);
  z.forEach((v, k) => {
    p[k] = Math.exp(v - max);
    sum += p[k] ?? 0;
  });
  return p.map((v) => v / sum);
}

const routerFileSchema = z
  .object({
    format: z.literal('qa-router/1'),
    features: z.literal(FEATURE_SCHEME, {
      message: `must be "${FEATURE_SCHEME}": refit with \`qa train router\``,
    }),
    routes: z.array(z.string()).refine((r) => r.join() === ROUTES.join(), {
      message: `must be ${JSON.stringify(ROUTES)}`,
    }),
    bias: z.array(z.number()).length(K),
    /** Feature buckets with a non-zero weight, ascending. */
    index: z.array(
      z
        .int()
        .min(0)
        .max(DIM - 1),
    ),
    /** One array per route, aligned with `index`. */
    weights: z.array(z.array(z.number())).length(K),
    trainedOn: z.string(),
    trainSize: z.int().min(0),
    testSize: z.int().min(0),
    accuracy: z.number().min(0).max(1).optional(),
  })
  .strict()
  .superRefine((f, ctx) => {
    f.weights.forEach((w, k) => {
      if (w.length !== f.index.length)
        ctx.addIssue({ code: 'custom', path: ['weights', k], message: 'must be as long as index' });
    });
    const i = f.index.findIndex((v, j) => j > 0 && v <= (f.index[j - 1] ?? 0));
    if (i > 0) ctx.addIssue({ code: 'custom', path: ['index', i], message: 'must be strictly ascending' });
  });

export type RouterFile = z.infer<typeof routerFileSchema>;
/** What a file says besides the weights. */
export type RouterMeta = Pick<RouterFile, 'trainedOn' | 'trainSize' | 'testSize' | 'accuracy'>;

export class RouterModel {
  /** Feature-major: the K weights of bucket i are at [i*K, i*K+K). */
  private constructor(
    private readonly w: Float64Array,
    private readonly bias: Float64Array,
  ) {}

  /**
   * Multinomial logistic regression by AdaGrad with an L2 penalty, examples in a seeded shuffled
   * order. Weights are rounded to 4 decimals at the end, as the file stores them, so what is
   * measured after training is what is shipped.
   */
  static train(examples: readonly RouterExample[], opts: TrainOptions = {}): RouterModel {
    const { epochs = 10, learningRate = 0.5, l2 = 1e-6, minCount = 5, seed = 1 } = opts;
    const all = examples.map((e) => ({ x: routerFeatures(analyse(e.text)), y: ROUTES.indexOf(e.route) }));
    const df = new Uint32Array(DIM);
    for (const { x } of all) for (const i of x.index) df[i] = (df[i] ?? 0) + 1;
    const data = all.map(({ x, y }) => {
      const keep = x.index.flatMap((i, j) => ((df[i] ?? 0) >= minCount ? [j] : []));
      return { x: { index: keep.map((j) => x.index[j] ?? 0), value: keep.map((j) => x.value[j] ?? 0) }, y };
    });
    const w = new Float64Array(DIM * K);
    const g2 = new Float64Array(DIM * K);
    const bias = new Float64Array(K);
    const b2 = new Float64Array(K);
    const order = data.map((_, i) => i);
    const random = rng(seed);
    const z = new Float64Array(K);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
      }
      for (const n of order) {
        const { x, y } = data[n] ?? { x: { index: [], value: [] }, y: 0 };
        scores(w, bias, x, z);
        const err = softmax(z).map((p, k) => p - (k === y ? 1 : 0));
        err.forEach((e, k) => {
          b2[k] = (b2[k] ?? 0) + e * e;
          bias[k] = (bias[k] ?? 0) - (learningRate * e) / (Math.sqrt(b2[k] ?? 0) + 1e-8);
        });
        for (let j = 0; j < x.index.length; j++) {
          const v = x.value[j] ?? 0;
          const base = (x.index[j] ?? 0) * K;
          for (let k = 0; k < K; k++) {
            const at = base + k;
            const g = (err[k] ?? 0) * v + l2 * (w[at] ?? 0);
            g2[at] = (g2[at] ?? 0) + g * g;
            w[at] = (w[at] ?? 0) - (learningRate * g) / (Math.sqrt(g2[at] ?? 0) + 1e-8);
          }
        }
      }
      opts.onEpoch?.(epoch + 1, epochs);
    }
    return new RouterModel(w.map(round4), bias.map(round4));
  }

  static fromFile(f: RouterFile): RouterModel {
    const w = new Float64Array(DIM * K);
    f.index.forEach((i, j) => {
      for (let k = 0; k < K; k++) w[i * K + k] = f.weights[k]?.[j] ?? 0;
    });
    return new RouterModel(w, Float64Array.from(f.bias));
  }

  toFile(meta: RouterMeta): RouterFile {
    const index: number[] = [];
    const weights: number[][] = ROUTES.map(() => []);
    for (let i = 0; i < DIM; i++) {
      const row = this.w.subarray(i * K, i * K + K);
      if (row.some((v) => v !== 0)) {
        index.push(i);
        row.forEach((v, k) => {
          weights[k]?.push(v);
        });
      }
    }
    return {
      format: 'qa-router/1',
      features: FEATURE_SCHEME,
      routes: [...ROUTES],
      bias: [...this.bias],
      index,
      weights,
      ...meta,
    };
  }

  probabilities(x: SparseVector): Record<RouteName, number> {
    const z = new Float64Array(K);
    scores(this.w, this.bias, x, z);
    const p = softmax(z);
    return { kbqa: p[0] ?? 0, mrc: p[1] ?? 0, cqa: p[2] ?? 0 };
  }
}

function scores(w: Float64Array, bias: Float64Array, x: SparseVector, into: Float64Array): void {
  into.set(bias);
  x.index.forEach((f, j) => {
    const v = x.value[j] ?? 0;
    for (let k = 0; k < K; k++) into[k] = (into[k] ?? 0) + (w[f * K + k] ?? 0) * v;
  });
}

export function readRouterFile(file: string): RouterModel {
  return RouterModel.fromFile(validate(routerFileSchema, readJsonFile(file), file));
}

export function writeRouterFile(file: string, model: RouterModel, meta: RouterMeta): void {
  writeFileSync(file, `${JSON.stringify(model.toFile(meta))}\n`);
}

const UNIFORM: Readonly<Record<RouteName, number>> = { kbqa: 1 / 3, mrc: 1 / 3, cqa: 1 / 3 };

/** Turns question text into a `ParsedQuestion`: the analyser's rules plus the router's weights. */
export class QuestionParser {
  constructor(readonly model?: RouterModel) {}

  /**
   * The parser with the router stored in `file`. Without the file every route weighs 1/3: with no
   * evidence for any route, equal weights leave the choice to the candidates' own calibrated
   * scores, so questions are still answered (by every route) rather than refused or steered
   * wrongly. A file that exists but is malformed is an error naming the file and the field.
   */
  static load(file: string): QuestionParser {
    return new QuestionParser(existsSync(file) ? readRouterFile(file) : undefined);
  }

  parse(text: string): ParsedQuestion {
    const a = analyse(text);
    return { ...a, routeWeights: this.model ? this.model.probabilities(routerFeatures(a)) : { ...UNIFORM } };
  }
}
