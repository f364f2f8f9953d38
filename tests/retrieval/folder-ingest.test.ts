/** Folders of any size: batches of one transaction each, resuming, skipping what is stored as it is. */
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import type { Db } from '../../src/core/database.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { ingestFiles } from '../../src/retrieval/folder-ingest.js';

const dbs: Db[] = [];

function fresh(): { store: DocStore; dir: string } {
  const db = openWorkspaceDb({ workspace: mkdtempSync(join(tmpdir(), 'qa-folder-ws-')) });
  dbs.push(db);
  const dir = mkdtempSync(join(tmpdir(), 'qa-folder-'));
  for (let i = 1; i <= 5; i++)
    writeFileSync(join(dir, `note-${i}.txt`), `Note ${i} says the answer is ${i * 7}.`);
  return { store: new DocStore(db), dir };
}

afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
});

describe('ingestFiles', () => {
  it('writes a folder in batches and skips every file, unread, when run again', async () => {
    const { store, dir } = fresh();
    const first = await ingestFiles(store, [dir], { batchFiles: 2 });
    expect(first).toMatchObject({ files: 5, added: 5, batches: 3, skipped: 0 });
    const again = await ingestFiles(store, [dir], { batchFiles: 2 });
    expect(again).toMatchObject({ files: 5, added: 0, batches: 0, skipped: 5 });
  });

  it('skips a file whose time changed but whose bytes did not; rereads one whose bytes or tags did', async () => {
    const { store, dir } = fresh();
    await ingestFiles(store, [dir]);
    utimesSync(join(dir, 'note-1.txt'), new Date('2030-01-01'), new Date('2030-01-01'));
    writeFileSync(join(dir, 'note-2.txt'), 'Note 2 now says something else entirely.');
    expect(await ingestFiles(store, [dir])).toMatchObject({ skipped: 4, updated: 1 });
    expect(await ingestFiles(store, [dir])).toMatchObject({ skipped: 5 });
    expect(await ingestFiles(store, [dir], { tags: ['notes'] })).toMatchObject({ skipped: 0, updated: 5 });
  });

  it('stops at a bad file keeping earlier batches, and the rerun resumes after them', async () => {
    const { store, dir } = fresh();
    writeFileSync(join(dir, 'note-4.txt'), Buffer.from([0xff, 0xfe, 0x00, 0xc3]));
    const run = ingestFiles(store, [dir], { batchFiles: 2 });
    await expect(run).rejects.toMatchObject({
      code: 'bad_input',
      where: join(dir, 'note-4.txt'),
      hint: expect.stringContaining('2 file(s) of earlier batches are stored'),
    });
    // note-1 and note-2 (the first batch) are stored; note-3 shared the bad file's batch.
    expect(store.counts().documents).toBe(2);
    writeFileSync(join(dir, 'note-4.txt'), 'Note 4 is fixed.');
    expect(await ingestFiles(store, [dir], { batchFiles: 2 })).toMatchObject({ skipped: 2, added: 3 });
  });

  it('stores all or nothing in a run of one batch, and skips bad files with keepGoing', async () => {
    const { store, dir } = fresh();
    writeFileSync(join(dir, 'note-4.txt'), Buffer.from([0xff, 0xfe]));
    await expect(ingestFiles(store, [dir])).rejects.toMatchObject({
      hint: expect.stringContaining('nothing was stored'),
    });
    expect(store.counts().documents).toBe(0);
    const kept = await ingestFiles(store, [dir], { keepGoing: true });
    expect(kept).toMatchObject({ added: 4, failed: 1 });
    expect(kept.warnings).toEqual([`${join(dir, 'note-4.txt')}: not valid UTF-8; skipped`]);
  });

  it('with sync, removes the files gone from the folder and forgets them', async () => {
    const { store, dir } = fresh();
    await ingestFiles(store, [dir]);
    rmSync(join(dir, 'note-5.txt'));
    expect(await ingestFiles(store, [dir], { sync: true })).toMatchObject({ removed: 1, skipped: 4 });
    expect(store.fileStamp(join(dir, 'note-5.txt'))).toBeUndefined();
    writeFileSync(join(dir, 'note-5.txt'), 'Note 5 is back.');
    expect(await ingestFiles(store, [dir])).toMatchObject({ added: 1, skipped: 4 });
  });
});
