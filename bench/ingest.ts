/**
 * Ingestion and filtered retrieval on real text (the contexts of ../shared/data/squad/train-v1.1.json):
 *
 * 1. PDFs: --pdfs files of --pages pages each, made with pdf-lib (one SQuAD context a page), read
 *    through unpdf and stored (BM25 only): pages/s.
 * 2. A folder of --files text files (one context each): files/s for the first run, and for the
 *    rerun that finds every file unchanged and skips it unread.
 * 3. Filters at --passages passages (JSON Lines; every document tagged with one of ten tags and
 *    dated across ten years): BM25 p50/p95 of --queries SQuAD questions unfiltered, restricted to
 *    one tag (a tenth), and to the last five years (a half); and the first lookup of a filter's
 *    passages (later questions under the same filter find them remembered).
 *
 *   npx tsx bench/ingest.ts [--pdfs 20] [--pages 25] [--files 10000] [--passages 100000] [--queries 200]
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { openWorkspaceDb } from '../src/app/workspace.js';
import { loadSquad } from '../src/core/squad-data.js';
import type { DocFilter } from '../src/retrieval/doc-store.js';
import { DocStore } from '../src/retrieval/doc-store.js';
import { ingestFiles } from '../src/retrieval/folder-ingest.js';
import { Retriever } from '../src/retrieval/retriever.js';
import { seeded } from './seeded.js';

const { values } = parseArgs({
  options: {
    pdfs: { type: 'string', default: '20' },
    pages: { type: 'string', default: '25' },
    files: { type: 'string', default: '10000' },
    passages: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '200' },
  },
});

const root = join(tmpdir(), 'qa-bench-ingest');
rmSync(root, { recursive: true, force: true });
mkdirSync(root, { recursive: true });
const squad = loadSquad('../shared/data/squad/train-v1.1.json');
const contexts = [...new Set(squad.questions.map((q) => q.context))];
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
const freshStore = (name: string) => new DocStore(openWorkspaceDb({ workspace: join(root, name) }));

// 1. PDFs. The standard fonts write WinAnsi only: other characters become '?'.
const pdfDir = join(root, 'pdfs');
mkdirSync(pdfDir);
const nPdfs = Number(values.pdfs);
const nPages = Number(values.pages);
let next = 0;
for (let f = 0; f < nPdfs; f++) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let p = 0; p < nPages; p++) {
    const text = (contexts[next++ % contexts.length] ?? '').replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
    doc.addPage([595, 842]).drawText(text, { x: 40, y: 800, size: 9, font, maxWidth: 515, lineHeight: 11 });
  }
  writeFileSync(join(pdfDir, `book-${f}.pdf`), await doc.save());
}
let t = performance.now();
const pdfReport = await ingestFiles(freshStore('pdf-ws'), [pdfDir]);
const pdfS = (performance.now() - t) / 1000;
const pages = nPdfs * nPages;
console.log(
  `PDF: ${nPdfs} files, ${pages} pages, ${pdfReport.passages} passages in ${pdfS.toFixed(1)} s: ` +
    `${(pages / pdfS).toFixed(0)} pages/s`,
);

// 2. A folder of text files, then the rerun that skips them.
const txtDir = join(root, 'folder');
const nFiles = Number(values.files);
for (let i = 0; i < nFiles; i++) {
  const sub = join(txtDir, `part-${Math.floor(i / 1000)}`);
  if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
  writeFileSync(join(sub, `note-${i}.txt`), contexts[i % contexts.length] ?? '');
}
const folderStore = freshStore('folder-ws');
t = performance.now();
const first = await ingestFiles(folderStore, [txtDir]);
const firstS = (performance.now() - t) / 1000;
t = performance.now();
const again = await ingestFiles(folderStore, [txtDir]);
const againS = (performance.now() - t) / 1000;
console.log(
  `folder: ${nFiles} files in ${first.batches} batches, ${firstS.toFixed(1)} s: ${(nFiles / firstS).toFixed(0)} files/s; ` +
    `rerun (${again.skipped} skipped unread) ${againS.toFixed(1)} s: ${(nFiles / againS).toFixed(0)} files/s`,
);

// 3. Filtered retrieval. Each document is about one passage long, so documents ≈ passages.
const nPassages = Number(values.passages);
const jsonl = join(root, 'corpus.jsonl');
const lines: string[] = [];
const seg = new Intl.Segmenter('en', { granularity: 'sentence' });
const sentences = contexts.flatMap((c) => [...seg.segment(c)].map((s) => s.segment.trim()));
const rand = seeded(7);
for (let i = 0; i < nPassages; i++) {
  const text =
    i < contexts.length
      ? contexts[i]
      : Array.from({ length: 5 }, () => sentences[Math.floor(rand() * sentences.length)]).join(' ');
  lines.push(JSON.stringify({ id: i, text, tags: [`t${i % 10}`], modified: `${2015 + (i % 10)}-06-01` }));
}
writeFileSync(jsonl, `${lines.join('\n')}\n`);
const filterStore = freshStore('filter-ws');
t = performance.now();
await ingestFiles(filterStore, [jsonl]);
const stored = filterStore.counts();
console.log(
  `filters: ${stored.documents} documents, ${stored.passages} passages ingested in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
const retriever = new Retriever(filterStore);
const questions = squad.questions.slice(0, Number(values.queries)).map((q) => q.question);
const measure = (label: string, filter?: DocFilter) => {
  const run = async (q: string) => {
    const within = filter ? filterStore.passageIdsMatching(filter) : undefined;
    return retriever.search(q, 10, 'bm25', undefined, within);
  };
  return (async () => {
    for (const q of questions.slice(0, 5)) await run(q);
    const lat: number[] = [];
    for (const q of questions) {
      const t0 = performance.now();
      await run(q);
      lat.push(performance.now() - t0);
    }
    const share = filter ? filterStore.passageIdsMatching(filter).length / stored.passages : 1;
    console.log(
      `  BM25 top-10, ${label} (${(100 * share).toFixed(0)} % of passages): p50 ${pct(lat, 50).toFixed(1)} ms, p95 ${pct(lat, 95).toFixed(1)} ms`,
    );
  })();
};
// The first question under a filter looks its passages up; later ones find them remembered.
const lookups: number[] = [];
for (let d = 1; d <= 20; d++) {
  const t0 = performance.now();
  filterStore.passageIdsMatching({ after: `2019-01-${String(d).padStart(2, '0')}` });
  lookups.push(performance.now() - t0);
}
const tagLookup = performance.now();
filterStore.passageIdsMatching({ tags: ['t7'] });
console.log(
  `  a filter's first lookup: dates p50 ${pct(lookups, 50).toFixed(1)} ms, one tag ${(performance.now() - tagLookup).toFixed(1)} ms (then remembered until the documents change)`,
);
await measure('unfiltered');
await measure('one tag', { tags: ['t3'] });
await measure('after 2020-01-01', { after: '2020-01-01' });
filterStore.db.close();
rmSync(root, { recursive: true, force: true });
