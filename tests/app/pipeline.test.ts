import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/app/pipeline.js';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { loadConfig, PACKAGE_ROOT } from '../../src/core/config.js';
import { Archive } from '../../src/cqa/archive.js';
import { readArchive } from '../../src/cqa/import.js';
import { openKbStore } from '../../src/kbqa/open-store.js';
import { sourceFor } from '../../src/kbqa/rdf-files.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { QuestionParser } from '../../src/parse/router.js';
import { loadCalibration } from '../../src/rank/calibration-file.js';
import type { Calibration } from '../../src/rank/ranker.js';
import { listDocFiles, readSourceFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { FIXTURES } from '../helpers/fixtures.js';

const workspace = mkdtempSync(join(tmpdir(), 'qa-pipeline-'));
const config = loadConfig({ flags: { workspace, modelsDir: resolve(PACKAGE_ROOT, 'models') } });
const parser = QuestionParser.load(join(config.modelsDir, 'router', 'router.json'));
const parse = (t: string) => parser.parse(t);
let pipeline: Pipeline;

beforeAll(async () => {
  const db = openWorkspaceDb(config);
  new DocStore(db).ingest(listDocFiles([join(FIXTURES, 'docs')]).map((f) => readSourceFile(f)));
  new Archive(db).import('fixture', await readArchive(join(FIXTURES, 'cqa', 'threads.jsonl')));
  db.close();
  pipeline = await Pipeline.open(config, new ModelRegistry(config.modelsDir), { parse });
});

afterAll(async () => {
  await pipeline.close();
});

describe('Pipeline', () => {
  it('opens the routes that have data and answers from documents and from the archive', async () => {
    expect(pipeline.available).toEqual(['mrc', 'cqa']);
    const doc = await pipeline.ask({ question: 'How high is Mount Kenya?' });
    expect(doc).toMatchObject({
      abstained: false,
      warnings: [expect.stringMatching(/^kbqa: no knowledge base in the workspace/)],
    });
    expect(doc.answers[0]).toMatchObject({
      route: 'mrc',
      evidence: { kind: 'passage', title: 'Mount Kenya' },
    });
    expect(doc.timings.map((t) => t.route)).toEqual(['mrc', 'cqa']);
    const forum = await pipeline.ask({ question: 'how can I reset my router', routes: ['cqa'] });
    expect(forum.answers[0]).toMatchObject({ route: 'cqa', text: 'Call your provider.' });
    expect(forum.timings.map((t) => t.route)).toEqual(['cqa']);
  });

  it('turns a route past its deadline into a warning, not a failure', async () => {
    const hurried = await Pipeline.open(config, new ModelRegistry(config.modelsDir), {
      parse,
      deadlineMs: 1,
    });
    try {
      const a = await hurried.ask({ question: 'How high is Mount Kenya?', routes: ['mrc'] });
      expect(a.abstained).toBe(true);
      expect(a.timings[0]).toMatchObject({ route: 'mrc', error: expect.stringMatching(/longer than 1 ms/) });
      expect(a.warnings).toContainEqual(expect.stringMatching(/^mrc: .*longer than 1 ms/));
    } finally {
      await hurried.close();
    }
  });

  it('ranks a reader’s answers with that reader’s own MRC calibration when it has one', async () => {
    const shared = { a: 1, b: 0, c: 0.5 };
    const student = 'minilm-l3-squad-int8';
    const calibration: Calibration = {
      routes: { kbqa: shared, mrc: shared, cqa: shared },
      // A student fitted as hardly ever right: its spans fall below any threshold.
      readers: { [student]: { a: 1, b: -20, c: 0.5 } },
      threshold: 0.01,
      source: 'a test',
    };
    const p = await Pipeline.open(config, new ModelRegistry(config.modelsDir), { parse, calibration });
    try {
      const ask = (reader: string) =>
        p.ask({ question: 'How high is Mount Kenya?', routes: ['mrc'], reader, explain: true });
      const teacher = await ask('minilm-l6-squad-int8');
      expect(teacher.abstained).toBe(false);
      expect(teacher.explanation?.calibration).toBe('a test');
      const own = await ask(student);
      expect(own.abstained).toBe(true);
      expect(own.explanation?.calibration).toBe(`a test; mrc: fitted for reader ${student}`);
      expect(own.explanation?.candidates[0]?.calibrated).toBeLessThan(0.01);
    } finally {
      await p.close();
    }
  });

  it('rejects an empty question and an unknown reader as the caller’s mistakes', async () => {
    await expect(pipeline.ask({ question: '  ' })).rejects.toMatchObject({
      code: 'bad_input',
      where: 'question',
    });
    await expect(pipeline.ask({ question: 'How high?', reader: 'no-such-reader' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});

/** A pipeline over a workspace holding only the bundled KB, with the bundled relation model and calibration. */
async function geographyPipeline(): Promise<Pipeline> {
  const ws = mkdtempSync(join(tmpdir(), 'qa-pipeline-kb-'));
  const cfg = loadConfig({ flags: { workspace: ws, modelsDir: resolve(PACKAGE_ROOT, 'models') } });
  const kb = openKbStore(cfg);
  await kb.load([sourceFor(join(PACKAGE_ROOT, 'kb', 'geo.ttl'))]);
  await kb.close();
  return Pipeline.open(cfg, new ModelRegistry(cfg.modelsDir), { parse, calibration: loadCalibration(cfg) });
}

describe('Pipeline over the bundled geography KB', () => {
  it('answers a KB question with the bundled relation model and shows the SPARQL query', async () => {
    const p = await geographyPipeline();
    try {
      expect(p.available).toContain('kbqa');
      const a = await p.ask({ question: 'What is the capital of Kenya?' });
      expect(a.answers[0]).toMatchObject({
        text: 'Nairobi',
        route: 'kbqa',
        evidence: { kind: 'sparql', query: expect.stringContaining('https://qa.example/geo/capital') },
      });
      const count = await p.ask({ question: 'How many countries border Germany?', routes: ['kbqa'] });
      expect(count.answers[0]?.text).toBe('9');
    } finally {
      await p.close();
    }
  });

  it('does not read passages when the KB holds a verified, confident answer', async () => {
    const p = await geographyPipeline();
    try {
      new DocStore(p.db).ingest(listDocFiles([join(FIXTURES, 'docs')]).map((f) => readSourceFile(f)));
      await p.refreshDocs();
      const kb = await p.ask({ question: 'What is the capital of Kenya?' });
      expect(kb.answers[0]).toMatchObject({ text: 'Nairobi', route: 'kbqa' });
      const mrc = kb.timings.find((t) => t.route === 'mrc');
      expect(mrc?.note).toMatch(/^passages not read: kbqa holds a verified answer \d+% likely to be right$/);
      expect(mrc?.stages?.read).toBeUndefined();
      const docs = await p.ask({ question: 'Where does the Rhine rise?' });
      expect(docs.answers[0]?.route).toBe('mrc');
      expect(docs.timings.find((t) => t.route === 'mrc')?.stages?.read).toBeGreaterThan(0);
    } finally {
      await p.close();
    }
  });

  it('answers values with units and dates, intersections, classes and two hops', async () => {
    const p = await geographyPipeline();
    const top = async (question: string) =>
      (await p.ask({ question, routes: ['kbqa'], topK: 10 })).answers.map((a) => a.text);
    try {
      expect(await top('What is the population of Kenya?')).toEqual(['45,925,301']);
      // "How many" asking for a value is not a count.
      expect(await top('How many people live in Brazil?')).toEqual(['204,259,812']);
      expect(await top('What is the area of Kenya?')).toEqual(['580,367 km²']);
      expect(await top('When did Kenya become independent?')).toEqual(['12 December 1963']);
      // Asked for a year, a date answers with its year.
      expect(await top('In which year did Kenya become independent?')).toEqual(['1963']);
      expect(await top('How high is Mount Everest?')).toEqual(['8,850 m']);
      expect(await top('Which countries border both China and India?')).toEqual([
        'Bhutan',
        'Myanmar',
        'Nepal',
        'Pakistan',
      ]);
      // South America also holds dependencies (Falkland Islands); "countries" counts countries.
      expect(await top('How many countries are in South America?')).toEqual(['12']);
      expect(await top('On which continent is Mombasa?')).toEqual(['Africa']);
      expect(await top('What is the largest city in Kenya?')).toEqual(['Nairobi']);
      const both = await p.ask({ question: 'Which countries border both China and India?', explain: true });
      expect(both.answers[0]?.evidence).toMatchObject({
        kind: 'sparql',
        entities: [expect.objectContaining({ label: 'China' }), expect.objectContaining({ label: 'India' })],
      });
      expect(both.explanation).toMatchObject({
        threshold: expect.any(Number),
        candidates: expect.arrayContaining([
          expect.objectContaining({ route: 'kbqa', text: 'Bhutan', raw: expect.any(Number) }),
        ]),
      });
      // A question for another route that names a country gets no KB answer, or a weak one: the
      // KB is the only route with data here, so its own score must say so, not the router.
      const treaty = await p.ask({
        question: 'Which treaty did Japan sign with the US in 1854?',
        routes: ['kbqa'],
        explain: true,
      });
      expect(treaty.explanation?.candidates[0]?.raw ?? 0).toBeLessThan(0.5);
      expect(treaty.abstained).toBe(true);
    } finally {
      await p.close();
    }
  });
});
