/**
 * BERT WordPiece tokenizer that keeps every token's character span in the original text.
 *
 * Same rules as BERT's BasicTokenizer + WordpieceTokenizer (and Hugging Face's BertNormalizer /
 * BertPreTokenizer): drop control characters, whitespace-split, split off punctuation and CJK
 * ideographs, optionally lower-case and strip accents, then greedy longest-match WordPiece.
 * Normalisation happens one code point at a time so every normalised character remembers the
 * original code point it came from; offsets are JS string (UTF-16) indices into the input.
 */
import { readFileSync } from 'node:fs';
import { QaError } from '../core/errors.js';

export interface Token {
  id: number;
  text: string;
  /** Character span [start, end) of the token in the original string. */
  start: number;
  end: number;
}

export interface WordPieceOptions {
  lowercase: boolean;
  /** Defaults to `lowercase`, as in BERT. */
  stripAccents?: boolean;
  unkToken?: string;
  maxCharsPerWord?: number;
}

export interface SpecialIds {
  cls: number;
  sep: number;
  pad: number;
  unk: number;
}

/** A normalised character and the original span it came from. */
interface NormChar {
  ch: string;
  start: number;
  end: number;
}

const CONTROL = /^\p{C}$/u;
const WHITESPACE = /^[\t\n\r\p{Zs}]$/u;
const PUNCT = /^\p{P}$/u;
const COMBINING_MARK = /\p{Mn}/gu;

function isWhitespace(ch: string): boolean {
  return ch === ' ' || WHITESPACE.test(ch);
}

function isControl(ch: string): boolean {
  if (ch === '\t' || ch === '\n' || ch === '\r') return false;
  return CONTROL.test(ch);
}

/** BERT treats all non-alphanumeric ASCII as punctuation, plus Unicode P* categories. */
function isPunctuation(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  if (
    (cp >= 33 && cp <= 47) ||
    (cp >= 58 && cp <= 64) ||
    (cp >= 91 && cp <= 96) ||
    (cp >= 123 && cp <= 126)
  ) {
    return true;
  }
  return PUNCT.test(ch);
}

/** The CJK Unified Ideographs blocks, exactly as in BERT's `_is_chinese_char`. */
function isCjk(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b820 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

export class WordPieceTokenizer {
  readonly lowercase: boolean;
  readonly stripAccents: boolean;
  readonly special: SpecialIds;
  private readonly vocab: ReadonlyMap<string, number>;
  private readonly unkToken: string;
  private readonly maxCharsPerWord: number;

  constructor(vocab: ReadonlyMap<string, number>, opts: WordPieceOptions) {
    this.vocab = vocab;
    this.lowercase = opts.lowercase;
    this.stripAccents = opts.stripAccents ?? opts.lowercase;
    this.unkToken = opts.unkToken ?? '[UNK]';
    this.maxCharsPerWord = opts.maxCharsPerWord ?? 100;
    const need = (tok: string): number => {
      const id = vocab.get(tok);
      if (id === undefined) throw new QaError('bad_input', `vocabulary has no ${tok} token`);
      return id;
    };
    this.special = { cls: need('[CLS]'), sep: need('[SEP]'), pad: need('[PAD]'), unk: need(this.unkToken) };
  }

  /** Reads a `vocab.txt` (one token a line, id = line number). */
  static fromVocabFile(path: string, opts: WordPieceOptions): WordPieceTokenizer {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new QaError('not_found', 'cannot read vocabulary file', { where: path, cause: e });
    }
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const vocab = new Map<string, number>();
    lines.forEach((line, i) => {
      const tok = line.endsWith('\r') ? line.slice(0, -1) : line;
      if (!vocab.has(tok)) vocab.set(tok, i);
    });
    return new WordPieceTokenizer(vocab, opts);
  }

  get vocabSize(): number {
    return this.vocab.size;
  }

  /** Whether `word` is one whole token of the vocabulary: an ordinary word of the language. */
  hasWord(word: string): boolean {
    return this.vocab.has(this.lowercase ? word.toLowerCase() : word);
  }

  tokenize(text: string): Token[] {
    const tokens: Token[] = [];
    for (const word of this.splitWords(this.normalize(text))) this.wordPiece(word, tokens);
    return tokens;
  }

  /** Clean, lower-case and strip accents code point by code point, keeping original spans. */
  private normalize(text: string): NormChar[] {
    const out: NormChar[] = [];
    let i = 0;
    for (const cp of text) {
      const start = i;
      i += cp.length;
      const code = cp.codePointAt(0) ?? 0;
      if (code === 0 || code === 0xfffd || isControl(cp)) continue;
      if (isWhitespace(cp)) {
        out.push({ ch: ' ', start, end: i });
        continue;
      }
      let norm = this.lowercase ? cp.toLowerCase() : cp;
      if (this.stripAccents) norm = norm.normalize('NFD').replace(COMBINING_MARK, '');
      for (const ch of norm) out.push({ ch, start, end: i });
    }
    return out;
  }

  /** Whitespace split, then punctuation and CJK characters each become a word of their own. */
  private splitWords(chars: NormChar[]): NormChar[][] {
    const words: NormChar[][] = [];
    let cur: NormChar[] = [];
    const flush = (): void => {
      if (cur.length > 0) words.push(cur);
      cur = [];
    };
    for (const c of chars) {
      if (c.ch === ' ') {
        flush();
      } else if (isPunctuation(c.ch) || isCjk(c.ch.codePointAt(0) ?? 0)) {
        flush();
        words.push([c]);
      } else {
        cur.push(c);
      }
    }
    flush();
    return words;
  }

  private wordPiece(word: NormChar[], out: Token[]): void {
    const first = word[0];
    const last = word[word.length - 1];
    if (!first || !last) return;
    const chars = word.map((c) => c.ch);
    if (chars.length > this.maxCharsPerWord) {
      out.push({ id: this.special.unk, text: this.unkToken, start: first.start, end: last.end });
      return;
    }
    const pieces: Token[] = [];
    let begin = 0;
    while (begin < chars.length) {
      let end = chars.length;
      let found: Token | undefined;
      while (begin < end) {
        const sub = (begin > 0 ? '##' : '') + chars.slice(begin, end).join('');
        const id = this.vocab.get(sub);
        if (id !== undefined) {
          found = { id, text: sub, start: word[begin]?.start ?? 0, end: word[end - 1]?.end ?? 0 };
          break;
        }
        end -= 1;
      }
      if (!found) {
        out.push({ id: this.special.unk, text: this.unkToken, start: first.start, end: last.end });
        return;
      }
      pieces.push(found);
      begin = end;
    }
    out.push(...pieces);
  }
}
