/**
 * Entity- and section-aware reading, descriptive answers and verification, through the real
 * pipeline (real SQLite store, encoder, reader and router) over seven Factbook documents.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/app/pipeline.js';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { loadConfig, PACKAGE_ROOT } from '../../src/core/config.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { QuestionParser } from '../../src/parse/router.js';
import { loadCalibration } from '../../src/rank/calibration-file.js';
import { readSourceFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { FIXTURES } from '../helpers/fixtures.js';

const workspace = mkdtempSync(join(tmpdir(), 'qa-verified-'));
const config = {
  ...loadConfig({ flags: { workspace, modelsDir: resolve(PACKAGE_ROOT, 'models') } }),
  asOf: '2015',
};
const parser = QuestionParser.load(join(config.modelsDir, 'router', 'router.json'));
let pipeline: Pipeline;

beforeAll(async () => {
  const db = openWorkspaceDb(config);
  new DocStore(db).ingest([readSourceFile(join(FIXTURES, 'topics', 'factbook-sample.jsonl'))]);
  db.close();
  pipeline = await Pipeline.open(config, new ModelRegistry(config.modelsDir), {
    parse: (t) => parser.parse(t),
    calibration: loadCalibration(config),
  });
});

afterAll(async () => {
  await pipeline.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('answers about the subject asked about', () => {
  it("reads the named subject's passages, not a neighbour's with the same section", async () => {
    const a = await pipeline.ask({ question: 'what is the terrain of switzerland like', explain: true });
    expect(a.answers[0]).toMatchObject({ form: 'passage', evidence: { title: 'Switzerland — Terrain' } });
    expect(a.answers[0]?.text).toMatch(/^mostly mountains \(Alps in south, Jura in northwest\)/);
    expect(
      a.answers.some((c) => c.evidence.kind === 'passage' && c.evidence.title === 'San Marino — Terrain'),
    ).toBe(false);
  });

  it('gives a section asked for in other words, and the overview for "tell me about"', async () => {
    const land = await pipeline.ask({ question: 'Describe the landscape of Norway' });
    expect(land.answers[0]).toMatchObject({ form: 'passage', evidence: { title: 'Norway — Terrain' } });
    const about = await pipeline.ask({ question: 'Tell me about Sweden' });
    expect(about.answers[0]).toMatchObject({ form: 'passage', evidence: { title: 'Sweden — Background' } });
  });

  it('answers a factoid with a span from the subject named by one part of its name', async () => {
    const a = await pipeline.ask({ question: 'when was slavery abolished in antigua' });
    expect(a.answers[0]).toMatchObject({
      text: '1834',
      evidence: { title: 'Antigua and Barbuda — Background' },
    });
    expect(a.answers[0]?.form).toBeUndefined();
  });
});

describe('verification', () => {
  it('abstains on a year after the data, saying so, and shows the check in explain', async () => {
    const a = await pipeline.ask({ question: 'What was the terrain of Norway like in 2024?', explain: true });
    expect(a.abstained).toBe(true);
    expect(a.reason).toBe('the data cannot answer this: the question is about 2024; the data is from 2015');
    expect(a.explanation?.candidates[0]?.checks).toContainEqual({
      check: 'time-scope',
      passed: false,
      detail: 'the question is about 2024; the data is from 2015',
    });
  });

  it('abstains on a place nothing in the data knows', async () => {
    const a = await pipeline.ask({ question: 'What is the terrain of Atlantis like?', explain: true });
    expect(a.abstained).toBe(true);
    const checks = a.explanation?.candidates.flatMap((c) => c.checks ?? []) ?? [];
    expect(checks.some((c) => c.check === 'entity' && !c.passed)).toBe(true);
  });
});
