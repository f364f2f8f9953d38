import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelRegistry } from '../../src/models/registry.js';
import type { ExtractiveReader } from '../../src/mrc/reader.js';
import { FIXTURE_MODELS } from '../helpers/fixtures.js';

// The tiny model (training/fixtures/make_tiny_reader.py) scores digit tokens 5 + 5 (+0.5 + 0.5 in
// the context) and [CLS] 2 + 2, so a number in the context is the answer with logit 11, null 4.
describe('SpanReader on a real ONNX session (tiny deterministic model)', () => {
  const registry = new ModelRegistry(FIXTURE_MODELS);
  let reader: ExtractiveReader;
  beforeAll(async () => {
    reader = await registry.reader('tiny-reader');
  });
  afterAll(() => registry.close());

  it('extracts the answer span with its character offsets', async () => {
    const context = 'The tower was built in 1889 by Gustave Eiffel.';
    const res = await reader.read({ question: 'When was it built?', context });
    expect(res.noAnswer).toBe(false);
    expect(res.answers[0]).toMatchObject({ text: '1889', start: 23, end: 27, logit: 11 });
    expect(res.nullLogit).toBe(4);
    expect(res.nullOdds).toBe(-7);
    expect(context.slice(res.answers[0]?.start, res.answers[0]?.end)).toBe('1889');
  });

  it('says "no answer" when no span beats the [CLS] score', async () => {
    const res = await reader.read({ question: 'When?', context: 'The tower was built by Gustave Eiffel.' });
    expect(res.noAnswer).toBe(true);
    expect(res.noAnswerProbability).toBeGreaterThan(0.5);
  });

  it('finds an answer far beyond the first window of a long context (doc stride)', async () => {
    const context = `${'filler words here. '.repeat(60)}It opened in 1889. ${'more text. '.repeat(30)}`;
    const res = await reader.read({ question: 'When did it open?', context });
    expect(res.answers[0]?.text).toBe('1889');
    expect(context.slice(res.answers[0]?.start, res.answers[0]?.end)).toBe('1889');
  });

  it('gives the same results in one batch as one by one, whatever the batch size', async () => {
    const inputs = [
      { question: 'When?', context: 'Built in 1889.' },
      { question: 'Who?', context: 'Gustave Eiffel built it.' },
      { question: 'When?', context: `${'long context. '.repeat(40)}Year 1901 then.` },
    ];
    const batched = await reader.readBatch(inputs, { batchSize: 3 });
    const single = await Promise.all(inputs.map((i) => reader.read(i, { batchSize: 1 })));
    expect(batched).toEqual(single);
    expect(batched.map((r) => (r.noAnswer ? '' : r.answers[0]?.text))).toEqual(['1889', '', '1901']);
  });

  it('returns at most topK answers, ordered by probability', async () => {
    const res = await reader.read({ question: 'When?', context: 'In 1889, 1890 and 1891.' }, { topK: 2 });
    expect(res.answers).toHaveLength(2);
    expect(res.answers[0]?.probability).toBeGreaterThanOrEqual(res.answers[1]?.probability ?? 0);
  });
});

describe('the shipped readers (models/)', () => {
  const registry = new ModelRegistry(new URL('../../models/', import.meta.url).pathname);
  afterAll(() => registry.close());
  const scan = registry.scan();
  const readers = scan.models.filter((m) => m.manifest.task === 'reader').map((m) => m.manifest.name);

  it('are valid: the teacher in fp32 and int8, the distilled student in int8', () => {
    expect(scan.problems).toEqual([]);
    expect(readers).toEqual(['minilm-l3-squad-int8', 'minilm-l6-squad', 'minilm-l6-squad-int8']);
  });

  it.each(readers)('%s answers a real question with its character span', async (name) => {
    const reader = await registry.reader(name, { threads: 1 });
    const context = "The Eiffel Tower was built for the 1889 World's Fair and finished in March 1889.";
    const res = await reader.read({ question: 'When was the tower finished?', context });
    expect(res.noAnswer).toBe(false);
    expect(res.answers[0]?.text).toMatch(/1889/);
    expect(context.slice(res.answers[0]?.start, res.answers[0]?.end)).toBe(res.answers[0]?.text);
  });
});
