import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../../src/cqa/import.js';
import { readSourceFile } from '../../src/retrieval/doc-sources.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DOCS = join(ROOT, 'corpora', 'docs', 'factbook.jsonl');
const CQA = join(ROOT, 'corpora', 'cqa', 'debian-faq.jsonl');
const FAQ_DIR = '/usr/share/doc/debian/FAQ';

/** The record counts corpora/README.md states, by file. */
function readmeCounts(): Map<string, number> {
  const text = readFileSync(join(ROOT, 'corpora', 'README.md'), 'utf8');
  return new Map([...text.matchAll(/^\| `([\w/.-]+)` \| (\d+) \|/gm)].map((m) => [m[1] ?? '', Number(m[2])]));
}

describe('corpora/docs/factbook.jsonl', () => {
  const docs = readSourceFile(DOCS).documents;

  it('reads as JSON Lines documents, as many as the README says', () => {
    expect(readSourceFile(DOCS).format).toBe('jsonl');
    expect(docs.length).toBe(readmeCounts().get('docs/factbook.jsonl'));
    expect(statSync(DOCS).size).toBeLessThan(20 * 1024 * 1024);
  });

  it('has a titled document per country and section', () => {
    const kenya = docs.find((d) => d.key.endsWith('#factbook/ke/background'));
    expect(kenya?.title).toBe('Kenya — Background');
    expect(kenya?.text).toMatch(/KENYATTA/);
    expect(docs.find((d) => d.key.endsWith('#factbook/ke/economy'))?.title).toBe('Kenya — Economy');
    for (const d of docs) {
      expect(d.title, d.key).toMatch(/^\S.* — \S/);
      expect(d.text, d.key).not.toMatch(/^(NA|none)$/);
    }
  });
});

describe('corpora/cqa/debian-faq.jsonl', () => {
  it('reads as a thread archive, one accepted answer per question', async () => {
    const threads = await readArchive(CQA);
    expect(threads.length).toBe(readmeCounts().get('cqa/debian-faq.jsonl'));
    for (const t of threads) {
      expect(t.subject, t.key).toContain('?');
      expect(t.answers, t.key).toHaveLength(1);
      expect(t.answers[0]?.accepted, t.key).toBe(true);
      expect(t.answers[0]?.text.length, t.key).toBeGreaterThan(20);
    }
    const hold = threads.find((t) => t.subject === 'How do I put a package on hold?');
    expect(hold?.tags).toEqual(['pkg-basics']);
    expect(hold?.answers[0]?.text).toMatch(/apt-mark hold/);
    expect(statSync(CQA).size).toBeLessThan(20 * 1024 * 1024);
  });

  // The debian-faq package is there on a developer's machine that regenerates the file, not in CI.
  it.skipIf(!existsSync(FAQ_DIR))('is what npm run build:cqa makes from the installed FAQ', () => {
    const out = mkdtempSync(join(tmpdir(), 'qa-build-cqa-'));
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'scripts', 'build-cqa.ts'), FAQ_DIR, out],
        {
          cwd: ROOT,
          stdio: 'pipe',
        },
      );
      expect(readFileSync(join(out, 'corpora', 'cqa', 'debian-faq.jsonl')).equals(readFileSync(CQA))).toBe(
        true,
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
