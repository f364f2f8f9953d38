/**
 * The KBQA route: link the topic entity, predict the relation path, build the SPARQL query,
 * run it, and return the answers with the query as evidence — or nothing when the KB has none.
 */
import type { Candidate, LinkedEntity } from '../core/types.js';
import { EntityLinker, type Mention } from './link.js';
import { KbGraph, parsePathKey, type RelationPath } from './paths.js';
import { maskMention, type RelationModel } from './relation-model.js';
import { toSparql } from './sparql.js';
import type { RdfStore } from './store.js';
import { askQuery, countQuery, listQuery, orderablePropertiesQuery, superlativeQuery } from './translate.js';

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

const COUNT_Q = /^\s*how many\b/i;

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
   * The best (entity, path) pair: mentions longest first, each mention's candidates in order,
   * paths by the model's vote; an entity must have the path's first hop (type compatibility).
   */
  private plan(
    question: string,
    mentions: Mention[],
  ): { entity: LinkedEntity; path: RelationPath; score: number; mention: Mention } | undefined {
    for (const m of mentions) {
      const predictions = this.model.predict(maskMention(question, m.start, m.end));
      for (const entity of m.candidates) {
        const hops = new Set(
          this.graph.hopsFrom(entity.iri).map((h) => `${h.inverse ? '^' : ''}${h.predicate}`),
        );
        for (const p of predictions) {
          const path = parsePathKey(p.path);
          const first = path[0];
          if (first && hops.has(`${first.inverse ? '^' : ''}${first.predicate}`)) {
            return { entity, path, score: entity.score * p.score, mention: m };
          }
        }
      }
    }
    return undefined;
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
    const linked = [plan.entity];

    if (COUNT_Q.test(question)) {
      const query = toSparql(countQuery(plan.entity.iri, plan.path));
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
      const query = toSparql(askQuery(plan.entity.iri, plan.path, other.iri));
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

    const sup = SUPERLATIVES.find((s) => s.cue.test(question));
    let query = toSparql(listQuery(plan.entity.iri, plan.path, opts.limit ?? 100));
    if (sup) {
      const props = await this.store.select(
        toSparql(orderablePropertiesQuery(plan.entity.iri, plan.path)),
        qopts,
      );
      const names = props.map((r) => r.p?.value ?? '').filter((p) => p !== '');
      const prop = names.find((p) => sup.names.test(p.split(/[/#:]/).pop() ?? '')) ?? names[0];
      if (prop) query = toSparql(superlativeQuery(plan.entity.iri, plan.path, prop, sup.descending));
    }
    const rows = await this.store.select(query, qopts);
    const sparqlMs = ms();
    const evidence = { kind: 'sparql' as const, query, entities: linked, rows: rows.length };
    const seen = new Set<string>();
    const candidates: Candidate[] = [];
    for (const r of rows) {
      if (!r.answer || seen.has(r.answer.value)) continue;
      seen.add(r.answer.value);
      const text = r.label?.value ?? r.answer.value;
      candidates.push({ text, value: r.answer.value, score: plan.score, route: 'kbqa', evidence });
    }
    return { candidates, query, entities, sparqlMs };
  }
}
