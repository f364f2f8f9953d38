import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { normalizeAnswer } from '../../src/core/answer-text.js';
import { PACKAGE_ROOT } from '../../src/core/config.js';
import type { Db } from '../../src/core/database.js';
import { ModelRegistry } from '../../src/models/registry.js';
import type { ExtractiveReader } from '../../src/mrc/reader.js';
import { MrcRoute } from '../../src/mrc/route.js';
import { readSourceFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { Retriever } from '../../src/retrieval/retriever.js';

const MOUNT_KENYA = 'Mount Kenya is the highest mountain in Kenya, at 5,199 metres.';
const dir = mkdtempSync(join(tmpdir(), 'qa-mrc-route-'));
const registry = new ModelRegistry(resolve(PACKAGE_ROOT, 'models'));
let db: Db;
let reader: ExtractiveReader;

beforeAll(async () => {
  const file = join(dir, 'docs.jsonl');
  writeFileSync(
    file,
    [
      {
        id: 'a',
        title: 'Kenya',
        text: 'Nairobi is the capital of Kenya. It lies in the south of the country.',
      },
      {
        id: 'b',
        title: 'East Africa',
        text: 'The capital of Kenya, Nairobi, is the largest city in East Africa.',
      },
      { id: 'c', title: 'Uganda', text: 'Kampala is the capital of Uganda, on the shore of Lake Victoria.' },
      { id: 'd', title: 'Mount Kenya', text: MOUNT_KENYA },
    ]
      .map((d) => JSON.stringify(d))
      .join('\n'),
  );
  db = openWorkspaceDb({ workspace: dir });
  new DocStore(db).ingest([readSourceFile(file, 'jsonl')]);
  reader = await registry.reader('minilm-l6-squad-int8');
});

afterAll(async () => {
  await registry.close();
  db.close();
});

describe('MrcRoute', () => {
  it('scores spans on one scale over all passages and merges an answer found twice', async () => {
    const route = new MrcRoute(new Retriever(new DocStore(db)));
    const { candidates, passages } = await route.answer('What is the capital of Kenya?', reader, {
      passages: 3,
    });
    expect(passages).toHaveLength(3);
    const [best] = candidates;
    expect(best?.text).toBe('Nairobi');
    // Both Kenya passages name Nairobi: one candidate, the other passage as support.
    expect(candidates.filter((c) => c.text === 'Nairobi')).toHaveLength(1);
    expect(best?.support).toHaveLength(1);
    const titles = [best?.evidence, ...(best?.support ?? [])].map((e) =>
      e?.kind === 'passage' ? e.title : '',
    );
    expect(titles.sort()).toEqual(['East Africa', 'Kenya']);
    // Shares of one distribution (with the no-answer entry): they never add up past 1.
    const total = candidates.reduce((s, c) => s + c.score, 0);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
    expect(best?.score).toBeGreaterThan(candidates[1]?.score ?? 0);
  });

  it('makes two spans of one passage with the same answer one candidate, citing the passage once', async () => {
    const question = 'How high is Mount Kenya?';
    // The reader's n-best on the passage holds the answer twice ("5,199 metres", "5,199 metres.").
    const [read] = await reader.readBatch([{ question, context: MOUNT_KENYA }], {
      topK: reader.decodeOptions().nBest,
    });
    const keys = (read?.answers ?? []).map((a) => normalizeAnswer(a.text));
    expect(keys.filter((k) => k === keys[0]).length).toBeGreaterThan(1);

    const route = new MrcRoute(new Retriever(new DocStore(db)));
    const { candidates } = await route.answer(question, reader, { passages: 2, spansPerPassage: 5 });
    expect(normalizeAnswer(candidates[0]?.text ?? '')).toBe(keys[0]);
    const answers = candidates.map((c) => normalizeAnswer(c.text));
    expect(new Set(answers).size).toBe(answers.length);
    for (const c of candidates) {
      const docs = [c.evidence, ...(c.support ?? [])].map((e) => (e.kind === 'passage' ? e.docId : ''));
      expect(new Set(docs).size).toBe(docs.length);
    }
  });

  it('reads the best two passages first, and the rest only when none of their spans is clearly best', async () => {
    // The shipped reader, counting what it is given to read.
    const reads: number[] = [];
    const counting: ExtractiveReader = {
      name: reader.name,
      decodeOptions: (o) => reader.decodeOptions(o),
      read: (i, o) => reader.read(i, o),
      readBatch: (inputs, o) => {
        reads.push(inputs.length);
        return reader.readBatch(inputs, o);
      },
      close: async () => {},
    };
    const route = new MrcRoute(new Retriever(new DocStore(db)));
    const clear = await route.answer('How high is Mount Kenya?', counting, { passages: 4 });
    expect(clear.candidates[0]?.text).toMatch(/^5,199 metres/);
    expect(reads).toEqual([2]);
    reads.length = 0;
    // Nothing here says how many people live in Kenya: no span is sure, so every passage is read.
    const unsure = await route.answer('How many people live in Kenya?', counting, { passages: 4 });
    expect(unsure.passages.length).toBeGreaterThan(2);
    expect(reads).toEqual([2, unsure.passages.length - 2]);
  });
});
