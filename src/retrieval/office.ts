/**
 * PDF and Word files as documents: a PDF's text layer page by page (each page its own document, so
 * a passage knows its page), a .docx through mammoth's HTML (headings, paragraphs, tables). A PDF
 * with no text layer (a scan) reads as nothing, with a warning naming the file.
 */
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import mammoth from 'mammoth';
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import { QaError } from '../core/errors.js';
import type { RawDocument } from './doc-sources.js';
import { htmlDocument, htmlToText } from './html-text.js';

export interface OfficeRead {
  documents: RawDocument[];
  warnings: string[];
}

function pdfDate(raw: unknown): string | undefined {
  // PDF dates read "D:20240501000000Z".
  const m = typeof raw === 'string' ? /^D:(\d{4})(\d{2})(\d{2})/.exec(raw) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

export async function readPdf(file: string, source: string): Promise<OfficeRead> {
  let pages: string[];
  let info: Record<string, unknown> = {};
  try {
    const pdf = await getDocumentProxy(new Uint8Array(readFileSync(file)));
    info = ((await getMeta(pdf)).info ?? {}) as Record<string, unknown>;
    pages = (await extractText(pdf, { mergePages: false })).text;
  } catch (e) {
    const why = (e as Error).message;
    const hint = /password/i.test(why) ? 'it is encrypted; save an unprotected copy' : undefined;
    throw new QaError('bad_input', `not a readable PDF (${why})`, {
      where: file,
      cause: e,
      ...(hint ? { hint } : {}),
    });
  }
  const title =
    typeof info.Title === 'string' && info.Title.trim() ? info.Title.trim() : basename(file, extname(file));
  const modified = pdfDate(info.ModDate) ?? pdfDate(info.CreationDate);
  const documents = pages.flatMap((text, i): RawDocument[] => {
    const body = text.replace(/[ \t]+\n/g, '\n').trim();
    return body
      ? [
          {
            key: `${source}#page=${i + 1}`,
            title,
            text: body,
            page: i + 1,
            ...(modified ? { modified } : {}),
          },
        ]
      : [];
  });
  const warnings = documents.length
    ? []
    : [
        `${file}: no text layer on any of its ${pages.length} page(s) (a scan without OCR?); nothing was read`,
      ];
  return { documents, warnings };
}

export async function readDocx(file: string, source: string): Promise<OfficeRead> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ path: file })).value;
  } catch (e) {
    throw new QaError('bad_input', `not a readable Word file (${(e as Error).message})`, {
      where: file,
      cause: e,
    });
  }
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html)?.[1];
  const documents = htmlDocument(file, source, heading ? htmlToText(heading).trim() : undefined, html);
  return { documents, warnings: documents.length ? [] : [`${file}: no text; nothing was read`] };
}
