/**
 * The KBQA route: link the topic entity, predict the relation path, build the SPARQL query,
 * run it, and return the answers with the query as evidence — or nothing when the KB has none.
 */
import type { Candidate, LinkedEntity } from '../core/types.js';
import { EntityLinker, type Mention } from './link.js';
import { KbGraph, parsePathKey, type RelationPath } from './paths.js';
import { MASK, maskMention, type RelationModel } from './relation-model.js';
import { toSparql } from './sparql.js';
import type { RdfStore, SparqlTerm } from './store.js';
import {
  askQuery,
  countQuery,
  listQuery,
  orderablePropertiesQuery,
  superlativeQuery,
  type Walk,
} from './translate.js';

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
}

/** "How many ...": a count, unless the path ends in a value. */
export const COUNT_Q = /^\s*how many\b/i;

/**
 * Superlative cues: the direction, and words a matching property's name may contain
 * ("most populous" → population). Without a name match, the most used orderable property wins.
 */
const SUPERLATIVES: Array<{ cue: RegExp; descending: boolean; names: RegExp }> = [
  { cue: /\bmost populous|\blargest population/i, descending: true, names: /population|inhabitants/i },
  { cue: /\bleast populous|\bsmallest population/i, descending: false, names: /population|inhabitants/i },
  { cue: /\b(highest|tallest)\b/i, descending: true, names: /elevation|height|altitude/i },
  { cue: /\b(lowest|shortest)\b/i, descending: false, names: /elevation|height|altitude|length/i },
  { cue: /\b(largest|biggest|greatest)\b/i, descending: true, names: /area|population|size/i },
  { cue: /\bsmallest\b/i, descending: false, names: /area|population|size/i },
  { cue: /\b(most recent|latest|newest)\b/i, descending: true, names: /date|year|inception|founded/i },
  { cue: /\b(oldest|earliest|first)\b/i, descending: false, names: /date|year|inception|founded/i },
];
const YES_NO_Q = /^\s*(is|was|are|were|did|does|do|has|have|had)\b/i;
const BOTH_Q = /\bboth\b/i;

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const NUMERIC = new Set(['integer', 'decimal', 'double', 'float', 'long', 'int', 'nonNegativeInteger']);
const NUMBER_FORMAT = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
const DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

export class KbqaRoute {
  constructor(
    private readonly store: RdfStore,
    readonly graph: KbGraph,
    readonly linker: EntityLinker,
    private readonly model: RelationModel,
  ) {}

  /** Reads the KB's edges and labels once. */
  static async index(store: RdfStore): Promise<{ graph: KbGraph; linker: EntityLinker }> {
    const graph = await KbGraph.fromStore(store);
    const linker = await EntityLinker.fromStore(store, (iri) => graph.degree(iri));
    return { graph, linker };
  }

  /**
   * The best (entity, path) pair: mentions longest first, each mention's candidates in order.
   * An entity must have the path's first hop (type compatibility); among the paths it has, the
   * model's vote is renormalised — "which continent is X in" is one path for a country and
   * another for a city — and the path with the most votes wins.
   */
  private plan(
    question: string,
    mentions: Mention[],
  ): { entity: LinkedEntity; path: RelationPath; score: number; mention: Mention } | undefined {
    for (const m of mentions) {
      const predictions = this.model
        .predict(this.masked(question, m, mentions), 5)
        .map((p) => ({ ...p, path: parsePathKey(p.path) }));
      for (const entity of m.candidates) {
        const fits = predictions.filter(({ path: [first] }) => first && this.graph.hasHop(entity.iri, first));
        const best = fits[0];
        if (!best) continue;
        const mass = fits.reduce((sum, p) => sum + p.score, 0);
        // A wording unlike every training question (a question for another route that happens
        // to name a country) weakens the answer however unanimous the vote.
        const score = entity.score * (best.score / mass) * best.similarity;
        return { entity, path: best.path, score, mention: m };
      }
    }
    return undefined;
  }

  /**
   * The question as the relation model sees it: the topic masked; in "both X and Y" the pair
   * becomes one masked topic, so the wording is the one-topic question's.
   */
  private masked(question: string, m: Mention, mentions: Mention[]): string {
    const other = BOTH_Q.test(question)
      ? mentions.find((o) => o !== m && o.candidates.length > 0)
      : undefined;
    if (!other) return maskMention(question, m.start, m.end);
    const [first, second] = m.start < other.start ? [m, other] : [other, m];
    if (second.start < first.end) return maskMention(question, m.start, m.end);
    const text = maskMention(maskMention(question, second.start, second.end), first.start, first.end);
    return text.replace(/\bboth\s+/i, '').replace(new RegExp(`${MASK}\\s+(?:and|&)\\s+${MASK}`), MASK);
  }

  /**
   * The class the question asks for, when it names one ("how many countries") and the path
   * reaches things of other classes too (a continent also holds dependencies).
   */
  private answerType(
    question: string,
    mention: Mention,
    path: RelationPath,
    topic: string,
  ): string | undefined {
    const words = (question.slice(0, mention.start) + question.slice(mention.end))
      .toLowerCase()
      .match(/\p{L}+/gu);
    const named = (words ?? [])
      .flatMap((w) => [w, w.replace(/ies$/, 'y'), w.replace(/s$/, '')])
      .map((w) => this.graph.classes.get(w))
      .find((c) => c !== undefined);
    if (!named) return undefined;
    const reached = [...this.graph.reach(topic, path)];
    const of = reached.filter((n) => this.graph.typesOf(n).includes(named)).length;
    return of > 0 && of < reached.length ? named : undefined;
  }

  /** Second topics for "both X and Y": other mentions from which the same path starts. */
  private alsoFrom(
    question: string,
    mentions: Mention[],
    plan: { mention: Mention; path: RelationPath },
  ): string[] {
    if (!BOTH_Q.test(question)) return [];
    const first = plan.path[0];
    const out: string[] = [];
    for (const m of mentions) {
      const e = m.candidates[0];
      if (m === plan.mention || !e || !first) continue;
      if (this.graph.hasHop(e.iri, first)) out.push(e.iri);
    }
    return out.slice(0, 1);
  }

  /** A value as shown to a person: digits grouped, with the predicate's unit; dates written out. */
  private display(term: SparqlTerm, path: RelationPath): string {
    const last = path[path.length - 1];
    const unit = last ? this.graph.units.get(last.predicate) : undefined;
    const type = term.datatype?.slice(XSD.length);
    if (term.datatype?.startsWith(XSD) && type && NUMERIC.has(type) && Number.isFinite(Number(term.value))) {
      const n = NUMBER_FORMAT.format(Number(term.value));
      return unit ? `${n} ${unit}` : n;
    }
    if (type === 'date' && /^\d{4}-\d{2}-\d{2}$/.test(term.value)) {
      return DATE_FORMAT.format(new Date(`${term.value}T00:00:00Z`));
    }
    return term.value;
  }

  async answer(question: string, opts: KbqaOptions = {}): Promise<KbqaResult> {
    const mentions = opts.topicSpan
      ? [this.linker.linkSpan(question, opts.topicSpan[0], opts.topicSpan[1])]
      : this.linker.link(question);
    const plan = this.plan(question, mentions);
    const entities = mentions.flatMap((m) => m.candidates.slice(0, 1));
    if (!plan) return { candidates: [], entities, sparqlMs: 0 };
    const qopts = opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs };
    const t0 = performance.now();
    const ms = (): number => performance.now() - t0;
    const last = plan.path[plan.path.length - 1];
    // A path ending in a value ("how many people live in X") asks for that value, not a count.
    const asksValue = last !== undefined && this.graph.literalPredicates.has(last.predicate);
    const also = this.alsoFrom(question, mentions, plan);
    const type = asksValue ? undefined : this.answerType(question, plan.mention, plan.path, plan.entity.iri);
    const w: Walk = { topics: [plan.entity.iri, ...also], path: plan.path, ...(type ? { type } : {}) };
    const linked = [plan.entity, ...entities.filter((e) => also.includes(e.iri))];

    if (COUNT_Q.test(question) && !asksValue) {
      const query = toSparql(countQuery(w));
      const rows = await this.store.select(query, qopts);
      const sparqlMs = ms();
      const n = rows[0]?.count?.value ?? '0';
      const evidence = { kind: 'sparql' as const, query, entities: linked, rows: rows.length };
      return {
        candidates: [{ text: n, value: n, score: plan.score, route: 'kbqa', evidence }],
        query,
        entities,
        sparqlMs,
      };
    }

    const other = mentions.find((m) => m !== plan.mention)?.candidates[0];
    if (YES_NO_Q.test(question) && other) {
      const query = toSparql(askQuery(w, other.iri));
      const yes = await this.store.ask(query, qopts);
      const sparqlMs = ms();
      const evidence = { kind: 'sparql' as const, query, entities: [...linked, other], rows: 1 };
      const text = yes ? 'yes' : 'no';
      return {
        candidates: [{ text, value: text, score: plan.score, route: 'kbqa', evidence }],
        query,
        entities,
        sparqlMs,
      };
    }

    const sup = asksValue ? undefined : SUPERLATIVES.find((s) => s.cue.test(question));
    let query = toSparql(listQuery(w, opts.limit ?? 100));
    if (sup) {
      const props = await this.store.select(toSparql(orderablePropertiesQuery(w)), qopts);
      const names = props.map((r) => r.p?.value ?? '').filter((p) => p !== '');
      const prop = names.find((p) => sup.names.test(p.split(/[/#:]/).pop() ?? '')) ?? names[0];
      if (prop) query = toSparql(superlativeQuery(w, prop, sup.descending));
    }
    const rows = await this.store.select(query, qopts);
    const sparqlMs = ms();
    const evidence = { kind: 'sparql' as const, query, entities: linked, rows: rows.length };
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const r of rows) {
      if (!r.answer || seen.has(r.answer.value)) continue;
      seen.add(r.answer.value);
      const text =
        r.label?.value ?? (r.answer.type === 'uri' ? r.answer.value : this.display(r.answer, plan.path));
      candidates.push({ text, value: r.answer.value, score: plan.score, route: 'kbqa', evidence });
    }
    return { candidates, query, entities, sparqlMs };
  }
}
