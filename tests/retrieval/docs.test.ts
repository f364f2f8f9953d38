import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { type Db, openDatabase } from '../../src/core/database.js';
import { QaError } from '../../src/core/errors.js';
import { ftsMatch, queryTerms, rowRange, selectiveTerms } from '../../src/retrieval/bm25.js';
import { listDocFiles, readSourceFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { splitPassages, splitSections } from '../../src/retrieval/passages.js';
import { Retriever } from '../../src/retrieval/retriever.js';
import { FIXTURES } from '../helpers/fixtures.js';

const DOCS = join(FIXTURES, 'docs');
const dbs: Db[] = [];

function freshStore(): DocStore {
  const db = openWorkspaceDb({ workspace: mkdtempSync(join(tmpdir(), 'qa-docs-')) });
  dbs.push(db);
  return new DocStore(db);
}

function ingestFolder(store: DocStore, dir = DOCS) {
  return store.ingest(listDocFiles([dir]).map((f) => readSourceFile(f)));
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('splitSections', () => {
  const words = (n: number, w: string) => Array.from({ length: n }, () => w).join(' ');

  it('cuts at headings, keeps a bare heading with the section after it, and names each passage', () => {
    const text = `Guide\n\nSetup\n\n${words(30, 'plug')}.\n\nCare\n\n${words(30, 'wipe')}.`;
    const sections = [
      { start: 0, title: 'Guide' },
      { start: text.indexOf('Setup'), title: 'Setup' },
      { start: text.indexOf('Care'), title: 'Care' },
    ];
    const out = splitSections(text, sections);
    expect(out.map((p) => [p.section, p.text.slice(0, 12)])).toEqual([
      ['Setup', 'Guide\n\nSetup'],
      ['Care', 'Care\n\nwipe w'],
    ]);
    for (const p of out) expect(text.slice(p.start, p.end)).toBe(p.text);
  });

  it('names no section before the first heading, and none at all without headings', () => {
    const text = `${words(20, 'intro')}.\n\nUse\n\n${words(20, 'use')}.`;
    expect(splitSections(text, [{ start: text.indexOf('Use'), title: 'Use' }]).map((p) => p.section)).toEqual(
      [null, 'Use'],
    );
    expect(splitSections(text, undefined)).toEqual(splitPassages(text).map((p) => ({ ...p, section: null })));
  });
});

describe('splitPassages', () => {
  const sentence = (i: number) => `Sentence number ${i} has exactly seven words.`;

  it('keeps a short text whole and trims it', () => {
    expect(splitPassages('  One sentence. Two sentences.  ')).toEqual([
      { start: 2, end: 30, text: 'One sentence. Two sentences.' },
    ]);
  });

  it('cuts long texts on sentence boundaries, within the word budget, with one sentence of overlap', () => {
    const text = Array.from({ length: 100 }, (_, i) => sentence(i)).join(' ');
    const ps = splitPassages(text);
    expect(ps.length).toBeGreaterThan(3);
    for (const [i, p] of ps.entries()) {
      expect(text.slice(p.start, p.end)).toBe(p.text);
      const words = p.text.split(/\s+/).length;
      expect(words).toBeLessThanOrEqual(200);
      if (i < ps.length - 1) expect(words).toBeGreaterThanOrEqual(100);
      expect(p.text).toMatch(/^Sentence number \d+/);
      expect(p.text).toMatch(/words\.$/);
      const next = ps[i + 1];
      if (next) expect(next.start).toBeLessThan(p.end);
    }
    expect(ps.at(-1)?.end).toBe(text.length);
  });

  it('cuts a sentence longer than the budget at word boundaries', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(splitPassages(words(450)).map((p) => p.text.split(' ').length)).toEqual([200, 200, 50]);
    // A tail under half the minimum joins the passage before it.
    expect(splitPassages(words(420)).map((p) => p.text.split(' ').length)).toEqual([200, 220]);
  });
});

describe('reading documents', () => {
  it('reads text, Markdown, HTML and JSON Lines with titles and no markup', () => {
    const docs = listDocFiles([DOCS]).flatMap((f) => readSourceFile(f).documents);
    const byTitle = new Map(docs.map((d) => [d.title, d.text]));
    expect([...byTitle.keys()].sort()).toEqual([
      'Brewing Guide',
      'Green tea',
      'Lake Victoria',
      'Mount Kenya',
      'notes',
    ]);
    expect(byTitle.get('Green tea')).toContain('Green tea is made from Camellia sinensis leaves');
    expect(byTitle.get('Green tea')).not.toMatch(/should not be indexed|color:red|https:|<b>/);
    expect(byTitle.get('Brewing Guide')).toContain('nine bars of pressure');
    expect(byTitle.get('Brewing Guide')).not.toContain('##');
  });

  it('names the file, line and field of a bad JSON Lines record', () => {
    const bad = join(FIXTURES, 'docs-bad', 'bad.jsonl');
    expect(() => readSourceFile(bad)).toThrow(QaError);
    try {
      readSourceFile(bad);
    } catch (e) {
      expect((e as QaError).where).toBe(`${bad}:2: text`);
    }
  });

  it('names the line of broken JSON and refuses a duplicate id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-jsonl-'));
    const broken = join(dir, 'broken.jsonl');
    writeFileSync(broken, '{"id": 1, "text": "a"}\n\n{"id": 2, "text": \n');
    expect(() => readSourceFile(broken)).toThrow(expect.objectContaining({ where: `${broken}:3` }));
    const dup = join(dir, 'dup.jsonl');
    writeFileSync(dup, '{"id": 1, "text": "a"}\n{"id": "1", "text": "b"}\n');
    expect(() => readSourceFile(dup)).toThrow(/duplicate id "1" \(first on line 1\)/);
  });
});

describe('DocStore', () => {
  it('ingests, then re-ingests idempotently, updates changed and drops removed documents', () => {
    const store = freshStore();
    const first = ingestFolder(store);
    expect(first).toMatchObject({ added: 5, updated: 0, unchanged: 0, removed: 0, duplicates: 0 });
    expect(store.counts().documents).toBe(5);
    expect(ingestFolder(store)).toMatchObject({ added: 0, unchanged: 5, passages: 0 });

    const dir = mkdtempSync(join(tmpdir(), 'qa-src-'));
    const file = join(dir, 'k.jsonl');
    writeFileSync(file, '{"id": 1, "text": "Alpha beta."}\n{"id": 2, "text": "Gamma delta."}\n');
    store.ingest([readSourceFile(file)]);
    writeFileSync(file, '{"id": 1, "text": "Alpha beta, revised."}\n');
    expect(store.ingest([readSourceFile(file)])).toMatchObject({ updated: 1, removed: 1, added: 0 });
    const r = new Retriever(store);
    expect(r.bm25('gamma', 5)).toEqual([]);
    expect(r.bm25('revised', 5)).toHaveLength(1);
  });

  it('skips a document whose text is already stored under another key', () => {
    const store = freshStore();
    const dir = mkdtempSync(join(tmpdir(), 'qa-dup-'));
    writeFileSync(join(dir, 'a.txt'), 'Same words here.');
    writeFileSync(join(dir, 'b.txt'), 'Same words here.');
    const a = readSourceFile(join(dir, 'a.txt'));
    const b = { ...readSourceFile(join(dir, 'b.txt')), documents: [{ ...a.documents[0], key: 'other' }] };
    expect(store.ingest([a, b as typeof a])).toMatchObject({ added: 1, duplicates: 1 });
  });

  it('leaves the store as it was when a later file in the same ingest is bad', () => {
    const store = freshStore();
    const files = [...listDocFiles([DOCS]), join(FIXTURES, 'docs-bad', 'bad.jsonl')];
    expect(() => store.ingest(files.map((f) => readSourceFile(f)))).toThrow(QaError);
    expect(store.counts()).toEqual({ documents: 0, passages: 0 });
  });
});

describe('BM25', () => {
  it('turns any text into quoted terms, never FTS5 syntax', () => {
    expect(queryTerms('What is the highest mountain in Kenya?')).toEqual(['highest', 'mountain', 'kenya']);
    const q = (text: string) => ftsMatch(queryTerms(text));
    expect(q('NEAR(a b) OR title:x* "q" ^start')).toBe('"near" OR "b" OR "title:x" OR "q" OR "start"');
    expect(ftsMatch(['a"b', 'c'])).toBe('"a""b" OR "c"');
    expect(q('???')).toBe('');
    expect(q('the of')).toBe('"the" OR "of"');
  });

  it('answers hostile input without an error and finds the right passage', () => {
    const store = freshStore();
    ingestFolder(store);
    const r = new Retriever(store);
    for (const q of [
      '"',
      "'; DROP TABLE passages; --",
      'NEAR(',
      'AND OR NOT',
      '*',
      'title:',
      '^',
      '(((',
      '\u0000',
    ]) {
      expect(() => r.bm25(q, 5)).not.toThrow();
    }
    const top = store.passages(r.bm25('What is the highest mountain in Kenya?', 3).map((h) => h.id));
    expect(top[0]?.title).toBe('Mount Kenya');
    // Porter stemming: "brewing" finds "brewed"; diacritics folded: "cafe" finds "café".
    expect(store.passages(r.bm25('brewing', 1).map((h) => h.id))[0]?.title).toBe('Brewing Guide');
  });

  it('keeps passage offsets pointing into the document text', () => {
    const store = freshStore();
    const src = readSourceFile(join(DOCS, 'places.jsonl'));
    store.ingest([src]);
    const [hit] = new Retriever(store).bm25('Lake Victoria Uganda', 1);
    const [p] = store.passages([hit?.id ?? -1]);
    const doc = src.documents.find((d) => d.title === p?.title);
    expect(doc?.text.slice(p?.start, p?.end)).toBe(p?.text);
  });
});

describe('selectiveTerms', () => {
  it('orders terms by rarity, drops a term held by most of a large corpus and those in no row', () => {
    const db = openDatabase(':memory:', [
      {
        id: 't',
        sql: `CREATE TABLE rows (id INTEGER PRIMARY KEY);
              CREATE VIRTUAL TABLE rows_fts USING fts5(text, tokenize='porter unicode61 remove_diacritics 2');`,
      },
    ]);
    const index = { table: 'rows_fts', rows: 'rows', weights: [1] };
    const add = db.prepare('INSERT INTO rows_fts (rowid, text) VALUES (?, ?)');
    db.transaction(() => {
      for (let i = 1; i <= 30_000; i++) {
        db.prepare('INSERT INTO rows (id) VALUES (?)').run(i);
        add.run(
          i,
          i % 1000 === 0 ? 'common rarities volcano' : `common filler${i % 7}${i % 10 ? '' : ' middling'}`,
        );
      }
    })();
    const range = rowRange(db, index);
    expect(range).toEqual({ first: 1, last: 30_000 });
    const terms = ['common', 'volcano', 'rarities', 'absent'];
    // FTS5 counts the rows, so "rarities" matches as it was indexed (porter: "rariti").
    expect(selectiveTerms(db, index, terms, range)).toEqual([
      { term: 'volcano', rows: 30 },
      { term: 'rarities', rows: 30 },
    ]);
    // Two terms are kept however common; above 2,000 rows the count is an estimate.
    const [rare, common] = selectiveTerms(db, index, ['common', 'volcano'], range);
    expect(rare).toEqual({ term: 'volcano', rows: 30 });
    expect(common).toEqual({ term: 'common', rows: 30_000 });
    const [filler] = selectiveTerms(db, index, ['filler3'], range);
    expect(filler?.rows).toBeGreaterThan(4282 * 0.98);
    expect(filler?.rows).toBeLessThan(4282 * 1.02);
    // Its first and last 2,000 rows overlap: counted.
    expect(selectiveTerms(db, index, ['middling'], range)).toEqual([{ term: 'middling', rows: 2970 }]);
    db.close();
  });
});

describe('document metadata and filters', () => {
  function corpus() {
    const dir = mkdtempSync(join(tmpdir(), 'qa-meta-'));
    writeFileSync(
      join(dir, 'notes.jsonl'),
      [
        {
          id: 'a',
          title: 'Boilers 2023',
          text: 'The boiler pressure should stay near 1.5 bar.',
          tags: ['handbook'],
          modified: '2023-03-01',
        },
        {
          id: 'b',
          title: 'Boilers 2024',
          text: 'The boiler pressure should stay near 1.2 bar.',
          tags: ['handbook', '2024'],
          modified: '2024-06-30',
        },
        { id: 'c', title: 'Kettles', text: 'Descale the kettle with vinegar.', modified: '2024-01-15' },
      ]
        .map((r) => JSON.stringify(r))
        .join('\n'),
    );
    writeFileSync(
      join(dir, 'memo.md'),
      '---\ntitle: Pressure memo\ntags: [memo, handbook]\ndate: 2022-11-02\n---\n\nKeep the boiler pressure near 1.4 bar.\n',
    );
    return dir;
  }

  it('keeps tags and dates from JSON Lines and Markdown front matter, and tags given for a whole ingest', () => {
    const dir = corpus();
    const memo = readSourceFile(join(dir, 'memo.md'));
    expect(memo.documents[0]).toMatchObject({
      title: 'Pressure memo',
      tags: ['memo', 'handbook'],
      modified: '2022-11-02',
    });
    expect(memo.documents[0]?.text).toBe('Keep the boiler pressure near 1.4 bar.');
    const store = freshStore();
    store.ingest([{ ...readSourceFile(join(dir, 'notes.jsonl')), tags: ['site'] }, memo]);
    const titles = (f: Parameters<DocStore['passageIdsMatching']>[0]) =>
      store.passages(store.passageIdsMatching(f)).map((p) => p.title);
    expect(titles({ tags: ['2024'] })).toEqual(['Boilers 2024']);
    expect(titles({ tags: ['site'] })).toEqual(['Boilers 2023', 'Boilers 2024', 'Kettles']);
    expect(titles({ after: '2024-01-01' })).toEqual(['Boilers 2024', 'Kettles']);
    expect(titles({ before: '2023-12-31', tags: ['handbook'] })).toEqual(['Boilers 2023', 'Pressure memo']);
    expect(titles({ source: [join(dir, 'memo.md')] })).toEqual(['Pressure memo']);
  });

  it('filters inside BM25 retrieval, not after the top-k', async () => {
    const dir = corpus();
    const store = freshStore();
    store.ingest([readSourceFile(join(dir, 'notes.jsonl')), readSourceFile(join(dir, 'memo.md'))]);
    const retriever = new Retriever(store);
    // Every boiler passage outranks the kettle for this query; a top-1 filtered afterwards would be empty.
    const memo = store.passageIdsMatching({ tags: ['memo'] });
    const hits = await retriever.retrieve('boiler pressure kettle', 1, 'bm25', undefined, memo);
    expect(hits.map((h) => h.title)).toEqual(['Pressure memo']);
    const none = store.passageIdsMatching({ after: '2030-01-01' });
    expect(await retriever.retrieve('boiler pressure', 3, 'bm25', undefined, none)).toEqual([]);
  });

  it('reads a web page by its main content: navigation, header, footer and asides dropped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-html-'));
    writeFileSync(
      join(dir, 'faq.html'),
      '<html><head><title>Boiler FAQ</title></head><body><header><a href="/">Home</a> | Shop</header>' +
        '<nav><ul><li>Products</li><li>Support</li></ul></nav><main><h1>Boiler FAQ</h1>' +
        '<p>Keep the pressure near 1.5 bar.</p></main><aside>Subscribe!</aside><footer>Copyright 2024</footer></body></html>',
    );
    expect(readSourceFile(join(dir, 'faq.html')).documents[0]?.text).toBe(
      'Boiler FAQ\n\nKeep the pressure near 1.5 bar.',
    );
  });

  it('names the file of front matter that is not YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qa-meta-'));
    writeFileSync(join(dir, 'bad.md'), '---\ntags: [unclosed\n---\n\ntext\n');
    expect(() => readSourceFile(join(dir, 'bad.md'))).toThrow(
      expect.objectContaining({ code: 'bad_input', where: join(dir, 'bad.md') }),
    );
  });
});
