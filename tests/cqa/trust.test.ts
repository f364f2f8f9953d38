/** Community answers weighted by trust, on a real archive with the bundled matcher and encoder. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenCqa, openCqa } from '../../src/app/cqa.js';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { loadConfig, PACKAGE_ROOT } from '../../src/core/config.js';
import type { Db } from '../../src/core/database.js';
import type { Answer } from '../../src/cqa/archive.js';
import { readArchive } from '../../src/cqa/import.js';
import { trustOf } from '../../src/cqa/trust.js';
import { ModelRegistry } from '../../src/models/registry.js';

const answer = (a: Partial<Answer>): Answer => ({
  id: 1,
  threadId: 1,
  text: 'x',
  votes: 0,
  accepted: false,
  created: null,
  author: null,
  status: 'published',
  ...a,
});

describe('trustOf', () => {
  it('vets accepted and imported answers; weighs community answers by their votes', () => {
    expect(trustOf(answer({ accepted: true }), { source: 'community' })).toMatchObject({
      quality: 1,
      vetted: true,
    });
    expect(trustOf(answer({}), { source: 'debian-faq' })).toMatchObject({ quality: 1, vetted: true });
    const fresh = trustOf(answer({}), { source: 'community' });
    const liked = trustOf(answer({ votes: 3 }), { source: 'community' });
    const disliked = trustOf(answer({ votes: -2 }), { source: 'community' });
    expect(fresh).toMatchObject({ vetted: false, why: 'community answer, not yet voted on or accepted' });
    expect(liked.quality).toBeGreaterThan(fresh.quality);
    expect(liked.quality).toBeLessThan(1);
    expect(disliked.quality).toBeLessThan(fresh.quality);
    expect(trustOf(answer({ votes: -3 }), { source: 'semeval' }).vetted).toBe(false);
  });
});

describe('the CQA route over the Debian FAQ', () => {
  const workspace = mkdtempSync(join(tmpdir(), 'qa-trust-'));
  const config = loadConfig({ flags: { workspace, modelsDir: resolve(PACKAGE_ROOT, 'models') } });
  const models = new ModelRegistry(config.modelsDir);
  let db: Db;
  let cqa: OpenCqa;

  beforeAll(async () => {
    db = openWorkspaceDb(config);
    cqa = await openCqa(db, config, models);
    cqa.archive.import(
      'debian-faq',
      await readArchive(resolve(PACKAGE_ROOT, 'corpora', 'cqa', 'debian-faq.jsonl')),
    );
    await cqa.matcher.refresh();
  });

  afterAll(async () => {
    await models.close();
    db.close();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('never puts a new, unvoted post above the reference answer it competes with, until it is accepted', async () => {
    const post = cqa.archive.post({ subject: 'How do I pin a package?', body: '', tags: [] });
    const reply = cqa.archive.answer(post.id, { text: 'Pin it in /etc/apt/preferences.' });
    await cqa.matcher.refresh();
    const before = await cqa.route.answer('How do I pin a package?');
    const [first, second] = before.candidates;
    expect(first).toMatchObject({
      evidence: {
        question: 'How do I put a package on hold?',
        vetted: true,
        trust: 'accepted answer',
      },
    });
    expect(second).toMatchObject({
      text: 'Pin it in /etc/apt/preferences.',
      evidence: { vetted: false, trust: 'community answer, not yet voted on or accepted' },
    });
    // Its thread matches the question better; only the trust keeps it below.
    expect(second?.evidence.kind === 'thread' && second.evidence.similarity).toBeGreaterThan(
      first?.evidence.kind === 'thread' ? first.evidence.similarity : 1,
    );
    cqa.archive.accept(reply.id);
    const after = await cqa.route.answer('How do I pin a package?');
    expect(after.candidates[0]).toMatchObject({
      text: 'Pin it in /etc/apt/preferences.',
      evidence: { vetted: true },
    });
  });

  it('answers nothing from a pending post', async () => {
    const pending = cqa.archive.post(
      { subject: 'How do I downgrade a package?', body: '', tags: [] },
      'pending',
    );
    await cqa.matcher.refresh();
    const found = await cqa.route.answer('How do I downgrade a package?');
    expect(found.matches.some((m) => m.thread.id === pending.id)).toBe(false);
    expect(() => cqa.archive.answer(pending.id, { text: 'apt install pkg=1.0' })).toThrow(
      /awaits moderation/,
    );
  });
});
