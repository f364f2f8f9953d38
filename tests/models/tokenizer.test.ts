import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WordPieceTokenizer } from '../../src/models/tokenizer.js';

const dir = new URL('../fixtures/tokenizer/', import.meta.url).pathname;

interface Case {
  text: string;
  tokens: string[];
  ids: number[];
  offsets: [number, number][];
}
const cases = JSON.parse(readFileSync(`${dir}cases.json`, 'utf8')) as Record<'uncased' | 'cased', Case[]>;

const tokenizers = {
  uncased: WordPieceTokenizer.fromVocabFile(`${dir}uncased-vocab.txt`, { lowercase: true }),
  cased: WordPieceTokenizer.fromVocabFile(`${dir}cased-vocab.txt`, { lowercase: false }),
};

describe('WordPieceTokenizer matches Hugging Face BertTokenizerFast', () => {
  for (const flavour of ['uncased', 'cased'] as const) {
    for (const c of cases[flavour]) {
      it(`${flavour}: ${JSON.stringify(c.text.slice(0, 40))}`, () => {
        const got = tokenizers[flavour].tokenize(c.text);
        expect(got.map((t) => t.text)).toEqual(c.tokens);
        expect(got.map((t) => t.id)).toEqual(c.ids);
        expect(got.map((t) => [t.start, t.end])).toEqual(c.offsets);
      });
    }
  }
});

describe('WordPieceTokenizer offsets', () => {
  const tok = tokenizers.uncased;

  it('cuts the original text back out, accents and case intact', () => {
    const text = 'Le Café de Flore, à Paris.';
    const spans = tok.tokenize(text).map((t) => text.slice(t.start, t.end));
    expect(spans).toEqual(['Le', 'Café', 'de', 'Fl', 'ore', ',', 'à', 'Paris', '.']);
  });

  it('keeps surrogate pairs whole in an unknown token', () => {
    const text = 'a 😀 b';
    const unk = tok.tokenize(text).find((t) => t.text === '[UNK]');
    expect(unk && text.slice(unk.start, unk.end)).toBe('😀');
  });

  it('turns a word over 100 characters into one [UNK] covering all of it', () => {
    const word = 'x'.repeat(101);
    expect(tok.tokenize(`a ${word} b`)).toEqual([
      expect.objectContaining({ text: 'a' }),
      { id: tok.special.unk, text: '[UNK]', start: 2, end: 103 },
      expect.objectContaining({ text: 'b', start: 104, end: 105 }),
    ]);
  });

  it('returns no tokens for whitespace and control characters only', () => {
    expect(tok.tokenize(' \t\n\u0000\u200b ')).toEqual([]);
  });

  it('names the file it cannot read', () => {
    expect(() => WordPieceTokenizer.fromVocabFile('/nonexistent/vocab.txt', { lowercase: true })).toThrow(
      /cannot read vocabulary/,
    );
  });
});
