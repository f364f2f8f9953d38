import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { Answer } from '../../src/core/types.js';
import { shutdown } from '../../src/server/listen.js';
import {
  answer as answerSchema,
  communityAnswer,
  health as healthSchema,
  modelList,
  threadList,
  threadWithAnswers,
} from '../../src/server/schemas.js';
import { FIXTURES } from '../helpers/fixtures.js';
import { BOOM, startServer, type TestServer } from './harness.js';

const TOKEN = 'test-admin-token-0123456789';

let s: TestServer;

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields directly, or parse with the API's schemas
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const json = res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  return { status: res.status, body: json, headers: res.headers };
}

beforeAll(async () => {
  s = await startServer({ adminToken: TOKEN });
});

afterAll(async () => {
  await s?.close();
});

describe('service endpoints', () => {
  it('reports health: routes with data, counts and models', async () => {
    const r = await call('GET', '/api/health');
    expect(r.status).toBe(200);
    const h = healthSchema.parse(r.body);
    expect(h.status).toBe('ok');
    expect(h.routes).toEqual(['mrc', 'cqa']);
    expect(h.community.matcher).toBe(true);
    expect(h.counts).toMatchObject({ documents: 5, passages: 6 });
    expect(h.counts.threads).toBeGreaterThanOrEqual(2);
    expect(h.models.reader).toBe('minilm-l6-squad-int8');
    expect(h.models.encoders).toEqual(['encoder-minilm-l6-int8']);
  });

  it('lists the models with their figures', async () => {
    const r = await call('GET', '/api/models');
    expect(r.status).toBe(200);
    const { models } = modelList.parse(r.body);
    const reader = models.find((m) => m.name === 'minilm-l6-squad-int8');
    expect(reader).toMatchObject({
      task: 'reader',
      kind: 'quantized',
      techniques: ['fine-tuned', 'quantized'],
      default: true,
    });
    expect(models.find((m) => m.name === 'minilm-l3-squad-int8')?.techniques).toEqual([
      'fine-tuned',
      'distilled',
      'quantized',
    ]);
    expect(r.body.cascades).toEqual([]);
    expect(reader?.metrics).toHaveProperty('squad11.f1');
    expect(reader?.speed).toHaveProperty('questionsPerSecond');
    expect(models.find((m) => m.task === 'encoder')?.name).toBe('encoder-minilm-l6-int8');
  });

  it('serves a valid OpenAPI 3.1 document with the ask schema', async () => {
    const r = await call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    const result = await new Validator().validate(r.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(r.body.openapi).toBe('3.1.0');
    const ask = r.body.paths['/api/ask'].post;
    expect(ask.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/AskRequest',
    });
    expect(ask.responses['200'].content['application/json'].schema.$ref).toBe('#/components/schemas/Answer');
    const schema = r.body.components.schemas.AskRequest;
    expect(schema.required).toEqual(['question']);
    expect(schema.properties.question).toMatchObject({ type: 'string', minLength: 1, maxLength: 1000 });
    expect(schema.properties.topK).toMatchObject({ type: 'integer', minimum: 1, maximum: 20 });
    expect(schema.properties.routes.items).toEqual({ $ref: '#/components/schemas/RouteName' });
    expect(r.body.components.schemas.Evidence.oneOf).toHaveLength(3);
  });
});

describe('POST /api/ask', () => {
  it('has the Answer type as its response shape', () => {
    expectTypeOf<z.infer<typeof answerSchema>>().toEqualTypeOf<Answer>();
  });

  it('answers a follow-up with the history it is sent, saying what it answered and what about', async () => {
    const first = await call('POST', '/api/ask', { question: 'Tell me about green tea' });
    expect(first.status).toBe(200);
    const history = [{ question: 'Tell me about green tea', answer: first.body.answers[0]?.text ?? null }];
    const r = await call('POST', '/api/ask', { question: 'Where did it originate?', history });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      question: 'Where did it originate?',
      resolved: 'Where did Green tea originate?',
      topic: { label: 'Green tea' },
    });
    expect(r.body.answers[0]?.text).toBe('China');
    answerSchema.parse(r.body);
  });

  it('reads only the documents a filter lets through, and names a bad filter', async () => {
    const all = await call('POST', '/api/ask', { question: 'How high is Mount Kenya?' });
    expect(all.body.answers[0]?.evidence.kind).toBe('passage');
    const none = await call('POST', '/api/ask', {
      question: 'How high is Mount Kenya?',
      filters: { after: '2999-01-01' },
    });
    expect(none.status).toBe(200);
    expect(
      none.body.answers.filter((a: { evidence: { kind: string } }) => a.evidence.kind === 'passage'),
    ).toEqual([]);
    const bad = await call('POST', '/api/ask', { question: 'How high?', filters: { after: 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.where).toBe('filters.after');
  });

  it('refuses a history it cannot use, naming the field', async () => {
    const turns = Array.from({ length: 21 }, (_, i) => ({ question: `question ${i}?`, answer: null }));
    const long = await call('POST', '/api/ask', { question: 'and then?', history: turns });
    expect(long.status).toBe(400);
    expect(long.body.error.message).toContain('at most 20 earlier turns');
    const empty = await call('POST', '/api/ask', { question: 'and then?', history: [{ question: '' }] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.where).toBe('history[0].question');
    const extra = await call('POST', '/api/ask', {
      question: 'and then?',
      history: [{ question: 'q?', score: 1 }],
    });
    expect(extra.status).toBe(400);
  });

  it('answers from the documents with the passage as evidence and the time each route took', async () => {
    const r = await call('POST', '/api/ask', { question: 'How high is Mount Kenya?', topK: 3 });
    expect(r.status).toBe(200);
    const a = answerSchema.parse(r.body);
    expect(a.abstained).toBe(false);
    expect(a.answers.length).toBeLessThanOrEqual(3);
    const best = a.answers[0];
    expect(best?.route).toBe('mrc');
    expect(best?.text).toContain('5,199');
    const e = best?.evidence;
    if (e?.kind !== 'passage') throw new Error(`expected passage evidence, got ${e?.kind}`);
    expect(e.title).toBe('Mount Kenya');
    expect(e.reader).toBe('minilm-l6-squad-int8');
    expect(e.passage.slice(e.start, e.end)).toBe(best?.text);
    expect(a.timings.map((t) => t.route)).toEqual(['mrc', 'cqa']);
    for (const t of a.timings) expect(t.ms).toBeGreaterThan(0);
    expect(a.warnings).toContainEqual(expect.stringMatching(/^kbqa: no knowledge base/));
  });

  it('abstains on nonsense, with a reason', async () => {
    const r = await call('POST', '/api/ask', { question: 'zxqv florp blarg wibble?' });
    expect(r.status).toBe(200);
    expect(r.body.abstained).toBe(true);
    expect(r.body.answers).toEqual([]);
    expect(r.body.reason).toMatch(/likely|no candidate/);
  });

  it.each([
    ['an empty question', { question: '' }, 'question'],
    ['a blank question', { question: '   ' }, 'question'],
    ['a question over 1000 characters', { question: 'a'.repeat(1001) }, 'question'],
    ['topK 99', { question: 'Who?', topK: 99 }, 'topK'],
    ['topK 0', { question: 'Who?', topK: 0 }, 'topK'],
    ['an unknown route', { question: 'Who?', routes: ['web'] }, 'routes[0]'],
    ['a route twice', { question: 'Who?', routes: ['mrc', 'mrc'] }, 'routes'],
    ['a reader name with a path in it', { question: 'Who?', reader: '../etc' }, 'reader'],
    ['a reader that is not installed', { question: 'Who?', reader: 'no-such-reader' }, 'reader'],
    ['an unknown field', { question: 'Who?', verbose: true }, 'body'],
    ['no object at all', [1, 2], 'body'],
  ])('rejects %s with 400 naming the field', async (_, body, where) => {
    const r = await call('POST', '/api/ask', body);
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'bad_input', where });
    expect(r.body.error.message).toEqual(expect.any(String));
  });

  it('rejects malformed JSON with 400 at "body"', async () => {
    const r = await call('POST', '/api/ask', '{"question": "Who?",');
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      error: { code: 'bad_input', message: 'the body is not valid JSON', where: 'body' },
    });
  });

  it('names what is wrong with a body that is JSON but no object, or not JSON at all', async () => {
    const nul = await call('POST', '/api/ask', 'null');
    expect(nul.status).toBe(400);
    expect(nul.body.error).toEqual({
      code: 'bad_input',
      message: 'expected a JSON object, got null',
      where: 'body',
    });
    const text = await call('POST', '/api/ask', 'Who built it?', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body.error).toEqual({
      code: 'unsupported',
      message: 'expected a JSON body (Content-Type: application/json), got text/plain',
      where: 'content-type',
    });
  });

  it('answers a known path asked with the wrong method with 405 and the methods it takes', async () => {
    const r = await call('GET', '/api/ask');
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('POST');
    expect(r.body.error.code).toBe('method_not_allowed');
    const threads = await call('DELETE', '/api/threads/1');
    expect(threads.status).toBe(405);
    expect(threads.headers.get('allow')).toBe('GET, HEAD');
    expect((await call('GET', '/api/no-such-thing')).status).toBe(404);
  });

  it('rejects a body over 64 kB with 413', async () => {
    const r = await call('POST', '/api/ask', { question: 'Who?', padding: 'x'.repeat(70_000) });
    expect(r.status).toBe(413);
    expect(r.body.error).toMatchObject({ code: 'too_large', where: 'body' });
  });

  it('answers 500 without internals on an unexpected failure, and keeps serving', async () => {
    const r = await call('POST', '/api/ask', { question: BOOM });
    expect(r.status).toBe(500);
    expect(r.body).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(s.logs.some((l) => l.level === 50 && JSON.stringify(l.err).includes('parser exploded'))).toBe(
      true,
    );
    const after = await call('POST', '/api/ask', { question: 'How high is Mount Kenya?' });
    expect(after.status).toBe(200);
    expect((await call('GET', '/api/health')).status).toBe(200);
  });

  it('logs one line per request with the question length, never its text', async () => {
    const question = 'What is the ideal water temperature for coffee?';
    await call('POST', '/api/ask', { question });
    const line = s.logs.filter((l) => l.path === '/api/ask' && l.status === 200).at(-1);
    expect(line).toMatchObject({
      method: 'POST',
      path: '/api/ask',
      status: 200,
      questionChars: question.length,
    });
    expect(line?.ms).toEqual(expect.any(Number));
    expect(JSON.stringify(s.logs)).not.toContain('water temperature');
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const r = await call('GET', '/api/nothing-here');
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('not_found');
  });
});

describe('community board', () => {
  const subject = 'What is the best way to store fresh basil leaves?';
  let threadId: number;
  let answerId: number;

  it('takes a question and finds it by a similar query at once', async () => {
    const posted = await call('POST', '/api/threads', {
      subject,
      body: 'They wilt within a day.',
      tags: ['kitchen'],
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({
      subject,
      body: 'They wilt within a day.',
      tags: ['kitchen'],
      source: 'community',
    });
    threadId = posted.body.id;
    expect(posted.headers.get('location')).toBe(`/api/threads/${threadId}`);
    const found = await call(
      'GET',
      `/api/threads?query=${encodeURIComponent('how to keep basil fresh')}&limit=5`,
    );
    expect(found.status).toBe(200);
    const { threads } = threadList.parse(found.body);
    expect(threads[0]?.id).toBe(threadId);
    expect(threads[0]?.similarity).toBeGreaterThan(0);
    const recent = threadList.parse((await call('GET', '/api/threads')).body);
    expect(recent.threads[0]?.id).toBe(threadId);
  });

  it('takes an answer, a vote and an acceptance', async () => {
    const text = 'Keep them like cut flowers: stems in a glass of water, on the counter, not in the fridge.';
    const a = await call('POST', `/api/threads/${threadId}/answers`, { text });
    expect(a.status).toBe(201);
    answerId = communityAnswer.parse(a.body).id;
    const up = await call('POST', `/api/answers/${answerId}/vote`, { delta: 1 });
    expect(up.body).toMatchObject({ id: answerId, votes: 1 });
    const acc = await call('POST', `/api/answers/${answerId}/accept`);
    expect(acc.body).toMatchObject({ id: answerId, accepted: true });
    const t = threadWithAnswers.parse((await call('GET', `/api/threads/${threadId}`)).body);
    expect(t.answers).toEqual([expect.objectContaining({ text, votes: 1, accepted: true })]);
  });

  it('answers the question from the board through the CQA route', async () => {
    const r = await call('POST', '/api/ask', { question: subject });
    expect(r.status).toBe(200);
    const best = answerSchema.parse(r.body).answers[0];
    expect(best?.route).toBe('cqa');
    expect(best?.text).toMatch(/^Keep them like cut flowers/);
    expect(best?.evidence).toMatchObject({
      kind: 'thread',
      threadId: String(threadId),
      question: expect.stringContaining(subject),
    });
  });

  it.each([
    ['GET', '/api/threads/999999', undefined, 404, 'id'],
    ['GET', '/api/threads/abc', undefined, 400, 'id'],
    ['GET', '/api/threads?limit=500', undefined, 400, 'limit'],
    ['POST', '/api/threads', { subject: 'Hi' }, 400, 'subject'],
    ['POST', '/api/threads', { subject: 'A fine question', body: 'x'.repeat(10_001) }, 400, 'body'],
    ['POST', '/api/threads/999999/answers', { text: 'An answer' }, 404, undefined],
    ['POST', '/api/threads/1/answers', { text: '' }, 400, 'text'],
    ['POST', '/api/answers/1/vote', { delta: 2 }, 400, 'delta'],
    ['POST', '/api/answers/999999/accept', undefined, 404, undefined],
  ])('%s %s → %i', async (method, path, body, status, where) => {
    const r = await call(method, path, body);
    expect(r.status).toBe(status);
    expect(r.body.error.code).toBe(status === 404 ? 'not_found' : 'bad_input');
    if (where) expect(r.body.error.where).toBe(where);
  });
});

describe('community board without a CQA matcher', () => {
  it('still takes and finds questions, and says matching is off', async () => {
    const models = mkdtempSync(join(tmpdir(), 'qa-no-models-'));
    const bare = await startServer({}, { modelsDir: models });
    try {
      const h = healthSchema.parse(await (await fetch(`${bare.url}/api/health`)).json());
      expect(h.community).toEqual({ matcher: false, note: expect.stringContaining('not matched') });
      expect(h.routes).toEqual(['mrc']);
      const post = await fetch(`${bare.url}/api/threads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ subject: 'Which glue holds ceramic tiles best?' }),
      });
      expect(post.status).toBe(201);
      const found = threadList.parse(
        await (await fetch(`${bare.url}/api/threads?query=ceramic%20glue`)).json(),
      );
      expect(found.threads.map((t) => t.subject)).toEqual(['Which glue holds ceramic tiles best?']);
      expect(found.threads[0]?.similarity).toBeUndefined();
    } finally {
      await bare.close();
      rmSync(models, { recursive: true, force: true });
    }
  });
});

describe('admin ingest', () => {
  const doc = {
    id: 'falls',
    title: 'Victoria Falls',
    text: 'Victoria Falls is on the Zambezi River, 108 metres high.',
  };

  it('refuses without the token, or with a wrong one', async () => {
    expect((await call('POST', '/api/ingest/docs', { documents: [doc] })).status).toBe(401);
    const wrong = await call(
      'POST',
      '/api/ingest/docs',
      { documents: [doc] },
      { authorization: 'Bearer nope' },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer');
    expect(wrong.body.error.code).toBe('unauthorized');
  });

  it('ingests documents that questions are answered from at once', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const r = await call('POST', '/api/ingest/docs', { documents: [doc] }, auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ added: 1, passages: 1, warnings: [] });
    const again = await call('POST', '/api/ingest/docs', { documents: [doc] }, auth);
    expect(again.body).toMatchObject({ added: 0, unchanged: 1 });
    const a = await call('POST', '/api/ask', {
      question: 'Which river is Victoria Falls on?',
      routes: ['mrc'],
    });
    expect(a.body.answers[0]?.evidence).toMatchObject({ kind: 'passage', docId: 'api:falls' });
    const bad = await call('POST', '/api/ingest/docs', { documents: [doc, doc] }, auth);
    expect(bad.body.error).toMatchObject({ code: 'bad_input', where: 'documents[1].id' });
  });

  it('ingests threads that the board and the matcher see at once', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const thread = {
      id: 7,
      subject: 'How long should I boil an egg for a runny yolk?',
      answers: [{ text: 'Six minutes from boiling water.', votes: 3, accepted: true }],
    };
    const r = await call('POST', '/api/ingest/cqa', { threads: [thread] }, auth);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ added: 1, answers: 1, warnings: [] });
    const found = threadList.parse((await call('GET', '/api/threads?query=runny%20yolk%20egg%20boil')).body);
    expect(found.threads[0]).toMatchObject({ key: 'api:7', answerCount: 1 });
    expect(found.threads[0]?.best?.text).toBe('Six minutes from boiling water.');
  });

  it('is off, as not found, when no token is configured', async () => {
    const off = await startServer({}, { workspace: s.config.workspace });
    try {
      const r = await fetch(`${off.url}/api/ingest/docs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(r.status).toBe(404);
      expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/disabled/);
      expect(r.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await off.close();
    }
  });
});

describe('metrics and HTTP behaviour', () => {
  it('counts requests by endpoint and status, and times each QA route', async () => {
    const r = await call('GET', '/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const m = r.body as string;
    expect(m).toMatch(/^qa_http_requests_total\{route="\/api\/ask",method="POST",status="200"\} [1-9]\d*$/m);
    expect(m).toMatch(/^qa_http_requests_total\{route="\/api\/ask",method="POST",status="400"\} [1-9]\d*$/m);
    expect(m).toMatch(
      /^qa_http_requests_total\{route="\/api\/threads\/:id",method="GET",status="200"\} \d+$/m,
    );
    expect(m).toMatch(
      /^qa_http_request_duration_seconds_bucket\{route="\/api\/ask",method="POST",le="\+Inf"\} \d+$/m,
    );
    expect(m).toMatch(/^qa_route_duration_seconds_count\{route="mrc"\} [1-9]\d*$/m);
    expect(m).toMatch(/^qa_asks_total\{outcome="abstained",cached="false"\} [1-9]\d*$/m);
    expect(m).toMatch(/^# TYPE qa_route_errors_total counter$/m);
  });

  it('serves the web UI with a strict content security policy', async () => {
    const r = await call('GET', '/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<script type="module" src="app.js">');
    expect(r.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(r.headers.get('x-powered-by')).toBeNull();
  });

  it('allows configured CORS origins only', async () => {
    const cors = await startServer(
      { corsOrigins: ['https://ui.example'] },
      { workspace: s.config.workspace },
    );
    try {
      const pre = await fetch(`${cors.url}/api/ask`, {
        method: 'OPTIONS',
        headers: { origin: 'https://ui.example', 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('https://ui.example');
      const other = await fetch(`${cors.url}/api/health`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await cors.close();
    }
    const none = await fetch(`${s.url}/api/health`, { headers: { origin: 'https://ui.example' } });
    expect(none.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('turns away questions beyond the queue with 503', async () => {
    const busy = await startServer({}, { workspace: s.config.workspace, askConcurrency: 1, askQueue: 0 });
    try {
      const ask = () =>
        fetch(`${busy.url}/api/ask`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: 'How high is Mount Kenya?' }),
        });
      const statuses = (await Promise.all([ask(), ask(), ask()])).map((r) => r.status).sort();
      expect(statuses[0]).toBe(200);
      expect(statuses).toContain(503);
    } finally {
      await busy.close();
    }
  });

  it('finishes a question in flight when shutting down, then refuses connections', async () => {
    const t = await startServer({}, { workspace: s.config.workspace });
    const inFlight = fetch(`${t.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'How high is Mount Kenya?' }),
    });
    await new Promise((r) => setTimeout(r, 20));
    const stopping = shutdown(t.server, t.pipeline);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as Answer).answers[0]?.text).toContain('5,199');
    await stopping;
    await expect(fetch(`${t.url}/api/health`)).rejects.toThrow();
  });
});

describe('POST /api/ingest/files', () => {
  async function upload(files: Array<[string, Buffer | string]>, token = TOKEN) {
    const form = new FormData();
    for (const [name, content] of files)
      form.append('files', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    const res = await fetch(`${s.url}/api/ingest/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    return { status: res.status, body: await res.json() };
  }

  it('ingests PDF and Word files in one go, and answers from them citing the page', async () => {
    const office = join(FIXTURES, 'office');
    const r = await upload([
      ['boiler-manual.pdf', readFileSync(join(office, 'boiler-manual.pdf'))],
      ['kettle-guide.docx', readFileSync(join(office, 'kettle-guide.docx'))],
      ['scanned.pdf', readFileSync(join(office, 'scanned.pdf'))],
    ]);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      added: 3,
      warnings: [expect.stringContaining('scanned.pdf: no text layer')],
    });
    const a = await call('POST', '/api/ask', {
      question: 'What should the boiler pressure be when the system is cold?',
    });
    expect(a.body.answers[0]?.evidence).toMatchObject({ title: 'boiler manual', page: 2 });
  });

  it('refuses a file that is not what its name says, a corrupt PDF, no files, and no token', async () => {
    const fake = await upload([['notes.pdf', 'just some text']]);
    expect(fake.status).toBe(400);
    expect(fake.body.error).toMatchObject({
      message: 'notes.pdf is named .pdf but is not a PDF',
      where: 'files[0]',
    });
    const corrupt = await upload([['corrupt.pdf', readFileSync(join(FIXTURES, 'office', 'corrupt.pdf'))]]);
    expect(corrupt.status).toBe(400);
    expect(corrupt.body.error.message).toMatch(/^corrupt\.pdf: not a readable PDF/);
    expect((await upload([])).status).toBe(400);
    expect((await upload([['a.txt', 'text']], 'wrong-token-0123456789')).status).toBe(401);
  });
});
