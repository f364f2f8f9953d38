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

/** Phrasings per property; `^` asks the inverse (from the object back to the subjects). */
const TEMPLATES: Record<string, string[]> = {
  capital: ['what is the capital of [X]', 'what city is the capital of [X]', "which city is [X]'s capital"],
  '^capital': ['[X] is the capital of which country', 'which country has [X] as its capital'],
  sharesBorderWith: [
    'which countries border [X]',
    'what countries share a border with [X]',
    'what are the neighbours of [X]',
  ],
  continent: ['which continent is [X] in', 'on what continent is [X]', '[X] is part of which continent'],
  '^continent': ['which countries are in [X]', 'what countries are on the continent of [X]'],
  officialLanguage: [
    'what languages are spoken in [X]',
    'what is the official language of [X]',
    'which language do people speak in [X]',
  ],
  currency: ['what is the currency of [X]', 'which currency is used in [X]', 'what money do they use in [X]'],
  highestPoint: [
    'what is the highest point of [X]',
    'what is the tallest mountain in [X]',
    'which peak is the highest in [X]',
  ],
  country: ['which country is [X] in', 'in what country is [X]', '[X] is a city in which country'],
  '^country': ['which cities are in [X]', 'what are the big cities of [X]'],
  '^officialLanguage': ['in which countries is [X] an official language', 'where is [X] spoken'],
  '^currency': ['which countries use the [X]', 'where is the [X] used'],
};

const quads: Quad[] = new Parser().parse(readFileSync(join(ROOT, 'kb/geo.ttl'), 'utf8'));
const label = new Map<string, string>();
for (const q of quads) if (q.predicate.value === LABEL) label.set(q.subject.value, q.object.value);

const edges = new Map<string, Map<string, Set<string>>>();
const add = (key: string, from: string, to: string) => {
  const byFrom = edges.get(key) ?? new Map<string, Set<string>>();
  byFrom.set(from, (byFrom.get(from) ?? new Set()).add(to));
  edges.set(key, byFrom);
};
for (const q of quads) {
  if (q.object.termType !== 'NamedNode' || q.predicate.value === TYPE || !q.predicate.value.startsWith(GEO))
    continue;
  const p = q.predicate.value.slice(GEO.length);
  add(p, q.subject.value, q.object.value);
  add(`^${p}`, q.object.value, q.subject.value);
}

const lines: string[] = [];
for (const [key, phrasings] of Object.entries(TEMPLATES)) {
  const byFrom = [...(edges.get(key) ?? new Map<string, Set<string>>())].sort(([a], [b]) => (a < b ? -1 : 1));
  byFrom.forEach(([from, tos], i) => {
    const topic = label.get(from);
    const answers = [...tos].map((t) => label.get(t)).filter((a): a is string => a !== undefined);
    if (!topic || answers.length === 0 || /[[\]|\t]/.test(topic)) return;
    // One phrasing per topic, rotating, so every phrasing is seen without tripling the file.
    const phrasing = phrasings[i % phrasings.length] as string;
    lines.push(`${phrasing.replace('X', topic)}\t${[...new Set(answers)].sort().join('|')}`);
  });
}
writeFileSync(join(ROOT, 'kb/questions.txt'), `${lines.join('\n')}\n`);
process.stdout.write(`wrote kb/questions.txt: ${lines.length} questions\n`);
