import { describe, expect, it } from 'vitest';
import type { Candidate, RouteName } from '../../src/core/types.js';
import { calibrated, DEFAULT_CALIBRATION, mergeCandidates, priorOver, rank } from '../../src/rank/ranker.js';

const passage = (text: string, score: number, docId = 'd'): Candidate => ({
  text,
  score,
  route: 'mrc',
  evidence: { kind: 'passage', docId, passage: `… ${text} …`, start: 2, end: 2 + text.length, reader: 'r' },
});
const thread = (text: string, score: number): Candidate => ({
  text,
  score,
  route: 'cqa',
  evidence: {
    kind: 'thread',
    threadId: '1',
    question: 'q',
    similarity: score,
    vetted: true,
    trust: 'accepted answer',
  },
});
const uniform = { routeWeights: { kbqa: 1 / 3, mrc: 1 / 3, cqa: 1 / 3 } };

describe('mergeCandidates', () => {
  it('merges answers equal after SQuAD normalisation, keeping the best evidence and the rest as support', () => {
    const merged = mergeCandidates([
      passage('The Nile', 0.5, 'a'),
      passage('nile', 0.4, 'b'),
      thread('Amazon', 0.6),
    ]);
    expect(merged.map((c) => c.text)).toEqual(['The Nile', 'Amazon']);
    expect(merged[0]?.score).toBeCloseTo(1 - 0.5 * 0.6, 6);
    expect(merged[0]?.support).toEqual([expect.objectContaining({ docId: 'b' })]);
  });

  it('counts two spans of one passage once, in the score and in the support', () => {
    const a = passage('5,199 metres', 0.6, 'k');
    const sameSource = { ...passage('5,199 metres.', 0.5, 'k'), evidence: { ...a.evidence, end: 15 } };
    const merged = mergeCandidates([sameSource, a, passage('5,199 metres', 0.3, 'other')]);
    expect(merged).toHaveLength(1);
    expect(merged[0]?.text).toBe('5,199 metres');
    expect(merged[0]?.score).toBeCloseTo(1 - 0.4 * 0.7, 6);
    expect(merged[0]?.support).toEqual([expect.objectContaining({ docId: 'other' })]);
    expect(mergeCandidates([a, sameSource])).toEqual([a]);
  });

  it("keeps the support a route already gathered, the lead's and the merged ones'", () => {
    const lead = { ...passage('Nile', 0.5, 'a'), support: [passage('Nile', 0.1, 'a2').evidence] };
    const other = { ...thread('nile', 0.3), support: [passage('Nile', 0.1, 'c2').evidence] };
    const [merged] = mergeCandidates([lead, other]);
    expect(merged?.support?.map((e) => (e.kind === 'passage' ? e.docId : e.kind))).toEqual([
      'a2',
      'thread',
      'c2',
    ]);
  });
});

describe('calibrated', () => {
  it('is the raw score under uniform routing and default parameters', () => {
    expect(calibrated(0.7, 'mrc', 1 / 3, DEFAULT_CALIBRATION)).toBeCloseTo(0.7, 6);
  });

  it('lets the router move a score, but never hide a route that is sure', () => {
    const doubted = calibrated(0.99, 'mrc', 0, DEFAULT_CALIBRATION);
    expect(doubted).toBeLessThan(0.99);
    expect(doubted).toBeGreaterThan(0.97);
    expect(calibrated(0.5, 'kbqa', 1, DEFAULT_CALIBRATION)).toBeGreaterThan(0.5);
  });

  it('does not let the router doubt a KB answer whose query matched the question well', () => {
    // A near-perfect match: the router's 0 weighs nothing.
    expect(calibrated(0.96, 'kbqa', 0, DEFAULT_CALIBRATION)).toBeCloseTo(0.96, 6);
    // A weak match: the router's doubt applies in full, as for any route.
    expect(calibrated(0.5, 'kbqa', 0, DEFAULT_CALIBRATION)).toBeCloseTo(
      calibrated(0.5, 'mrc', 0, DEFAULT_CALIBRATION),
      6,
    );
    const between = calibrated(0.8, 'kbqa', 0, DEFAULT_CALIBRATION);
    expect(between).toBeGreaterThan(calibrated(0.8, 'mrc', 0, DEFAULT_CALIBRATION));
    expect(between).toBeLessThan(0.8);
  });
});

describe('priorOver', () => {
  const sure = { kbqa: 0.001, mrc: 0.989, cqa: 0.01 };
  it('is the router weights when every route has data', () => {
    expect(priorOver(sure, ['kbqa', 'mrc', 'cqa'])).toEqual(sure);
  });
  it('renormalises over the routes present: the only route there is cannot be vetoed', () => {
    expect(priorOver(sure, ['kbqa'])).toEqual({ kbqa: 1, mrc: 0, cqa: 0 });
    const two = priorOver(sure, ['kbqa', 'cqa']);
    expect(two.kbqa + two.cqa).toBeCloseTo(1, 9);
    expect(two.cqa).toBeCloseTo(0.01 / 0.011, 9);
  });
});

describe('rank', () => {
  const ran: RouteName[] = ['mrc', 'cqa'];

  it('answers when the best candidate clears the threshold, best first, at most topK', () => {
    const r = rank(
      [passage('a', 0.2), passage('b', 0.9), thread('c', 0.5)],
      uniform,
      DEFAULT_CALIBRATION,
      2,
      ran,
    );
    expect(r.abstained).toBe(false);
    expect(r.answers.map((c) => c.text)).toEqual(['b', 'c']);
  });

  it('abstains with the reason when nothing is likely enough, or nothing was found', () => {
    const low = rank([passage('a', 0.1)], uniform, DEFAULT_CALIBRATION, 5, ran, ['kbqa', 'mrc', 'cqa']);
    expect(low).toMatchObject({ abstained: true, answers: [] });
    expect(low.reason).toMatch(/"a" \(mrc\), is only 10% likely to be right, below the 30% needed/);
    const none = rank([], uniform, DEFAULT_CALIBRATION, 5, ran);
    expect(none.reason).toBe('no candidate answer was found (mrc, cqa searched)');
  });
});
