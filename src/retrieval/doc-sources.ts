/**
 * Reading documents to ingest: plain text, Markdown, HTML, JSON Lines `{id,title,text}` and SQuAD
 * JSON (its contexts). Everything is read and checked before anything is written, so a bad file
 * stops the ingest with `file:line` and leaves the store as it was.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { marked } from 'marked';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { QaError } from '../core/errors.js';
import { validate } from '../core/json.js';
import { loadSquad } from '../core/squad-data.js';
import { textLines } from '../kbqa/rdf-files.js';
import type { FileStamp } from './doc-store.js';
import { htmlDocument, htmlToText, type SectionStart, textDocument } from './html-text.js';
import { readDocx, readPdf } from './office.js';

export type DocFormat = 'text' | 'markdown' | 'html' | 'jsonl' | 'squad' | 'pdf' | 'docx';

export const DOC_FORMATS: readonly DocFormat[] = [
  'text',
  'markdown',
  'html',
  'jsonl',
  'squad',
  'pdf',
  'docx',
];

export interface RawDocument {
  /** Stable identity: re-ingesting a document with the same key replaces it. */
  key: string;
  title: string | undefined;
  text: string;
  /** Labels a question can be restricted to ("handbook", "2024"). */
  tags?: string[];
  /** When the document was last changed (ISO date): its own, else its file's. */
  modified?: string;
  /** The page of a PDF the document is. */
  page?: number;
  /** Where its sections start in `text` (from its headings), for passages to name theirs. */
  sections?: SectionStart[];
}

export interface SourceFile {
  /** Tags given to every document of the source (`qa ingest docs --tags`). */
  tags?: string[];
  /** Absolute path: the documents of one source are replaced together on re-ingest. */
  source: string;
  format: DocFormat;
  documents: RawDocument[];
  /** The file on disk it was read from, when a rerun should skip it while it is unchanged. */
  file?: FileStamp;
}

const BY_EXTENSION: Record<string, DocFormat> = {
  '.txt': 'text',
  '.text': 'text',
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.jsonl': 'jsonl',
  '.json': 'squad',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

export function parseDocFormat(name: string): DocFormat {
  if ((DOC_FORMATS as readonly string[]).includes(name)) return name as DocFormat;
  throw new QaError('bad_input', `unknown document format "${name}"`, {
    where: '--format',
    hint: `one of ${DOC_FORMATS.join(', ')}`,
  });
}

/** A file to ingest and the path named that led to it (the folder, or the file itself). */
export interface FoundFile {
  file: string;
  root: string;
}

function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

/** Files named, and the files with known extensions under folders named (sorted, recursive). */
export function findDocFiles(paths: readonly string[], format?: DocFormat): FoundFile[] {
  const out: FoundFile[] = [];
  const walk = (p: string, root: string, named: boolean): void => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new QaError('not_found', 'no such file or folder', { where: p });
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) {
        if (!name.startsWith('.')) walk(join(p, name), root, false);
      }
    } else if (named || format || extname(p).toLowerCase() in BY_EXTENSION) {
      out.push({ file: resolve(p), root });
    }
  };
  // The root with its links resolved now: what is served later must still lie inside it.
  for (const p of paths) walk(p, realpathOr(p), true);
  return out;
}

export function listDocFiles(paths: readonly string[], format?: DocFormat): string[] {
  return findDocFiles(paths, format).map((f) => f.file);
}

export function formatOf(file: string, format?: DocFormat): DocFormat {
  if (format) return format;
  const f = BY_EXTENSION[extname(file).toLowerCase()];
  if (!f) {
    throw new QaError('bad_input', `cannot tell the format from the extension "${extname(file)}"`, {
      where: file,
      hint: `pass --format (${DOC_FORMATS.join(', ')})`,
    });
  }
  return f;
}

function readUtf8(file: string): string {
  const bytes = readFileSync(file);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch (e) {
    throw new QaError('bad_input', 'not valid UTF-8', { where: file, cause: e });
  }
}

function htmlTitle(html: string): string | undefined {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(html) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
  const t = m ? htmlToText(m[1] ?? '').trim() : '';
  return t || undefined;
}

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/, 'an ISO date (2024-05-01)');

const jsonlRecord = z.object({
  id: z.union([z.string().min(1), z.int()]),
  title: z.string().optional(),
  text: z.string(),
  tags: z.array(z.string().trim().min(1).max(60)).max(50).optional(),
  modified: isoDate.optional(),
});

/** Markdown front matter: the title, tags and date a note gives itself. */
const frontMatter = z
  .object({
    title: z.string().optional(),
    tags: z.union([z.array(z.coerce.string()), z.string()]).optional(),
    modified: z.union([z.date(), z.string()]).optional(),
    date: z.union([z.date(), z.string()]).optional(),
  })
  .loose();

function dateOf(v: Date | string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

/** The front matter between `---` lines at the top, parsed as YAML, and the text after it. */
function splitFrontMatter(md: string, file: string): { meta: z.infer<typeof frontMatter>; body: string } {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(md);
  if (!m) return { meta: {}, body: md };
  let value: unknown;
  try {
    value = parseYaml(m[1] ?? '') ?? {};
  } catch (e) {
    throw new QaError('bad_input', `front matter is not valid YAML (${(e as Error).message})`, {
      where: file,
      cause: e,
    });
  }
  return { meta: validate(frontMatter, value, `${file}: front matter`), body: md.slice(m[0].length) };
}

function readJsonl(file: string, source: string): RawDocument[] {
  const docs: RawDocument[] = [];
  const seen = new Map<string, number>();
  for (const [line, no] of textLines(file, () => {})) {
    if (line.trim() === '') continue;
    const where = `${file}:${no}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new QaError('bad_input', `not valid JSON (${(e as Error).message})`, { where, cause: e });
    }
    const r = validate(jsonlRecord, value, where);
    const id = String(r.id);
    const first = seen.get(id);
    if (first !== undefined) {
      throw new QaError('bad_input', `duplicate id "${id}" (first on line ${first})`, {
        where: `${where}: id`,
      });
    }
    seen.set(id, no);
    if (r.text.trim()) {
      docs.push({
        key: `${source}#${id}`,
        title: r.title,
        text: r.text.trim(),
        ...(r.tags ? { tags: r.tags } : {}),
        ...(r.modified ? { modified: r.modified.slice(0, 10) } : {}),
      });
    }
  }
  return docs;
}

function readSquadContexts(file: string, source: string): RawDocument[] {
  const docs: RawDocument[] = [];
  const seen = new Set<string>();
  for (const q of loadSquad(file).questions) {
    if (seen.has(q.context)) continue;
    seen.add(q.context);
    docs.push({
      key: `${source}#${q.title}/${seen.size}`,
      title: q.title.replace(/_/g, ' '),
      text: q.context,
    });
  }
  return docs;
}

/**
 * `source` names the file in the store (document keys derive from it); the path by default, a
 * stable name for bundled files so the keys do not depend on where the installation lives.
 */
export function readSourceFile(file: string, format?: DocFormat, source = file): SourceFile {
  const f = formatOf(file, format);
  let documents: RawDocument[];
  switch (f) {
    case 'text':
      documents = textDocument(file, source, undefined, readUtf8(file));
      break;
    case 'markdown': {
      const { meta, body } = splitFrontMatter(readUtf8(file), file);
      const heading = meta.title ?? /^#\s+(.+)$/m.exec(body)?.[1]?.trim();
      const tags = typeof meta.tags === 'string' ? meta.tags.split(',').map((t) => t.trim()) : meta.tags;
      const modified = dateOf(meta.modified ?? meta.date);
      documents = htmlDocument(file, source, heading, marked.parse(body, { async: false })).map((d) => ({
        ...d,
        ...(tags?.length ? { tags: tags.filter(Boolean) } : {}),
        ...(modified ? { modified } : {}),
      }));
      break;
    }
    case 'html': {
      const html = readUtf8(file);
      documents = htmlDocument(file, source, htmlTitle(html), html);
      break;
    }
    case 'jsonl':
      documents = readJsonl(file, source);
      break;
    case 'squad':
      documents = readSquadContexts(file, source);
      break;
    case 'pdf':
    case 'docx':
      throw new QaError('unsupported', `${f} files are read asynchronously`, {
        where: file,
        hint: 'read them with readDocumentFile',
      });
  }
  // A document that gives no date of its own is as new as its file.
  const fileDate = f === 'squad' ? undefined : new Date(statSync(file).mtimeMs).toISOString().slice(0, 10);
  return {
    source,
    format: f,
    documents: fileDate ? documents.map((d) => (d.modified ? d : { ...d, modified: fileDate })) : documents,
  };
}

/**
 * Any document file, PDF and Word included (read asynchronously), with the warnings reading it
 * gave (a PDF without a text layer).
 */
export async function readDocumentFile(
  file: string,
  format?: DocFormat,
  source = file,
): Promise<{ source: SourceFile; warnings: string[] }> {
  const f = formatOf(file, format);
  if (f !== 'pdf' && f !== 'docx') return { source: readSourceFile(file, f, source), warnings: [] };
  const read = f === 'pdf' ? await readPdf(file, source) : await readDocx(file, source);
  const fileDate = new Date(statSync(file).mtimeMs).toISOString().slice(0, 10);
  return {
    source: {
      source,
      format: f,
      documents: read.documents.map((d) => (d.modified ? d : { ...d, modified: fileDate })),
    },
    warnings: read.warnings,
  };
}
