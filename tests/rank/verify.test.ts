import { describe, expect, it } from 'vitest';
import type { Candidate, ParsedQuestion, QuestionScope } from '../../src/core/types.js';
import { analyse } from '../../src/parse/analyse.js';
import { verify } from '../../src/rank/verify.js';

const parsed = (q: string): ParsedQuestion => ({
  ...analyse(q),
  routeWeights: { kbqa: 1 / 3, mrc: 1 / 3, cqa: 1 / 3 },
});
const scope = (s: Partial<QuestionScope> = {}): QuestionScope => ({ about: [], named: [], ...s });
const opts = { asOf: 2015, thisYear: 2026 };

function span(text: string, title: string, passage: string): Candidate {
  const start = Math.max(0, passage.indexOf(text));
  return {
    text,
    score: 0.8,
    route: 'mrc',
    evidence: { kind: 'passage', docId: 'd', title, passage, start, end: start + text.length, reader: 'r' },
  };
}

function kb(text: string, labels: string[] = []): Candidate {
  return {
    text,
    score: 0.9,
    route: 'kbqa',
    evidence: {
      kind: 'sparql',
      query: 'SELECT …',
      rows: 1,
      entities: labels.map((label) => ({
        mention: label,
        start: 0,
        end: 0,
        iri: `urn:${label}`,
        label,
        score: 1,
      })),
    },
  };
}

function thread(question: string, text: string): Candidate {
  return {
    text,
    score: 0.7,
    route: 'cqa',
    evidence: {
      kind: 'thread',
      threadId: '1',
      question,
      similarity: 0.7,
      vetted: true,
      trust: 'imported from faq',
    },
  };
}

const failed = (c: Candidate, q: string, s = scope()) =>
  verify(c, parsed(q), s, opts)
    .checks.filter((x) => !x.passed)
    .map((x) => x.check);

describe('verify: time scope', () => {
  const qatar = span('Doha', 'Qatar — Background', 'Qatar will host the World Cup in Doha.');

  it('removes answers to questions about years after the data, and says why', () => {
    const v = verify(qatar, parsed('Who won the 2022 World Cup?'), scope(), opts);
    expect(v.factor).toBe(0);
    expect(v.checks.find((c) => c.check === 'time-scope')?.detail).toBe(
      'the question is about 2022; the data is from 2015',
    );
  });

  it('removes answers about tomorrow, and about "now" in an archive years old', () => {
    expect(failed(kb('tropical', ['Paris']), "What's the weather in Paris tomorrow?")).toContain(
      'time-scope',
    );
    expect(failed(kb('Uhuru KENYATTA', ['Kenya']), 'who is the current president of Kenya')).toContain(
      'time-scope',
    );
    expect(
      verify(kb('Uhuru KENYATTA', ['Kenya']), parsed('who is the current president of Kenya'), scope(), {
        asOf: 2026,
        thisYear: 2026,
      }).factor,
    ).toBe(1);
  });

  it('keeps years the data covers, and evidence that speaks of the asked time itself', () => {
    expect(
      failed(span('1905', 'Norway — Background', 'a 1905 referendum'), 'What happened in Norway in 1905?'),
    ).toEqual([]);
    const current = thread('How can I get a current list of programs?', 'See the packages site.');
    expect(failed(current, 'how do I get a current list of debian programs')).not.toContain('time-scope');
  });
});

describe('verify: entity', () => {
  it('lowers a passage about another subject than the one asked about', () => {
    const c = span('rugged mountains', 'San Marino — Terrain', 'rugged mountains');
    const v = verify(
      c,
      parsed('what is the terrain of switzerland like'),
      scope({ about: ['switzerland'] }),
      opts,
    );
    expect(v.factor).toBeLessThan(0.5);
    expect(v.checks[0]?.detail).toBe('the passage is about San Marino, the question about switzerland');
  });

  it('lowers evidence that never names what nothing in the workspace knows', () => {
    const c = span('Wellington', 'New Zealand — Background', 'Its capital is Wellington.');
    expect(failed(c, 'What is the capital of Wakanda?', scope({ named: ['Wakanda'] }))).toContain('entity');
    const named = span('Wakanda City', 'Comics — Places', 'The capital of Wakanda is Wakanda City.');
    expect(failed(named, 'What is the capital of Wakanda?', scope({ named: ['Wakanda'] }))).toEqual([]);
  });
});

describe('verify: answer type', () => {
  it('wants a name for "who", a date for "when", a number for "how many"', () => {
    expect(
      failed(kb('parliamentary government took power in March 2011'), 'who ran the government'),
    ).toContain('answer-type');
    expect(failed(kb('Jomo KENYATTA'), 'who was the first president')).toEqual([]);
    expect(failed(kb('communist forces under Ho Chi MINH'), 'who defeated the French')).toEqual([]);
    expect(failed(kb('Nairobi'), 'when did it become independent')).toContain('answer-type');
    expect(failed(kb('5 July 1975'), 'when did it become independent')).toEqual([]);
    expect(failed(kb('Nairobi'), 'how many people live there')).toContain('answer-type');
    expect(failed(kb('45,925,301'), 'how many people live there')).toEqual([]);
  });

  it('fails a thread asking for another kind of thing, and a KB value for a description', () => {
    const earth = thread('Where is Google Earth?', 'It is on the web site.');
    expect(failed(earth, 'who is the ceo of google')).toContain('answer-type');
    expect(failed(kb('545,993'), 'Why is the population of Cabo Verde small?')).toContain('answer-type');
  });
});

describe('verify: coverage', () => {
  it('lowers read evidence that holds none of what the question asks about', () => {
    const c = span('eight', 'Turks and Caicos Islands — Geography note', 'some 40 islands (eight inhabited)');
    expect(failed(c, 'how many players are on a football team')).toContain('coverage');
    const ok = span('1905', 'Norway — Background', 'a 1905 referendum granting Norway independence');
    expect(failed(ok, 'In what year did a referendum grant Norway independence?')).toEqual([]);
  });
});
