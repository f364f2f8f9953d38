/** The documents as people browse them: filters' facets, and source files opened from citations. */
import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { ingestFiles } from '../../src/retrieval/folder-ingest.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { fixtureWorkspace, startServer, type TestServer } from './harness.js';

const TOKEN = 'test-admin-token-0123456789';
let s: TestServer;
let folder: string;

beforeAll(async () => {
  const workspace = await fixtureWorkspace();
  folder = mkdtempSync(join(tmpdir(), 'qa-served-'));
  cpSync(join(FIXTURES, 'office', 'boiler-manual.pdf'), join(folder, 'boiler-manual.pdf'));
  writeFileSync(
    join(folder, 'page.html'),
    '<html><body><h1>Kettles</h1><script>alert(1)</script><p>Kettles boil water.</p></body></html>',
  );
  writeFileSync(join(folder, 'secret.txt'), 'Not ingested, never served.');
  const db = openWorkspaceDb({ workspace });
  try {
    await ingestFiles(new DocStore(db), [join(folder, 'boiler-manual.pdf'), join(folder, 'page.html')], {
      tags: ['manuals'],
    });
  } finally {
    db.close();
  }
  s = await startServer({ adminToken: TOKEN }, { workspace });
});

afterAll(async () => {
  await s.close();
  rmSync(folder, { recursive: true, force: true });
});

const fileUrl = (source: string) => `${s.url}/api/docs/file?source=${encodeURIComponent(source)}`;

describe('GET /api/docs', () => {
  it('lists the sources with their file names, the tags with their counts, and the range of dates', async () => {
    const body = await (await fetch(`${s.url}/api/docs`)).json();
    expect(body.sources).toContainEqual(
      expect.objectContaining({
        source: join(folder, 'boiler-manual.pdf'),
        name: 'boiler-manual.pdf',
        documents: 2,
      }),
    );
    expect(body.tags).toEqual([{ tag: 'manuals', documents: 3 }]);
    expect(body.modified.first <= '2024-05-01').toBe(true);
  });
});

describe('GET /api/docs/file', () => {
  it('serves an ingested PDF that a citation links to, at its page', async () => {
    const a = await fetch(`${s.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'What should the boiler pressure be when the system is cold?' }),
    });
    const evidence = (await a.json()).answers[0].evidence;
    expect(evidence).toMatchObject({
      page: 2,
      file: expect.stringMatching(/^\/api\/docs\/file\?source=.+#page=2$/),
    });
    const res = await fetch(`${s.url}${evidence.file.replace(/#.*/, '')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-security-policy')).toBeNull();
    expect(Buffer.from(await res.arrayBuffer())).toEqual(readFileSync(join(folder, 'boiler-manual.pdf')));
  });

  it('serves an HTML page sandboxed, so its scripts never run on this origin', async () => {
    const res = await fetch(fileUrl(join(folder, 'page.html')));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/^sandbox;/);
  });

  it('refuses files never ingested, data files, and a file moved out of its folder behind a link', async () => {
    expect((await fetch(fileUrl(join(folder, 'secret.txt')))).status).toBe(404);
    expect((await fetch(fileUrl('../../etc/passwd'))).status).toBe(404);
    expect((await fetch(`${s.url}/api/docs/file`)).status).toBe(400);
    const data = (await (await fetch(`${s.url}/api/docs`)).json()).sources.find((x: { source: string }) =>
      x.source.endsWith('.jsonl'),
    );
    expect((await fetch(fileUrl(data.source))).status).toBe(404);
    const outside = mkdtempSync(join(tmpdir(), 'qa-outside-'));
    renameSync(join(folder, 'page.html'), join(outside, 'page.html'));
    symlinkSync(join(outside, 'page.html'), join(folder, 'page.html'));
    const moved = await fetch(fileUrl(join(folder, 'page.html')));
    expect(moved.status).toBe(403);
    expect((await moved.json()).error.message).toContain('outside the folder it was ingested from');
    rmSync(outside, { recursive: true, force: true });
  });

  it('keeps an uploaded file in the workspace and serves it from there', async () => {
    const form = new FormData();
    form.append(
      'files',
      new Blob([readFileSync(join(FIXTURES, 'office', 'kettle-guide.docx'))]),
      'kettle-guide.docx',
    );
    const up = await fetch(`${s.url}/api/ingest/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
      body: form,
    });
    expect(up.status).toBe(200);
    const res = await fetch(fileUrl('api:kettle-guide.docx'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename\*=UTF-8''kettle-guide\.docx$/,
    );
  });
});
