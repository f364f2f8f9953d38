/**
 * Question patterns → SPARQL, always as a sparqljs AST: the topic entity enters as an IRI, a
 * relation path as triple patterns, and nothing a user typed is ever pasted into query text.
 */
import type sparqljs from 'sparqljs';
import type { RelationPath } from './paths.js';
import { ask, bgp, countAs, filter, iri, lit, op, select, triple, v } from './sparql.js';
import { RDF_TYPE, RDFS_LABEL, RDFS_SUBCLASS_OF } from './vocab.js';

/** A KB node as a query term: an IRI, or a literal written back with its datatype or language. */
export type NodeTerm = sparqljs.IriTerm | sparqljs.LiteralTerm;

export function nodeTerm(
  t: { kind: 'iri'; value: string } | { kind: 'literal'; value: string; datatype?: string; lang?: string },
): NodeTerm {
  if (t.kind === 'iri') return iri(t.value);
  return lit(t.value, t.lang ?? t.datatype);
}

export const ANSWER = v('answer');
export const LABEL_VAR = v('label');
export const COUNT = v('count');
export const VALUE = v('value');

/**
 * What a question walks: from each topic along the same path to one ?answer — two topics make an
 * intersection ("countries bordering both China and India") — optionally only answers of a class.
 */
export interface Walk {
  topics: readonly NodeTerm[];
  path: RelationPath;
  /** rdf:type the answers must have ("how many countries ..." leaves out dependencies). */
  type?: string;
}

/** Triple patterns from `topic` along `path` to ?answer, through ?{prefix}1, ?{prefix}2, ... */
function walkFrom(topic: NodeTerm, path: RelationPath, prefix: string): sparqljs.Pattern[] {
  const triples: sparqljs.Triple[] = [];
  const filters: sparqljs.FilterPattern[] = [];
  let from: NodeTerm | sparqljs.VariableTerm = topic;
  path.forEach((hop, i) => {
    const to = i === path.length - 1 ? ANSWER : v(`${prefix}${i + 1}`);
    if (hop.inverse) triples.push(triple(to, iri(hop.predicate), from));
    else if (from.termType !== 'Literal') triples.push(triple(from, iri(hop.predicate), to));
    // The walk never returns through the topic: "co-stars of X" is not X, and "films sharing a
    // director with X" are other films than X.
    if (from.termType !== 'Literal' || hop.inverse) filters.push(filter(op('!=', to, topic)));
    from = to;
  });
  return [bgp(triples), ...filters];
}

/** `?x rdf:type/rdfs:subClassOf* <cls>`: instances of the class or of any class below it. */
function instanceOf(x: sparqljs.VariableTerm, cls: string): sparqljs.BgpPattern {
  const path: sparqljs.PropertyPath = {
    type: 'path',
    pathType: '/',
    items: [iri(RDF_TYPE), { type: 'path', pathType: '*', items: [iri(RDFS_SUBCLASS_OF)] }],
  };
  return bgp([{ subject: x, predicate: path, object: iri(cls) }]);
}

function walk(w: Walk): sparqljs.Pattern[] {
  const patterns = w.topics.flatMap((t, i) => walkFrom(t, w.path, `x${i > 0 ? `${i}_` : ''}`));
  return w.type ? [...patterns, instanceOf(ANSWER, w.type)] : patterns;
}

function withLabel(patterns: sparqljs.Pattern[]): sparqljs.Pattern[] {
  return [...patterns, { type: 'optional', patterns: [bgp([triple(ANSWER, iri(RDFS_LABEL), LABEL_VAR)])] }];
}

/** The entities (or values) a walk reaches, with their labels. */
export function listQuery(w: Walk, limit = 100): sparqljs.SelectQuery {
  return select([ANSWER, LABEL_VAR], withLabel(walk(w)), {
    distinct: true,
    limit,
    order: [{ expression: ANSWER }],
  });
}

/** "How many ...": the number of distinct answers. */
export function countQuery(w: Walk): sparqljs.SelectQuery {
  return select([countAs(ANSWER, COUNT)], walk(w));
}

/** Yes/no: does the walk reach `target`? */
export function askQuery(w: Walk, target: NodeTerm): sparqljs.AskQuery {
  return ask([...walk(w), filter(op('=', ANSWER, target))]);
}

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const ORDERED_TYPES = ['date', 'dateTime', 'gYear', 'gYearMonth'].map((t) => iri(XSD + t));
/** Only numbers and dates are put in order ("Ancient" among years is left out). */
const ORDERABLE = filter(op('||', op('isnumeric', VALUE), op('in', op('datatype', VALUE), ORDERED_TYPES)));

/** The answers of `patterns` in order of a property's value, first the highest (or lowest). */
function ordered(
  patterns: sparqljs.Pattern[],
  valuePredicate: string,
  descending: boolean,
  limit: number,
): sparqljs.SelectQuery {
  return select(
    [ANSWER, LABEL_VAR, VALUE],
    withLabel([...patterns, bgp([triple(ANSWER, iri(valuePredicate), VALUE)]), ORDERABLE]),
    {
      order: [{ expression: VALUE, descending }],
      limit,
    },
  );
}

/** "Largest/most recent ...": the answer with the highest (or lowest) numeric or date value. */
export function superlativeQuery(w: Walk, valuePredicate: string, descending: boolean): sparqljs.SelectQuery {
  return ordered(walk(w), valuePredicate, descending, 1);
}

/** Instances of a class (and its subclasses). */
export function classListQuery(cls: string, limit = 100): sparqljs.SelectQuery {
  return select([ANSWER, LABEL_VAR], withLabel([instanceOf(ANSWER, cls)]), {
    distinct: true,
    limit,
    order: [{ expression: ANSWER }],
  });
}

export function classCountQuery(cls: string): sparqljs.SelectQuery {
  return select([countAs(ANSWER, COUNT)], [instanceOf(ANSWER, cls)]);
}

/** "The heaviest element": the instance of a class with the highest (or lowest) value. */
export function classSuperlativeQuery(
  cls: string,
  valuePredicate: string,
  descending: boolean,
): sparqljs.SelectQuery {
  return ordered([instanceOf(ANSWER, cls)], valuePredicate, descending, 1);
}

/** "Which is bigger, A or B": the one of `items` with the higher (or lower) value. */
export function compareQuery(
  items: readonly NodeTerm[],
  valuePredicate: string,
  descending: boolean,
): sparqljs.SelectQuery {
  const values: sparqljs.ValuesPattern = {
    type: 'values',
    values: items.map((t) => ({ '?answer': t as sparqljs.IriTerm })),
  };
  return ordered([values], valuePredicate, descending, 1);
}

/** "Is A larger than B": is A's value above (or below) B's? */
export function compareAskQuery(
  a: NodeTerm,
  b: NodeTerm,
  valuePredicate: string,
  above: boolean,
): sparqljs.AskQuery {
  const [va, vb] = [v('a'), v('b')];
  return ask([
    bgp([
      triple(a as sparqljs.IriTerm, iri(valuePredicate), va),
      triple(b as sparqljs.IriTerm, iri(valuePredicate), vb),
    ]),
    filter(op(above ? '>' : '<', va, vb)),
  ]);
}

/** Entities whose label is exactly `label` (a user's text, so only ever a literal). */
export function byLabelQuery(label: string): sparqljs.SelectQuery {
  return select([ANSWER], [bgp([triple(ANSWER, iri(RDFS_LABEL), lit(label))])]);
}
