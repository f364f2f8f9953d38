/**
 * Relation paths: sequences of up to three hops, each a predicate walked forwards (subject →
 * object) or backwards. Training questions are labelled with the path that best reaches their
 * gold answers from the topic entity, found over an in-memory copy of the KB's entity edges.
 */

import { bgp, filter, iri, op, select, toSparql, triple, v } from './sparql.js';
import type { RdfStore } from './store.js';
import { NAME_PREDICATES, RDF_TYPE, SCHEMA_UNIT_TEXT } from './vocab.js';

export interface Hop {
  predicate: string;
  inverse: boolean;
}

export type RelationPath = Hop[];

export function pathKey(path: RelationPath): string {
  return path.map((h) => `${h.inverse ? '^' : ''}<${h.predicate}>`).join('/');
}

export function parsePathKey(key: string): RelationPath {
  return [...key.matchAll(/(\^?)<([^>]+)>/g)].map((m) => ({ predicate: m[2] ?? '', inverse: m[1] === '^' }));
}

/**
 * A literal value as a graph node: its lexical form behind a quote, which no IRI starts with, so
 * "45925301" (a population) can be a path's end and a training answer like any entity.
 */
export function literalNode(lexical: string): string {
  return `"${lexical}`;
}

/**
 * The KB's edges, indexed both ways: entity to entity, and entity to literal value (numbers,
 * dates, strings), names left out — they are the linker's. Units declared on predicates
 * (`schema:unitText`) are kept to show values with.
 */
export class KbGraph {
  private readonly out = new Map<string, Array<[number, string]>>();
  private readonly in = new Map<string, Array<[number, string]>>();
  readonly predicates: string[] = [];
  /** Predicates with literal values. */
  readonly literalPredicates = new Set<string>();
  /** Unit symbol or name per predicate ("km²"). */
  readonly units = new Map<string, string>();
  /** Classes (objects of rdf:type) by their lower-cased local name ("country"). */
  readonly classes = new Map<string, string>();

  add(s: string, p: string, o: string): void {
    if (p === RDF_TYPE) this.classes.set((o.split(/[/#]/).pop() ?? '').toLowerCase(), o);
    let pi = this.predicates.indexOf(p);
    if (pi < 0) pi = this.predicates.push(p) - 1;
    const push = (m: Map<string, Array<[number, string]>>, k: string, e: [number, string]): void => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    push(this.out, s, [pi, o]);
    push(this.in, o, [pi, s]);
  }

  static async fromStore(store: RdfStore): Promise<KbGraph> {
    const o = v('o');
    const q = select(
      [v('s'), v('p'), o],
      [
        bgp([triple(v('s'), v('p'), o)]),
        filter(
          op(
            '||',
            op('isiri', o),
            op('&&', op('isliteral', o), op('notin', v('p'), NAME_PREDICATES.map(iri))),
          ),
        ),
      ],
    );
    const g = new KbGraph();
    for (const row of await store.select(toSparql(q))) {
      if (!row.s || !row.p || !row.o) continue;
      if (row.o.type === 'uri') g.add(row.s.value, row.p.value, row.o.value);
      else if (row.p.value === SCHEMA_UNIT_TEXT) g.units.set(row.s.value, row.o.value);
      else {
        g.literalPredicates.add(row.p.value);
        g.add(row.s.value, row.p.value, literalNode(row.o.value));
      }
    }
    return g;
  }

  /** Classes of a node (rdf:type). */
  typesOf(node: string): string[] {
    const ti = this.predicates.indexOf(RDF_TYPE);
    return (this.out.get(node) ?? []).filter(([p]) => p === ti).map(([, c]) => c);
  }

  /** The nodes a path reaches from `topic`, never through the topic again (as translate.ts walks). */
  reach(topic: string, path: RelationPath): Set<string> {
    let nodes = new Set([topic]);
    for (const hop of path) {
      nodes = this.step(nodes, hop);
      nodes.delete(topic);
    }
    return nodes;
  }

  degree(node: string): number {
    return (this.out.get(node)?.length ?? 0) + (this.in.get(node)?.length ?? 0);
  }

  /** Whether `hop` can be taken from `node` (a path starting with it fits the entity). */
  hasHop(node: string, hop: Hop): boolean {
    const pi = this.predicates.indexOf(hop.predicate);
    return (hop.inverse ? this.in : this.out).get(node)?.some(([p]) => p === pi) ?? false;
  }

  /** Hops that can be taken from `node`. */
  hopsFrom(node: string): Hop[] {
    const seen = new Map<string, Hop>();
    for (const [p] of this.out.get(node) ?? [])
      seen.set(`${p}`, { predicate: this.predicates[p] ?? '', inverse: false });
    for (const [p] of this.in.get(node) ?? [])
      seen.set(`^${p}`, { predicate: this.predicates[p] ?? '', inverse: true });
    return [...seen.values()];
  }

  step(nodes: Iterable<string>, hop: Hop): Set<string> {
    const pi = this.predicates.indexOf(hop.predicate);
    const out = new Set<string>();
    for (const n of nodes) {
      for (const [p, m] of (hop.inverse ? this.in : this.out).get(n) ?? []) if (p === pi) out.add(m);
    }
    return out;
  }
}

function f1(found: ReadonlySet<string>, gold: ReadonlySet<string>): number {
  let same = 0;
  for (const g of gold) if (found.has(g)) same++;
  if (same === 0) return 0;
  const p = same / found.size;
  const r = same / gold.size;
  return (2 * p * r) / (p + r);
}

/**
 * The paths (≤ maxHops) whose answers best match `gold` by F1 — several when they tie, as when a
 * film's director also wrote it — searched level by level so the search stops at the shortest
 * perfect paths. Frontiers larger than `maxFrontier` (hubs such as
 * a genre) are not expanded further. Walks never
 * pass through the topic again (see translate.ts).
 */
export function bestPath(
  g: KbGraph,
  topic: string,
  gold: ReadonlySet<string>,
  maxHops = 3,
  maxFrontier = 20_000,
): { paths: RelationPath[]; f1: number } | undefined {
  let best: { paths: RelationPath[]; f1: number } | undefined;
  let level: Array<{ frontier: Set<string>; path: RelationPath }> = [
    { frontier: new Set([topic]), path: [] },
  ];
  for (let depth = 1; depth <= maxHops && best?.f1 !== 1; depth++) {
    const next: typeof level = [];
    for (const { frontier, path } of level) {
      if (frontier.size > maxFrontier) continue;
      const hops = new Map<string, Hop>();
      for (const n of frontier) for (const h of g.hopsFrom(n)) hops.set(pathKey([h]), h);
      for (const hop of hops.values()) {
        const reached = g.step(frontier, hop);
        reached.delete(topic);
        const score = f1(reached, gold);
        if (score > 0 && score === best?.f1 && best.paths[0]?.length === depth)
          best.paths.push([...path, hop]);
        else if (score > (best?.f1 ?? 0)) best = { paths: [[...path, hop]], f1: score };
        next.push({ frontier: reached, path: [...path, hop] });
      }
    }
    level = next;
  }
  return best;
}
