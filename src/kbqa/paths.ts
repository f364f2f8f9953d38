/**
 * Relation paths: sequences of up to three hops, each a predicate walked forwards (subject →
 * object) or backwards. Training questions are labelled with the path that best reaches their
 * gold answers from the topic entity, found over an in-memory copy of the KB's entity edges.
 */

import { bgp, filter, iri, op, select, toSparql, triple, v } from './sparql.js';
import type { RdfStore } from './store.js';
import {
  DESCRIPTION_PREDICATES,
  NAME_PREDICATES,
  RDF_TYPE,
  RDFS_SUBCLASS_OF,
  SCHEMA_PREDICATES,
  SCHEMA_UNIT_TEXT,
} from './vocab.js';

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

/** What a literal-valued predicate holds, by the datatypes of most of its values. */
export type ValueKind = 'number' | 'date' | 'string';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const NUMERIC_TYPES = new Set(
  [
    'integer',
    'decimal',
    'double',
    'float',
    'long',
    'int',
    'short',
    'nonNegativeInteger',
    'positiveInteger',
    'negativeInteger',
    'nonPositiveInteger',
    'unsignedInt',
    'unsignedLong',
  ].map((t) => XSD + t),
);
const DATE_TYPES = new Set(['date', 'dateTime', 'gYear', 'gYearMonth'].map((t) => XSD + t));

function kindOf(datatype: string | undefined): ValueKind {
  if (datatype && NUMERIC_TYPES.has(datatype)) return 'number';
  if (datatype && DATE_TYPES.has(datatype)) return 'date';
  return 'string';
}

/**
 * The KB's edges, indexed both ways: entity to entity, and entity to literal value (numbers,
 * dates, strings), names left out — they are the linker's. Units declared on predicates
 * (`schema:unitText`) are kept to show values with; descriptions (`rdfs:comment`) of predicates
 * and classes are kept to read their meaning from.
 */
export class KbGraph {
  private readonly out = new Map<string, Array<[number, string]>>();
  private readonly in = new Map<string, Array<[number, string]>>();
  readonly predicates: string[] = [];
  /** Unit symbol or name per predicate ("km²"). */
  readonly units = new Map<string, string>();
  /** Classes (objects of rdf:type) by their lower-cased local name ("country"). */
  readonly classes = new Map<string, string>();
  /** Per literal-valued predicate, how many of its values are numbers, dates and strings. */
  private readonly kinds = new Map<string, Record<ValueKind, number>>();
  /** Descriptions (rdfs:comment and the like) of any node, for predicates and classes. */
  readonly descriptions = new Map<string, string>();
  private readonly predicateIndex = new Map<string, number>();

  add(s: string, p: string, o: string): void {
    if (p === RDF_TYPE) this.classes.set((o.split(/[/#]/).pop() ?? '').toLowerCase(), o);
    if (p === RDFS_SUBCLASS_OF) {
      this.classes.set((s.split(/[/#]/).pop() ?? '').toLowerCase(), s);
      this.classes.set((o.split(/[/#]/).pop() ?? '').toLowerCase(), o);
    }
    let pi = this.predicateIndex.get(p);
    if (pi === undefined) {
      pi = this.predicates.push(p) - 1;
      this.predicateIndex.set(p, pi);
    }
    const push = (m: Map<string, Array<[number, string]>>, k: string, e: [number, string]): void => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    push(this.out, s, [pi, o]);
    push(this.in, o, [pi, s]);
  }

  /** A literal node's datatype and language, to write it back into a query exactly. */
  private readonly literalTypes = new Map<string, { datatype?: string; lang?: string }>();

  /** A literal value of `p`, with its datatype: counted for `valueKind`. */
  addValue(s: string, p: string, lexical: string, datatype?: string, lang?: string): void {
    const node = literalNode(lexical);
    if (!this.literalTypes.has(node) && (datatype || lang)) {
      this.literalTypes.set(node, { ...(datatype ? { datatype } : {}), ...(lang ? { lang } : {}) });
    }
    const counts = this.kinds.get(p) ?? { number: 0, date: 0, string: 0 };
    counts[kindOf(datatype)]++;
    this.kinds.set(p, counts);
    this.add(s, p, node);
  }

  /** A node as an RDF term: an IRI, or a literal with the datatype or language it was loaded with. */
  termOf(
    node: string,
  ): { kind: 'iri'; value: string } | { kind: 'literal'; value: string; datatype?: string; lang?: string } {
    if (!node.startsWith('"')) return { kind: 'iri', value: node };
    return { kind: 'literal', value: node.slice(1), ...this.literalTypes.get(node) };
  }

  /** String values (not numbers or dates) with the predicates that hold them, for linking. */
  *stringValues(): Generator<string> {
    for (const [node, edges] of this.in) {
      if (!node.startsWith('"')) continue;
      if (edges.some(([p]) => this.valueKind(this.predicates[p] ?? '') === 'string')) yield node.slice(1);
    }
  }

  /** What most values of a literal-valued predicate are; undefined for entity-valued ones. */
  valueKind(p: string): ValueKind | undefined {
    const c = this.kinds.get(p);
    if (!c) return undefined;
    if (c.number >= c.date && c.number >= c.string) return 'number';
    return c.date >= c.string ? 'date' : 'string';
  }

  static async fromStore(store: RdfStore, names: readonly string[] = NAME_PREDICATES): Promise<KbGraph> {
    const o = v('o');
    const q = select(
      [v('s'), v('p'), o],
      [
        bgp([triple(v('s'), v('p'), o)]),
        filter(op('||', op('isiri', o), op('&&', op('isliteral', o), op('notin', v('p'), names.map(iri))))),
      ],
    );
    const g = new KbGraph();
    for (const row of await store.select(toSparql(q))) {
      if (!row.s || !row.p || !row.o) continue;
      const p = row.p.value;
      if (row.o.type === 'uri') g.add(row.s.value, p, row.o.value);
      else if (p === SCHEMA_UNIT_TEXT) g.units.set(row.s.value, row.o.value);
      else if (DESCRIPTION_PREDICATES.includes(p)) g.descriptions.set(row.s.value, row.o.value);
      else if (!SCHEMA_PREDICATES.has(p))
        g.addValue(row.s.value, p, row.o.value, row.o.datatype, row.o['xml:lang']);
    }
    return g;
  }

  /** Classes of a node (rdf:type). */
  typesOf(node: string): string[] {
    const ti = this.predicateIndex.get(RDF_TYPE);
    return (this.out.get(node) ?? []).filter(([p]) => p === ti).map(([, c]) => c);
  }

  /** `start` and every node reached from it along `predicate` (forwards or backwards), transitively. */
  private closure(start: string, predicate: string, backwards: boolean): Set<string> {
    const pi = this.predicateIndex.get(predicate);
    const seen = new Set([start]);
    const todo = [start];
    for (let c = todo.pop(); c !== undefined; c = todo.pop()) {
      for (const [p, next] of (backwards ? this.in : this.out).get(c) ?? []) {
        if (p === pi && !seen.has(next)) {
          seen.add(next);
          todo.push(next);
        }
      }
    }
    return seen;
  }

  /** A class and every class above it (rdfs:subClassOf, transitively). */
  superClasses(cls: string): Set<string> {
    return this.closure(cls, RDFS_SUBCLASS_OF, false);
  }

  /** Whether `node` is an instance of `cls` or of a class below it. */
  isA(node: string, cls: string): boolean {
    return this.typesOf(node).some((t) => t === cls || this.superClasses(t).has(cls));
  }

  /** Instances of `cls` and of every class below it. */
  instancesOf(cls: string): Set<string> {
    const ti = this.predicateIndex.get(RDF_TYPE);
    const classes = this.closure(cls, RDFS_SUBCLASS_OF, true);
    const out = new Set<string>();
    for (const c of classes) for (const [p, n] of this.in.get(c) ?? []) if (p === ti) out.add(n);
    return out;
  }

  /** Whether the node is used as a class (typed instances or a place in the class tree). */
  isClass(node: string): boolean {
    const ti = this.predicateIndex.get(RDF_TYPE);
    const si = this.predicateIndex.get(RDFS_SUBCLASS_OF);
    return (
      (this.in.get(node) ?? []).some(([p]) => p === ti || p === si) ||
      (this.out.get(node) ?? []).some(([p]) => p === si)
    );
  }

  /** Whether the IRI is used as a predicate. */
  isPredicate(node: string): boolean {
    return this.predicateIndex.has(node);
  }

  private census?: Map<number, { subjects: Map<string, number>; objects: Map<string, number> }>;

  /**
   * The class most subjects (or, with `objects`, most objects) of `p` are instances of: what the
   * data says a predicate's domain and range are, for KBs that declare neither.
   */
  commonClass(p: string, objects: boolean): string | undefined {
    if (!this.census) {
      this.census = new Map();
      const ti = this.predicateIndex.get(RDF_TYPE);
      const bump = (m: Map<string, number>, node: string): void => {
        for (const t of this.typesOf(node)) m.set(t, (m.get(t) ?? 0) + 1);
      };
      for (const [s, edges] of this.out) {
        for (const [pi, o] of edges) {
          if (pi === ti) continue;
          let c = this.census.get(pi);
          if (!c) {
            c = { subjects: new Map(), objects: new Map() };
            this.census.set(pi, c);
          }
          bump(c.subjects, s);
          if (!o.startsWith('"')) bump(c.objects, o);
        }
      }
    }
    const pi = this.predicateIndex.get(p);
    const counts = pi === undefined ? undefined : this.census.get(pi)?.[objects ? 'objects' : 'subjects'];
    let best: string | undefined;
    let n = 0;
    for (const [c, k] of counts ?? []) {
      if (k > n) {
        best = c;
        n = k;
      }
    }
    return best;
  }

  private byPredicate?: Map<number, { subjects: Set<string>; objects: Set<string> }>;

  /** Who uses each predicate, gathered once in one pass over the edges. */
  private usage(p: string): { subjects: Set<string>; objects: Set<string> } | undefined {
    if (!this.byPredicate) {
      this.byPredicate = new Map();
      for (const [s, edges] of this.out) {
        for (const [pi, o] of edges) {
          let u = this.byPredicate.get(pi);
          if (!u) {
            u = { subjects: new Set(), objects: new Set() };
            this.byPredicate.set(pi, u);
          }
          u.subjects.add(s);
          u.objects.add(o);
        }
      }
    }
    const pi = this.predicateIndex.get(p);
    return pi === undefined ? undefined : this.byPredicate.get(pi);
  }

  /** The things that have `p`, in the order they were loaded. */
  subjectsOf(p: string): string[] {
    return [...(this.usage(p)?.subjects ?? [])];
  }

  /** The things (not values) that `p` points to. */
  objectsOf(p: string): string[] {
    return [...(this.usage(p)?.objects ?? [])].filter((o) => !o.startsWith('"'));
  }

  /** Whether the node has any edge. */
  has(node: string): boolean {
    return this.out.has(node) || this.in.has(node);
  }

  /** The values of a literal-valued predicate on `node`, as lexical forms. */
  valuesOf(node: string, predicate: string): string[] {
    const pi = this.predicateIndex.get(predicate);
    return (this.out.get(node) ?? [])
      .filter(([p, o]) => p === pi && o.startsWith('"'))
      .map(([, o]) => o.slice(1));
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
    const pi = this.predicateIndex.get(hop.predicate);
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
    const pi = this.predicateIndex.get(hop.predicate);
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
