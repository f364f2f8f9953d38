/**
 * BM25 over SQLite FTS5. User text never reaches FTS5's query syntax: it is cut into words and
 * each word becomes a quoted string (quotes doubled), OR-ed together, so `NEAR`, `*`, `:`, `^`,
 * parentheses or quotes in a question are only words.
 */
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

/** An FTS5 MATCH expression for the text, or undefined when it has no words. */
export function ftsQuery(text: string): string | undefined {
  const terms = queryTerms(text);
  if (terms.length === 0) return undefined;
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}

/**
 * Top-k rows of an FTS5 table for free text, optionally only among the rowids `within`.
 * `weights` are bm25()'s per-column weights, in the table's column order.
 */
export function searchFts(
  db: Db,
  table: string,
  text: string,
  k: number,
  weights: readonly number[],
  within?: readonly number[],
): ScoredId[] {
  const match = ftsQuery(text);
  if (match === undefined || k <= 0) return [];
  const w = weights.map((x) => Number(x).toString()).join(', ');
  const filter = within ? 'AND rowid IN (SELECT value FROM json_each(?))' : '';
  const params: (string | number)[] = within ? [match, JSON.stringify(within), k] : [match, k];
  return db
    .prepare<(string | number)[], { id: number; s: number }>(
      `SELECT rowid AS id, bm25(${table}, ${w}) AS s FROM ${table} WHERE ${table} MATCH ? ${filter} ORDER BY s LIMIT ?`,
    )
    .all(...params)
    .map((r) => ({ id: r.id, score: -r.s }));
}
