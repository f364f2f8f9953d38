/**
 * SPARQL is built as sparqljs ASTs and serialised here, never pasted together from strings:
 * a user's words reach a query only as literals, which the generator escapes.
 */
import { DataFactory } from 'n3';
import sparqljs from 'sparqljs';

const generator = new sparqljs.Generator({ indent: '  ' });

export const iri = (value: string): sparqljs.IriTerm => DataFactory.namedNode(value);
export const v = (name: string): sparqljs.VariableTerm => DataFactory.variable(name);
export const lit = (value: string, langOrType?: string): sparqljs.LiteralTerm =>
  langOrType === undefined
    ? DataFactory.literal(value)
    : DataFactory.literal(value, langOrType.includes(':') ? DataFactory.namedNode(langOrType) : langOrType);

export function toSparql(q: sparqljs.SparqlQuery): string {
  return generator.stringify(q);
}

export function select(
  variables: sparqljs.Variable[],
  where: sparqljs.Pattern[],
  extra: Partial<sparqljs.SelectQuery> = {},
): sparqljs.SelectQuery {
  return { type: 'query', queryType: 'SELECT', prefixes: {}, variables, where, ...extra };
}

export function ask(where: sparqljs.Pattern[]): sparqljs.AskQuery {
  return { type: 'query', queryType: 'ASK', prefixes: {}, where };
}

export function bgp(triples: sparqljs.Triple[]): sparqljs.BgpPattern {
  return { type: 'bgp', triples };
}

export function triple(
  subject: sparqljs.Triple['subject'],
  predicate: sparqljs.Triple['predicate'],
  object: sparqljs.Term,
): sparqljs.Triple {
  return { subject, predicate, object };
}

export function filter(expression: sparqljs.Expression): sparqljs.FilterPattern {
  return { type: 'filter', expression };
}

export function op(operator: string, ...args: sparqljs.Expression[]): sparqljs.OperationExpression {
  return { type: 'operation', operator, args };
}

export function update(updates: sparqljs.UpdateOperation[]): sparqljs.Update {
  return { type: 'update', prefixes: {}, updates };
}

/** `(COUNT(DISTINCT ?of) AS ?as)` */
export function countAs(
  of: sparqljs.VariableTerm,
  as: sparqljs.VariableTerm,
  distinct = true,
): sparqljs.VariableExpression {
  return { expression: { type: 'aggregate', aggregation: 'count', distinct, expression: of }, variable: as };
}
