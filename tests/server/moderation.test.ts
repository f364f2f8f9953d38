/** Community moderation and the per-client posting limit, over a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './harness.js';

const TOKEN = 'moderation-admin-token-0123';
let s: TestServer;

async function call(
  method: string,
  path: string,
  body?: unknown,
  token?: string,
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields directly
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    headers: res.headers,
  };
}

beforeAll(async () => {
  s = await startServer({ adminToken: TOKEN }, { community: { moderation: true, postsPerWindow: 6 } });
});

afterAll(async () => {
  await s?.close();
});

describe('moderated community board', () => {
  it('holds a post for approval, shows it to admins only, and publishes it when approved', async () => {
    const posted = await call('POST', '/api/threads', { subject: 'How do I descale a kettle?' });
    expect(posted.status).toBe(202);
    expect(posted.body.status).toBe('pending');
    const id = posted.body.id as number;
    expect((await call('GET', `/api/threads/${id}`)).status).toBe(404);
    const listed = await call('GET', '/api/threads');
    expect(listed.body.threads.map((t: { id: number }) => t.id)).not.toContain(id);

    expect((await call('GET', '/api/admin/pending')).status).toBe(401);
    const pending = await call('GET', '/api/admin/pending', undefined, TOKEN);
    expect(pending.body.threads.map((t: { id: number }) => t.id)).toEqual([id]);

    expect((await call('POST', `/api/admin/threads/${id}/approve`, undefined, TOKEN)).status).toBe(204);
    expect((await call('GET', `/api/threads/${id}`)).body).toMatchObject({
      id,
      status: 'published',
      answers: [],
    });
    const again = await call('POST', `/api/admin/threads/${id}/approve`, undefined, TOKEN);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe(`thread ${id} is not awaiting moderation`);

    const answer = await call('POST', `/api/threads/${id}/answers`, { text: 'Vinegar and water.' });
    expect(answer.status).toBe(202);
    expect((await call('POST', `/api/answers/${answer.body.id}/vote`, { delta: 1 })).status).toBe(409);
    expect((await call('GET', `/api/threads/${id}`)).body.answers).toEqual([]);
    expect((await call('POST', `/api/admin/answers/${answer.body.id}/reject`, undefined, TOKEN)).status).toBe(
      204,
    );
    expect((await call('GET', '/api/admin/pending', undefined, TOKEN)).body).toEqual({
      threads: [],
      answers: [],
    });
    expect((await call('POST', '/api/admin/posts/1/approve', undefined, TOKEN)).status).toBe(400);
  });

  it('turns away a client posting more than its limit with 429 and Retry-After', async () => {
    let last = { status: 0, body: undefined as unknown, headers: new Headers() };
    for (let i = 0; i < 6 && last.status !== 429; i++) {
      last = await call('POST', '/api/threads', { subject: `Question number ${i}?` });
    }
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ error: { code: 'rate_limited' } });
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await call('GET', '/api/threads')).status).toBe(200);
  });
});
