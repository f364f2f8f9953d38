/**
 * The pruned BM25 path (src/retrieval/bm25.ts, above `exactRows`) on a small FTS5 table with planted
 * term frequencies, the thresholds lowered so that every kind of candidate set is taken: its top-k
 * must be the exhaustive ranking's, with the same scores.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/core/database.js';
import { type FtsIndex, type ScoredId, searchFts } from '../../src/retrieval/bm25.js';

const ROWS = 3000;
/** Planted words and the rows that hold them (every row also has filler words). */
const PLANTED: [string, (i: number) => boolean][] = [
  ['alpha', (i) => i % 100 === 0],
  ['beta', (i) => i % 7 === 0],
  ['gamma', (i) => i % 5 === 0],
  ['delta', (i) => i % 3 === 0],
  ['epsilon', (i) => i % 11 === 0],
  ['zeta', (i) => i % 50 === 0],
];

let db: Db;
const base = { table: 'rows_fts', rows: 'rows', weights: [2, 1] };
const exhaustive: FtsIndex = { ...base, exactRows: Number.POSITIVE_INFINITY };
/** Prunes from 100 rows on and lets a query score about 100 rows. */
const pruned: FtsIndex = { ...base, exactRows: 100, scoredRows: 100 };

function setUp(): Db {
  const d = openDatabase(':memory:', [
    {
      id: 't',
      sql: `CREATE TABLE rows (id INTEGER PRIMARY KEY);
            CREATE VIRTUAL TABLE rows_fts USING fts5(title, text, content='', contentless_delete=1,
              tokenize='porter unicode61 remove_diacritics 2');`,
    },
  ]);
  let seed = 7;
  const rand = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const addRow = d.prepare('INSERT INTO rows (id) VALUES (?)');
  const addFts = d.prepare('INSERT INTO rows_fts (rowid, title, text) VALUES (?, ?, ?)');
  d.transaction(() => {
    for (let i = 1; i <= ROWS; i++) {
      const words = Array.from({ length: 5 + Math.floor(rand() * 40) }, () => `w${Math.floor(rand() * 300)}`);
      for (const [word, holds] of PLANTED) {
        if (holds(i)) words.splice(Math.floor(rand() * words.length), 0, word);
      }
      addRow.run(i);
      addFts.run(i, i % 10 === 0 ? 'kenya' : '', words.join(' '));
    }
  })();
  return d;
}

/**
 * The exhaustive ranking's top-k scores, in order, and every hit scored as the exhaustive ranking
 * scores it; `among`: only rows that MATCH it compete (the candidate set a loosened query ranks).
 */
function expectExact(hits: ScoredId[], text: string, k: number, among?: string) {
  const all = new Map(searchFts(db, exhaustive, text, ROWS).map((h) => [h.id, h.score]));
  const admitted = among
    ? new Set(
        db.prepare<[string], number>('SELECT rowid FROM rows_fts WHERE rows_fts MATCH ?').pluck().all(among),
      )
    : undefined;
  const top = [...all].filter(([id]) => !admitted || admitted.has(id)).slice(0, k);
  expect(hits).toHaveLength(top.length);
  hits.forEach((h, i) => {
    expect(h.score).toBeCloseTo(top[i]?.[1] as number, 9);
    expect(all.get(h.id)).toBeCloseTo(h.score, 9);
  });
}

describe('pruned BM25', () => {
  beforeAll(() => {
    db = setUp();
  });
  afterAll(() => db.close());

  it('gives a row admitted by an AND of OR groups the bm25() of the plain OR (what pruning relies on)', () => {
    const score = (match: string) =>
      new Map(
        db
          .prepare<[string], { id: number; s: number }>(
            'SELECT rowid AS id, bm25(rows_fts, 2, 1) AS s FROM rows_fts WHERE rows_fts MATCH ?',
          )
          .all(match)
          .map((r) => [r.id, r.s]),
      );
    const plain = score('"alpha" OR "beta" OR "gamma" OR "delta"');
    for (const match of [
      '("alpha" OR "beta") AND ("gamma" OR "delta")',
      '"beta" AND "delta" AND ("alpha" OR "gamma")',
    ]) {
      const grouped = score(match);
      expect(grouped.size).toBeGreaterThan(0);
      for (const [id, s] of grouped) expect(s).toBeCloseTo(plain.get(id) as number, 9);
    }
  });

  it('ranks exhaustively up to exactRows', () => {
    const text = 'alpha beta gamma delta';
    expect(searchFts(db, { ...pruned, exactRows: ROWS }, text, 10)).toEqual(
      searchFts(db, exhaustive, text, 10),
    );
  });

  it('scores only the rows holding the rarest terms, and finds the exhaustive top-k', () => {
    // alpha: 30 rows, within the budget; the others only add to those rows' scores.
    expectExact(searchFts(db, pruned, 'alpha beta gamma delta', 10), 'alpha beta gamma delta', 10);
  });

  it('requires the rarest terms together when even the rarest alone is too common', () => {
    // epsilon (272 rows) and beta (428) together: 38 rows.
    expectExact(searchFts(db, pruned, 'epsilon beta delta', 10), 'epsilon beta delta', 10);
  });

  it('loosens the candidate set when it holds fewer than k rows', () => {
    // 38 rows with epsilon and beta < 50: every row with epsilon competes, and only those (a row
    // without it can outscore the 50th, which is what pruning gives up).
    const hits = searchFts(db, pruned, 'epsilon beta delta', 50);
    expectExact(hits, 'epsilon beta delta', 50, '"epsilon"');
  });

  it('ranks every matching row when the terms hold few enough rows', () => {
    // 30 + 60 rows.
    expectExact(searchFts(db, pruned, 'alpha zeta', 10), 'alpha zeta', 10);
  });

  it('leaves out terms in no row, and keeps hostile input mere words', () => {
    expectExact(searchFts(db, pruned, 'epsilon zzyzx beta delta', 10), 'epsilon beta delta', 10);
    for (const text of [
      '"epsilon" NEAR(beta delta',
      'epsilon* ^beta title:delta )(',
      "epsilon's beta's delta",
    ]) {
      expect(() => searchFts(db, pruned, text, 10)).not.toThrow();
    }
    expect(searchFts(db, pruned, 'zzyzx', 10)).toEqual([]);
  });
});
