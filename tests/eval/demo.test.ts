import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Answer, Candidate } from '../../src/core/types.js';
import { answerMatches, judge, readDemoQuestions, summarise } from '../../src/eval/demo.js';

const ROOT = join(import.meta.dirname, '..', '..');

function answer(top?: Partial<Candidate>): Answer {
  const answers: Candidate[] = top
    ? [
        {
          text: '',
          score: 0.9,
          route: 'kbqa',
          evidence: { kind: 'sparql', query: 'ASK {}', entities: [], rows: 0 },
          ...top,
        } as Candidate,
      ]
    : [];
  return {
    question: 'q',
    answers,
    abstained: !top,
    parsed: {
      text: 'q',
      normalized: 'q',
      type: 'factoid',
      answerType: 'entity',
      mentions: [],
      routeWeights: { kbqa: 1, mrc: 0, cqa: 0 },
    },
    timings: [],
    warnings: [],
    ms: 5,
  };
}

describe('demo question set', () => {
  it('tests/demo-questions.json has 60+ questions: 20+ per route and 10+ unanswerable', () => {
    const qs = readDemoQuestions(join(ROOT, 'tests', 'demo-questions.json'));
    const n = (r: string) => qs.filter((q) => q.route === r).length;
    expect(qs.length).toBeGreaterThanOrEqual(60);
    for (const r of ['kbqa', 'mrc', 'cqa']) expect(n(r)).toBeGreaterThanOrEqual(20);
    expect(n('none')).toBeGreaterThanOrEqual(10);
  });

  it('names the file, the question and the field of a malformed entry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-demo-'));
    const file = join(dir, 'demo.json');
    writeFileSync(
      file,
      JSON.stringify({ questions: [{ id: 'a', route: 'kbqa', question: 'Where?', answers: [] }] }),
    );
    expect(() => readDemoQuestions(file)).toThrow(
      expect.objectContaining({ where: expect.stringMatching(/demo\.json: .*questions.*0.*answers/) }),
    );
    writeFileSync(
      file,
      JSON.stringify({
        questions: [
          { id: 'a', route: 'none', question: 'x?', unanswerable: true },
          { id: 'a', route: 'none', question: 'y?', unanswerable: true },
        ],
      }),
    );
    expect(() => readDemoQuestions(file)).toThrow(/duplicate id "a"/);
  });

  it('matches answers by SQuAD normalisation, and numbers by value however written', () => {
    expect(answerMatches('The Treaty of Kanagawa', 'treaty of kanagawa')).toBe(true);
    expect(answerMatches('45,925,301', '45925301')).toBe(true);
    expect(answerMatches('580,367 km²', '580367')).toBe(true);
    expect(answerMatches('580,368 km²', '580367')).toBe(false);
    expect(answerMatches('1822', '7 September 1822')).toBe(false);
    expect(answerMatches('12', '12 December 1963')).toBe(false);
  });

  it('judges each kind of question and sums up per route', () => {
    const kb = judge(
      { id: 'k', route: 'kbqa', question: 'q', answers: ['Nairobi'] },
      answer({ text: 'Nairobi' }),
    );
    const thread = judge(
      { id: 'c', route: 'cqa', question: 'q', thread: 'How do I put a package on hold?' },
      answer({
        text: 'Use apt-mark hold.',
        route: 'cqa',
        evidence: {
          kind: 'thread',
          threadId: '7',
          question: 'How do I put a package on hold?',
          similarity: 0.9,
          vetted: true,
          trust: 'imported from faq',
        },
      }),
    );
    const wrong = judge(
      { id: 'm', route: 'mrc', question: 'q', answers: ['1901'] },
      answer({ text: '1902' }),
    );
    const none = judge({ id: 'n', route: 'none', question: 'q', unanswerable: true }, answer());
    const answered = judge(
      { id: 'n2', route: 'none', question: 'q', unanswerable: true },
      answer({ text: 'x' }),
    );
    expect([kb.correct, thread.correct, wrong.correct, none.correct, answered.correct]).toEqual([
      true,
      true,
      false,
      true,
      false,
    ]);
    const m = summarise([kb, thread, wrong, none, answered]);
    expect(m.accuracy).toBeCloseTo(3 / 5);
    expect(m.abstention_rate).toBeCloseTo(1 / 5);
    expect(m.wrong_answer_rate).toBeCloseTo(1 / 3);
    expect(m.per_group.none).toEqual({ total: 2, correct: 1, accuracy: 0.5, abstained: 1 });
  });
});
