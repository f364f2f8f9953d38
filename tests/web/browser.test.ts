/**
 * The web UI in a real (headless) Chromium against a real server: asking, evidence, the board,
 * markup in posts staying text, and a narrow screen. Skipped only outside CI when Chromium is absent.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { FeedbackStore } from '../../src/feedback/store.js';
import { DocStore } from '../../src/retrieval/doc-store.js';
import { ingestFiles } from '../../src/retrieval/folder-ingest.js';
import { startServer, type TestServer } from '../server/harness.js';

const CHROMIUM = '/usr/bin/chromium';
// The README's screenshot is refreshed only on request (UPDATE_SCREENSHOT=1), so a test run leaves
// the working tree clean; otherwise it goes to a temporary folder and is only checked.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT
  ? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshot.png')
  : join(mkdtempSync(join(tmpdir(), 'qa-shot-')), 'screenshot.png');
const INJECTED = '<img src=x onerror=alert(1)>';

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('web UI', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    s = await startServer();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(s.url);
  });

  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function ask(question: string): Promise<void> {
    await page.fill('#question', question);
    await page.press('#question', 'Enter');
    await page.waitForSelector('#result h3');
  }

  it('fills the reader selector from the registry', async () => {
    await expect
      .poll(() => page.locator('#reader option').allTextContents())
      .toEqual([
        'minilm-l3-squad-int8 (fine-tuned, distilled, quantized)',
        'minilm-l6-squad (fine-tuned)',
        'minilm-l6-squad-int8 (fine-tuned, quantized; default)',
      ]);
    expect(await page.locator('#health').textContent()).toMatch(/answers from mrc, cqa · 5 documents/);
  });

  it('answers on Enter with ranked answers, the highlighted span, and route timings', async () => {
    await ask('How high is Mount Kenya?');
    const first = page.locator('.answer').first();
    expect(await first.locator('.badge').textContent()).toBe('mrc');
    expect(await first.locator('.answer-text').textContent()).toContain('5,199');
    expect(await first.locator('.confidence').textContent()).toMatch(/^\d{1,3}%$/);
    expect(await first.locator(':scope > .evidence blockquote mark').textContent()).toBe(
      await first.locator('.answer-text').textContent(),
    );
    expect(await first.locator(':scope > .evidence blockquote').textContent()).toBe(
      'Mount Kenya is the highest mountain in Kenya, at 5,199 metres.',
    );
    expect(await first.locator('.evidence strong').first().textContent()).toBe('Mount Kenya');
    expect(await page.locator('.timings').textContent()).toMatch(/mrc \d+ ms · \d+ candidates/);
    expect(await page.locator('.warnings').textContent()).toContain('kbqa: no knowledge base');
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
  });

  it('answers a descriptive question with the passage whole, and where it comes from', async () => {
    await ask('Tell me about green tea');
    const first = page.locator('#result .answer').first();
    await expect.poll(() => first.locator('.answer-passage').count()).toBe(1);
    expect(await first.locator('.badge').textContent()).toBe('mrc');
    expect(await first.locator('.answer-text').count()).toBe(0);
    const passage = await first.locator('.answer-passage').textContent();
    expect(passage).toContain('Green tea is made from Camellia sinensis leaves');
    expect(passage).toMatch(/It originated in China\.$/);
    expect(await first.locator('.evidence strong').first().textContent()).toBe('Green tea');
  });

  it('keeps a conversation: follow-ups answered as standalone questions, kept over a reload, cleared on demand', async () => {
    if (await page.locator('#new-conversation').isVisible()) await page.click('#new-conversation');
    await ask('Tell me about green tea');
    await page.fill('#question', 'Where did it originate?');
    await page.press('#question', 'Enter');
    await page.waitForSelector('#result .resolved');
    expect(await page.locator('#result .resolved').textContent()).toBe(
      'answered as: Where did Green tea originate?',
    );
    expect(await page.locator('#result .answer-text').first().textContent()).toBe('China');
    expect(await page.locator('#conversation .turn-question').allTextContents()).toEqual([
      'Tell me about green tea',
    ]);
    await page.reload();
    await expect
      .poll(() => page.locator('#conversation .turn-question').allTextContents())
      .toEqual(['Tell me about green tea', 'Where did it originate?']);
    await page.click('#new-conversation');
    expect(await page.locator('#conversation').isHidden()).toBe(true);
    expect(await page.evaluate(() => localStorage.getItem('qa.conversation'))).toBe('[]');
  });

  it('says clearly when there is no answer, and why', async () => {
    await ask('zxqv florp blarg wibble?');
    expect(await page.locator('#no-answer h3').textContent()).toBe('No answer');
    expect(await page.locator('#no-answer p').textContent()).toMatch(/likely|no candidate/);
    expect(await page.locator('#result .answer').count()).toBe(0);
  });

  it('posts, answers, votes and accepts on the board, showing markup as text', async () => {
    const subject = `${INJECTED} How do I descale a kettle?`;
    await page.click('#post summary');
    await page.fill('#post-subject', subject);
    await page.fill('#post-body', '<b>bold?</b><script>alert(2)</script>');
    await page.fill('#post-tags', 'kitchen, <i>x</i>');
    await page.click('#post-form button[type=submit]');
    await expect.poll(() => page.locator('#thread-subject').textContent()).toBe(subject);
    expect(await page.locator('#thread-body').textContent()).toBe('<b>bold?</b><script>alert(2)</script>');
    expect(await page.locator('#thread-meta').textContent()).toContain('kitchen, <i>x</i>');

    await page.fill('#answer-text', `${INJECTED}Boil a mix of water and vinegar, then rinse.`);
    await page.click('#answer-form button[type=submit]');
    const answer = page.locator('.community-answer').first();
    await expect
      .poll(() => answer.locator('p').textContent())
      .toBe(`${INJECTED}Boil a mix of water and vinegar, then rinse.`);
    await answer.getByRole('button', { name: 'Vote up' }).click();
    await expect.poll(() => answer.locator('.votes').textContent()).toContain('1 vote');
    await answer.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => answer.locator('.badge.accepted').count()).toBe(1);

    await page.fill('#search', 'descale kettle');
    await page.press('#search', 'Enter');
    await expect.poll(() => page.locator('#threads .thread-link').first().textContent()).toBe(subject);

    expect(await page.locator('img, script:not([src]), b, i').count()).toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('links a community answer to its thread on the board', async () => {
    await ask('How do I descale a kettle?');
    const link = page.locator('.answer .evidence a').first();
    expect(await link.textContent()).toContain(INJECTED);
    await link.click();
    await expect.poll(() => page.locator('#thread-subject').textContent()).toContain('descale a kettle');
    expect(await page.locator('img').count()).toBe(0);
  });

  it('judges an answer: 👍 is stored, 👎 opens a correction that is stored with it', async () => {
    if (await page.locator('#new-conversation').isVisible()) await page.click('#new-conversation');
    await ask('How high is Mount Kenya?');
    const first = page.locator('#result .answer').first();
    await first.locator('.thumb.up').click();
    await expect
      .poll(() => first.locator('.feedback [role=status]').textContent())
      .toBe('Thanks for telling us.');
    await first.locator('.thumb.down').click();
    await first.locator('.correction-text').fill('5,199 m');
    await first.locator('.correction button[type=submit]').click();
    await expect
      .poll(() => first.locator('.feedback [role=status]').textContent())
      .toBe('Thanks: the correction was saved.');
    const stored = new FeedbackStore(s.pipeline.db).all();
    expect(stored.map((f) => [f.question, f.route, f.helpful, f.correction])).toEqual([
      ['How high is Mount Kenya?', 'mrc', true, undefined],
      ['How high is Mount Kenya?', 'mrc', false, undefined],
      ['How high is Mount Kenya?', 'mrc', false, '5,199 m'],
    ]);
    expect(await page.locator('#result details.explain tbody tr').count()).toBeGreaterThan(0);
  });

  it('offers the community board, question filled in, when there is no answer', async () => {
    await ask('zxqv florp blarg wibble?');
    await page.click('#no-answer .ask-community');
    expect(await page.locator('#post').getAttribute('open')).not.toBeNull();
    expect(await page.locator('#post-subject').inputValue()).toBe('zxqv florp blarg wibble?');
  });

  it("shows a community answer's Markdown (paragraphs, code) with any HTML in it as text", async () => {
    const archive = s.pipeline.cqa?.archive;
    if (!archive) throw new Error('the test server has no CQA route');
    const t = archive.post({ subject: 'How do I keep a package at its version?', body: '', tags: [] });
    const a = archive.answer(t.id, { text: 'Hold it:\n\n```\napt-mark hold foo\n```\n\n<b>not bold</b>' });
    archive.accept(a.id);
    await s.pipeline.cqa?.matcher.refresh();
    await ask('How do I keep a package at its version?');
    const md = page.locator('#result .answer .markdown').first();
    expect(await md.locator('pre code').textContent()).toBe('apt-mark hold foo\n');
    expect(await md.locator('b').count()).toBe(0);
    expect(await md.textContent()).toContain('<b>not bold</b>');
  });

  it("scrolls a long passage's highlighted answer into view", async () => {
    const filler = Array.from(
      { length: 40 },
      (_, i) => `The lighthouse keeper wrote entry ${i + 1} about the weather, the tides and the gulls.`,
    ).join(' ');
    new DocStore(s.pipeline.db).ingest([
      {
        source: 'test:lighthouse',
        format: 'jsonl',
        documents: [
          {
            key: 'test:lighthouse',
            title: 'Lighthouse log',
            text: `${filler} The lighthouse was painted red in 1911 by the keeper Anna Holm.`,
          },
        ],
      },
    ]);
    await s.pipeline.refreshDocs();
    if (await page.locator('#new-conversation').isVisible()) await page.click('#new-conversation');
    await ask('Who painted the lighthouse red in 1911?');
    const box = page.locator('#result .answer').first().locator(':scope > .evidence blockquote');
    await expect.poll(() => box.evaluate((b) => b.scrollTop)).toBeGreaterThan(0);
    const visible = await box.evaluate((b) => {
      const m = b.querySelector('mark');
      if (!m) return false;
      const top = m.getBoundingClientRect().top - b.getBoundingClientRect().top;
      return top >= 0 && top < b.clientHeight;
    });
    expect(visible).toBe(true);
  });

  it('shows the admin the unanswered questions, behind the token', async () => {
    const token = 'browser-admin-token-0123456789';
    const admin = await startServer({ adminToken: token });
    try {
      await fetch(`${admin.url}/api/ask`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'How do I descale a kettle?' }),
      });
      const tab = await browser.newPage();
      await tab.goto(`${admin.url}/admin.html`);
      await tab.fill('#token', 'not-the-token-at-all');
      await tab.click('#token-form button[type=submit]');
      await expect.poll(() => tab.locator('#admin-error').textContent()).toContain('admin token');
      await tab.fill('#token', token);
      await tab.click('#token-form button[type=submit]');
      await expect
        .poll(() => tab.locator('#unanswered-table tbody td:nth-child(2)').allTextContents())
        .toEqual(['How do I descale a kettle?']);
      await tab.close();
    } finally {
      await admin.close();
    }
  });

  it('limits a question to the documents chosen with chips, and opens the cited file at its section', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'qa-chips-ws-'));
    const folder = mkdtempSync(join(tmpdir(), 'qa-chips-'));
    const note = (year: number, hour: number) =>
      `# Office handbook ${year}\n\n## Opening hours\n\nIn ${year} the office opens at ${hour} am on weekdays and stays closed at weekends.\n`;
    mkdirSync(join(folder, 'old'));
    mkdirSync(join(folder, 'new'));
    writeFileSync(join(folder, 'old', 'handbook.md'), note(2023, 8));
    writeFileSync(join(folder, 'new', 'handbook.md'), note(2024, 9));
    const db = openWorkspaceDb({ workspace });
    try {
      const store = new DocStore(db);
      await ingestFiles(store, [join(folder, 'old')], { tags: ['archive'] });
      await ingestFiles(store, [join(folder, 'new')], { tags: ['current'] });
    } finally {
      db.close();
    }
    const docs = await startServer({}, { workspace });
    const tab = await browser.newPage();
    try {
      await tab.goto(docs.url);
      await tab.click('#filters summary');
      await tab.click('#tag-chips .chip:has-text("#archive")');
      expect(await tab.locator('#filter-summary').textContent()).toBe('(only archive)');
      await tab.fill('#question', 'When does the office open on weekdays?');
      await tab.press('#question', 'Enter');
      const first = tab.locator('#result .answer').first();
      await expect.poll(() => first.locator('.answer-text').textContent()).toContain('8 am');
      const from = first.locator(':scope > .evidence p.muted').first();
      expect(await from.textContent()).toContain('section “Opening hours”');
      const href = await from.locator('a.source-link').getAttribute('href');
      expect(href).toMatch(/^\/api\/docs\/file\?source=.*old.*handbook\.md$/);
      const file = await fetch(`${docs.url}${href}`);
      expect(await file.text()).toContain('opens at 8 am');
      await tab.click('#filter-clear');
      await tab.click('#tag-chips .chip:has-text("#current")');
      await tab.fill('#question', 'When does the office open on weekdays?');
      await tab.press('#question', 'Enter');
      await expect
        .poll(() => tab.locator('#result .answer .answer-text').first().textContent())
        .toContain('9 am');
    } finally {
      await tab.close();
      await docs.close();
      rmSync(folder, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    }
  });

  it('serves a favicon, and asks the question a shared address names', async () => {
    const icon = await fetch(`${s.url}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toContain('image/svg+xml');
    await page.click('#new-conversation');
    await page.goto(`${s.url}/?q=${encodeURIComponent('How high is Mount Kenya?')}`);
    await expect
      .poll(() => page.locator('#result .answer .answer-text').first().textContent())
      .toContain('5,199');
  });

  it('fits a 375 px wide screen without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await ask('What is the ideal water temperature for coffee?');
    await page.click('#threads .thread-link');
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1] as number);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('follows the dark colour scheme', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe(
      'rgb(20, 20, 24)',
    );
    await page.emulateMedia({ colorScheme: 'light' });
    expect(pageErrors).toEqual([]);
  });
});
