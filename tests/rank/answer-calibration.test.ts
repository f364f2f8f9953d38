import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/core/types.js';
import { type AnswerSample, answerCurve, fitAnswerCalibration } from '../../src/eval/answer-calibration.js';
import { DEFAULT_CALIBRATION, finalScores, rank } from '../../src/rank/ranker.js';

/** Deterministic labels: of n answers at first-stage p, round(n · truth(p)) are right. */
function samples(kind: AnswerSample['kind'], truth: (p: number) => number, n = 40): AnswerSample[] {
  const out: AnswerSample[] = [];
  for (const p of [0.2, 0.35, 0.5, 0.65, 0.8, 0.95]) {
    const right = Math.round(n * truth(p));
    for (let i = 0; i < n; i++) out.push({ kind, p, correct: i < right, answerable: true });
  }
  return out;
}

describe('fitAnswerCalibration', () => {
  it("fits each route's map to what its top answers turned out to be", () => {
    // The reader is overconfident on everyone else's questions: right about half as often as it says.
    const mrc = samples('mrc', (p) => p / 2);
    const kb = samples('kbqa', (p) => p);
    const { routes } = fitAnswerCalibration([...mrc, ...kb]);
    const at = (kind: 'mrc' | 'kbqa', p: number) => {
      const { a, b } = routes[kind];
      return 1 / (1 + Math.exp(-(a * Math.log(p / (1 - p)) + b)));
    };
    expect(at('mrc', 0.8)).toBeGreaterThan(0.3);
    expect(at('mrc', 0.8)).toBeLessThan(0.5);
    expect(at('kbqa', 0.8)).toBeCloseTo(0.8, 1);
    expect(routes.cqa).toEqual({ a: 1, b: 0 });
  });

  it('shifts the reader map for a few descriptive answers instead of fitting them alone', () => {
    const mrc = samples('mrc', (p) => p);
    const passages: AnswerSample[] = [0.4, 0.5, 0.55, 0.6, 0.7, 0.3].map((p, i) => ({
      kind: 'passage',
      p,
      correct: i !== 5,
      answerable: true,
    }));
    const { routes, notes } = fitAnswerCalibration([...mrc, ...passages]);
    expect(routes.passage.a).toBe(routes.mrc.a);
    expect(routes.passage.b).toBeGreaterThan(routes.mrc.b);
    expect(routes.passage.b - routes.mrc.b).toBeLessThan(3);
    expect(notes.some((n) => n.startsWith("passage: the reader's map shifted by"))).toBe(true);
  });

  it('reports coverage of the answerable and abstention on the unanswerable along the curve', () => {
    const data: AnswerSample[] = [
      { kind: 'kbqa', p: 0.9, correct: true, answerable: true },
      { kind: 'mrc', p: 0.4, correct: false, answerable: false },
      { p: 0, correct: false, answerable: true },
    ];
    const ident = { kbqa: { a: 1, b: 0 }, mrc: { a: 1, b: 0 }, passage: { a: 1, b: 0 }, cqa: { a: 1, b: 0 } };
    const half = answerCurve(data, ident).find((p) => p.threshold === 0.5);
    expect(half).toEqual({
      threshold: 0.5,
      coverage: 1 / 3,
      precision: 1,
      answerableCoverage: 0.5,
      unanswerableAbstained: 1,
    });
  });
});

describe('the second stage in the ranker', () => {
  const cand = (text: string, score: number, route: Candidate['route'], form?: 'passage'): Candidate => ({
    text,
    score,
    route,
    ...(form ? { form } : {}),
    evidence: { kind: 'sparql', query: text, entities: [], rows: 1 },
  });

  it('maps each answer by its kind and reorders them; a passage is its own kind only when a description was asked for', () => {
    const answers = {
      kbqa: { a: 1, b: 2 },
      mrc: { a: 1, b: -2 },
      cqa: { a: 1, b: 0 },
      passage: { a: 1, b: 0 },
    };
    const out = finalScores(
      [cand('span', 0.6, 'mrc'), cand('value', 0.5, 'kbqa'), cand('text', 0.6, 'mrc', 'passage')],
      answers,
      true,
    );
    expect(out.map((c) => c.text)).toEqual(['value', 'text', 'span']);
    expect(out[1]?.score).toBeCloseTo(0.6, 6);
    const guessed = finalScores([cand('text', 0.6, 'mrc', 'passage')], answers, false);
    expect(guessed[0]?.score).toBeLessThan(0.3);
  });

  it('abstains against the threshold on the final probability', () => {
    const uniform = { routeWeights: { kbqa: 1 / 3, mrc: 1 / 3, cqa: 1 / 3 } };
    const cal = {
      ...DEFAULT_CALIBRATION,
      answers: { kbqa: { a: 1, b: -3 }, mrc: { a: 1, b: 0 }, cqa: { a: 1, b: 0 } },
      threshold: 0.5,
    };
    const r = rank([cand('Nairobi', 0.9, 'kbqa')], uniform, cal, 3, ['kbqa']);
    expect(r.abstained).toBe(true);
    expect(r.reason).toMatch(/is only \d+% likely to be right, below the 50% needed/);
  });
});
