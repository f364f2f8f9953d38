/**
 * Entity linking against a label index built from the KB (rdfs:label, skos:prefLabel and
 * altLabel, schema:name and alternateName, foaf:name, dcterms:title, and any configured name
 * property) and from its short string values ("noble gas", for "which elements are noble
 * gases"): question n-grams, longest first and non-overlapping, matched exactly, case- and
 * accent-folded, or within one edit (for mentions of five characters or more), with possessives
 * ("Kenya's") read as their noun. A multi-word name can be linked by its last word alone when no
 * other name shares that word ("Zealand", "Dr. Smith"). Candidates of a mention are ranked by
 * match quality, then by node degree.
 */
import type { LinkedEntity } from '../core/types.js';
import { foldLabel } from '../core/words.js';
import { deletes, editDistance } from './edits.js';
import { literalNode } from './paths.js';
import { bgp, iri, select, toSparql, triple, v } from './sparql.js';
import type { RdfStore } from './store.js';
import { NAME_PREDICATES } from './vocab.js';

export interface Mention {
  start: number;
  end: number;
  text: string;
  candidates: LinkedEntity[];
}

export interface LabelEntry {
  iri: string;
  label: string;
  /** A literal value rather than a name: linked at a lower score. */
  value?: boolean;
}
type Entry = LabelEntry;

export interface LinkerOptions {
  /** Node degree, to rank equal matches. */
  degree?: (iri: string) => number;
  /** Whether a word is an ordinary word of the language (the encoder's vocabulary). */
  known?: (word: string) => boolean;
  /** IRIs a question can be about; a class or a relation named is a cue, not a topic. */
  accept?: (iri: string) => boolean;
}

const MAX_NGRAM = 12;
const FUZZY_MIN = 5;
/** Names this long (folded) are matched within two edits. */
const LONG_NAME = 10;
/** A value's match counts for less than a name's: "gas" is more often a word than a value. */
const VALUE_FACTOR = 0.8;

function isAcronym(label: string): boolean {
  return label.length <= 4 && /^[\p{Lu}\p{N}&.]+$/u.test(label) && /\p{Lu}/u.test(label);
}
// Words that are never an entity on their own, whatever the KB holds.
const STOP = new Set(
  'a an and are as at be by can could did do does for from had has have how in is it its of on or that the their there these they this to was were what whats when where which who whom whose why will with movie movies film films about me tell name list give show please much many'.split(
    ' ',
  ),
);

/**
 * Words with their character spans; a possessive "'s" is not part of the word ("Kenya's" is
 * "Kenya"), but `full` keeps it for names that hold one ("Saint John's").
 */
function words(text: string): Array<{ start: number; end: number; full: number }> {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’.&-][\p{L}\p{N}]+)*/gu)].map((m) => {
    const full = m.index + m[0].length;
    const possessive = /['’]s$/i.test(m[0]) && m[0].length > 2;
    return { start: m.index, end: possessive ? full - 2 : full, full };
  });
}

export class EntityLinker {
  private readonly exact = new Map<string, Entry[]>();
  private readonly folded = new Map<string, Entry[]>();
  private readonly fuzzy = new Map<string, string[]>();
  /** Last words of multi-word names, when only one name ends with that word. */
  private readonly partial = new Map<string, Entry | null>();
  private readonly labels = new Map<string, string[]>();
  private readonly degree: (iri: string) => number;
  private known: (word: string) => boolean;
  private readonly accept: (iri: string) => boolean;

  constructor(entries: Iterable<Entry>, opts: LinkerOptions | ((iri: string) => number) = {}) {
    const o = typeof opts === 'function' ? { degree: opts } : opts;
    this.degree = o.degree ?? (() => 0);
    this.known = o.known ?? (() => false);
    this.accept = o.accept ?? (() => true);
    const push = <T>(m: Map<string, T[]>, k: string, e: T): void => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    for (const e of entries) {
      push(this.exact, e.label, e);
      if (!e.value) push(this.labels, e.iri, e.label);
      const f = foldLabel(e.label);
      if (f === '') continue;
      push(this.folded, f, e);
      if (f.length >= FUZZY_MIN) for (const d of deletes(f)) push(this.fuzzy, d, f);
      const parts = f.split(' ');
      const last = parts[parts.length - 1] ?? '';
      if (!e.value && parts.length >= 2 && parts.length <= 4 && last.length >= 4) {
        const prev = this.partial.get(last);
        this.partial.set(last, prev === undefined || prev?.iri === e.iri ? e : null);
      }
    }
  }

  /** Name entries (every name property) of the KB's IRIs. */
  static async readLabels(store: RdfStore, names: readonly string[] = NAME_PREDICATES): Promise<Entry[]> {
    const entries: Entry[] = [];
    for (const p of names) {
      const rows = await store.select(
        toSparql(select([v('e'), v('l')], [bgp([triple(v('e'), iri(p), v('l'))])])),
      );
      for (const r of rows)
        if (r.e?.type === 'uri' && r.l) entries.push({ iri: r.e.value, label: r.l.value });
    }
    return entries;
  }

  static async fromStore(store: RdfStore, degree?: (iri: string) => number): Promise<EntityLinker> {
    return new EntityLinker(await EntityLinker.readLabels(store), degree ? { degree } : {});
  }

  get size(): number {
    return this.exact.size;
  }

  /** Tells ordinary words from names (the encoder's vocabulary), once an encoder is open. */
  setKnown(known: (word: string) => boolean): void {
    this.known = known;
  }

  /** The names of an IRI, as the KB gives them. */
  labelsOf(iri: string): string[] {
    return this.labels.get(iri) ?? [];
  }

  /** What a name in a training answer stands for: the entities it names, else a value. */
  resolve(name: string): string[] {
    const iris = this.byLabel(name);
    return iris.length > 0 ? iris : [literalNode(name)];
  }

  /** Entities whose label or alternative name is exactly `label`, best connected first. */
  byLabel(label: string): string[] {
    const iris = [...new Set((this.exact.get(label) ?? []).map((e) => e.iri))];
    return iris.sort((a, b) => this.degree(b) - this.degree(a));
  }

  private candidates(surface: string, start: number, end: number): LinkedEntity[] {
    const scored = new Map<string, LinkedEntity>();
    const add = (list: Entry[] | undefined, base: number): void => {
      for (const e of list ?? []) {
        const score = e.value ? base * VALUE_FACTOR : base;
        const prev = scored.get(e.iri);
        if (!prev || prev.score < score) {
          scored.set(e.iri, { mention: surface, start, end, iri: e.iri, label: e.label, score });
        }
      }
    };
    add(this.exact.get(surface), 1);
    const f = this.singularOf(foldLabel(surface), scored.size > 0);
    // Short all-capital names ("US", "CAR", "UK") match only as written, or every "us" and
    // "car" in a question would link to a country. An ordinary word in lower case that only
    // matches a capitalised name ("star" and the film "Star!") is more often the word.
    const word = !f.includes(' ') && this.known(f);
    const plainWord = word && surface === surface.toLowerCase();
    for (const e of this.named(f)) add([e], plainWord && e.label !== e.label.toLowerCase() ? 0.7 : 0.9);
    // An ordinary word is not a misspelt name ("border" is not "Borden"), except where the name
    // begins it ("African" for Africa).
    if (scored.size === 0 && f.length >= FUZZY_MIN) {
      for (const label of this.within(f, 1)) if (!word || f.startsWith(label)) add(this.named(label), 0.7);
    }
    // A long name survives two slips ("Democratic Repulbic of the Kongo"), but only words that
    // could be a name: not opening or closing on a function word.
    const ends = f.split(' ');
    const nameLike = !STOP.has(ends[0] ?? '') && !STOP.has(ends[ends.length - 1] ?? '');
    if (scored.size === 0 && f.length >= LONG_NAME && nameLike) {
      for (const label of this.within(f, 2)) {
        if (label.split(' ').length === ends.length) add(this.named(label), 0.6);
      }
    }
    if (scored.size === 0 && !f.includes(' ')) {
      const e = this.partial.get(f);
      if (e && (/^\p{Lu}/u.test(surface) || !word)) add([e], 0.6);
    }
    return [...scored.values()].sort((a, b) => b.score - a.score || this.degree(b.iri) - this.degree(a.iri));
  }

  /** A plural of a name or value read as the name: "noble gases" for "noble gas". */
  private singularOf(f: string, matched: boolean): string {
    if (matched || this.folded.has(f) || !/\p{L}{4}s$/u.test(f)) return f;
    return (
      [f.replace(/ies$/, 'y'), f.replace(/es$/, ''), f.replace(/s$/, '')].find((x) => this.folded.has(x)) ?? f
    );
  }

  /** Entries with this folded name, acronyms left out (they match only as written). */
  private named(folded: string): Entry[] {
    return (this.folded.get(folded) ?? []).filter((e) => !isAcronym(e.label));
  }

  /**
   * Folded names within `edits` edits of `f` (not `f` itself): found through the index of names
   * with one character deleted, then checked.
   */
  private within(f: string, edits: 1 | 2): string[] {
    const near = new Set<string>(edits === 1 ? (this.fuzzy.get(f) ?? []) : []);
    const variants = edits === 1 ? deletes(f) : deletes(f).flatMap(deletes);
    for (const d of variants) {
      if (this.folded.has(d)) near.add(d);
      for (const label of this.fuzzy.get(d) ?? []) near.add(label);
    }
    return [...near].filter((label) => label !== f && editDistance(label, f, edits) <= edits);
  }

  /** Mentions of KB entities in `question`, longest first, never overlapping. */
  link(question: string): Mention[] {
    const ws = words(question);
    const taken = new Array<boolean>(ws.length).fill(false);
    const found: Mention[] = [];
    for (let n = Math.min(MAX_NGRAM, ws.length); n >= 1; n--) {
      for (let i = 0; i + n <= ws.length; i++) {
        if (taken.slice(i, i + n).some(Boolean)) continue;
        const first = ws[i];
        const last = ws[i + n - 1];
        if (!first || !last) continue;
        const text = question.slice(first.start, last.end);
        if (n === 1 && (STOP.has(text.toLowerCase()) || text.length < 2)) continue;
        // A name that itself ends in "'s" first, then the noun of a possessive.
        const whole = last.full !== last.end ? question.slice(first.start, last.full) : undefined;
        let end = last.end;
        let candidates = whole ? this.candidates(whole, first.start, last.full) : [];
        if (candidates.length > 0) end = last.full;
        else candidates = this.candidates(text, first.start, last.end);
        candidates = candidates.filter((c) => this.accept(c.iri));
        if (candidates.length === 0) continue;
        for (let j = i; j < i + n; j++) taken[j] = true;
        found.push({ start: first.start, end, text: question.slice(first.start, end), candidates });
      }
    }
    return found.sort((a, b) => b.end - b.start - (a.end - a.start));
  }

  /** A mention whose span is given (e.g. MetaQA's brackets): exact label first, then folded. */
  linkSpan(question: string, start: number, end: number): Mention {
    const text = question.slice(start, end);
    return { start, end, text, candidates: this.candidates(text, start, end) };
  }
}
