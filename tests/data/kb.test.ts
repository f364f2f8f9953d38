import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Parser, type Quad } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntityLinker } from '../../src/kbqa/link.js';
import { OxigraphStore } from '../../src/kbqa/oxigraph-store.js';
import { sourceFor } from '../../src/kbqa/rdf-files.js';
import { RDFS_LABEL, SKOS_ALT_LABEL } from '../../src/kbqa/vocab.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TTL = join(ROOT, 'kb', 'geo.ttl');
const GEO = 'https://qa.example/geo/';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const XSD = 'http://www.w3.org/2001/XMLSchema#';

const quads: Quad[] = new Parser().parse(readFileSync(TTL, 'utf8'));
const bySubject = new Map<string, Quad[]>();
for (const q of quads) {
  const list = bySubject.get(q.subject.value) ?? [];
  list.push(q);
  bySubject.set(q.subject.value, list);
}
const values = (s: string, p: string): string[] =>
  (bySubject.get(s) ?? []).filter((q) => q.predicate.value === p).map((q) => q.object.value);
const ofType = (cls: string): string[] =>
  quads
    .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === GEO + cls)
    .map((q) => q.subject.value);

/** Cities some country names as its capital. */
function capitalCities(): Set<string> {
  return new Set(quads.filter((q) => q.predicate.value === `${GEO}capital`).map((q) => q.object.value));
}

/** The "| name | count |" rows of a README's table. */
function readmeCounts(file: string): Map<string, number> {
  const rows = [...readFileSync(file, 'utf8').matchAll(/^\| `?([\w/.-]+)`? \| (\d+) \|/gm)];
  return new Map(rows.map((m) => [m[1] ?? '', Number(m[2])]));
}

describe('kb/geo.ttl', () => {
  it('is Turtle without blank nodes, under 20 MB', () => {
    expect(quads.length).toBeGreaterThan(10_000);
    expect(quads.some((q) => q.subject.termType === 'BlankNode' || q.object.termType === 'BlankNode')).toBe(
      false,
    );
    expect(statSync(TTL).size).toBeLessThan(20 * 1024 * 1024);
  });

  it('has the counts kb/README.md states', () => {
    const counts = readmeCounts(join(ROOT, 'kb', 'README.md'));
    expect(counts.get('triples')).toBe(quads.length);
    expect(counts.get('countries')).toBe(ofType('Country').length);
    expect(counts.get('dependencies')).toBe(ofType('Dependency').length);
    expect(counts.get('territories')).toBe(ofType('Territory').length);
    expect(counts.get('cities')).toBe(ofType('City').length);
    expect(counts.get('summits')).toBe(ofType('Summit').length);
    expect(counts.get('languages')).toBe(ofType('Language').length);
    expect(counts.get('currencies')).toBe(ofType('Currency').length);
    expect(counts.get('capitals')).toBe(capitalCities().size);
    expect(counts.get('borders')).toBe(
      quads.filter((q) => q.predicate.value === `${GEO}sharesBorderWith`).length / 2,
    );
    expect(counts.get('countries')).toBe(195);
  });

  it('knows Kenya: capital Nairobi, in Africa, its numbers typed', () => {
    const kenya = `${GEO}country/kenya`;
    expect(values(kenya, RDFS_LABEL)).toEqual(['Kenya']);
    expect(values(kenya, `${GEO}capital`)).toEqual([`${GEO}city/nairobi-ke`]);
    expect(values(`${GEO}city/nairobi-ke`, RDFS_LABEL)).toEqual(['Nairobi']);
    expect(values(`${GEO}city/nairobi-ke`, `${GEO}country`)).toEqual([kenya]);
    expect(values(kenya, `${GEO}continent`)).toEqual([`${GEO}continent/africa`]);
    const pop = (bySubject.get(kenya) ?? []).find((q) => q.predicate.value === `${GEO}population`)?.object;
    expect(pop?.termType === 'Literal' && pop.datatype.value).toBe(`${XSD}integer`);
    expect(values(kenya, `${GEO}independenceDate`)).toEqual(['1963-12-12']);
    expect(values(kenya, `${GEO}area`)).toEqual(['580367']);
    const summit = values(kenya, `${GEO}highestPoint`)[0] ?? '';
    expect(values(summit, RDFS_LABEL)).toEqual(['Mount Kenya']);
    expect(values(summit, `${GEO}elevation`)).toEqual(['5199']);
    expect(values(kenya, `${GEO}officialLanguage`)).toContain(`${GEO}language/sw`);
    expect(values(kenya, `${GEO}currency`)).toEqual([`${GEO}currency/kes`]);
  });

  it('states borders both ways, China and India among them', () => {
    const china = `${GEO}country/china`;
    const india = `${GEO}country/india`;
    expect(values(china, `${GEO}sharesBorderWith`)).toContain(india);
    expect(values(india, `${GEO}sharesBorderWith`)).toContain(china);
    for (const q of quads.filter((x) => x.predicate.value === `${GEO}sharesBorderWith`)) {
      expect(values(q.object.value, `${GEO}sharesBorderWith`)).toContain(q.subject.value);
      expect(q.object.value).not.toBe(q.subject.value);
    }
  });

  it('gives every country one label and a population, and every node a label', () => {
    for (const c of ofType('Country')) {
      expect(values(c, RDFS_LABEL), c).toHaveLength(1);
      expect(values(c, `${GEO}population`), c).toHaveLength(1);
      expect(Number(values(c, `${GEO}population`)[0]), c).toBeGreaterThan(0);
    }
    // Predicates stating their unit are described, not named: a label would make them linkable.
    const unitOf = (s: string) => values(s, 'https://schema.org/unitText');
    for (const s of bySubject.keys()) {
      if (unitOf(s).length === 0) expect(values(s, RDFS_LABEL), s).toHaveLength(1);
    }
    expect([`${GEO}area`, `${GEO}elevation`, `${GEO}gdp`].map((p) => unitOf(p)[0])).toEqual([
      'km²',
      'm',
      'US dollars',
    ]);
  });

  it('names the United Kingdom every common way', () => {
    const uk = `${GEO}country/united-kingdom`;
    expect(values(uk, RDFS_LABEL)).toEqual(['United Kingdom']);
    expect(values(uk, SKOS_ALT_LABEL)).toEqual(expect.arrayContaining(['UK', 'Britain', 'Great Britain']));
    expect(values(uk, `${GEO}capital`)).toEqual([`${GEO}city/london-gb`]);
  });

  it('names orderable properties with the words the superlative cues look for', () => {
    const predicates = new Set(quads.map((q) => q.predicate.value.slice(GEO.length)));
    for (const word of [/population/, /area/, /elevation/, /date/i]) {
      expect(
        [...predicates].some((p) => word.test(p)),
        String(word),
      ).toBe(true);
    }
  });

  it('loads into the product store, and the linker finds countries by their other names', async () => {
    const store = new OxigraphStore();
    await store.load([sourceFor(TTL)]);
    expect(await store.size()).toBe(quads.length);
    const linker = await EntityLinker.fromStore(store);
    const top = (q: string): string | undefined => linker.link(q)[0]?.candidates[0]?.iri;
    for (const name of ['UK', 'United Kingdom', 'Britain', 'Great Britain']) {
      expect(top(`What is the capital of ${name}?`), name).toBe(`${GEO}country/united-kingdom`);
    }
    expect(top('Which countries border Burma?')).toBe(`${GEO}country/myanmar`);
    expect(top('How high is Mount Kilimanjaro?')).toBe(`${GEO}summit/kilimanjaro`);
    // Short all-capital names link only as written: "us" and "car" are words, "US" is a country.
    const linked = (q: string) => linker.link(q).flatMap((m) => m.candidates.map((c) => c.label));
    expect(linked('Can you tell us which car to buy?')).not.toContain('US');
    expect(linked('Can you tell us which car to buy?')).not.toContain('CAR');
    expect(top('What is the capital of the US?')).toBe(`${GEO}country/united-states`);
    await store.close();
  });
});

describe('npm run build:kb', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'qa-build-kb-'));
    execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', 'build-kb.ts'), out], {
      cwd: ROOT,
      stdio: 'pipe',
    });
  }, 120_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('rebuilds the committed files byte for byte', () => {
    expect(readFileSync(join(out, 'kb', 'geo.ttl')).equals(readFileSync(TTL))).toBe(true);
    const docs = join('corpora', 'docs', 'factbook.jsonl');
    expect(readFileSync(join(out, docs)).equals(readFileSync(join(ROOT, docs)))).toBe(true);
  });
});
