/**
 * The routing benchmark: questions labelled by the route whose benchmark they come from (MetaQA →
 * kbqa, SQuAD → mrc, SemEval-2016 and StackFAQ → cqa), balanced by a hash-ordered sample per
 * class and split by a hash of the text the router sees (a fifth tested, never trained on).
 */
import { join } from 'node:path';
import { fnv1a } from '../core/hash.js';
import { loadSquad } from '../core/squad-data.js';
import type { RouteName } from '../core/types.js';
import { readArchive, readSemevalQuestions } from '../cqa/import.js';
import { questionText } from '../cqa/matcher.js';
import { normalize } from '../parse/analyse.js';
import { type QuestionParser, ROUTES, type RouterExample, routerText } from '../parse/router.js';
import { readMetaqa } from './metaqa.js';
import { readStackFaq } from './stackfaq.js';

/** The benchmark files under a data folder laid out as `../shared/data`. */
export function routingFiles(dataDir: string): Record<RouteName, string[]> {
  return {
    kbqa: [1, 2, 3].map((h) => join(dataDir, 'kbqa', 'metaqa', `qa_dev_${h}hop.txt`)),
    mrc: ['train-v1.1.json', 'dev-v1.1.public.json'].map((f) => join(dataDir, 'squad', f)),
    cqa: ['semeval2016-train.jsonl', 'semeval2016-dev.jsonl', 'stackfaq.jsonl'].map((f) =>
      join(dataDir, 'cqa', f),
    ),
  };
}

/** Every question of the files, labelled (MetaQA's topic brackets are gone: readMetaqa drops them). */
export function readRoutingQuestions(files: Record<RouteName, string[]>): RouterExample[] {
  const out: RouterExample[] = [];
  for (const f of files.kbqa) for (const q of readMetaqa(f)) out.push({ text: q.question, route: 'kbqa' });
  for (const f of files.mrc)
    for (const q of loadSquad(f).questions) out.push({ text: q.question, route: 'mrc' });
  for (const f of files.cqa) {
    if (f.endsWith('stackfaq.jsonl')) {
      for (const r of readStackFaq(f)) {
        for (const text of [r.question, ...r.rephrasings]) out.push({ text, route: 'cqa' });
      }
    } else {
      for (const q of readSemevalQuestions(f)) {
        for (const t of [q, ...q.candidates])
          out.push({ text: questionText(t.subject, t.body), route: 'cqa' });
      }
    }
  }
  return out;
}

/**
 * Questions about the installed data, to train on beside the benchmark: the bundled KB's generated
 * questions teach the router what this KB is asked (geography, which SQuAD questions resemble too),
 * the bundled archive's questions what the community board is asked. At most `limit` per file.
 */
export async function readExtraExamples(
  route: RouteName,
  file: string,
  limit = 2000,
): Promise<RouterExample[]> {
  const texts =
    route === 'kbqa'
      ? readMetaqa(file).map((q) => q.question)
      : route === 'cqa'
        ? (await readArchive(file)).map((t) => questionText(t.subject, t.body))
        : loadSquad(file).questions.map((q) => q.question);
  return texts
    .map((text) => ({ text, route, order: fnv1a(`extra:${text}`) }))
    .sort((a, b) => a.order - b.order)
    .slice(0, limit)
    .map(({ text }) => ({ text, route }));
}

/** What the split and de-duplication go by: two questions the router cannot tell apart are one. */
const splitKey = (text: string): string => routerText(normalize(text));

/** A fifth of the questions, by a hash of the text the router sees. */
export function isRoutingTest(text: string): boolean {
  return fnv1a(splitKey(text)) % 5 === 0;
}

export interface RoutingSplit {
  train: RouterExample[];
  test: RouterExample[];
  /** Texts dropped because two sources label them differently. */
  conflicting: number;
}

/**
 * One example per distinct text (a text with two labels is dropped), at most `perClass` per route
 * (those first by a salted hash, so the sample does not lean on the split's hash), then split.
 */
export function splitRouting(examples: readonly RouterExample[], perClass = 8000): RoutingSplit {
  const byKey = new Map<string, RouterExample | null>();
  for (const e of examples) {
    const key = splitKey(e.text);
    if (key === '') continue;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, e);
    else if (seen !== null && seen.route !== e.route) byKey.set(key, null);
  }
  const kept = [...byKey.entries()].filter((kv): kv is [string, RouterExample] => kv[1] !== null);
  const split: RoutingSplit = { train: [], test: [], conflicting: byKey.size - kept.length };
  for (const route of ROUTES) {
    const sample = kept
      .filter(([, e]) => e.route === route)
      .map(([key, e]) => ({ key, e, order: fnv1a(`sample:${key}`) }))
      .sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : 1))
      .slice(0, perClass);
    for (const { key, e } of sample) (fnv1a(key) % 5 === 0 ? split.test : split.train).push(e);
  }
  return split;
}

export interface ClassFigures {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface RoutingMetrics {
  /** Share of test questions whose highest route weight is their label, 0..1. */
  accuracy: number;
  /** true route → predicted route → count. */
  confusion: Record<RouteName, Record<RouteName, number>>;
  per_class: Record<RouteName, ClassFigures>;
  test_size: number;
}

const perRoute = <T>(make: (r: RouteName) => T): Record<RouteName, T> => ({
  kbqa: make('kbqa'),
  mrc: make('mrc'),
  cqa: make('cqa'),
});

/** The route with the highest weight (ties to the first in ROUTES order). */
export function topRoute(weights: Record<RouteName, number>): RouteName {
  return ROUTES.reduce((best, r) => (weights[r] > weights[best] ? r : best));
}

export function evaluateRouting(
  parser: QuestionParser,
  test: readonly RouterExample[],
  onProgress?: (done: number, total: number) => void,
): RoutingMetrics {
  const confusion = perRoute(() => perRoute(() => 0));
  test.forEach((e, i) => {
    confusion[e.route][topRoute(parser.parse(e.text).routeWeights)]++;
    onProgress?.(i + 1, test.length);
  });
  const correct = ROUTES.reduce((n, r) => n + confusion[r][r], 0);
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const per_class = perRoute((r): ClassFigures => {
    const support = ROUTES.reduce((n, t) => n + confusion[r][t], 0);
    const predicted = ROUTES.reduce((n, t) => n + confusion[t][r], 0);
    const precision = ratio(confusion[r][r], predicted);
    const recall = ratio(confusion[r][r], support);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), support };
  });
  return { accuracy: ratio(correct, test.length), confusion, per_class, test_size: test.length };
}
