/**
 * Training questions for any KB, from its own names: for each relation (the most used first) and a
 * spread of things it links, a question in several wordings, each labelled with the path it asks
 * for — lookups both ways, values, counts and two hops — put into words by the lexicon the
 * zero-shot route reads (lexicon.ts). Bounded in number, so a huge KB costs what a small one does.
 * The route answers without them; they give the learned vote examples of this KB's own wordings.
 */
import { type KbLexicon, VERB_LIKE } from './lexicon.js';
import { type Hop, type KbGraph, pathKey, type RelationPath } from './paths.js';
import { type LabelledQuestion, maskMention } from './relation-model.js';

export interface GeneratedQuestion extends LabelledQuestion {
  /** The question with its topic in brackets and its answers, in the MetaQA form. */
  line: string;
}

export interface GenerateOptions {
  /** Things asked about per relation and direction. */
  perRelation?: number;
  /** Most questions in all. */
  limit?: number;
  /** Most answers a question may have to be kept. */
  maxAnswers?: number;
  onProgress?: (done: number, total: number) => void;
}

const ANSWER_SEPARATOR = /[|\t\n[\]]/;

/** Wordings per kind of question; `{r}` the relation, `{d}` the class of the things asked for. */
const WORDINGS = {
  /** A noun-like relation: "capital", "has manager". */
  noun: {
    forward: ['what is the {r} of [X]', "what is [X]'s {r}", 'tell me the {r} of [X]'],
    inverse: ['which {d} has [X] as {r}', 'what {d} has the {r} [X]', 'which {d} is [X] the {r} of'],
  },
  /** A verb-like relation, ending in a preposition: "directed by", "member of". */
  verb: {
    forward: ['[X] is {r} what', 'what is [X] {r}', '[X] {r} which {d}'],
    inverse: ['which {d} is {r} [X]', 'what {d} {r} [X]', 'name one {d} {r} [X]'],
  },
  count: ['how many {r} does [X] have', 'what is the number of {r} of [X]'],
  twoHop: ['what is the {r2} of the {r1} of [X]', "what is the {r2} of [X]'s {r1}"],
  /** The first relation a verb: "the currency of what Lagos is in". */
  twoHopVerb: ['what is the {r2} of what [X] is {r1}', 'what [X] is {r1}: what is its {r2}'],
  /** The second relation a verb: "what is Bob's manager member of". */
  twoHopVerbEnd: ["what is [X]'s {r1} {r2}", 'what is the {r1} of [X] {r2}'],
};

function fill(template: string, slots: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => slots[k] ?? k);
}

/** Every k-th of `items`, so the sample spreads over the whole list. */
function spread<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)] as T);
}

export function generateQuestions(
  graph: KbGraph,
  lexicon: KbLexicon,
  labelOf: (node: string) => string | undefined,
  opts: GenerateOptions = {},
): GeneratedQuestion[] {
  const perRelation = opts.perRelation ?? 8;
  const limit = opts.limit ?? 5_000;
  const maxAnswers = opts.maxAnswers ?? 20;
  const out: GeneratedQuestion[] = [];
  let turn = 0;
  const add = (
    wordings: readonly string[],
    slots: Record<string, string>,
    topic: string,
    path: RelationPath,
  ) => {
    const name = labelOf(topic);
    const answers = [...graph.reach(topic, path)].map((n) => (n.startsWith('"') ? n.slice(1) : labelOf(n)));
    if (!name || answers.length === 0 || answers.length > maxAnswers || out.length >= limit) return;
    if ([name, ...answers].some((a) => a === undefined || ANSWER_SEPARATOR.test(a))) return;
    const template = wordings[turn++ % wordings.length] as string;
    const bracketed = fill(template, slots).replace('[X]', `[${name}]`);
    const start = bracketed.indexOf('[');
    const question = bracketed.replace(`[${name}]`, name);
    out.push({
      masked: maskMention(question, start, start + name.length),
      path: pathKey(path),
      line: `${bracketed}\t${[...new Set(answers as string[])].sort().join('|')}`,
    });
  };
  const relations = lexicon.askable;
  relations.forEach((p, i) => {
    const r = lexicon.noun(p.iri);
    const words = VERB_LIKE.test(r) ? WORDINGS.verb : WORDINGS.noun;
    const forward: Hop = { predicate: p.iri, inverse: false };
    const subjects = spread(graph.subjectsOf(p.iri), perRelation);
    for (const s of subjects) {
      add(words.forward, { r, d: p.range ?? 'thing' }, s, [forward]);
      if (!p.valueKind && graph.step([s], forward).size > 1)
        add(WORDINGS.count, { r: `${r}s` }, s, [forward]);
    }
    if (!p.valueKind) {
      for (const o of spread(graph.objectsOf(p.iri), perRelation)) {
        add(words.inverse, { r, d: p.domain ?? 'thing' }, o, [{ predicate: p.iri, inverse: true }]);
      }
      // Two hops: from the things this relation reaches, along the relations they have.
      const next = new Set<string>();
      for (const s of subjects) {
        for (const m of graph.step([s], forward)) {
          for (const h of graph.hopsFrom(m)) {
            if (!h.inverse && h.predicate !== p.iri && lexicon.predicate(h.predicate)) next.add(h.predicate);
          }
        }
      }
      for (const q of [...next].slice(0, 5)) {
        for (const s of subjects.slice(0, Math.max(1, Math.floor(perRelation / 4)))) {
          const r2 = lexicon.noun(q);
          const twoHop = VERB_LIKE.test(r2)
            ? WORDINGS.twoHopVerbEnd
            : VERB_LIKE.test(r)
              ? WORDINGS.twoHopVerb
              : WORDINGS.twoHop;
          add(twoHop, { r1: r, r2 }, s, [forward, { predicate: q, inverse: false }]);
        }
      }
    }
    opts.onProgress?.(i + 1, relations.length);
  });
  return out;
}
