/** PDF and Word files read as documents (fixtures built by scripts/build-office-fixtures.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { readDocumentFile } from '../../src/retrieval/doc-sources.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { Retriever } from '../../src/retrieval/retriever.js';
import { FIXTURES } from '../helpers/fixtures.js';

const OFFICE = join(FIXTURES, 'office');

describe('PDF and Word files', () => {
  it('reads a PDF page by page, with its title, date and each page numbered', async () => {
    const { source, warnings } = await readDocumentFile(join(OFFICE, 'boiler-manual.pdf'));
    expect(warnings).toEqual([]);
    expect(source.documents.map((d) => [d.page, d.title, d.modified])).toEqual([
      [1, 'boiler manual', '2024-05-01'],
      [2, 'boiler manual', '2024-05-01'],
    ]);
    expect(source.documents[1]?.text).toContain('The boiler pressure should stay near 1.5 bar');
  });

  it('reads each column of a two-column page whole, and a Word file with its heading and table', async () => {
    const columns = (await readDocumentFile(join(OFFICE, 'two-columns.pdf'))).source.documents[0]?.text ?? '';
    expect(columns.indexOf('Green tea is steamed')).toBeLessThan(columns.indexOf('Right column first line'));
    const word = (await readDocumentFile(join(OFFICE, 'kettle-guide.docx'))).source.documents;
    expect(word).toHaveLength(1);
    expect(word[0]?.title).toBe('Kettle guide');
    expect(word[0]?.text).toContain('Descale the kettle once a month with white vinegar.');
    expect(word[0]?.text).toMatch(/K-100\s+1\.7 litres/);
  });

  it('warns about a PDF without a text layer, and names a corrupt one', async () => {
    const scan = await readDocumentFile(join(OFFICE, 'scanned.pdf'));
    expect(scan.source.documents).toEqual([]);
    expect(scan.warnings[0]).toMatch(/scanned\.pdf: no text layer on any of its 1 page\(s\)/);
    await expect(readDocumentFile(join(OFFICE, 'corrupt.pdf'))).rejects.toMatchObject({
      code: 'bad_input',
      where: join(OFFICE, 'corrupt.pdf'),
    });
  });

  it('reads Russian and Greek text, and finds it by its own words', async () => {
    const { source } = await readDocumentFile(join(OFFICE, 'non-latin.pdf'));
    expect(source.documents.map((d) => [d.page, d.title])).toEqual([
      [1, 'Чайник'],
      [2, 'Чайник'],
    ]);
    expect(source.documents[0]?.text).toContain('Чайник вмещает 1,7 литра воды.');
    const db = openWorkspaceDb({ workspace: mkdtempSync(join(tmpdir(), 'qa-office-')) });
    try {
      const store = new DocStore(db);
      store.ingest([source]);
      const retriever = new Retriever(store);
      // Case and accents folded: "ΒΡΑΣΤΗΡΑΣ" finds "βραστήρας".
      expect(await retriever.retrieve('ΒΡΑΣΤΗΡΑΣ ξίδι', 1, 'bm25')).toMatchObject([{ page: 2 }]);
      expect(await retriever.retrieve('накипь уксусом', 1, 'bm25')).toMatchObject([{ page: 1 }]);
    } finally {
      db.close();
    }
  });

  it('refuses a password-protected PDF with a hint, rather than reading nothing', async () => {
    await expect(readDocumentFile(join(OFFICE, 'encrypted.pdf'))).rejects.toMatchObject({
      code: 'bad_input',
      where: join(OFFICE, 'encrypted.pdf'),
      hint: expect.stringContaining('encrypted'),
    });
  });

  it("names each Word passage's section from its headings", async () => {
    const db = openWorkspaceDb({ workspace: mkdtempSync(join(tmpdir(), 'qa-office-')) });
    try {
      const store = new DocStore(db);
      store.ingest([(await readDocumentFile(join(OFFICE, 'kettle-guide.docx'))).source]);
      const retriever = new Retriever(store);
      expect(await retriever.retrieve('descale vinegar', 1, 'bm25')).toMatchObject([
        {
          title: 'Kettle guide',
          section: 'Cleaning',
          text: expect.stringMatching(/^Kettle guide\s+Cleaning/),
        },
      ]);
      expect(await retriever.retrieve('capacity litres', 1, 'bm25')).toMatchObject([{ section: 'Models' }]);
    } finally {
      db.close();
    }
  });

  it('keeps the page of each passage for citations', async () => {
    const db = openWorkspaceDb({ workspace: mkdtempSync(join(tmpdir(), 'qa-office-')) });
    try {
      const store = new DocStore(db);
      store.ingest([(await readDocumentFile(join(OFFICE, 'boiler-manual.pdf'))).source]);
      const [hit] = await new Retriever(store).retrieve('boiler pressure cold', 1, 'bm25');
      expect(hit).toMatchObject({ title: 'boiler manual', page: 2 });
    } finally {
      db.close();
    }
  });
});
