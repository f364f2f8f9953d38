import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src/models/registry.js';
import { editJson, FIXTURE_MODELS, scratchModels } from '../helpers/fixtures.js';

describe('ModelRegistry', () => {
  it('lists valid models with their manifests', () => {
    const { models, problems } = new ModelRegistry(FIXTURE_MODELS).scan();
    expect(problems).toEqual([]);
    expect(models.map((m) => m.manifest)).toEqual([
      expect.objectContaining({ name: 'tiny-reader', task: 'reader', maxSeqLen: 64, docStride: 16 }),
    ]);
  });

  it('is empty for a folder that does not exist', () => {
    expect(new ModelRegistry('/nonexistent/models').scan()).toEqual({ models: [], problems: [] });
  });

  const broken: Array<[string, (dir: string) => void, RegExp]> = [
    [
      'a wrong field type',
      (d) => editJson(join(d, 'manifest.json'), (m) => Object.assign(m, { maxSeqLen: 'long' })),
      /manifest\.json: maxSeqLen/,
    ],
    [
      'a missing field',
      (d) =>
        editJson(join(d, 'manifest.json'), (m) => {
          delete m.licence;
        }),
      /manifest\.json: licence/,
    ],
    [
      'manifest that is not JSON',
      (d) => writeFileSync(join(d, 'manifest.json'), '{"name": "tiny-reader",\n  oops}'),
      /manifest\.json:2:3/,
    ],
    ['a missing model file', (d) => rmSync(join(d, 'model.onnx')), /manifest\.json: file.*does not exist/],
    ['a missing vocabulary', (d) => rmSync(join(d, 'vocab.txt')), /manifest\.json: tokenizer\.vocab/],
    ['a truncated model file', (d) => writeFileSync(join(d, 'model.onnx'), 'x'), /manifest\.json: sizeBytes/],
    [
      'a name that differs from the folder',
      (d) => editJson(join(d, 'manifest.json'), (m) => Object.assign(m, { name: 'other' })),
      /manifest\.json: name/,
    ],
    [
      'a stride too large for the window',
      (d) => editJson(join(d, 'manifest.json'), (m) => Object.assign(m, { docStride: 60 })),
      /manifest\.json: docStride/,
    ],
  ];
  for (const [what, breakIt, where] of broken) {
    it(`reports ${what} with the file and field, and keeps serving the others`, async () => {
      const root = scratchModels();
      breakIt(join(root, 'tiny-reader'));
      const reg = new ModelRegistry(root);
      const { models, problems } = reg.scan();
      expect(models).toEqual([]);
      expect(problems).toHaveLength(1);
      expect(`${problems[0]?.where}: ${problems[0]?.message}`).toMatch(where);
      await expect(reg.reader('tiny-reader')).rejects.toThrow();
    });
  }

  it('reports an ONNX file onnxruntime cannot load, naming the file', async () => {
    const root = scratchModels();
    const dir = join(root, 'tiny-reader');
    writeFileSync(join(dir, 'model.onnx'), 'not a model');
    editJson(join(dir, 'manifest.json'), (m) => Object.assign(m, { sizeBytes: 11 }));
    await expect(new ModelRegistry(root).reader('tiny-reader')).rejects.toMatchObject({
      code: 'model_error',
      where: join(dir, 'model.onnx'),
    });
  });

  it('names the known models when asked for an unknown one', async () => {
    await expect(new ModelRegistry(FIXTURE_MODELS).reader('nope')).rejects.toMatchObject({
      code: 'not_found',
      hint: 'known: tiny-reader',
    });
  });
});
