/**
 * Question patterns → SPARQL, always as a sparqljs AST: the topic entity enters as an IRI, a
 * relation path as triple patterns, and nothing a user typed is ever pasted into query text.
 */
import type sparqljs from 'sparqljs';
import type { RelationPath } from './paths.js';
import { ask, bgp, countAs, filter, iri, lit, op, select, triple, v } from './sparql.js';
import { RDF_TYPE, RDFS_LABEL } from './vocab.js';

export const ANSWER = v('answer');
export const LABEL_VAR = v('label');
export const COUNT = v('count');
export const VALUE = v('value');

/**
 * What a question walks: from each topic along the same path to one ?answer — two topics make an
 * intersection ("countries bordering both China and India") — optionally only answers of a class.
 */
export interface Walk {
  topics: readonly string[];
  path: RelationPath;
  /** rdf:type the answers must have ("how many countries ..." leaves out dependencies). */
  type?: string;
}

/** Triple patterns from `topic` along `path` to ?answer, through ?{prefix}1, ?{prefix}2, ... */
function walkFrom(topic: string, path: RelationPath, prefix: string): sparqljs.Pattern[] {
  const triples: sparqljs.Triple[] = [];
  const filters: sparqljs.FilterPattern[] = [];
  let from: sparqljs.IriTerm | sparqljs.VariableTerm = iri(topic);
  path.forEach((hop, i) => {
    const to = i === path.length - 1 ? ANSWER : v(`${prefix}${i + 1}`);
    triples.push(hop.inverse ? triple(to, iri(hop.predicate), from) : triple(from, iri(hop.predicate), to));
    // The walk never returns through the topic: "co-stars of X" is not X, and "films sharing a
    // director with X" are other films than X.
    filters.push(filter(op('!=', to, iri(topic))));
    from = to;
  });
  return [bgp(triples), ...filters];
}

function walk(w: Walk): sparqljs.Pattern[] {
  const patterns = w.topics.flatMap((t, i) => walkFrom(t, w.path, `x${i > 0 ? `${i}_` : ''}`));
  return w.type ? [...patterns, bgp([triple(ANSWER, iri(RDF_TYPE), iri(w.type))])] : patterns;
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
export function askQuery(w: Walk, target: string): sparqljs.AskQuery {
  return ask([...walk(w), filter(op('=', ANSWER, iri(target)))]);
}

/** "Largest/most recent ...": the answer with the highest (or lowest) numeric or date value. */
export function superlativeQuery(w: Walk, valuePredicate: string, descending: boolean): sparqljs.SelectQuery {
  const patterns = [...walk(w), bgp([triple(ANSWER, iri(valuePredicate), VALUE)])];
  return select([ANSWER, LABEL_VAR, VALUE], withLabel(patterns), {
    order: [{ expression: VALUE, descending }],
    limit: 1,
  });
}

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const ORDERED_TYPES = ['date', 'dateTime', 'gYear', 'gYearMonth'].map((t) => iri(XSD + t));

/** Predicates with numeric or date values on the answers of a path, most used first. */
export function orderablePropertiesQuery(w: Walk): sparqljs.SelectQuery {
  const p = v('p');
  const patterns = [
    ...walk(w),
    bgp([triple(ANSWER, p, VALUE)]),
    filter(op('||', op('isnumeric', VALUE), op('in', op('datatype', VALUE), ORDERED_TYPES))),
  ];
  return select([p, countAs(VALUE, v('n'), false)], patterns, {
    group: [{ expression: p }],
    order: [{ expression: v('n'), descending: true }],
    limit: 50,
  });
}

/** Entities whose label is exactly `label` (a user's text, so only ever a literal). */
export function byLabelQuery(label: string): sparqljs.SelectQuery {
  return select([ANSWER], [bgp([triple(ANSWER, iri(RDFS_LABEL), lit(label))])]);
}
