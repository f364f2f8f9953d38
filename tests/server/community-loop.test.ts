/**
 * Closing the loop with people, over a real server: a question the system cannot answer is
 * listed as unanswered, posted to the board, answered and accepted there, and a rewording of it
 * is then answered from the archive; judgements of answers are stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedbackStore } from '../../src/feedback/store.js';
import { startServer, type TestServer } from './harness.js';

const TOKEN = 'loop-admin-token-0123456789';
let s: TestServer;

async function call(method: string, path: string, body?: unknown, token?: string) {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields directly
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  s = await startServer({ adminToken: TOKEN });
});

afterAll(async () => {
  await s?.close();
});

describe('the loop with people', () => {
  it('abstain → unanswered → post → answer → accept → a rewording answered from the archive', async () => {
    const before = await call('POST', '/api/ask', { question: 'How do I descale a kettle?' });
    expect(before.body.abstained).toBe(true);
    const report = await call('GET', '/api/admin/unanswered', undefined, TOKEN);
    expect(report.body.groups[0]).toMatchObject({
      question: 'How do I descale a kettle?',
      count: 1,
      markedWrong: 0,
    });

    const thread = await call('POST', '/api/threads', { subject: 'How do I descale a kettle?' });
    expect(thread.status).toBe(201);
    const answer = await call('POST', `/api/threads/${thread.body.id}/answers`, {
      text: 'Boil a mix of water and white vinegar in it, then rinse.',
    });
    expect((await call('POST', `/api/answers/${answer.body.id}/accept`)).status).toBe(200);

    const after = await call('POST', '/api/ask', {
      question: 'what is the way to descale my kettle?',
    });
    expect(after.body.abstained).toBe(false);
    expect(after.body.answers[0]).toMatchObject({
      route: 'cqa',
      text: 'Boil a mix of water and white vinegar in it, then rinse.',
      evidence: { kind: 'thread', vetted: true, trust: 'accepted answer' },
    });
  });

  it('stores a judgement, counts an answer marked wrong as unanswered, and refuses a malformed one', async () => {
    const ok = await call('POST', '/api/feedback', {
      question: 'How high is Mount Kenya?',
      answer: '5,199 metres',
      route: 'mrc',
      helpful: false,
      correction: '5,199 m',
      score: 0.8,
    });
    expect(ok.status).toBe(201);
    expect(new FeedbackStore(s.pipeline.db).all().at(-1)).toMatchObject({
      helpful: false,
      correction: '5,199 m',
    });
    const report = await call('GET', '/api/admin/unanswered', undefined, TOKEN);
    expect(report.body.groups.map((g: { question: string }) => g.question)).toContain(
      'How high is Mount Kenya?',
    );
    const bad = await call('POST', '/api/feedback', { question: 'q?', answer: 'a', route: 'mrc' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.where).toBe('helpful');
  });
});
