/** Reading JSON files with errors that point at the file, line and column, or the JSON path. */
import { readFileSync } from 'node:fs';
import { type ParseError, parse as parseTolerant, printParseErrorCode } from 'jsonc-parser';
import type { z } from 'zod';
import { QaError } from './errors.js';

/** `file:line:column` for a character offset. */
export function locate(file: string, text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `${file}:${line}:${column}`;
}

/** Parses a JSON file; with `uniqueKeys`, a key repeated in the top-level object is an error too. */
export function readJsonFile(file: string, opts: { uniqueKeys?: boolean } = {}): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new QaError('not_found', `cannot read file (${(e as NodeJS.ErrnoException).code ?? 'error'})`, {
      where: file,
      cause: e,
    });
  }
  const value = parseJson(file, text);
  if (opts.uniqueKeys) {
    const dup = firstDuplicateKey(text);
    if (dup) {
      throw new QaError('bad_input', `duplicate key "${dup.key}"`, { where: locate(file, text, dup.offset) });
    }
  }
  return value;
}

export function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse does not always say where; jsonc-parser (strict options) does.
    const errors: ParseError[] = [];
    parseTolerant(text, errors, {
      disallowComments: true,
      allowTrailingComma: false,
      allowEmptyContent: false,
    });
    const first = errors[0];
    const what = first
      ? printParseErrorCode(first.error)
          .replace(/([a-z])([A-Z])/g, '$1 $2')
          .toLowerCase()
      : 'syntax error';
    throw new QaError('bad_input', `not valid JSON: ${what}`, {
      where: locate(file, text, first?.offset ?? 0),
    });
  }
}

/** `data[3].paragraphs[0].qas[2].id` from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(root)';
}

/** Validates `value` against `schema`; the error names the file, the JSON path and what was wrong. */
export function validate<T extends z.ZodType>(schema: T, value: unknown, file: string): z.infer<T> {
  const res = schema.safeParse(value);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const path = issue ? jsonPath(issue.path) : '(root)';
  throw new QaError('bad_input', issue?.message ?? 'invalid', { where: `${file}: ${path}` });
}

/**
 * The first key that occurs twice in the top-level object of `text` (JSON.parse keeps the last one
 * silently), with its offset; undefined when keys are unique. `text` must already parse.
 */
export function firstDuplicateKey(text: string): { key: string; offset: number } | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  let topIsObject = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      let raw = '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        raw += text[i];
        if (text[i] === '\\') raw += text[++i] ?? '';
      }
      if (depth === 1 && expectKey) {
        const key = JSON.parse(`"${raw}"`) as string;
        if (seen.has(key)) return { key, offset: start };
        seen.add(key);
        expectKey = false;
      }
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) topIsObject = c === '{';
      expectKey = topIsObject && depth === 1;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1 && topIsObject) {
      expectKey = true;
    }
  }
  return undefined;
}
