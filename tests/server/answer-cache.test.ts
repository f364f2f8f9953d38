/** Doing less per question: answers remembered over unchanged data, and reading skipped when the KB knows. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.js';

const TOKEN = 'test-admin-token-0123456789';
let s: TestServer;

async function ask(body: Record<string, unknown>) {
  const res = await fetch(`${s.url}/api/ask`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.json();
}

beforeAll(async () => {
  s = await startServer({ adminToken: TOKEN });
});

afterAll(async () => {
  await s?.close();
});

describe('the answer cache', () => {
  it('answers the same question again from memory, with where the time went the first time', async () => {
    const first = await ask({ question: 'Where does the Rhine rise?' });
    expect(first.cached).toBeUndefined();
    expect(first.stages).toMatchObject({
      parse: expect.any(Number),
      scope: expect.any(Number),
      rank: expect.any(Number),
    });
    const mrc = first.timings.find((t: { route: string }) => t.route === 'mrc');
    expect(mrc.stages).toMatchObject({ retrieve: expect.any(Number), read: expect.any(Number) });
    const again = await ask({ question: '  Where does the   Rhine rise? ' });
    expect(again).toMatchObject({ cached: true, answers: first.answers });
    // Another option is another answer.
    expect((await ask({ question: 'Where does the Rhine rise?', topK: 1 })).cached).toBeUndefined();
  });

  it('forgets what it knew once the documents or the community answers change', async () => {
    const q = { question: 'What colour is the Danube at dawn?' };
    await ask(q);
    expect((await ask(q)).cached).toBe(true);
    const ingest = await fetch(`${s.url}/api/ingest/docs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        documents: [
          { id: 'danube', title: 'Danube', text: 'At dawn the Danube looks silver-grey to boatmen.' },
        ],
      }),
    });
    expect(ingest.status).toBe(200);
    const fresh = await ask(q);
    expect(fresh.cached).toBeUndefined();
    expect((await ask(q)).cached).toBe(true);
    const post = await fetch(`${s.url}/api/threads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'What colour is the Danube at dawn?', body: '' }),
    });
    expect(post.status).toBe(201);
    expect((await ask(q)).cached).toBeUndefined();
  });

  it('does not keep an answer that a late route shaped', async () => {
    const late = await startServer({ routeDeadlineMs: 1 });
    try {
      const ask1 = async () =>
        (
          await fetch(`${late.url}/api/ask`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ question: 'Where does the Rhine rise?' }),
          })
        ).json();
      const first = await ask1();
      expect(first.timings.some((t: { error?: string }) => t.error?.includes('took longer'))).toBe(true);
      expect((await ask1()).cached).toBeUndefined();
    } finally {
      await late.close();
    }
  });
});
