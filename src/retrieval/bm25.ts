/**
 * BM25 over SQLite FTS5. User text never reaches FTS5's query syntax: it is cut into words and
 * each word becomes a quoted string (quotes doubled), OR-ed together, so `NEAR`, `*`, `:`, `^`,
 * parentheses or quotes in a question are only words. The pruned path below only combines such
 * quoted strings with AND, OR and parentheses of its own.
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

const quote = (term: string): string => `"${term.replace(/"/g, '""')}"`;
const anyOf = (terms: readonly string[]): string => `(${terms.map(quote).join(' OR ')})`;
const allOf = (terms: readonly string[]): string => terms.map(quote).join(' AND ');

/** An FTS5 MATCH expression: every term a quoted string (quotes doubled), OR-ed. */
export function ftsMatch(terms: readonly string[]): string {
  return terms.map(quote).join(' OR ');
}

export interface FtsIndex {
  /** The FTS5 table. */
  table: string;
  /** The content table whose rowids the FTS5 rows share (for the corpus size). */
  rows: string;
  /** bm25()'s per-column weights, in the table's column order. */
  weights: readonly number[];
  /** Up to this many rows every query is ranked exhaustively (default FREQUENT_TERM_ROWS). */
  exactRows?: number;
  /** Above exactRows, about how many rows one query lets FTS5 score (default SCORED_ROWS). */
  scoredRows?: number;
}

/**
 * Terms held in more than this share of the rows, and in more than FREQUENT_TERM_ROWS rows, are
 * left out of the query when at least MIN_TERMS rarer ones remain: a frequent term costs a pass
 * over a long posting list (bm25() counts every term's rows for its IDF) while adding little to a
 * BM25 ranking. The row floor keeps small corpora exact, where an article's own topic word can be
 * in 5% of the passages and matter most. At 1M passages 5% cost ten points of top-10 overlap with
 * exact BM25 against 7%, for about the same time, and 10% took half as long again (all measured in
 * docs/BENCHMARKS.md).
 */
export const FREQUENT_TERM_SHARE = 0.07;
export const FREQUENT_TERM_ROWS = 20_000;
/**
 * FTS5 computes bm25() for every row its MATCH expression admits (about 1.5 µs each) and has no
 * dynamic pruning, so above FREQUENT_TERM_ROWS a query lets it score about this many rows, summed
 * over the one or two expressions it runs: the rows most likely to rank first (see searchFts).
 */
export const SCORED_ROWS = 20_000;
const MIN_TERMS = 2;

/** The lowest and highest rowid of an index's content table. */
export interface RowRange {
  first: number;
  last: number;
}

/**
 * Rowids are never reused, so the id range bounds the row count from above; close enough here.
 * Two subqueries: SQLite reads min() or max() off the index only when it is the query's sole
 * aggregate, and scans the whole table otherwise.
 */
export function rowRange(db: Db, index: FtsIndex): RowRange {
  const { rows } = index;
  const sql = `SELECT (SELECT min(id) FROM ${rows}) AS first, (SELECT max(id) FROM ${rows}) AS last`;
  const r = db.prepare<[], { first: number | null; last: number | null }>(sql).get();
  return { first: r?.first ?? 0, last: r?.last ?? -1 };
}

/** Rows a MATCH expression admits, counted up to `cap`: the cost grows with the count. */
function countRows(db: Db, table: string): (match: string, cap: number) => number {
  const st = db
    .prepare<[string, number], number>(
      `SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`,
    )
    .pluck();
  return (match, cap) => st.get(match, cap) ?? 0;
}

/**
 * Terms in more rows than this have their rows estimated, not counted: counting walks the whole
 * posting list (about 0.15 µs a row, so 8 ms to tell a term in 55,000 rows frequent), while the
 * rowids of its first and last SAMPLED_ROWS matches give its density at both ends of the table.
 */
const SAMPLED_ROWS = 2_000;

/** A term's rows: counted up to SAMPLED_ROWS, estimated above. */
function termRows(db: Db, table: string, range: RowRange): (term: string) => number {
  const from = (order: 'ASC' | 'DESC') =>
    db.prepare<[string, number], { n: number; first: number | null; last: number | null }>(
      `SELECT count(*) AS n, min(rowid) AS first, max(rowid) AS last FROM
       (SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid ${order} LIMIT ?)`,
    );
  const [head, tail] = [from('ASC'), from('DESC')];
  const count = countRows(db, table);
  return (term) => {
    const match = quote(term);
    const h = head.get(match, SAMPLED_ROWS + 1);
    if (!h || h.n <= SAMPLED_ROWS) return h?.n ?? 0;
    const t = tail.get(match, SAMPLED_ROWS + 1);
    const [headEnd, tailStart] = [h.last ?? 0, t?.first ?? 0];
    // The two samples meet: fewer than 2 × SAMPLED_ROWS rows, cheap to count.
    if (tailStart <= headEnd) return count(match, 2 * SAMPLED_ROWS + 2);
    const covered = headEnd - range.first + 1 + (range.last - tailStart + 1);
    return Math.round((2 * (SAMPLED_ROWS + 1) * (range.last - range.first + 1)) / covered);
  };
}

export interface TermRows {
  term: string;
  /** Rows that match the term (estimated above SAMPLED_ROWS). */
  rows: number;
}

/**
 * The terms that match any row, rarest first, less the frequent ones (FREQUENT_TERM_SHARE). FTS5
 * finds the rows, so a word it indexes as a phrase ("kenya's": kenya, s) or stems is counted as
 * the query will match it.
 */
export function selectiveTerms(
  db: Db,
  index: FtsIndex,
  terms: readonly string[],
  range: RowRange,
): TermRows[] {
  const limit = Math.max(FREQUENT_TERM_SHARE * (range.last - range.first + 1), FREQUENT_TERM_ROWS);
  const rowsOf = termRows(db, index.table, range);
  const byRarity = terms
    .map((term) => ({ term, rows: rowsOf(term) }))
    .filter((t) => t.rows > 0)
    .sort((a, b) => a.rows - b.rows);
  return byRarity.filter((t, i) => i < MIN_TERMS || t.rows <= limit);
}

/**
 * Candidate sets for a pruned query, loosest first. Each is a list of MATCH expressions in which
 * every term occurs at most once, under a top-level AND of OR groups: FTS5 then gives
 * each row it admits the same bm25() as the plain OR of all terms would (a test checks this), so
 * the union of their top-k, best score per row, is the exact top-k of the set's rows.
 * - all terms OR-ed: exact;
 * - rows with one of the e rarest terms (E): `E AND rest` scores those that also hold another
 *   term, `E` alone (the rest then count 0) those that do not;
 * - rows with all of the j rarest terms (R), for when even the rarest term is too common.
 */
interface CandidateSet {
  queries: string[];
  /** An upper bound on the rows it admits (the sum of its terms' rows), or null: count them. */
  rows: number | null;
}

function candidateSets(terms: readonly TermRows[]): CandidateSet[] {
  const names = terms.map((t) => t.term);
  const rows = (n: number) => terms.slice(0, n).reduce((a, t) => a + t.rows, 0);
  const sets: CandidateSet[] = [{ queries: [anyOf(names)], rows: rows(names.length) }];
  for (let e = names.length - 1; e >= 1; e--) {
    const [rare, rest] = [names.slice(0, e), names.slice(e)];
    sets.push({ queries: [`${anyOf(rare)} AND ${anyOf(rest)}`, anyOf(rare)], rows: rows(e) });
  }
  for (let j = 2; j <= names.length; j++) {
    const [required, rest] = [names.slice(0, j), names.slice(j)];
    const queries = rest.length > 0 ? [`${allOf(required)} AND ${anyOf(rest)}`] : [];
    sets.push({ queries: [...queries, allOf(required)], rows: null });
  }
  return sets;
}

/**
 * Below this many rows a filter's rows are looked up one by one (FTS5 seeks each rowid in every
 * term's postings). Above it, when the filter keeps at least OVERFETCH_SHARE of the rows, the
 * query runs without it for more rows and keeps those the filter lets through: when k pass, they
 * are the filter's top k, since any better row of the filter would have ranked among them.
 * Otherwise the query runs as without a filter, each row it admits tested against the filter's set.
 */
export const WITHIN_LOOKUP_ROWS = 500;
const OVERFETCH_SHARE = 0.05;
const OVERFETCH_MAX = 2_000;

/** A filter's rowids as a set, made once per filter array (they are cached by the caller). */
const withinSets = new WeakMap<readonly number[], Set<number>>();
function setOf(within: readonly number[]): Set<number> {
  let set = withinSets.get(within);
  if (!set) {
    set = new Set(within);
    withinSets.set(within, set);
  }
  return set;
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
  if (all.length === 0 || k <= 0 || within?.length === 0) return [];
  if (!within) return rankTerms(db, index, all, k);
  if (within.length <= WITHIN_LOOKUP_ROWS) return rankTerms(db, index, all, k, within, 'seek');
  const range = rowRange(db, index);
  const share = within.length / Math.max(1, range.last - range.first + 1);
  if (share >= OVERFETCH_SHARE) {
    const deeper = Math.min(OVERFETCH_MAX, Math.ceil((2 * k) / share));
    const set = setOf(within);
    const kept = rankTerms(db, index, all, deeper).filter((h) => set.has(h.id));
    if (kept.length >= k) return kept.slice(0, k);
  }
  return rankTerms(db, index, all, k, within, 'test');
}

/** Top-k rows for the query's terms: exact on small tables, pruned above (see candidateSets). */
function rankTerms(
  db: Db,
  index: FtsIndex,
  all: readonly string[],
  k: number,
  within?: readonly number[],
  how?: 'seek' | 'test',
): ScoredId[] {
  const { table } = index;
  const w = index.weights.map((x) => Number(x).toString()).join(', ');
  // `rowid IN` lets FTS5 seek each id; `+rowid IN` (not a column constraint) tests each match.
  const filter = within ? `AND ${how === 'seek' ? '' : '+'}rowid IN (SELECT value FROM json_each(?))` : '';
  const ids = within ? [JSON.stringify(within)] : [];
  const rank = (match: string): ScoredId[] =>
    db
      .prepare<(string | number)[], { id: number; s: number }>(
        `SELECT rowid AS id, bm25(${table}, ${w}) AS s FROM ${table} WHERE ${table} MATCH ? ${filter}
         ORDER BY s LIMIT ?`,
      )
      .all(match, ...ids, k)
      .map((r) => ({ id: r.id, score: -r.s }));
  if (how === 'seek') return rank(ftsMatch(all));
  const range = rowRange(db, index);
  if (range.last - range.first + 1 <= (index.exactRows ?? FREQUENT_TERM_ROWS)) return rank(ftsMatch(all));

  const terms = selectiveTerms(db, index, all, range);
  if (terms.length === 0) return [];
  const budget = Math.max(index.scoredRows ?? SCORED_ROWS, 2 * k);
  const count = countRows(db, table);
  const sets = candidateSets(terms);
  // Each of a set's queries may score all its rows.
  const fits = (set: CandidateSet): boolean => {
    const cap = Math.floor(budget / set.queries.length);
    return (set.rows ?? count(set.queries.at(-1) as string, cap + 1)) <= cap;
  };
  // The loosest set within the budget; the tightest one when none is.
  let i = sets.findIndex(fits);
  if (i < 0) i = sets.length - 1;
  for (;;) {
    const best = new Map<number, number>();
    for (const match of (sets[i] as CandidateSet).queries) {
      for (const hit of rank(match)) {
        const seen = best.get(hit.id);
        if (seen === undefined || hit.score > seen) best.set(hit.id, hit.score);
      }
    }
    // Fewer than k: loosen (each looser set holds the rows of the tighter ones).
    if (best.size >= k || i === 0) {
      return [...best]
        .map(([id, score]) => ({ id, score }))
        .sort((a, b) => b.score - a.score || a.id - b.id)
        .slice(0, k);
    }
    i--;
  }
}
