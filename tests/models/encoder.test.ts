import { copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentenceEncoder } from '../../src/models/encoder.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { editJson, FIXTURES, scratchModels } from '../helpers/fixtures.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const SHIPPED = 'encoder-minilm-l6-int8';

interface Reference {
  maxSeqLen: number;
  cases: Array<{ text: string; pieces: number; vector: number[] }>;
}
// training/fixtures/make_encoder_fixture.py: the original model in PyTorch, one text at a time.
const reference = JSON.parse(readFileSync(join(FIXTURES, 'encoder/reference.json'), 'utf8')) as Reference;
const texts = reference.cases.map((c) => c.text);

function row(vectors: Float32Array, dim: number, i: number): Float32Array {
  return vectors.subarray(i * dim, (i + 1) * dim);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
}

describe('the shipped encoder (int8 all-MiniLM-L6-v2, pooling in the graph)', () => {
  const registry = new ModelRegistry(MODELS);
  let encoder: SentenceEncoder;
  let vectors: Float32Array;
  beforeAll(async () => {
    encoder = await registry.encoder(SHIPPED, { threads: 1 });
    vectors = await encoder.encode(texts);
  });
  afterAll(() => registry.close());

  it('is the default encoder, with 384-dimensional vectors', () => {
    expect(registry.defaultEncoder()?.manifest.name).toBe(SHIPPED);
    expect(encoder.dim).toBe(384);
    expect(vectors).toHaveLength(texts.length * 384);
  });

  it('tokenizes every reference text into as many word pieces as Hugging Face, before truncation', () => {
    expect(texts.map((t) => encoder.tokenizer.tokenize(t).length)).toEqual(
      reference.cases.map((c) => c.pieces),
    );
    expect(Math.max(...reference.cases.map((c) => c.pieces))).toBeGreaterThan(reference.maxSeqLen);
  });

  // A text with no word pieces is `[CLS] [SEP]` alone, the vector int8 rounding moves most: 0.983 to the
  // reference when encoded alone, 0.977 beside the longer texts here (see below).
  const floor = (pieces: number): number => (pieces > 0 ? 0.98 : 0.97);

  reference.cases.forEach((c, i) => {
    it(`is within cosine ${floor(c.pieces)} of sentence-transformers for ${JSON.stringify(c.text.slice(0, 40))}`, () => {
      const v = row(vectors, encoder.dim, i);
      expect(cosine(v, c.vector)).toBeGreaterThanOrEqual(floor(c.pieces));
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    });
  });

  it('gives each text nearly the same vector in any batch as alone, in input order', async () => {
    const alone = await Promise.all(texts.map((t) => encoder.encode([t])));
    const small = await encoder.encode(texts, { batchSize: 3 });
    // Dynamic int8 quantises activations with one scale per tensor, so a vector depends a little on
    // its batch-mates (cosine 0.99 for text; for `[CLS] [SEP]` 0.97 with AVX-512 kernels, 0.953 on
    // an EPYC without them); the same batch is reproducible.
    alone.forEach((v, i) => {
      const min = (reference.cases[i]?.pieces ?? 0) > 0 ? 0.97 : 0.95;
      expect(cosine(row(vectors, encoder.dim, i), v)).toBeGreaterThan(min);
      expect(cosine(row(small, encoder.dim, i), v)).toBeGreaterThan(min);
    });
    expect(await encoder.encode(texts)).toEqual(vectors);
  });

  it('puts a paraphrase closer than an unrelated sentence', () => {
    const v = (i: number) => row(vectors, encoder.dim, i);
    expect(texts[1]).toMatch(/guitar/);
    expect(texts[2]).toMatch(/profits/);
    expect(dot(v(0), v(1))).toBeGreaterThan(dot(v(0), v(2)) + 0.3);
  });

  it('encodes no texts as an empty array', async () => {
    expect(await encoder.encode([])).toEqual(new Float32Array(0));
  });
});

describe('ModelRegistry with readers and encoders', () => {
  /** A scratch models folder with the tiny reader and an encoder whose ONNX file is a stand-in. */
  function withEncoder(edit: (m: Record<string, unknown>) => void = () => {}): string {
    const root = scratchModels();
    const dir = join(root, 'enc');
    mkdirSync(dir);
    writeFileSync(join(dir, 'model.onnx'), 'x');
    copyFileSync(join(root, 'tiny-reader', 'vocab.txt'), join(dir, 'vocab.txt'));
    const manifest: Record<string, unknown> = {
      name: 'enc',
      task: 'encoder',
      kind: 'full',
      base: 'a test stand-in',
      file: 'model.onnx',
      tokenizer: { vocab: 'vocab.txt', lowercase: true },
      maxSeqLen: 64,
      dim: 384,
      pooling: 'mean',
      normalize: true,
      output: 'sentence_embedding',
      sizeBytes: 1,
      speed: { sentencesPerSecond: 1, threads: 1 },
      licence: 'Apache-2.0',
    };
    edit(manifest);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    return root;
  }

  it('lists encoders beside readers; an encoder needs no reader fields', () => {
    const reg = new ModelRegistry(withEncoder());
    const { models, problems } = reg.scan();
    expect(problems).toEqual([]);
    expect(models.map((m) => [m.manifest.name, m.manifest.task])).toEqual([
      ['enc', 'encoder'],
      ['tiny-reader', 'reader'],
    ]);
    expect(reg.defaultEncoder()?.manifest).toMatchObject({ name: 'enc', dim: 384, metrics: {} });
  });

  it('has no default encoder when only readers are installed', () => {
    expect(new ModelRegistry(scratchModels()).defaultEncoder()).toBeUndefined();
  });

  it('refuses to open an encoder as a reader and a reader as an encoder, naming model and task', async () => {
    const reg = new ModelRegistry(withEncoder());
    await expect(reg.reader('enc')).rejects.toMatchObject({
      code: 'bad_input',
      message: 'model "enc" is an encoder, not a reader',
    });
    await expect(reg.encoder('tiny-reader')).rejects.toMatchObject({
      code: 'bad_input',
      message: 'model "tiny-reader" is a reader, not an encoder',
    });
  });

  const broken: Array<[string, (m: Record<string, unknown>) => void, RegExp]> = [
    ['a dimension that is not a number', (m) => Object.assign(m, { dim: 'wide' }), /manifest\.json: dim/],
    ['pooling the graph does not do', (m) => Object.assign(m, { pooling: 'cls' }), /manifest\.json: pooling/],
    [
      'a missing speed',
      (m) => {
        delete m.speed;
      },
      /manifest\.json: speed/,
    ],
    ['an unknown task', (m) => Object.assign(m, { task: 'ranker' }), /manifest\.json: task: .*'encoder'/],
  ];
  for (const [what, edit, where] of broken) {
    it(`reports an encoder manifest with ${what}, naming the file and field`, () => {
      const { models, problems } = new ModelRegistry(withEncoder(edit)).scan();
      expect(models.map((m) => m.manifest.name)).toEqual(['tiny-reader']);
      expect(problems).toHaveLength(1);
      expect(`${problems[0]?.where}: ${problems[0]?.message}`).toMatch(where);
    });
  }

  it('reports an encoder whose graph lacks the manifest output, naming the file', async () => {
    const root = withEncoder();
    const dir = join(root, 'enc');
    copyFileSync(join(root, 'tiny-reader', 'model.onnx'), join(dir, 'model.onnx'));
    editJson(join(dir, 'manifest.json'), (m) =>
      Object.assign(m, { sizeBytes: statSync(join(dir, 'model.onnx')).size }),
    );
    await expect(new ModelRegistry(root).encoder('enc')).rejects.toMatchObject({
      code: 'model_error',
      message: expect.stringMatching(/no output "sentence_embedding"/),
      where: join(dir, 'model.onnx'),
    });
  });

  it('reports a graph output that is not one dim-long vector per text', async () => {
    const root = withEncoder((m) => Object.assign(m, { output: 'start_logits' }));
    const dir = join(root, 'enc');
    copyFileSync(join(root, 'tiny-reader', 'model.onnx'), join(dir, 'model.onnx'));
    editJson(join(dir, 'manifest.json'), (m) =>
      Object.assign(m, { sizeBytes: statSync(join(dir, 'model.onnx')).size }),
    );
    const reg = new ModelRegistry(root);
    const encoder = await reg.encoder('enc');
    expect(await reg.encoder('enc')).toBe(encoder);
    await expect(encoder.encode(['one two'])).rejects.toMatchObject({
      code: 'model_error',
      message: expect.stringMatching(/\[1, 4\], expected float32 \[1, 384\]/),
    });
    await reg.close();
  });
});
