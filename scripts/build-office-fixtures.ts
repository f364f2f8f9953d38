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
 * - non-latin.pdf: Russian and Greek text in an embedded DejaVu Sans (Debian's fonts-dejavu-core).
 * - encrypted.pdf: a PDF protected by a user password (the standard security handler), which no
 *   reader can open without it.
 * - kettle-guide.docx: a title, two sections (headings), paragraphs and a table.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import { PDFDocument, PDFHexString, PDFName, PDFNumber, rgb, StandardFonts } from 'pdf-lib';

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

const nonLatin = await PDFDocument.create();
nonLatin.registerFontkit(fontkit);
nonLatin.setTitle('Чайник');
nonLatin.setCreationDate(new Date('2024-05-01T00:00:00Z'));
nonLatin.setModificationDate(new Date('2024-05-01T00:00:00Z'));
const dejavu = await nonLatin.embedFont(readFileSync('/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf'), {
  subset: true,
});
const cyrillic = nonLatin.addPage([595, 842]);
[
  'Руководство по электрическому чайнику.',
  'Чайник вмещает 1,7 литра воды.',
  'Удаляйте накипь уксусом раз в месяц.',
].forEach((line, i) => {
  cyrillic.drawText(line, { x: 50, y: 780 - i * 18, size: 11, font: dejavu });
});
const greek = nonLatin.addPage([595, 842]);
['Ο βραστήρας καθαρίζεται με ξίδι.', 'Η χωρητικότητα είναι 1,7 λίτρα.'].forEach((line, i) => {
  greek.drawText(line, { x: 50, y: 780 - i * 18, size: 11, font: dejavu });
});
writeFileSync(join(OUT, 'non-latin.pdf'), await nonLatin.save({ useObjectStreams: false }));

// The standard security handler (revision 3, 128-bit RC4) with owner and user entries that do
// not open with an empty password: a reader has to ask for one.
const locked = await PDFDocument.create();
locked.setCreationDate(new Date('2024-05-01T00:00:00Z'));
locked.setModificationDate(new Date('2024-05-01T00:00:00Z'));
locked.addPage([595, 842]);
const bytes = (seed: number) =>
  PDFHexString.of(
    Array.from({ length: 32 }, (_, i) => ((seed * 31 + i * 17) % 256).toString(16).padStart(2, '0')).join(''),
  );
const ctx = locked.context;
const encrypt = ctx.obj({
  Filter: PDFName.of('Standard'),
  V: PDFNumber.of(2),
  R: PDFNumber.of(3),
  Length: PDFNumber.of(128),
  P: PDFNumber.of(-3904),
  O: bytes(7),
  U: bytes(11),
});
ctx.trailerInfo.Encrypt = ctx.register(encrypt);
ctx.trailerInfo.ID = ctx.obj([bytes(3), bytes(3)]);
writeFileSync(join(OUT, 'encrypted.pdf'), await locked.save({ useObjectStreams: false }));

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
        new Paragraph({ text: 'Cleaning', heading: HeadingLevel.HEADING_2 }),
        new Paragraph({ children: [new TextRun('Descale the kettle once a month with white vinegar.')] }),
        new Paragraph({ children: [new TextRun('Rinse it twice before boiling water for tea.')] }),
        new Paragraph({ text: 'Models', heading: HeadingLevel.HEADING_2 }),
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
