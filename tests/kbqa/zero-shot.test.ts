import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openKbqa } from '../../src/app/kbqa.js';
import { loadConfig, PACKAGE_ROOT } from '../../src/core/config.js';
import { labelQuestions, readMetaqa } from '../../src/eval/metaqa.js';
import { editDistance } from '../../src/kbqa/edits.js';
import { generateQuestions } from '../../src/kbqa/generate.js';
import { localName, splitName } from '../../src/kbqa/lexicon.js';
import { OxigraphStore } from '../../src/kbqa/oxigraph-store.js';
import { readQuestion } from '../../src/kbqa/reading.js';
import { RelationModel } from '../../src/kbqa/relation-model.js';
import { KbqaRoute } from '../../src/kbqa/route.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { FIXTURES, scratchModels } from '../helpers/fixtures.js';

const config = loadConfig({
  flags: {
    modelsDir: join(PACKAGE_ROOT, 'models'),
    workspace: mkdtempSync(join(tmpdir(), 'qa-kbqa-')),
    threads: 1,
  },
});

/** The route over a KB file, zero-shot: the shipped encoder, no learned paths. */
async function zeroShot(file: string): Promise<{
  route: KbqaRoute;
  store: OxigraphStore;
  models: ModelRegistry;
  warnings: string[];
  mode: string;
}> {
  const store = new OxigraphStore();
  await store.load([{ file, format: 'turtle' }]);
  const models = new ModelRegistry(config.modelsDir);
  const kb = await openKbqa(store, config, models, { model: null });
  return { route: kb.route, store, models, warnings: kb.warnings, mode: kb.mode };
}

/** A zero-shot route over `file`, opened before a block's tests and closed after them. */
function openedFor(file: string, timeout: number): () => Awaited<ReturnType<typeof zeroShot>> {
  let kb: Awaited<ReturnType<typeof zeroShot>> | undefined;
  beforeAll(async () => {
    kb = await zeroShot(file);
  }, timeout);
  afterAll(async () => {
    await kb?.store.close();
    await kb?.models.close();
  });
  return () => kb as Awaited<ReturnType<typeof zeroShot>>;
}

describe('names in words', () => {
  it.each([
    ['http://example.org/org#hasManager', 'has manager'],
    ['urn:metaqa:rel:directed_by', 'directed by'],
    ['https://qa.example/geo/sharesBorderWith', 'shares border with'],
    ['https://periodic.example/ontology#vanDelWaalsRadius', 'van del waals radius'],
    ['http://example.org/iso3166Alpha2', 'iso 3166 alpha 2'],
    ['http://example.org/vocab/HTTPStatus', 'http status'],
  ])('%s reads "%s"', (iri, words) => {
    expect(splitName(localName(iri))).toBe(words);
  });
});

describe('edit distance', () => {
  it.each([
    ['captial', 'capital', 1],
    ['germny', 'germany', 1],
    ['kitten', 'sitting', 3],
    ['repulbic of the kongo', 'republic of the congo', 2],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b, 3)).toBe(d);
  });
  it('stops counting past the bound', () => {
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});

describe('reading a question form', () => {
  const known = (w: string) => ['big', 'large', 'heavy', 'dense', 'high'].includes(w);
  it('tells counts, yes/no, comparisons and superlatives', () => {
    expect(readQuestion('How many countries border Kenya?', known)).toMatchObject({
      count: true,
      wh: 'how many',
    });
    expect(readQuestion('Number of countries in Europe', known).count).toBe(true);
    expect(readQuestion('Is Berlin the capital of Germany?', known).yesNo).toBe(true);
    expect(readQuestion('Which is bigger, France or Spain?', known).order).toMatchObject({
      word: 'bigger',
      polarity: 'high',
      superlative: false,
    });
    expect(readQuestion('Which element has the lowest density?', known).order).toMatchObject({
      polarity: 'low',
      superlative: true,
    });
    expect(readQuestion('Is Kenya larger than Tanzania?', known)).toMatchObject({ than: true, yesNo: true });
    expect(readQuestion('How high is Kilimanjaro?', known).wh).toBe('how measure');
  });
  it('does not read "border" or "forest" as comparatives', () => {
    const vocab = (w: string) => ['bord', 'for', 'borders', 'forests'].includes(w);
    expect(readQuestion('Which countries border the forest?', vocab).order).toBeUndefined();
  });
});

describe('zero-shot KBQA on an organisational KB (labelled classes, a subclass, local names)', () => {
  const kb = openedFor(join(FIXTURES, 'kbqa/org.ttl'), 60_000);
  const first = async (q: string) => (await kb().route.answer(q)).candidates[0]?.text;

  it('answers at once, with no learned paths', () => {
    expect(kb().mode).toMatch(/^zero-shot \(KB names and the sentence encoder\)$/);
    expect(kb().warnings).toEqual([]);
  });
  it.each([
    ["Who is Bob Okafor's manager?", 'Alice Moreau'],
    ['Which department is Carla Nguyen in?', 'Research'],
    ["What is Dr. Nguyen's department?", 'Research'],
    ['Who supplies the Gizmo?', 'Globex'],
    ['Which company delivers the Widget?', 'Acme Corporation'],
    ['When did Dmitri Volkov start?', '2009'],
  ])('%s → %s', async (q, a) => {
    expect(await first(q)).toBe(a);
  });
  it('counts a class with its subclasses (rdfs:subClassOf*)', async () => {
    const res = await kb().route.answer('How many employees are there?');
    expect(res.candidates[0]?.text).toBe('5');
    expect(res.query).toMatch(/subClassOf>\*/);
  });
  it('orders by a property no cue list names (weight, price)', async () => {
    expect(await first('Which product is the heaviest?')).toBe('Gadget');
    expect(await first('Which is cheaper, Widget or Gizmo?')).toBe('Widget');
  });
  it('answers yes/no on the relation asked about', async () => {
    expect(await first('Is Bob Okafor a member of Research?')).toBe('yes');
    expect(await first('Is Alice Moreau a member of Sales?')).toBe('no');
  });
  it('reads a class or relation name as a cue, never as the topic', async () => {
    const res = await kb().route.answer('Which department has the most employees?');
    expect(res.entities.map((e) => e.label)).not.toContain('department');
    expect(
      kb()
        .route.linker.link('list the suppliers')
        .flatMap((m) => m.candidates),
    ).toEqual([]);
  });
  it('finds nothing for a name the KB does not have', async () => {
    expect((await kb().route.answer('Who is Zoltan Kovacs managed by?')).candidates).toEqual([]);
  });
});

describe('zero-shot KBQA on the periodic table (an npm package, converted mechanically)', () => {
  const kb = openedFor(join(PACKAGE_ROOT, 'tests/kbqa-sets/periodic.ttl'), 60_000);
  const first = async (q: string) => (await kb().route.answer(q)).candidates[0]?.text;

  it.each([
    ['What is the symbol of gold?', 'Au'],
    ['When was oxygen discovered?', '1774'],
    ['Which element has the symbol Na?', 'Sodium'],
    ['Which element has the highest melting point?', 'Carbon'],
    ['Which was discovered first, oxygen or nitrogen?', 'Nitrogen'],
    ['How many halogens are there?', '5'],
    ['Is iron denser than gold?', 'no'],
  ])('%s → %s', async (q, a) => {
    expect(await first(q)).toBe(a);
  });
  it('links a plural to a value ("noble gases" → "noble gas")', async () => {
    const res = await kb().route.answer('Which elements are noble gases?');
    expect(res.candidates.map((c) => c.text).sort()).toEqual(
      ['Argon', 'Helium', 'Krypton', 'Neon', 'Oganesson', 'Radon', 'Xenon'].sort(),
    );
  });
});

describe('linking that survives real typing (bundled geography KB)', () => {
  const kb = openedFor(join(PACKAGE_ROOT, 'kb/geo.ttl'), 120_000);
  const first = async (q: string) => (await kb().route.answer(q)).candidates[0]?.text;

  it.each([
    ["What is Kenya's capital?", 'Nairobi'],
    ['captial of germny', 'Berlin'],
    ['whats the populaton of japan', '126,919,659'],
    ['Which African country has the largest population?', 'Nigeria'],
    ['What is the capital of the Democratic Repulbic of the Kongo?', 'Kinshasa'],
  ])('%s → %s', async (q, a) => {
    expect(await first(q)).toBe(a);
  });
  it('asks yes/no along the relation the question names', async () => {
    const res = await kb().route.answer('does egypt border libya');
    expect(res.candidates[0]?.text).toBe('yes');
    expect(res.query).toMatch(/sharesBorderWith/);
    expect(await first('Is Berlin the capital of Germany?')).toBe('yes');
    expect(await first('Is Sydney the capital of Australia?')).toBe('no');
  });
  it('compares two things by the property the comparative means', async () => {
    const res = await kb().route.answer('Which is bigger, France or Spain?');
    expect(res.candidates[0]?.text).toBe('France');
    expect(res.query).toMatch(/geo\/area/);
    expect(await first('Which is more populous, India or China?')).toBe('China');
  });
  it('answers a superlative over things with the thing, not its value', async () => {
    expect(await first("What's the highest mountain in Japan?")).toBe('Mount Fuji');
  });
});

describe('learned paths for another KB', () => {
  it('are not used on a KB that does not have their relations', async () => {
    const store = new OxigraphStore();
    await store.load([{ file: join(FIXTURES, 'kbqa/org.ttl'), format: 'turtle' }]);
    const models = new ModelRegistry(config.modelsDir);
    try {
      // The bundled geography model fits the geography KB only.
      const kb = await openKbqa(store, config, models, { noEncoder: true });
      expect(kb.mode).not.toMatch(/learned/);
      expect(kb.warnings).toEqual([]);
      // Without an encoder installed (the test models hold a reader only), the route says so.
      const bare = new ModelRegistry(scratchModels());
      const words = await openKbqa(store, { ...config, modelsDir: bare.root }, bare, { model: null });
      expect(words.mode).toBe('zero-shot (KB names, words only)');
      expect(words.warnings).toEqual([expect.stringMatching(/no sentence encoder is installed/)]);
      const own = RelationModel.train([
        { masked: 'who is the boss of ENT', path: '<http://example.org/org#hasManager>' },
      ]);
      expect((await openKbqa(store, config, models, { model: own, noEncoder: true })).mode).toMatch(
        /1 learned/,
      );
    } finally {
      await store.close();
      await models.close();
    }
  });
  it('a KB without names is reported, naming the properties looked for', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qa-kb-')), 'bare.nt');
    writeFileSync(file, '<http://example.org/a> <http://example.org/knows> <http://example.org/b> .\n');
    const store = new OxigraphStore();
    await store.load([{ file, format: 'ntriples' }]);
    const models = new ModelRegistry(config.modelsDir);
    try {
      const kb = await openKbqa(store, config, models, { model: null, noEncoder: true });
      expect(kb.warnings[0]).toMatch(/names none of its entities, .*rdf-schema#label.*kb\.labelProperties/);
    } finally {
      await store.close();
      await models.close();
    }
  });
});

describe('training pairs written the natural way', () => {
  it('reads a count and one answer of an order question, and says why the others teach nothing', async () => {
    const store = new OxigraphStore();
    await store.load([{ file: join(FIXTURES, 'kbqa/org.ttl'), format: 'turtle' }]);
    try {
      const index = await KbqaRoute.index(store);
      const file = join(mkdtempSync(join(tmpdir(), 'qa-train-')), 'pairs.txt');
      writeFileSync(
        file,
        [
          'how many people report to [Alice Moreau]\t2',
          'which is the heaviest product supplied by [Acme Corporation]\tGadget',
          'is [Bob Okafor] in Research\tyes',
          'who runs [Atlantis]\tPoseidon',
          'what is the birthday of [Bob Okafor]\t1990-01-01',
        ].join('\n'),
      );
      const skipped: Array<[string, string]> = [];
      const labelled = labelQuestions(
        index.graph,
        readMetaqa(file),
        undefined,
        5,
        (name) => index.linker.byLabel(name),
        (q, reason) => skipped.push([q.where.split(':').pop() ?? '', reason]),
      );
      expect(labelled.map((l) => l.path)).toEqual([
        '^<http://example.org/org#hasManager>',
        '^<http://example.org/org#suppliedBy>',
      ]);
      expect(skipped).toEqual([
        ['3', expect.stringMatching(/^a yes\/no answer does not say which relation/)],
        ['4', 'the topic is not a name in the knowledge base'],
        ['5', 'no path of up to three hops reaches the answers'],
      ]);
    } finally {
      await store.close();
    }
  });
});

describe("questions generated from the KB's own names", () => {
  it('asks lookups both ways, counts and two hops, each labelled with its path, and stays within bounds', async () => {
    const store = new OxigraphStore();
    await store.load([{ file: join(FIXTURES, 'kbqa/org.ttl'), format: 'turtle' }]);
    try {
      const { graph, lexicon, linker } = await KbqaRoute.index(store);
      const made = generateQuestions(graph, lexicon, (n) => linker.labelsOf(n)[0]);
      const lines = made.map((q) => q.line);
      const about = (topic: string, words: string, answers: string) =>
        lines.filter((l) => l.includes(`[${topic}]`) && l.includes(words) && l.endsWith(`\t${answers}`));
      // A lookup, its inverse, and two hops (the manager's start year).
      expect(about('Bob Okafor', 'manager', 'Alice Moreau')).toHaveLength(1);
      expect(about('Alice Moreau', 'manager', 'Bob Okafor|Dr. Carla Nguyen')).toHaveLength(1);
      expect([
        ...about('Bob Okafor', 'start year', '2011'),
        ...about('Dr. Carla Nguyen', 'start year', '2011'),
      ]).not.toEqual([]);
      expect(made.every((q) => q.masked.includes(' ENT ') && /^\^?</.test(q.path))).toBe(true);
      expect(generateQuestions(graph, lexicon, (n) => linker.labelsOf(n)[0], { limit: 5 })).toHaveLength(5);
    } finally {
      await store.close();
    }
  });
});
