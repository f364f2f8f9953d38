import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/core/config.js';
import { labelQuestions, readMetaqa } from '../../src/eval/metaqa.js';
import { SparqlEndpointStore } from '../../src/kbqa/endpoint-store.js';
import { OxigraphStore } from '../../src/kbqa/oxigraph-store.js';
import { RelationModel } from '../../src/kbqa/relation-model.js';
import { KbqaRoute } from '../../src/kbqa/route.js';
import { toSparql } from '../../src/kbqa/sparql.js';
import type { RdfStore } from '../../src/kbqa/store.js';
import { byLabelQuery } from '../../src/kbqa/translate.js';
import { entityIri } from '../../src/kbqa/vocab.js';
import { ModelRegistry } from '../../src/models/registry.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { startVirtuoso, type Virtuoso, virtuosoAvailable } from '../helpers/virtuoso.js';

const KB = join(FIXTURES, 'kbqa/mini-kb.txt');
const HOSTILE = 'Say "Hi" } # {x}';

/** The same KBQA behaviour, asserted on each store. */
function kbqaSuite(name: string, makeStore: () => Promise<RdfStore>): void {
  describe(`KBQA route on ${name}`, () => {
    let store: RdfStore;
    let route: KbqaRoute;
    beforeAll(async () => {
      store = await makeStore();
      const report = await store.load([{ file: KB, format: 'metaqa' }]);
      // 46 relation triples + one label per distinct entity string (39).
      expect(report.triples).toBe(46 + 39);
      const index = await KbqaRoute.index(store);
      const model = RelationModel.train(
        labelQuestions(index.graph, readMetaqa(join(FIXTURES, 'kbqa/train.txt'))),
      );
      route = new KbqaRoute(store, index, { model });
    }, 180_000);
    afterAll(() => store?.close());

    for (const q of readMetaqa(join(FIXTURES, 'kbqa/test.txt'))) {
      it(`answers "${q.question}" with exactly its gold answers`, async () => {
        const res = await route.answer(q.question, { topicSpan: q.span });
        expect(res.candidates.map((c) => c.text).sort()).toEqual([...q.answers].sort());
        const ev = res.candidates[0]?.evidence;
        expect(ev).toMatchObject({ kind: 'sparql', rows: q.answers.length });
        expect(ev?.kind === 'sparql' && ev.entities[0]?.iri).toBe(entityIri(q.topic));
      });
    }

    it('links entities itself when there are no brackets, accents and case folded', async () => {
      const a = await route.answer('who directed interstellar');
      expect(a.candidates.map((c) => c.text)).toEqual(['Christopher Nolan']);
      const b = await route.answer('what movies did Alejandro Gonzalez Inarritu direct');
      expect(b.candidates.map((c) => c.text).sort()).toEqual(['Birdman', 'The Revenant']);
    });

    it('counts ("how many") and answers yes/no questions with ASK', async () => {
      const n = await route.answer('how many movies did James Cameron direct');
      expect(n.candidates.map((c) => c.text)).toEqual(['2']);
      expect(n.query).toMatch(/COUNT\(DISTINCT \?answer\)/);
      expect((await route.answer('did James Cameron direct Titanic')).candidates[0]?.text).toBe('yes');
      expect((await route.answer('did James Cameron direct Inception')).candidates[0]?.text).toBe('no');
    });

    it('finds nothing, rather than guessing, for an entity the KB does not have', async () => {
      const res = await route.answer('who directed Casablanca');
      expect(res.candidates).toEqual([]);
    });

    it('keeps hostile labels inside escaped literals', async () => {
      for (const label of [HOSTILE, 'a """ b', 'line\nbreak } UNION { ?s ?p ?o }', "it's # not a comment"]) {
        const query = toSparql(byLabelQuery(label));
        const rows = await store.select(query);
        expect(rows.map((r) => r.answer?.value)).toEqual(label === HOSTILE ? [entityIri(HOSTILE)] : []);
      }
    });
  });
}

kbqaSuite('embedded Oxigraph', async () => new OxigraphStore());

if (virtuosoAvailable()) {
  let virtuoso: Virtuoso;
  beforeAll(async () => {
    virtuoso = await startVirtuoso();
  }, 180_000);
  afterAll(() => virtuoso?.stop());
  kbqaSuite(
    'a Virtuoso SPARQL endpoint',
    async () => new SparqlEndpointStore({ queryUrl: virtuoso.sparqlUrl }),
  );
} else {
  describe.skip('KBQA route on Virtuoso (virtuoso-opensource not installed here; CI installs it)', () => {
    it('runs the same tests', () => {});
  });
}

describe('KBQA superlatives and counts over typed literals (Turtle KB)', () => {
  const EX = 'http://example.org/';
  let route: KbqaRoute;
  beforeAll(async () => {
    const store = new OxigraphStore();
    await store.load([{ file: join(FIXTURES, 'kbqa/geo.ttl'), format: 'turtle' }]);
    const index = await KbqaRoute.index(store);
    const cities = `^<${EX}country>`;
    const model = RelationModel.train([
      { masked: 'what cities are in ENT', path: cities },
      { masked: 'which cities are located in ENT', path: cities },
      { masked: 'what country is ENT in', path: `<${EX}country>` },
    ]);
    const models = new ModelRegistry(join(PACKAGE_ROOT, 'models'));
    const encoder = await models.encoder('encoder-minilm-l6-int8', { threads: 1 });
    route = new KbqaRoute(store, index, { model, encoder, known: (w) => encoder.tokenizer.hasWord(w) });
  });

  it.each([
    ['what is the largest city in Kenya', 'Nairobi'],
    ['what is the smallest city in Kenya', 'Kisumu'],
    ['which is the oldest city in the Republic of Kenya', 'Mombasa'],
    ['what is the most recent city founded in Kenya', 'Kisumu'],
  ])('%s → %s', async (question, answer) => {
    const res = await route.answer(question);
    expect(res.candidates.map((c) => c.text)).toEqual([answer]);
    expect(res.query).toMatch(/ORDER BY/);
  });

  it('counts the answers of a path', async () => {
    expect((await route.answer('how many cities are in Kenya')).candidates[0]?.text).toBe('3');
  });
});
