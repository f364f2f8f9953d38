/**
 * Text and HTML as documents: plain text for passages, the same reading for web pages, Markdown
 * and Word files, with where each section (heading) starts.
 */
import { basename, extname } from 'node:path';
import { convert } from 'html-to-text';
import type { RawDocument } from './doc-sources.js';

const HTML_OPTIONS = {
  wordwrap: false as const,
  // The page's main content when it marks it; navigation, headers, footers, asides and forms never.
  baseElements: { selectors: ['main', 'article', 'body'], returnDomByDefault: true },
  selectors: [
    { selector: 'nav', format: 'skip' },
    { selector: 'header', format: 'skip' },
    { selector: 'footer', format: 'skip' },
    { selector: 'aside', format: 'skip' },
    { selector: 'form', format: 'skip' },
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'h4', options: { uppercase: false } },
    { selector: 'h5', options: { uppercase: false } },
    { selector: 'h6', options: { uppercase: false } },
    { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
  ],
};

export function htmlToText(html: string): string {
  return convert(html, HTML_OPTIONS);
}

/** Where a section starts in a document's text, and its heading. */
export interface SectionStart {
  start: number;
  title: string;
}

/** The headings (h1–h4) of an HTML text, in order, as text. */
export function htmlHeadings(html: string): string[] {
  const out: string[] = [];
  for (const m of html.matchAll(/<h([1-4])\b[^>]*>([\s\S]*?)<\/h\1>/gi)) {
    const t = htmlToText(m[2] ?? '')
      .replace(/\s+/g, ' ')
      .trim();
    if (t) out.push(t);
  }
  return out;
}

/**
 * Where each heading stands in the text made from the same HTML: searched in order, on a line of
 * its own, after the heading before it. A heading the text dropped (one in a page's navigation)
 * is not found and skipped.
 */
export function locateSections(text: string, headings: readonly string[]): SectionStart[] {
  const out: SectionStart[] = [];
  let from = 0;
  for (const title of headings) {
    let at = text.indexOf(title, from);
    while (at >= 0 && !(lineEdge(text, at - 1) && lineEdge(text, at + title.length))) {
      at = text.indexOf(title, at + 1);
    }
    if (at < 0) continue;
    out.push({ start: at, title });
    from = at + title.length;
  }
  return out;
}

function lineEdge(text: string, i: number): boolean {
  return i < 0 || i >= text.length || text[i] === '\n';
}

/** A text as one document (none when it is blank), with its sections when the headings are known. */
export function textDocument(
  file: string,
  source: string,
  title: string | undefined,
  text: string,
  headings: readonly string[] = [],
): RawDocument[] {
  const body = text.trim();
  if (!body) return [];
  const sections = locateSections(body, headings);
  return [
    {
      key: source,
      title: title ?? basename(file, extname(file)),
      text: body,
      ...(sections.length ? { sections } : {}),
    },
  ];
}

/** An HTML text (a web page, rendered Markdown, a Word file) as one document with its sections. */
export function htmlDocument(
  file: string,
  source: string,
  title: string | undefined,
  html: string,
): RawDocument[] {
  return textDocument(file, source, title, htmlToText(html), htmlHeadings(html));
}
