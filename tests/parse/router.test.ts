import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QaError } from '../../src/core/errors.js';
import type { RouteName } from '../../src/core/types.js';
import { topRoute } from '../../src/eval/routing.js';
import { analyse } from '../../src/parse/analyse.js';
import {
  QuestionParser,
  type RouterExample,
  RouterModel,
  readRouterFile,
  routerFeatures,
  writeRouterFile,
} from '../../src/parse/router.js';

const SHIPPED = new URL('../../models/router/router.json', import.meta.url).pathname;
const sum = (w: Record<RouteName, number>) => w.kbqa + w.mrc + w.cqa;

const films = ['Heat', 'Alien', 'Vertigo', 'Jaws', 'Rocky', 'Psycho', 'Fargo', 'Brazil', 'Tron', 'Big'];
const TINY: RouterExample[] = [
  ...films.map((f) => ({
    text: `what movies were directed by the director of ${f}`,
    route: 'kbqa' as const,
  })),
  ...films.map((f) => ({
    text: `who acted in the films written by the writer of ${f}`,
    route: 'kbqa' as const,
  })),
  ...films.map((f) => ({
    text: `In what year was the ${f} treaty signed according to the passage?`,
    route: 'mrc' as const,
  })),
  ...films.map((f) => ({ text: `What did the ${f} committee publish in 1923?`, route: 'mrc' as const })),
  ...films.map((f) => ({
    text: `Hi all; can anyone recommend a good ${f} shop in Doha? Thanks!!`,
    route: 'cqa' as const,
  })),
  ...films.map((f) => ({
    text: `Best ${f} in Qatar. Any suggestions where to get one? plz advise`,
    route: 'cqa' as const,
  })),
];

describe('router features', () => {
  it('are sparse, hashed into 2^18 buckets, and the same for the same question', () => {
    const a = routerFeatures(analyse('What is the capital of Kenya?'));
    expect(a.index.length).toBe(a.value.length);
    expect(new Set(a.index).size).toBe(a.index.length);
    expect(a.index.every((i) => Number.isInteger(i) && i >= 0 && i < 2 ** 18)).toBe(true);
    expect(routerFeatures(analyse('What is the capital of Kenya?'))).toEqual(a);
  });

  it('ignore MetaQA topic brackets', () => {
    const plain = routerFeatures(analyse('what movies did joel zwick direct'));
    const marked = routerFeatures(analyse('what movies did [joel zwick] direct'));
    expect(marked.value.reduce((s, v) => s + v, 0)).toBeCloseTo(
      plain.value.reduce((s, v) => s + v, 0),
      9,
    );
  });
});

describe('RouterModel', () => {
  const model = RouterModel.train(TINY, { epochs: 20, minCount: 1 });
  const parser = new QuestionParser(model);

  it('learns a tiny set and routes unseen questions of the same kinds', () => {
    for (const e of TINY) expect(topRoute(parser.parse(e.text).routeWeights)).toBe(e.route);
    expect(
      topRoute(parser.parse('what movies were directed by the director of Casablanca').routeWeights),
    ).toBe('kbqa');
    expect(topRoute(parser.parse('What did the Versailles committee publish in 1919?').routeWeights)).toBe(
      'mrc',
    );
    expect(
      topRoute(parser.parse('Hi all; can anyone recommend a good bicycle shop in Doha?').routeWeights),
    ).toBe('cqa');
  });

  it('is deterministic and survives the file round trip exactly', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-router-'));
    const file = join(dir, 'router.json');
    writeRouterFile(file, model, { trainedOn: 'tiny', trainSize: TINY.length, testSize: 0 });
    const again = RouterModel.train(TINY, { epochs: 20, minCount: 1 });
    const loaded = QuestionParser.load(file);
    for (const q of ['Who directed Heat?', 'any good shops?', 'What did the committee publish?']) {
      const w = parser.parse(q).routeWeights;
      expect(loaded.parse(q).routeWeights).toEqual(w);
      expect(new QuestionParser(again).parse(q).routeWeights).toEqual(w);
    }
  });
});

describe('QuestionParser', () => {
  it('falls back to uniform weights when the model file is missing', () => {
    const parser = QuestionParser.load(join(tmpdir(), 'no-such-folder', 'router.json'));
    const pq = parser.parse('What is the capital of Kenya?');
    expect(pq.routeWeights).toEqual({ kbqa: 1 / 3, mrc: 1 / 3, cqa: 1 / 3 });
    expect(pq).toMatchObject({ type: 'factoid', answerType: 'place', mentions: [{ text: 'Kenya' }] });
  });

  it('rejects a malformed file, naming the file and the field', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'qa-router-')), 'router.json');
    writeFileSync(file, JSON.stringify({ format: 'qa-router/1', features: 'other' }));
    expect(() => QuestionParser.load(file)).toThrow(QaError);
    const err = (() => {
      try {
        readRouterFile(file);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({
      where: `${file}: features`,
      message: expect.stringMatching(/qa train router/),
    });
  });

  describe('with the shipped model', () => {
    const parser = QuestionParser.load(SHIPPED);

    it.each([
      ['what movies did Joel Zwick direct', 'kbqa'],
      ['who are the actors in the films directed by the director of [Vertigo]', 'kbqa'],
      ['What year did the Eiffel Tower open to the public?', 'mrc'],
      ['When was the University of Notre Dame founded?', 'mrc'],
      ['Can anyone recommend a good dentist in Doha? Thanks in advance', 'cqa'],
      ['How to make text strikethrough in github markdown?', 'cqa'],
    ])('%s → %s', (q, route) => {
      const pq = parser.parse(q);
      expect(topRoute(pq.routeWeights)).toBe(route);
      expect(sum(pq.routeWeights)).toBeCloseTo(1, 12);
      for (const w of Object.values(pq.routeWeights)) expect(w).toBeGreaterThanOrEqual(0);
    });
  });
});
