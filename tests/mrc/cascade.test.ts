/** The reader cascade on the shipped readers: the small one's reading stands when sure, else the large one rereads. */
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/config.js';
import { ModelRegistry } from '../../src/models/registry.js';

const PASSAGES = [
  {
    question: 'How high is Mount Kenya?',
    context: 'Mount Kenya is the highest mountain in Kenya, at 5,199 metres.',
  },
  {
    question: 'How high is Mount Kenya?',
    context: 'Kampala is the capital of Uganda, on the shore of Lake Victoria.',
  },
  { question: 'How high is Mount Kenya?', context: 'Nairobi is the capital of Kenya. It lies in the south.' },
];

const registry = new ModelRegistry(resolve(PACKAGE_ROOT, 'models'), {
  never: { first: 'minilm-l3-squad-int8', second: 'minilm-l6-squad-int8', sure: 1e-9, reread: 1 },
  always: { first: 'minilm-l3-squad-int8', second: 'minilm-l6-squad-int8', sure: 1, reread: 2 },
});

afterAll(() => registry.close());

describe('CascadeReader', () => {
  it("keeps the small reader's reading when it is sure, on the large reader's no-answer scale", async () => {
    const small = await registry.reader('minilm-l3-squad-int8');
    const large = await registry.reader('minilm-l6-squad-int8');
    const cascade = await registry.reader('never');
    const [mine, theirs] = [await cascade.readBatch(PASSAGES), await small.readBatch(PASSAGES)];
    expect(mine.map((r) => r.answers[0]?.text)).toEqual(theirs.map((r) => r.answers[0]?.text));
    const shift = large.decodeOptions().nullThreshold - small.decodeOptions().nullThreshold;
    expect(mine[0]?.nullLogit).toBeCloseTo((theirs[0]?.nullLogit ?? 0) + shift, 5);
    expect(cascade.decodeOptions()).toEqual(large.decodeOptions());
  });

  it('has the large reader reread only the passages where the small one found its best spans', async () => {
    const large = await registry.reader('minilm-l6-squad-int8');
    const cascade = await registry.reader('always');
    const out = await cascade.readBatch(PASSAGES);
    const [first] = await large.readBatch(PASSAGES.slice(0, 1));
    expect(out[0]?.answers[0]?.text).toBe('5,199 metres');
    // The large reader's own logits (a batch of two pads differently, which int8 activations feel).
    expect(out[0]?.answers[0]?.logit).toBeCloseTo(first?.answers[0]?.logit ?? 0, 0);
    // Two passages reread; the third, never reread, adds no span.
    expect(out.filter((r) => r.answers.length > 0)).toHaveLength(2);
    expect(out[2]?.answers.length === 0 || out[1]?.answers.length === 0).toBe(true);
  });
});
