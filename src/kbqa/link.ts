/**
 * Entity linking against a label index built from the KB (rdfs:label, skos:altLabel, schema:name):
 * question n-grams, longest first and non-overlapping, matched exactly, case- and accent-folded,
 * or within one edit (for mentions of six characters or more); candidates of a mention are
 * ranked by match quality, then by node degree.
 */
import type { LinkedEntity } from '../core/types.js';
import { bgp, iri, select, toSparql, triple, v } from './sparql.js';
import type { RdfStore } from './store.js';
import { NAME_PREDICATES } from './vocab.js';

export interface Mention {
  start: number;
  end: number;
  text: string;
  candidates: LinkedEntity[];
}

interface Entry {
  iri: string;
  label: string;
}

const MAX_NGRAM = 12;
const FUZZY_MIN = 6;

function isAcronym(label: string): boolean {
  return label.length <= 4 && /^[\p{Lu}\p{N}&.]+$/u.test(label) && /\p{Lu}/u.test(label);
}
// Words that are never an entity on their own, whatever the KB holds.
const STOP = new Set(
  'a an and are as at be by did do does for from had has have how in is it its of on or that the their there these they this to was were what when where which who whom whose why will with movie movies film films about'.split(
    ' ',
  ),
);

/** Lower-case, strip accents, punctuation to spaces, collapse whitespace. */
export function foldLabel(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function deletes(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/** Words with their character spans. */
function words(text: string): Array<{ start: number; end: number }> {
  return [...text.matchAll(/[\p{L}\p{N}]+(?:['’.&-][\p{L}\p{N}]+)*/gu)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
}

export class EntityLinker {
  private readonly exact = new Map<string, Entry[]>();
  private readonly folded = new Map<string, Entry[]>();
  private readonly fuzzy = new Map<string, string[]>();

  constructor(
    labels: Iterable<Entry>,
    private readonly degree: (iri: string) => number = () => 0,
  ) {
    const push = <T>(m: Map<string, T[]>, k: string, e: T): void => {
      const list = m.get(k);
      if (list) list.push(e);
      else m.set(k, [e]);
    };
    for (const e of labels) {
      push(this.exact, e.label, e);
      const f = foldLabel(e.label);
      if (f === '') continue;
      push(this.folded, f, e);
      if (f.length >= FUZZY_MIN) for (const d of deletes(f)) push(this.fuzzy, d, f);
    }
  }

  static async fromStore(store: RdfStore, degree?: (iri: string) => number): Promise<EntityLinker> {
    const entries: Entry[] = [];
    for (const p of NAME_PREDICATES) {
      const rows = await store.select(
        toSparql(select([v('e'), v('l')], [bgp([triple(v('e'), iri(p), v('l'))])])),
      );
      for (const r of rows)
        if (r.e?.type === 'uri' && r.l) entries.push({ iri: r.e.value, label: r.l.value });
    }
    return new EntityLinker(entries, degree);
  }

  get size(): number {
    return this.exact.size;
  }

  /** Entities whose label or alternative name is exactly `label`, best connected first. */
  byLabel(label: string): string[] {
    const iris = [...new Set((this.exact.get(label) ?? []).map((e) => e.iri))];
    return iris.sort((a, b) => this.degree(b) - this.degree(a));
  }

  private candidates(surface: string, start: number, end: number): LinkedEntity[] {
    const scored = new Map<string, LinkedEntity>();
    const add = (list: Entry[] | undefined, score: number): void => {
      for (const e of list ?? []) {
        const prev = scored.get(e.iri);
        if (!prev || prev.score < score) {
          scored.set(e.iri, { mention: surface, start, end, iri: e.iri, label: e.label, score });
        }
      }
    };
    add(this.exact.get(surface), 1);
    const f = foldLabel(surface);
    // Short all-capital names ("US", "CAR", "UK") match only as written, or every "us" and
    // "car" in a question would link to a country.
    add(
      this.folded.get(f)?.filter((e) => !isAcronym(e.label)),
      0.9,
    );
    if (scored.size === 0 && f.length >= FUZZY_MIN) {
      const near = new Set<string>();
      // One edit: a label with one more character, one less, or one different.
      for (const label of this.fuzzy.get(f) ?? []) near.add(label);
      for (const d of deletes(f)) {
        if (this.folded.has(d)) near.add(d);
        for (const label of this.fuzzy.get(d) ?? []) near.add(label);
      }
      for (const label of near) if (label !== f) add(this.folded.get(label), 0.7);
    }
    return [...scored.values()].sort((a, b) => b.score - a.score || this.degree(b.iri) - this.degree(a.iri));
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
        const candidates = this.candidates(text, first.start, last.end);
        if (candidates.length === 0) continue;
        for (let j = i; j < i + n; j++) taken[j] = true;
        found.push({ start: first.start, end: last.end, text, candidates });
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
