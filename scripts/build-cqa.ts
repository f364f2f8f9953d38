/**
 * Builds the starter question archive `corpora/cqa/debian-faq.jsonl` from the Debian GNU/Linux FAQ
 * as Debian's `debian-faq` package installs it (DocBook XHTML under /usr/share/doc/debian/FAQ): one
 * thread per question, its answer accepted, in the JSON Lines thread format `src/cqa/import.ts`
 * reads. The committed file is what the product uses; this script only regenerates it:
 *
 *   apt-get install debian-faq && npm run build:cqa [-- FAQ_DIR [OUT_DIR]]
 *
 * Chapter 3 ("Choosing a Debian distribution") is left out: it was contributed under the GPL, not
 * the FAQ's own permission notice (see corpora/README.md), and "General information about the FAQ"
 * answers no questions.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convert } from 'html-to-text';
import sax from 'sax';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FAQ_DIR = process.argv[2] ?? '/usr/share/doc/debian/FAQ';
const LEFT_OUT = new Set(['choosing', 'faqinfo']);

const HTML_TO_TEXT = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'skip' },
  ],
};

interface Thread {
  id: string;
  subject: string;
  body: string;
  tags: string[];
  answers: Array<{ text: string; votes: number; accepted: boolean }>;
}

interface Section {
  /** Element depth of its <div class="section">. */
  depth: number;
  id: string;
  title: string;
  question: boolean;
  /** The answer's HTML, when this section is a question. */
  html: string[];
  parent?: Section;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Chapter files in the order the FAQ's table of contents lists them. */
function chapters(): string[] {
  const index = readFileSync(join(FAQ_DIR, 'index.en.html'), 'utf8');
  const files = [...index.matchAll(/<span class="chapter"><a href="([\w-]+)\.en\.html"/g)].map(
    (m) => m[1] ?? '',
  );
  return [...new Set(files)].filter((f) => f !== '');
}

/**
 * The questions of one chapter. A section whose title asks something is a thread; sections inside
 * it that do not ("8.1.1. dpkg") are part of its answer, under their title, and those that do are
 * threads of their own.
 */
function chapterThreads(chapter: string): Thread[] {
  const html = readFileSync(join(FAQ_DIR, `${chapter}.en.html`), 'utf8');
  const parser = sax.parser(false, { lowercase: true, trim: false, normalize: false });
  const done: Section[] = [];
  let depth = 0;
  let section: Section | undefined;
  // Depth of an element whose content is not answer text (a section's title page, footnote marks).
  let skipUntil: number | undefined;
  let inTitle = false;

  const owner = (): Section | undefined => {
    let s = section;
    while (s && !s.question) s = s.parent;
    return s;
  };
  const emit = (chunk: string): void => {
    if (skipUntil === undefined) owner()?.html.push(chunk);
  };

  parser.onopentag = (node) => {
    depth++;
    const attrs = node.attributes as Record<string, string>;
    const cls = (attrs.class ?? '').split(/\s+/);
    if (node.name === 'div' && cls.includes('section')) {
      section = {
        depth,
        id: '',
        title: '',
        question: false,
        html: [],
        ...(section ? { parent: section } : {}),
      };
      return;
    }
    if (!section) return;
    if (skipUntil === undefined && (cls.includes('titlepage') || cls.includes('footnote'))) skipUntil = depth;
    if (/^h[1-6]$/.test(node.name) && cls.includes('title') && section.title === '') inTitle = true;
    if (inTitle && node.name === 'a' && attrs.id && section.id === '') section.id = attrs.id;
    emit(`<${node.name}>`);
  };
  parser.ontext = (text) => {
    if (!section) return;
    if (inTitle) section.title += text;
    else emit(escapeHtml(text));
  };
  parser.onclosetag = (name) => {
    if (section && depth === section.depth) {
      done.push(section);
      section = section.parent;
    } else if (section) {
      if (skipUntil === depth) skipUntil = undefined;
      else emit(`</${name}>`);
      if (inTitle && /^h[1-6]$/.test(name)) {
        inTitle = false;
        section.title = section.title
          .replace(/\s+/g, ' ')
          .replace(/^[\d.]+\s*/, '')
          .trim();
        section.question = section.title.includes('?');
        // A part of a question's answer that has a title of its own keeps it as a line of the answer.
        if (!section.question) owner()?.html.push(`<p>${escapeHtml(section.title)}</p>`);
      }
    }
    depth--;
  };
  parser.write(html).close();

  const questions = done.filter((s) => s.question);
  // Document order: a section is pushed when it closes, so sort by where its title came in the file.
  questions.sort((a, b) => html.indexOf(`id="${a.id}"`) - html.indexOf(`id="${b.id}"`));
  return questions.map((s) => ({
    id: s.id,
    subject: s.title,
    body: '',
    tags: [chapter],
    answers: [{ text: convert(s.html.join(''), HTML_TO_TEXT).trim(), votes: 0, accepted: true }],
  }));
}

function main(): void {
  const threads = chapters()
    .filter((c) => !LEFT_OUT.has(c))
    .flatMap(chapterThreads);
  const ids = new Set<string>();
  for (const t of threads) {
    if (t.id === '' || ids.has(t.id)) throw new Error(`question "${t.subject}" has no unique anchor`);
    if (t.answers[0]?.text === '') throw new Error(`question "${t.subject}" has no answer`);
    ids.add(t.id);
  }
  const out = join(resolve(process.argv[3] ?? ROOT), 'corpora', 'cqa', 'debian-faq.jsonl');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, threads.map((t) => `${JSON.stringify(t)}\n`).join(''));
  process.stdout.write(`${threads.length} threads → ${out}\n`);
}

main();
