/**
 * Builds the PDF and Word fixtures of tests/fixtures/office/ with pdf-lib and docx (both on npm),
 * so the files the ingestion tests read are reproducible:
 *
 *   npx tsx scripts/build-office-fixtures.ts
 *
 * - boiler-manual.pdf: two pages with a text layer; the answer to a test question is on page 2.
 * - two-columns.pdf: one page set in two columns (each column read top to bottom).
 * - scanned.pdf: a page with no text layer (only a drawn box), as a scan without OCR would be.
 * - corrupt.pdf: a PDF header followed by garbage.
 * - kettle-guide.docx: a heading, paragraphs and a table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';

const OUT = join(import.meta.dirname, '..', 'tests', 'fixtures', 'office');
mkdirSync(OUT, { recursive: true });

async function pdf(name: string, pages: string[][], columns = 1): Promise<void> {
  const doc = await PDFDocument.create();
  doc.setTitle(name.replace(/\.pdf$/, '').replace(/-/g, ' '));
  // A fixed date, so the file is the same on every build.
  doc.setCreationDate(new Date('2024-05-01T00:00:00Z'));
  doc.setModificationDate(new Date('2024-05-01T00:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    const perColumn = Math.ceil(lines.length / columns);
    lines.forEach((line, i) => {
      const col = Math.floor(i / perColumn);
      const row = i % perColumn;
      page.drawText(line, { x: 50 + col * 260, y: 780 - row * 18, size: 11, font });
    });
  }
  writeFileSync(join(OUT, name), await doc.save({ useObjectStreams: false }));
}

await pdf('boiler-manual.pdf', [
  ['Boiler manual', 'Chapter 1. Installation.', 'Mount the boiler on a wall that can carry its weight.'],
  ['Chapter 2. Operation.', 'The boiler pressure should stay near 1.5 bar when the system is cold.'],
]);
await pdf(
  'two-columns.pdf',
  [
    [
      'Left column first line about tea.',
      'Green tea is steamed or pan-fired.',
      'Right column first line about coffee.',
      'Espresso is brewed at nine bars.',
    ],
  ],
  2,
);

const scanned = await PDFDocument.create();
scanned.setCreationDate(new Date('2024-05-01T00:00:00Z'));
scanned.setModificationDate(new Date('2024-05-01T00:00:00Z'));
scanned
  .addPage([595, 842])
  .drawRectangle({ x: 50, y: 50, width: 495, height: 742, color: rgb(0.9, 0.9, 0.9) });
writeFileSync(join(OUT, 'scanned.pdf'), await scanned.save({ useObjectStreams: false }));

writeFileSync(join(OUT, 'corrupt.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog garbage that never ends');

const word = new Document({
  creator: 'qa',
  title: 'Kettle guide',
  sections: [
    {
      children: [
        new Paragraph({ text: 'Kettle guide', heading: HeadingLevel.HEADING_1 }),
        new Paragraph({ children: [new TextRun('Descale the kettle once a month with white vinegar.')] }),
        new Paragraph({ children: [new TextRun('Rinse it twice before boiling water for tea.')] }),
        new Table({
          rows: [
            new TableRow({
              children: [
                new TableCell({ children: [new Paragraph('Model')] }),
                new TableCell({ children: [new Paragraph('Capacity')] }),
              ],
            }),
            new TableRow({
              children: [
                new TableCell({ children: [new Paragraph('K-100')] }),
                new TableCell({ children: [new Paragraph('1.7 litres')] }),
              ],
            }),
          ],
        }),
      ],
    },
  ],
});
writeFileSync(join(OUT, 'kettle-guide.docx'), await Packer.toBuffer(word));
process.stdout.write(`wrote the office fixtures to ${OUT}\n`);
