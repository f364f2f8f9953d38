/**
 * The KBQA route: link what the question names, read its form, choose the best query graph the
 * KB allows (plan.ts: zero-shot from the KB's own names, refined by learned paths where a
 * workspace has them), run it as SPARQL, and return the answers with the query as evidence — or
 * nothing when the KB has none.
 */
import type { Candidate, LinkedEntity, VectorEncoder } from '../core/types.js';
import { KbLexicon } from './lexicon.js';
import { EntityLinker, type LabelEntry, type Mention } from './link.js';
import { KbGraph, literalNode, type RelationPath } from './paths.js';
import { PhraseScorer } from './phrase-scorer.js';
import { type Interpretation, Planner } from './plan.js';
import { readQuestion } from './reading.js';
import type { RelationModel } from './relation-model.js';
import { toSparql } from './sparql.js';
import type { RdfStore, SparqlTerm } from './store.js';
import {
  askQuery,
  classCountQuery,
  classListQuery,
  classSuperlativeQuery,
  compareAskQuery,
  compareQuery,
  countQuery,
  listQuery,
  type NodeTerm,
  nodeTerm,
  superlativeQuery,
  type Walk,
} from './translate.js';
import { NAME_PREDICATES, RDFS_DOMAIN, RDFS_RANGE } from './vocab.js';

export interface KbqaOptions {
  /** The topic mention's character span, when the caller knows it (MetaQA's brackets). */
  topicSpan?: [number, number];
  /** Most answers to return. */
  limit?: number;
  timeoutMs?: number;
}

export interface KbqaResult {
  candidates: Candidate[];
  /** Time spent in the store, ms. */
  sparqlMs: number;
  /** The query that was run (also in each candidate's evidence), for explaining "no answer". */
  query?: string;
  entities: LinkedEntity[];
  /** How the question was read, in words ("capital of Kenya"). */
  reading?: string;
}

/** "How many ...": a count, unless the path ends in a value. */
export const COUNT_Q = /^\s*how many\b/i;
const BOTH_Q = /\bboth\b/i;
/** Longest string value linked as a mention ("noble gas"), in characters. */
const MAX_VALUE_LENGTH = 40;

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const NUMERIC = new Set(['integer', 'decimal', 'double', 'float', 'long', 'int', 'nonNegativeInteger']);
const NUMBER_FORMAT = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });
/** Questions asking for a year ("what year …", "in which year …", "the year … became"). */
const ASKS_YEAR = /\b(?:what|which)\s+year\b|\byear\s+(?:did|was|were|is|does)\b/i;

/** What the route reads from a KB once: its edges, names, and vocabulary in words. */
export interface KbIndex {
  graph: KbGraph;
  linker: EntityLinker;
  lexicon: KbLexicon;
  /** Entities with a name: none means the KB cannot be asked about (a warning says so). */
  labelled: number;
}

export interface IndexOptions {
  /** Name properties beyond the standard ones (`kb.labelProperties`). */
  labelProperties?: readonly string[];
  /** Whether a word is an ordinary word (the encoder's vocabulary): guards fuzzy linking. */
  known?: (word: string) => boolean;
}

export interface RouteOptions {
  /** Learned question → path examples for this KB; optional, they refine the zero-shot score. */
  model?: RelationModel;
  /** The sentence encoder, for matching questions to the KB's relations by meaning. */
  encoder?: VectorEncoder;
  known?: (word: string) => boolean;
}

export class KbqaRoute {
  readonly graph: KbGraph;
  readonly linker: EntityLinker;
  readonly lexicon: KbLexicon;
  private readonly planner: Planner;
  private readonly known: ((word: string) => boolean) | undefined;

  constructor(
    private readonly store: RdfStore,
    index: Pick<KbIndex, 'graph' | 'linker' | 'lexicon'>,
    opts: RouteOptions = {},
  ) {
    this.graph = index.graph;
    this.linker = index.linker;
    this.lexicon = index.lexicon;
    this.known = opts.known;
    this.planner = new Planner({
      graph: this.graph,
      lexicon: this.lexicon,
      ...(opts.encoder ? { scorer: new PhraseScorer(opts.encoder) } : {}),
      ...(opts.model ? { model: opts.model } : {}),
      known: opts.known ?? (() => false),
    });
  }

  /** Reads the KB's edges, names, string values and vocabulary once. */
  static async index(store: RdfStore, opts: IndexOptions = {}): Promise<KbIndex> {
    const names = [...NAME_PREDICATES, ...(opts.labelProperties ?? [])];
    const graph = await KbGraph.fromStore(store, names);
    const labels = await EntityLinker.readLabels(store, names);
    const values: LabelEntry[] = [];
    for (const value of graph.stringValues()) {
      if (value.length <= MAX_VALUE_LENGTH && /\p{L}/u.test(value)) {
        values.push({ iri: literalNode(value), label: value, value: true });
      }
    }
    const linker = new EntityLinker([...labels, ...values], {
      degree: (iri) => graph.degree(iri),
      ...(opts.known ? { known: opts.known } : {}),
      // A class or a relation named in a question is a cue to the reading, not its topic.
      accept: (iri) => !graph.isClass(iri) && !graph.isPredicate(iri),
    });
    const declared = new Map<string, { domain?: string; range?: string }>();
    for (const p of graph.predicates) {
      const domain = graph.step([p], { predicate: RDFS_DOMAIN, inverse: false });
      const range = graph.step([p], { predicate: RDFS_RANGE, inverse: false });
      const [d] = domain;
      const [r] = range;
      if (d || r) declared.set(p, { ...(d ? { domain: d } : {}), ...(r ? { range: r } : {}) });
    }
    const lexicon = new KbLexicon(graph, (iri) => linker.labelsOf(iri), declared);
    return { graph, linker, lexicon, labelled: new Set(labels.map((l) => l.iri)).size };
  }

  /** A value as shown to a person: digits grouped, with the predicate's unit; dates written out. */
  private display(term: SparqlTerm, predicate: string | undefined, yearOnly = false): string {
    const unit = predicate ? this.graph.units.get(predicate) : undefined;
    const type = term.datatype?.slice(XSD.length);
    if (term.datatype?.startsWith(XSD) && type && NUMERIC.has(type) && Number.isFinite(Number(term.value))) {
      // A year is written as a year ("1774", not "1,774").
      const year =
        predicate !== undefined && this.lexicon.pathWords([{ predicate, inverse: false }]).includes('year');
      const n = year ? term.value : NUMBER_FORMAT.format(Number(term.value));
      return unit ? `${n} ${unit}` : n;
    }
    if (type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(term.value)) {
      if (yearOnly) return term.value.slice(0, 4);
      return DATE_FORMAT.format(new Date(`${term.value}T00:00:00Z`));
    }
    return term.value;
  }

  private term(node: string): NodeTerm {
    return nodeTerm(this.graph.termOf(node));
  }

  /** Numbers in the question that are values in the KB ("atomic number 79"). */
  private numberMentions(question: string, taken: readonly Mention[]): Mention[] {
    const out: Mention[] = [];
    for (const m of question.matchAll(/(?<![\p{L}\p{N}.])\d+(?:\.\d+)?(?![\p{L}\p{N}])/gu)) {
      const [start, end] = [m.index, m.index + m[0].length];
      if (taken.some((t) => t.start < end && start < t.end)) continue;
      const node = literalNode(m[0]);
      if (!this.graph.has(node)) continue;
      out.push({
        start,
        end,
        text: m[0],
        candidates: [{ mention: m[0], start, end, iri: node, label: m[0], score: 0.8 }],
      });
    }
    return out;
  }

  /** Second topics for "both X and Y": other mentions from which the same path starts. */
  private alsoFrom(
    question: string,
    mentions: readonly Mention[],
    plan: { mention: Mention; path: RelationPath; topic: LinkedEntity },
  ): LinkedEntity[] {
    if (!BOTH_Q.test(question)) return [];
    const first = plan.path[0];
    const out: LinkedEntity[] = [];
    for (const m of mentions) {
      const e = m.candidates[0];
      if (m === plan.mention || !e || !first || e.iri === plan.topic.iri) continue;
      if (this.graph.hasHop(e.iri, first)) out.push(e);
    }
    return out.slice(0, 1);
  }

  /**
   * For "both X and Y", the question as the one-topic question reads: the pair becomes one
   * masked topic, so the wording is the one the paths were learned or named for.
   */
  private bothAsOne(
    question: string,
    mentions: readonly Mention[],
  ): { question: string; mentions: Mention[] } | undefined {
    if (!BOTH_Q.test(question)) return undefined;
    const pair = [...mentions].filter((m) => m.candidates.length > 0).sort((a, b) => a.start - b.start);
    for (let i = 0; i + 1 < pair.length; i++) {
      const [a, b] = [pair[i] as Mention, pair[i + 1] as Mention];
      if (!/^\s*(?:and|&)\s*$/i.test(question.slice(a.end, b.start))) continue;
      const before = question.slice(0, a.start).replace(/\bboth\s+$/i, '');
      const rewritten = `${before}${a.text}${question.slice(b.end)}`;
      return {
        question: rewritten,
        mentions: [{ ...a, start: before.length, end: before.length + a.text.length }],
      };
    }
    return undefined;
  }

  async answer(question: string, opts: KbqaOptions = {}): Promise<KbqaResult> {
    const linked = opts.topicSpan
      ? [this.linker.linkSpan(question, opts.topicSpan[0], opts.topicSpan[1])]
      : this.linker.link(question);
    const mentions = opts.topicSpan ? linked : [...linked, ...this.numberMentions(question, linked)];
    const entities = mentions.flatMap((m) => m.candidates.slice(0, 1));
    const reading = readQuestion(question, this.known);
    const both = this.bothAsOne(question, mentions);
    const [best] = both
      ? await this.planner.interpret(both.question, both.mentions, reading)
      : await this.planner.interpret(question, mentions, reading);
    if (!best) return { candidates: [], entities, sparqlMs: 0 };
    const qopts = opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs };
    const t0 = performance.now();
    const score = Math.min(0.99, Math.max(0.01, best.score));
    const run = await this.execute(best, question, mentions, opts.limit ?? 100, qopts);
    const sparqlMs = performance.now() - t0;
    const evidence = { kind: 'sparql' as const, query: run.query, entities: run.linked, rows: run.rows };
    const candidates: Candidate[] = run.answers.map((a) => ({ ...a, score, route: 'kbqa', evidence }));
    return { candidates, query: run.query, entities, sparqlMs, reading: best.reading };
  }

  private async execute(
    best: Interpretation,
    question: string,
    mentions: readonly Mention[],
    limit: number,
    qopts: { timeoutMs?: number },
  ): Promise<{
    query: string;
    linked: LinkedEntity[];
    rows: number;
    answers: Array<{ text: string; value: string }>;
  }> {
    const yesNo = async (query: string, linked: LinkedEntity[]) => {
      const text = (await this.store.ask(query, qopts)) ? 'yes' : 'no';
      return { query, linked, rows: 1, answers: [{ text, value: text }] };
    };
    const count = async (query: string, linked: LinkedEntity[]) => {
      const rows = await this.store.select(query, qopts);
      const n = rows[0]?.count?.value ?? '0';
      return { query, linked, rows: rows.length, answers: [{ text: n, value: n }] };
    };
    // "What year …" asks for a year: a date answers it with its year alone.
    const yearOnly = ASKS_YEAR.test(question);
    const list = async (query: string, linked: LinkedEntity[], valuePredicate?: string) => {
      const rows = await this.store.select(query, qopts);
      const seen = new Set<string>();
      const answers: Array<{ text: string; value: string }> = [];
      for (const r of rows) {
        if (!r.answer || seen.has(r.answer.value)) continue;
        seen.add(r.answer.value);
        const text =
          r.label?.value ??
          (r.answer.type === 'uri' ? r.answer.value : this.display(r.answer, valuePredicate, yearOnly));
        answers.push({ text, value: r.answer.value });
      }
      return { query, linked, rows: rows.length, answers };
    };

    if (best.kind === 'compare') {
      const [a, b] = best.items;
      const { predicate, descending } = best.order;
      if (best.yesNo)
        return yesNo(toSparql(compareAskQuery(this.term(a.iri), this.term(b.iri), predicate, descending)), [
          a,
          b,
        ]);
      return list(toSparql(compareQuery([this.term(a.iri), this.term(b.iri)], predicate, descending)), [
        a,
        b,
      ]);
    }
    if (best.kind === 'class') {
      if (best.aggregate === 'count') return count(toSparql(classCountQuery(best.type)), []);
      if (best.aggregate) {
        return list(
          toSparql(classSuperlativeQuery(best.type, best.aggregate.predicate, best.aggregate.descending)),
          [],
        );
      }
      return list(toSparql(classListQuery(best.type, limit)), []);
    }
    if (best.kind === 'ask') {
      const w: Walk = { topics: [this.term(best.topic.iri)], path: best.path };
      return yesNo(toSparql(askQuery(w, this.term(best.target.iri))), [best.topic, best.target]);
    }
    const also = this.alsoFrom(question, mentions, best);
    const w: Walk = {
      topics: [best.topic, ...also].map((e) => this.term(e.iri)),
      path: best.path,
      ...(best.type ? { type: best.type } : {}),
    };
    const linked = [best.topic, ...also];
    if (best.aggregate === 'count') return count(toSparql(countQuery(w)), linked);
    if (best.aggregate) {
      return list(toSparql(superlativeQuery(w, best.aggregate.predicate, best.aggregate.descending)), linked);
    }
    const last = best.path[best.path.length - 1];
    return list(toSparql(listQuery(w, limit)), linked, last?.predicate);
  }
}
