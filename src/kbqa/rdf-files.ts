/**
 * Reading RDF files as chunks for Oxigraph's parser, whatever their format: the RDF syntaxes as
 * they are, MetaQA's `subject|relation|object` lines converted to N-Triples on the fly.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { DataFactory, Writer } from 'n3';
import { QaError } from '../core/errors.js';
import type { RdfFormat, RdfSource } from './store.js';
import { entityIri, RDFS_LABEL, relationIri } from './vocab.js';

export const MEDIA_TYPES: Record<Exclude<RdfFormat, 'metaqa'>, string> = {
  turtle: 'text/turtle',
  ntriples: 'application/n-triples',
  nquads: 'application/n-quads',
  trig: 'application/trig',
  jsonld: 'application/ld+json',
  rdfxml: 'application/rdf+xml',
};

const BY_EXTENSION: Record<string, RdfFormat> = {
  '.ttl': 'turtle',
  '.nt': 'ntriples',
  '.nq': 'nquads',
  '.trig': 'trig',
  '.jsonld': 'jsonld',
  '.rdf': 'rdfxml',
  '.owl': 'rdfxml',
};

export const FORMATS = [...Object.keys(MEDIA_TYPES), 'metaqa'] as RdfFormat[];

export function parseFormat(name: string): RdfFormat {
  if ((FORMATS as string[]).includes(name)) return name as RdfFormat;
  throw new QaError('unsupported', `unknown RDF format "${name}"`, { hint: `one of ${FORMATS.join(', ')}` });
}

/** The format named by flag, else guessed from the extension. */
export function sourceFor(file: string, format?: RdfFormat): RdfSource {
  const f = format ?? BY_EXTENSION[extname(file).toLowerCase()];
  if (!f) {
    throw new QaError('unsupported', `cannot tell the RDF format from the name`, {
      where: file,
      hint: `pass --format (${FORMATS.join(', ')})`,
    });
  }
  return { file, format: f };
}

export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (e) {
    throw new QaError('not_found', 'cannot read file', { where: file, cause: e });
  }
}

/** The file's bytes in 1 MiB chunks, read synchronously (Oxigraph's loader takes a sync iterable). */
export function* byteChunks(file: string, onBytes: (n: number) => void): Generator<Uint8Array> {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) return;
      onBytes(n);
      yield Uint8Array.from(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
}

/** Whole lines of a text file, with their 1-based numbers. */
export function* textLines(file: string, onBytes: (n: number) => void): Generator<[string, number]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let lineNo = 0;
  for (const chunk of byteChunks(file, onBytes)) {
    let text: string;
    try {
      text = rest + decoder.decode(chunk, { stream: true });
    } catch (e) {
      throw new QaError('bad_input', 'not valid UTF-8', { where: `${file}:${lineNo + 1}`, cause: e });
    }
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) yield [line.endsWith('\r') ? line.slice(0, -1) : line, ++lineNo];
  }
  if (rest !== '') yield [rest, ++lineNo];
}

/**
 * MetaQA `subject|relation|object` lines as N-Triples: each entity string becomes one IRI with its
 * label, each relation a predicate. Entity names may themselves hold "|", so the relation is
 * found as the one field that is a bare identifier.
 */
export function* metaqaAsNTriples(file: string, onBytes: (n: number) => void): Generator<string> {
  const { namedNode, literal } = DataFactory;
  const labelled = new Set<string>();
  const writer = new Writer({ format: 'N-Triples' });
  const out: string[] = [];
  const emitLabel = (name: string): void => {
    if (labelled.has(name)) return;
    labelled.add(name);
    out.push(writer.quadToString(namedNode(entityIri(name)), namedNode(RDFS_LABEL), literal(name)));
  };
  for (const [line, no] of textLines(file, onBytes)) {
    if (line.trim() === '') continue;
    const parts = line.split('|');
    const r = parts.findIndex((p, i) => i > 0 && i < parts.length - 1 && /^[a-z_]+$/.test(p));
    if (parts.length < 3 || r < 0) {
      throw new QaError('bad_input', 'expected "subject|relation|object"', { where: `${file}:${no}:1` });
    }
    const s = parts.slice(0, r).join('|');
    const o = parts.slice(r + 1).join('|');
    if (s === '' || o === '')
      throw new QaError('bad_input', 'empty subject or object', { where: `${file}:${no}:1` });
    emitLabel(s);
    emitLabel(o);
    out.push(
      writer.quadToString(
        namedNode(entityIri(s)),
        namedNode(relationIri(parts[r] ?? '')),
        namedNode(entityIri(o)),
      ),
    );
    if (out.length >= 5000) yield out.splice(0).join('');
  }
  if (out.length > 0) yield out.join('');
}
