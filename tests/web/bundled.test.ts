/**
 * The bundled starter data in a real browser: a workspace loaded as `qa init` loads it (the
 * geography KB, the Factbook texts, the Debian FAQ), the installed router, and one question per
 * route answered with its evidence. The encoder is left out of the models folder so the test does
 * not spend minutes on passage vectors: retrieval is BM25, the matcher its BM25-only fit.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundledData } from '../../src/app/init.js';
import { openWorkspaceDb } from '../../src/app/workspace.js';
import { PACKAGE_ROOT } from '../../src/core/config.js';
import { QuestionParser } from '../../src/parse/router.js';
import { startServer, type TestServer, testConfig } from '../server/harness.js';

const CHROMIUM = '/usr/bin/chromium';
const MODELS = resolve(PACKAGE_ROOT, 'models');

describe.skipIf(!existsSync(CHROMIUM) && !process.env.CI)('web UI on the bundled data', () => {
  let s: TestServer;
  let browser: Browser;
  let page: Page;
  const workspace = mkdtempSync(join(tmpdir(), 'qa-bundled-'));
  const models = mkdtempSync(join(tmpdir(), 'qa-bundled-models-'));

  beforeAll(async () => {
    for (const name of readdirSync(MODELS)) {
      if (!name.startsWith('encoder-')) symlinkSync(join(MODELS, name), join(models, name));
    }
    const db = openWorkspaceDb({ workspace });
    try {
      await loadBundledData(db, testConfig(workspace, {}, models));
    } finally {
      db.close();
    }
    const parser = QuestionParser.load(join(MODELS, 'router', 'router.json'));
    s = await startServer({}, { workspace, modelsDir: models, parse: (t) => parser.parse(t) });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(s.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await s?.close();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(models, { recursive: true, force: true });
  });

  async function ask(question: string) {
    // The previous result goes first, so the wait below sees this question's.
    await page.evaluate(() => document.querySelector('#result')?.replaceChildren());
    await page.fill('#question', question);
    await page.press('#question', 'Enter');
    await page.waitForSelector('#result h3');
    return page.locator('#result .answer').first();
  }

  it('says which routes have data', async () => {
    await expect
      .poll(() => page.locator('#health').textContent())
      .toMatch(/answers from kbqa, mrc, cqa · 1945 documents/);
  });

  it('answers a knowledge-base question with the SPARQL query and the linked entity', async () => {
    const first = await ask('What is the capital of Kenya?');
    expect(await first.locator('.badge').textContent()).toBe('kbqa');
    expect(await first.locator('.answer-text').textContent()).toBe('Nairobi');
    expect(await first.locator('.evidence strong').first().textContent()).toBe('Kenya');
    expect(await first.locator('.evidence code').textContent()).toContain('https://qa.example/geo/capital');
  });

  it('shows a list answer as one card: the query result rows as a table, the evidence once', async () => {
    const first = await ask('Which countries border Kenya?');
    expect(await first.locator('.answer-list tbody td:first-child').allTextContents()).toEqual([
      'Ethiopia',
      'Somalia',
      'South Sudan',
      'Tanzania',
      'Uganda',
    ]);
    expect(await first.locator('.answer-list tbody td:nth-child(2)').first().textContent()).toBe(
      'https://qa.example/geo/country/ethiopia',
    );
    expect(await first.locator(':scope > .evidence').count()).toBe(1);
  });

  it('answers from the Factbook texts with the span marked in its passage', async () => {
    const first = await ask('Who was the founding president of Kenya?');
    expect(await first.locator('.badge').textContent()).toBe('mrc');
    expect(await first.locator('.answer-text').textContent()).toMatch(/Jomo KENYATTA/);
    expect(await first.locator(':scope > .evidence blockquote mark').textContent()).toBe(
      await first.locator('.answer-text').textContent(),
    );
    expect(await first.locator('.evidence strong').first().textContent()).toBe('Kenya — Background');
  });

  it('answers a how-to question from the Debian FAQ with the matched thread', async () => {
    const first = await ask('How do I report a bug in Debian?');
    expect(await first.locator('.badge').textContent()).toBe('cqa');
    expect(await first.locator('.evidence a').textContent()).toBe('How do I report a bug in Debian?');
  });
});
