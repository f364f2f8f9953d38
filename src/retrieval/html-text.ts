/** HTML as plain text for passages: the same reading for web pages, Markdown and Word files. */
import { convert } from 'html-to-text';

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
