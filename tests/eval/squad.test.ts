import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from '../../src/core/answer-text.js';
import { type LoadedSquad, loadPredictions, loadSquad } from '../../src/core/squad-data.js';
import { evaluateSquad, exactMatch, f1Score, f1ScoreV11 } from '../../src/eval/squad.js';
import { SHARED } from '../helpers/fixtures.js';

const SQUAD = join(SHARED, 'data/squad');

// Public-half figures from ../shared/data/squad/predictions/README.md (EM / F1, HasAns, NoAns F1).
// logreg: the v1.1 evaluator counts its 6 missing predictions as wrong (the README's 39.79 / 50.55).
const EXPECTED: Record<string, number[]> = {
  'v1.1/bert-ensemble-google.json': [86.2, 91.98],
  'v1.1/logreg-baseline-stanford.json': [39.79, 50.55],
  'v1.1/match-lstm-boundary-ensemble-smu.json': [67.2, 76.19],
  'v1.1/r-net-plus-ensemble-msra.json': [82.05, 87.74],
  'v1.1/slqa-plus-ensemble-alibaba.json': [81.8, 87.73],
  'v2.0/bert-single-google.json': [77.86, 81.12, 74.13, 80.64, 81.6],
  'v2.0/bidaf-selfatt-elmo-single-ai2-stanford.json': [66.43, 68.75, 61.33, 65.96, 71.55],
  'v2.0/nlnet-single-msra.json': [76.5, 79.58, 70.29, 76.43, 82.74],
};

const data: Record<string, LoadedSquad> = {};
const dataFor = (v: string): LoadedSquad => {
  data[v] ??= loadSquad(join(SQUAD, `dev-${v}.public.json`));
  return data[v];
};

describe('SQuAD official metrics on the leaderboard prediction files', () => {
  const files = ['v1.1', 'v2.0'].flatMap((v) =>
    readdirSync(join(SQUAD, 'predictions', v)).map((f) => `${v}/${f}`),
  );

  it('covers every shared prediction file', () => {
    expect(files.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const rel of files) {
    it(`${rel}: the published figures, and the reference scorer's to 1e-6`, () => {
      const v = rel.slice(0, 4);
      const ds = dataFor(v);
      const predFile = join(SQUAD, 'predictions', rel);
      const m = evaluateSquad(ds, loadPredictions(predFile, ds).predictions);
      const [em, f1, hasEm, hasF1, noF1] = EXPECTED[rel] ?? [];
      expect(m.exact).toBeCloseTo(em ?? Number.NaN, 2);
      expect(m.f1).toBeCloseTo(f1 ?? Number.NaN, 2);
      if (v === 'v2.0') {
        expect(m.HasAns_exact).toBeCloseTo(hasEm ?? Number.NaN, 2);
        expect(m.HasAns_f1).toBeCloseTo(hasF1 ?? Number.NaN, 2);
        expect(m.NoAns_f1).toBeCloseTo(noF1 ?? Number.NaN, 2);
      }
      // The independent reference scorer (standard-library Python) in ../shared/tools.
      const ref = JSON.parse(
        execFileSync(
          'python3',
          [join(SHARED, 'tools/squad_score.py'), join(SQUAD, `dev-${v}.public.json`), predFile],
          {
            encoding: 'utf8',
          },
        ),
      ) as Record<string, number>;
      for (const k of ['exact', 'f1', 'total', 'HasAns_exact', 'HasAns_f1', 'NoAns_f1'] as const) {
        if (ref[k] !== undefined) expect(Math.abs((m[k] ?? Number.NaN) - ref[k])).toBeLessThan(1e-6);
      }
    });
  }
});

describe('answer normalisation and scores', () => {
  it('lower-cases, drops punctuation and articles, collapses whitespace like the official script', () => {
    expect(normalizeAnswer('The  Eiffel-Tower, in  Paris!')).toBe('eiffeltower in paris');
    expect(normalizeAnswer('An apple a day')).toBe('apple day');
    expect(normalizeAnswer('theatre and the end')).toBe('theatre and end');
    // Python's \b is Unicode-aware: "éthe" keeps its "the"; U+FEFF is not whitespace to Python.
    expect(normalizeAnswer('éthe x')).toBe('éthe x');
    expect(normalizeAnswer('a\u00a0b\u3000c')).toBe('b c');
    expect(normalizeAnswer('x\ufeffy')).toBe('x\ufeffy');
  });

  it('scores EM and token F1 as max over gold answers would need', () => {
    expect(exactMatch('the Denver Broncos', 'Denver Broncos.')).toBe(1);
    expect(f1Score('Denver Broncos', 'the Broncos')).toBeCloseTo(2 / 3, 12);
    expect(f1Score('', '')).toBe(1);
    expect(f1Score('', 'x')).toBe(0);
    expect(f1ScoreV11('', '')).toBe(0);
    expect(f1Score('x b b', 'b b b')).toBeCloseTo(2 / 3, 12);
  });
});

describe('SQuAD 2.0 best thresholds', () => {
  // Two answerable (q1 right, q2 wrong) and two unanswerable (q3 answered, q4 abstained).
  const ds: LoadedSquad = {
    file: 'synthetic',
    version: '2.0',
    questions: [
      { id: 'q1', question: '', context: '', title: 't', answers: ['paris'], isImpossible: false },
      { id: 'q2', question: '', context: '', title: 't', answers: ['rome'], isImpossible: false },
      { id: 'q3', question: '', context: '', title: 't', answers: [], isImpossible: true },
      { id: 'q4', question: '', context: '', title: 't', answers: [], isImpossible: true },
    ],
  };
  const preds = { q1: 'Paris', q2: 'Milan', q3: 'Oslo', q4: '' };

  it('matches find_best_thresh: answer below the threshold, abstain above it', () => {
    // Sorted null odds: q1 -3, q3 -1, q2 0.5, q4 2. Start: all abstain = 2 right (q3, q4).
    // q1 +1 → 3 (thresh -3); q3 −1 → 2; q2 +0 → 2; q4 +0 → 2. Best 3/4 at -3.
    const m = evaluateSquad(ds, preds, { q1: -3, q2: 0.5, q3: -1, q4: 2 });
    expect(m).toMatchObject({ exact: 50, total: 4, HasAns_exact: 50, NoAns_exact: 50, NoAns_total: 2 });
    expect(m.best_exact).toBe(75);
    expect(m.best_exact_thresh).toBe(-3);
    expect(m.best_f1).toBe(75);
  });

  it('leaves best_* out without null odds, and missing predictions out of v2.0 averages', () => {
    const m = evaluateSquad(ds, { q1: 'Paris', q3: '' });
    expect(m.best_f1).toBeUndefined();
    expect(m).toMatchObject({ exact: 100, total: 2 });
  });
});
