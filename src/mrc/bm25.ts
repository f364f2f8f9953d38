/**
 * BM25 over SQLite FTS5. User text never reaches FTS5's query syntax: it is cut into words and
 * each word becomes a quoted string (quotes doubled), OR-ed together, so `NEAR`, `*`, `:`, `^`,
 * parentheses or quotes in a question are only words.
 */
import { stemmer } from 'stemmer';
import { removeStopwords } from 'stopword';
import type { Db } from '../core/database.js';

export interface ScoredId {
  id: number;
  /** Higher is better (FTS5's bm25() negated). */
  score: number;
}

const words = new Intl.Segmenter('en', { granularity: 'word' });

/** The query's distinct words, lower-cased, stop words removed unless nothing else is left. */
export function queryTerms(text: string, max = 32): string[] {
  const all: string[] = [];
  for (const s of words.segment(text.normalize('NFKC'))) {
    if (s.isWordLike) all.push(s.segment.toLowerCase());
  }
  const content = removeStopwords(all);
  const terms = [...new Set(content.length > 0 ? content : all)];
  return terms.slice(0, max);
}

/** An FTS5 MATCH expression: every term a quoted string (quotes doubled), OR-ed. */
export function ftsMatch(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}

export interface FtsIndex {
  /** The FTS5 table. */
  table: string;
  /** Its fts5vocab table ('row' kind): each stemmed term's document count. */
  vocab: string;
  /** The content table whose rowids the FTS5 rows share (for the corpus size). */
  rows: string;
  /** bm25()'s per-column weights, in the table's column order. */
  weights: readonly number[];
}

/**
 * Terms held in more than this share of the rows, and in more than FREQUENT_TERM_ROWS rows, are
 * left out of the query when at least MIN_TERMS rarer ones remain: FTS5 scores every row that
 * matches any term, so a frequent term costs a pass over a long posting list while adding little
 * to a BM25 ranking. The row floor keeps small corpora exact, where an article's own topic word
 * can be in 5% of the passages and matter most (docs/BENCHMARKS.md has both sides measured).
 */
export const FREQUENT_TERM_SHARE = 0.05;
export const FREQUENT_TERM_ROWS = 20_000;
const MIN_TERMS = 2;

/** How FTS5's unicode61 + porter tokenizer would index a word: folded, lower-cased, stemmed. */
function indexedForm(word: string): string {
  return stemmer(word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase());
}

/** The query's terms less the frequent ones (see FREQUENT_TERM_SHARE). */
export function selectiveTerms(db: Db, index: FtsIndex, terms: readonly string[]): string[] {
  if (terms.length <= MIN_TERMS) return [...terms];
  // Rowids are never reused, so the id range bounds the row count from above; close enough here.
  const n =
    db.prepare<[], { n: number | null }>(`SELECT max(id) - min(id) + 1 AS n FROM ${index.rows}`).get()?.n ??
    0;
  if (n <= FREQUENT_TERM_ROWS) return [...terms];
  // One equality lookup per term: fts5vocab scans its whole vocabulary for an IN list.
  const lookup = db.prepare<[string], { doc: number }>(`SELECT doc FROM ${index.vocab} WHERE term = ?`);
  const df = new Map(terms.map((t) => [t, lookup.get(indexedForm(t))?.doc ?? 0]));
  const byRarity = terms.map((t) => ({ t, df: df.get(t) ?? 0 })).sort((a, b) => a.df - b.df);
  const limit = Math.max(FREQUENT_TERM_SHARE * n, FREQUENT_TERM_ROWS);
  return byRarity.filter((x, i) => i < MIN_TERMS || x.df <= limit).map((x) => x.t);
}

/** Top-k rows for free text, optionally only among the rowids `within`. */
export function searchFts(
  db: Db,
  index: FtsIndex,
  text: string,
  k: number,
  within?: readonly number[],
): ScoredId[] {
  const all = queryTerms(text);
  if (all.length === 0 || k <= 0) return [];
  const terms = within ? all : selectiveTerms(db, index, all);
  const match = ftsMatch(terms);
  const { table } = index;
  const w = index.weights.map((x) => Number(x).toString()).join(', ');
  const filter = within ? 'AND rowid IN (SELECT value FROM json_each(?))' : '';
  const params: (string | number)[] = within ? [match, JSON.stringify(within), k] : [match, k];
  return db
    .prepare<(string | number)[], { id: number; s: number }>(
      `SELECT rowid AS id, bm25(${table}, ${w}) AS s FROM ${table} WHERE ${table} MATCH ? ${filter} ORDER BY s LIMIT ?`,
    )
    .all(...params)
    .map((r) => ({ id: r.id, score: -r.s }));
}
