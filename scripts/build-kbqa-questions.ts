/**
 * Builds `kb/questions.txt`: question–answer pairs about `kb/geo.ttl`, from a few phrasings per
 * entity-valued property, in the MetaQA form `qa train kbqa` reads ("question with [topic]<TAB>
 * answer|answer"). They teach the KBQA route which relation path a question asks for; they are
 * generated from the graph itself, so every answer is right by construction.
 *
 *   npm run build:kbqa-questions && npm run qa -- train kbqa kb/questions.txt --out models/kbqa-geo/relations.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, type Quad } from 'n3';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const GEO = 'https://qa.example/geo/';
const LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

/**
 * Phrasings per property; `^` asks the inverse (from the object back to the subjects). A "how
 * many" or "largest" wording asks for the same path as the plain list: the route counts or orders
 * what the path reaches, so its answers here are the path's.
 */
const TEMPLATES: Record<string, string[]> = {
  capital: ['what is the capital of [X]', 'what city is the capital of [X]', "which city is [X]'s capital"],
  '^capital': ['[X] is the capital of which country', 'which country has [X] as its capital'],
  sharesBorderWith: [
    'which countries border [X]',
    'what countries share a border with [X]',
    'what are the neighbours of [X]',
    'how many countries border [X]',
  ],
  continent: ['which continent is [X] in', 'on what continent is [X]', '[X] is part of which continent'],
  '^continent': [
    'which countries are in [X]',
    'what countries are on the continent of [X]',
    'what is the largest country in [X]',
    'which is the most populous country in [X]',
    'how many countries are in [X]',
  ],
  officialLanguage: [
    'what languages are spoken in [X]',
    'what is the official language of [X]',
    'which language do people speak in [X]',
    'how many official languages does [X] have',
  ],
  currency: ['what is the currency of [X]', 'which currency is used in [X]', 'what money do they use in [X]'],
  highestPoint: [
    'what is the highest point of [X]',
    'what is the tallest mountain in [X]',
    'which peak is the highest in [X]',
  ],
  country: ['which country is [X] in', 'in what country is [X]', '[X] is a city in which country'],
  '^country': [
    'which cities are in [X]',
    'what are the big cities of [X]',
    'what is the largest city in [X]',
    'which is the most populous city of [X]',
  ],
  '^officialLanguage': ['in which countries is [X] an official language', 'where is [X] spoken'],
  '^currency': ['which countries use the [X]', 'where is the [X] used'],
  // Values: the answer is a number, a date or a phrase, not an entity.
  population: [
    'what is the population of [X]',
    'how many people live in [X]',
    'how many inhabitants does [X] have',
  ],
  area: ['what is the area of [X]', 'how big is [X]', 'what is the total area of [X]'],
  gdp: [
    'what is the gdp of [X]',
    'how big is the economy of [X]',
    'what is the gross domestic product of [X]',
  ],
  independenceDate: [
    'when did [X] become independent',
    'when did [X] gain independence',
    'what is the independence date of [X]',
  ],
  governmentType: [
    'what type of government does [X] have',
    'what is the form of government of [X]',
    'how is [X] governed',
  ],
  elevation: ['how high is [X]', 'what is the elevation of [X]', 'how tall is [X]'],
  // Two hops.
  'country/continent': [
    'which continent is [X] in',
    'on what continent is [X]',
    '[X] is part of which continent',
  ],
  'country/currency': ['what currency is used in [X]', 'what money do they use in [X]'],
  '^capital/currency': ['what currency is used in the country whose capital is [X]'],
  '^capital/continent': ['on which continent is the country whose capital is [X]'],
  'sharesBorderWith/officialLanguage': [
    'which languages are spoken in the countries bordering [X]',
    'what languages do the neighbours of [X] speak',
  ],
  'highestPoint/elevation': [
    'how high is the highest point of [X]',
    'how tall is the highest mountain in [X]',
  ],
};

const quads: Quad[] = new Parser().parse(readFileSync(join(ROOT, 'kb/geo.ttl'), 'utf8'));
const label = new Map<string, string>();
for (const q of quads) if (q.predicate.value === LABEL) label.set(q.subject.value, q.object.value);

/** Objects per subject, per predicate and its inverse (`^p`); a literal's object is its lexical form. */
const edges = new Map<string, Map<string, Set<string>>>();
const add = (key: string, from: string, to: string) => {
  const byFrom = edges.get(key) ?? new Map<string, Set<string>>();
  byFrom.set(from, (byFrom.get(from) ?? new Set()).add(to));
  edges.set(key, byFrom);
};
for (const q of quads) {
  if (q.predicate.value === TYPE || !q.predicate.value.startsWith(GEO)) continue;
  const p = q.predicate.value.slice(GEO.length);
  add(p, q.subject.value, q.object.value);
  if (q.object.termType === 'NamedNode') add(`^${p}`, q.object.value, q.subject.value);
}

/** What a path of `/`-joined hops reaches from each node it starts at (never back at the start). */
function reach(key: string): Map<string, Set<string>> {
  const [first = '', ...rest] = key.split('/');
  const out = new Map<string, Set<string>>();
  for (const [from, tos] of edges.get(first) ?? []) {
    let nodes = tos;
    for (const hop of rest) {
      const next = new Set<string>();
      for (const n of nodes) for (const m of edges.get(hop)?.get(n) ?? []) if (m !== from) next.add(m);
      nodes = next;
    }
    if (nodes.size > 0) out.set(from, nodes);
  }
  return out;
}

const lines: string[] = [];
for (const [key, phrasings] of Object.entries(TEMPLATES)) {
  const byFrom = [...reach(key)].sort(([a], [b]) => (a < b ? -1 : 1));
  byFrom.forEach(([from, tos], i) => {
    const topic = label.get(from);
    // Entities by their label, values as they are.
    const answers = [...tos].map((t) => label.get(t) ?? t);
    if (!topic || answers.length === 0 || [topic, ...answers].some((a) => /[[\]|\t\n]/.test(a))) return;
    // One phrasing per topic, rotating, so every phrasing is seen without tripling the file.
    const phrasing = phrasings[i % phrasings.length] as string;
    lines.push(`${phrasing.replace('X', topic)}\t${[...new Set(answers)].sort().join('|')}`);
  });
}
writeFileSync(join(ROOT, 'kb/questions.txt'), `${lines.join('\n')}\n`);
process.stdout.write(`wrote kb/questions.txt: ${lines.length} questions\n`);
