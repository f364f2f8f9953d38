/**
 * Follow-up questions through the real pipeline: the bundled geography KB and seven Factbook
 * documents, the learned router, the shipped calibration. The server keeps no state: each ask
 * carries the earlier turns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/app/pipeline.js';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { loadConfig, PACKAGE_ROOT } from '../../src/core/config.js';
import type { DialogueTurn } from '../../src/core/types.js';
import { openKbStore } from '../../src/kbqa/open-store.js';
import { sourceFor } from '../../src/kbqa/rdf-files.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { QuestionParser } from '../../src/parse/router.js';
import { loadCalibration } from '../../src/rank/calibration-file.js';
import { readSourceFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { FIXTURES } from '../helpers/fixtures.js';

const workspace = mkdtempSync(join(tmpdir(), 'qa-conversation-'));
const config = loadConfig({ flags: { workspace, modelsDir: resolve(PACKAGE_ROOT, 'models') } });
const parser = QuestionParser.load(join(config.modelsDir, 'router', 'router.json'));
let pipeline: Pipeline;

beforeAll(async () => {
  const db = openWorkspaceDb(config);
  new DocStore(db).ingest([readSourceFile(join(FIXTURES, 'topics', 'factbook-sample.jsonl'))]);
  db.close();
  const kb = openKbStore(config);
  await kb.load([sourceFor(join(PACKAGE_ROOT, 'kb', 'geo.ttl'))]);
  await kb.close();
  pipeline = await Pipeline.open(config, new ModelRegistry(config.modelsDir), {
    parse: (t) => parser.parse(t),
    calibration: loadCalibration(config),
  });
});

afterAll(async () => {
  await pipeline.close();
  rmSync(workspace, { recursive: true, force: true });
});

/** Asks a conversation as a client would: each turn with the earlier ones and the answers shown. */
async function converse(questions: string[]) {
  const history: DialogueTurn[] = [];
  const answers = [];
  for (const question of questions) {
    const a = await pipeline.ask({ question, history: [...history] });
    answers.push(a);
    const top = a.abstained ? undefined : a.answers[0];
    history.push({ question, answer: top?.text ?? null, ...(a.resolved ? { resolved: a.resolved } : {}) });
  }
  return answers;
}

describe('conversations', () => {
  it('resolves "there", "what about", and a possessive across turns, with the topic and its id', async () => {
    const [capital, people, chile, summit] = await converse([
      'What is the capital of Peru?',
      'And how many people live there?',
      'what about Chile?',
      'how high is its highest mountain?',
    ]);
    expect(capital?.answers[0]?.text).toBe('Lima');
    expect(capital?.resolved).toBeUndefined();
    expect(people).toMatchObject({
      question: 'And how many people live there?',
      resolved: 'How many people live in Lima?',
      topic: { label: 'Lima', id: 'https://qa.example/geo/city/lima-pe' },
    });
    expect(people?.answers[0]?.text).toBe('7,737,002');
    expect(chile).toMatchObject({ resolved: 'How many people live in Chile?', topic: { label: 'Chile' } });
    expect(summit?.resolved).toBe("How high is Chile's highest mountain?");
    expect(summit?.answers[0]?.text).toMatch(/^6,880/);
  });

  it('carries a KB topic into the documents, and a document topic back to the KB', async () => {
    const [, terrain, capital] = await converse([
      'What is the capital of Switzerland?',
      'and its terrain?',
      'what is its capital?',
    ]);
    expect(terrain?.answers[0]).toMatchObject({
      form: 'passage',
      evidence: { title: 'Switzerland — Terrain' },
    });
    expect(capital?.answers[0]?.text).toBe('Bern');
  });

  it('starts a new topic when a question names one, and still abstains on what the data cannot answer', async () => {
    const [, sweden, mayor] = await converse([
      'What is the capital of Norway?',
      'What is the capital of Sweden?',
      'who is its mayor?',
    ]);
    expect(sweden?.answers[0]?.text).toBe('Stockholm');
    expect(sweden?.resolved).toBe('What is the capital of Sweden?');
    expect(mayor?.abstained).toBe(true);
  });
});
