/**
 * What the KB's own vocabulary says in words: every predicate and class gets natural-language
 * forms from the KB itself — its labels (any name property), its description, and its local name
 * split into words (`hasManager` → "has manager", `directed_by` → "directed by") — and each
 * predicate the classes of the things it links, read from the data (or rdfs:domain/range when
 * declared). Relation paths are put into words from these forms, so a question can be matched
 * against a KB no one wrote questions for.
 */
import type { Hop, KbGraph, RelationPath, ValueKind } from './paths.js';
import { RDF_TYPE, RDFS_DOMAIN, RDFS_RANGE, SCHEMA_PREDICATES } from './vocab.js';

/** The last segment of an IRI: after `#`, `/` or `:`. */
export function localName(iri: string): string {
  const m = /[^/#:]+$/.exec(iri.replace(/[/#:]+$/, ''));
  return m ? decodeURIComponent(m[0]) : iri;
}

/** A local name as words: camelCase, snake_case, kebab-case and digits split, lower-cased. */
export function splitName(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/[_\-.+]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A name that ends in a preposition reads as a verb phrase ("directed by", "member of"). */
export const VERB_LIKE = /\s(by|with|of|in|to|from|for|on|at|as|into|under|over)$/;

/** Words of a name: "has manager" for the relation reads as "manager" too. */
const RELATION_FILLERS = /^(has|have|is|was|are|get|gets)\s+(?=\S)/;

export interface PredicateInfo {
  iri: string;
  /** The predicate in words, best first: labels, then the split local name. */
  names: string[];
  description?: string;
  /** Literal-valued: what the values are; undefined when the objects are entities. */
  valueKind?: ValueKind;
  /** The class most of its subjects have, in words ("country"). */
  domain?: string;
  /** The class most of its objects have, in words. */
  range?: string;
}

export interface ClassInfo {
  iri: string;
  names: string[];
}

export class KbLexicon {
  private readonly predicates = new Map<string, PredicateInfo>();
  private readonly classInfo = new Map<string, ClassInfo>();
  /** Content words of every predicate and class name, for spelling and cue matching. */
  readonly words = new Set<string>();

  constructor(
    graph: KbGraph,
    /** Labels of any IRI, from the KB's name properties. */
    labelsOf: (iri: string) => string[],
    /** Declared rdfs:domain / rdfs:range per predicate. */
    declared: Map<string, { domain?: string; range?: string }> = new Map(),
  ) {
    const classNames = (c: string): string[] => {
      const names = [...labelsOf(c).map((l) => l.toLowerCase()), splitName(localName(c))];
      return [...new Set(names.filter((n) => n !== ''))];
    };
    for (const c of new Set(graph.classes.values())) {
      const names = classNames(c);
      this.classInfo.set(c, { iri: c, names });
      for (const n of names) for (const w of n.split(' ')) this.words.add(w);
    }
    for (const p of graph.predicates) {
      if (p === RDF_TYPE || SCHEMA_PREDICATES.has(p) || p === RDFS_DOMAIN || p === RDFS_RANGE) continue;
      const split = splitName(localName(p));
      const names = [...new Set([...labelsOf(p).map((l) => l.toLowerCase()), split])].filter((n) => n !== '');
      const info: PredicateInfo = { iri: p, names };
      const description = graph.descriptions.get(p);
      if (description) info.description = description;
      const kind = graph.valueKind(p);
      if (kind) info.valueKind = kind;
      const d = declared.get(p);
      const domain = d?.domain ?? graph.commonClass(p, false);
      const range = kind ? undefined : (d?.range ?? graph.commonClass(p, true));
      if (domain) info.domain = classNames(domain)[0] ?? splitName(localName(domain));
      if (range) info.range = classNames(range)[0] ?? splitName(localName(range));
      this.predicates.set(p, info);
      for (const n of names) for (const w of n.split(' ')) this.words.add(w);
    }
  }

  predicate(p: string): PredicateInfo | undefined {
    return this.predicates.get(p);
  }

  /** Predicates a question may ask about (not rdf:type, not the schema's own). */
  get askable(): PredicateInfo[] {
    return [...this.predicates.values()];
  }

  get classes(): ClassInfo[] {
    return [...this.classInfo.values()];
  }

  classInfoOf(c: string): ClassInfo | undefined {
    return this.classInfo.get(c);
  }

  /** The predicate's main name without a leading "has"/"is": "manager" for `hasManager`. */
  noun(p: string): string {
    const name = this.predicates.get(p)?.names[0] ?? splitName(localName(p));
    return name.replace(RELATION_FILLERS, '');
  }

  /**
   * One hop in words, for the thing it starts from (`X`). A noun-like name: forwards "capital of
   * X", backwards "country whose capital is X" (the things whose capital X is). A name that ends
   * in a preposition reads as a verb: forwards "X shares border with", backwards "movie directed
   * by X".
   */
  private hopPhrase(hop: Hop, from: string): string {
    const info = this.predicates.get(hop.predicate);
    const noun = this.noun(hop.predicate);
    const subject = info?.domain ?? 'thing';
    if (VERB_LIKE.test(noun)) return hop.inverse ? `${subject} ${noun} ${from}` : `${from} ${noun}`;
    if (!hop.inverse) return `${noun} of ${from}`;
    return `${subject} whose ${noun} is ${from}`;
  }

  /** A path in words, starting from `X`: "currency of country whose capital is X". */
  describe(path: RelationPath, topic = 'X'): string {
    let text = topic;
    for (const hop of path) text = this.hopPhrase(hop, text);
    return text;
  }

  /** The words of a path's predicates, for lexical overlap with the question. */
  pathWords(path: RelationPath): string[] {
    return path.flatMap((h) => (this.predicates.get(h.predicate)?.names ?? []).flatMap((n) => n.split(' ')));
  }
}
