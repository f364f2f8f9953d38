/** The OpenAPI 3.1 document, generated from the same zod schemas that validate the requests. */
import { z } from 'zod';
import { apiSchemas, docFileQuery, idParam, moderationParams, threadsQuery } from './schemas.js';

const ref = (id: string) => `#/components/schemas/${id}`;

type Json = Record<string, unknown>;

/** OpenAPI 3.1 speaks JSON Schema 2020-12, but a component carries neither `$schema` nor `$id`. */
function components(schemas: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _s, $id: _i, ...rest }]) => [id, rest]),
  );
}

function content(id: string): Json {
  return { 'application/json': { schema: { $ref: ref(id) } } };
}

function errors(...statuses: number[]): Json {
  const words: Record<number, string> = {
    400: 'Invalid input; `where` names the field',
    401: 'Missing or wrong admin token',
    403: 'Not allowed',
    404: 'Not found',
    409: 'Not possible in its present state (awaiting moderation)',
    413: 'Body larger than allowed',
    429: 'Too many posts from this client; see Retry-After',
    503: 'Not available (no data, or too busy)',
    504: 'Took too long',
  };
  return Object.fromEntries(
    statuses.map((s) => [s, { description: words[s] ?? 'Error', content: content('Error') }]),
  );
}

interface Op {
  summary: string;
  body?: string;
  ok: [number, string] | [number, string, string];
  errors?: number[];
  params?: Json[];
  admin?: boolean;
  tag: string;
}

function op(o: Op): Json {
  const [status, id, contentType] = o.ok;
  return {
    summary: o.summary,
    tags: [o.tag],
    ...(o.params ? { parameters: o.params } : {}),
    ...(o.body ? { requestBody: { required: true, content: content(o.body) } } : {}),
    ...(o.admin ? { security: [{ adminToken: [] }] } : {}),
    responses: {
      [status]: {
        description: 'OK',
        ...(contentType
          ? { content: { [contentType]: { schema: { type: 'string' } } } }
          : id
            ? { content: content(id) }
            : {}),
      },
      ...errors(...(o.errors ?? [])),
      default: { description: 'Unexpected error', content: content('Error') },
    },
  };
}

function param(name: string, where: 'path' | 'query', schema: z.ZodType, required: boolean): Json {
  const { $schema: _, ...s } = z.toJSONSchema(schema, { io: 'input' }) as Json;
  return { name, in: where, required, schema: s };
}

export function openApiDocument(version: string): Json {
  const idPath = param('id', 'path', idParam.shape.id, true);
  return {
    openapi: '3.1.0',
    info: {
      title: 'qa',
      version,
      description: 'Question answering over knowledge bases, documents and community archives.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    paths: {
      '/api/ask': {
        post: op({
          tag: 'qa',
          summary: 'Answer a question',
          body: 'AskRequest',
          ok: [200, 'Answer'],
          errors: [400, 413, 503],
        }),
      },
      '/api/feedback': {
        post: op({
          tag: 'qa',
          summary: 'Say whether an answer helped (👍/👎), with the right answer if you know it',
          body: 'Feedback',
          ok: [201, 'FeedbackReceipt'],
          errors: [400, 429],
        }),
      },
      '/api/health': {
        get: op({ tag: 'qa', summary: 'Routes with data, counts, models', ok: [200, 'Health'] }),
      },
      '/api/models': { get: op({ tag: 'qa', summary: 'Installed models', ok: [200, 'ModelList'] }) },
      '/api/docs': {
        get: op({
          tag: 'documents',
          summary: 'The sources, tags and dates questions can be restricted to (filters in /api/ask)',
          ok: [200, 'DocsOverview'],
        }),
      },
      '/api/docs/file': {
        get: op({
          tag: 'documents',
          summary:
            "A source's file, for citations (a PDF opens at `#page=N`); only files ingested from disk or uploaded, still inside the folder they came from",
          params: [param('source', 'query', docFileQuery.shape.source, true)],
          ok: [200, '', 'application/octet-stream'],
          errors: [400, 403, 404],
        }),
      },
      '/api/threads': {
        get: op({
          tag: 'community',
          summary: 'Recent threads, or those most like `query`',
          params: [
            param('query', 'query', threadsQuery.shape.query, false),
            param('limit', 'query', threadsQuery.shape.limit, false),
          ],
          ok: [200, 'ThreadList'],
          errors: [400],
        }),
        post: op({
          tag: 'community',
          summary: 'Post a question (202 and status "pending" when community.moderation is on)',
          body: 'NewThread',
          ok: [201, 'Thread'],
          errors: [400, 429],
        }),
      },
      '/api/threads/{id}': {
        get: op({
          tag: 'community',
          summary: 'A thread with its answers',
          params: [idPath],
          ok: [200, 'ThreadWithAnswers'],
          errors: [400, 404],
        }),
      },
      '/api/threads/{id}/answers': {
        post: op({
          tag: 'community',
          summary: 'Answer a thread (202 and status "pending" when community.moderation is on)',
          params: [idPath],
          body: 'NewAnswer',
          ok: [201, 'CommunityAnswer'],
          errors: [400, 404, 409, 429],
        }),
      },
      '/api/answers/{id}/vote': {
        post: op({
          tag: 'community',
          summary: 'Vote an answer up or down',
          params: [idPath],
          body: 'Vote',
          ok: [200, 'CommunityAnswer'],
          errors: [400, 404, 409, 429],
        }),
      },
      '/api/answers/{id}/accept': {
        post: op({
          tag: 'community',
          summary: "Accept an answer (un-accepts the thread's other answers)",
          params: [idPath],
          ok: [200, 'CommunityAnswer'],
          errors: [400, 404, 409, 429],
        }),
      },
      '/api/admin/unanswered': {
        get: op({
          tag: 'admin',
          summary: 'Questions abstained on or marked wrong, grouped by meaning, with counts',
          ok: [200, 'UnansweredReport'],
          errors: [401, 404],
          admin: true,
        }),
      },
      '/api/admin/pending': {
        get: op({
          tag: 'admin',
          summary: 'Community posts awaiting moderation',
          ok: [200, 'PendingPosts'],
          errors: [401, 404],
          admin: true,
        }),
      },
      '/api/admin/{kind}/{id}/{decision}': {
        post: op({
          tag: 'admin',
          summary: 'Approve (publish) or reject (delete) a pending thread or answer',
          params: [
            param('kind', 'path', moderationParams.shape.kind, true),
            idPath,
            param('decision', 'path', moderationParams.shape.decision, true),
          ],
          ok: [204, ''],
          errors: [400, 401, 404, 409],
          admin: true,
        }),
      },
      '/api/ingest/docs': {
        post: op({
          tag: 'admin',
          summary: 'Add or replace documents',
          body: 'IngestDocs',
          ok: [200, 'DocsIngestReport'],
          errors: [400, 401, 404, 413],
          admin: true,
        }),
      },
      '/api/ingest/files': {
        post: {
          ...op({
            tag: 'admin',
            summary:
              'Add or replace documents from files: PDF, Word (.docx), HTML, Markdown, text, JSON Lines',
            ok: [200, 'DocsIngestReport'],
            errors: [400, 401, 404, 413],
            admin: true,
          }),
          requestBody: {
            required: true,
            content: {
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  required: ['files'],
                  properties: {
                    files: {
                      type: 'array',
                      maxItems: 20,
                      items: { type: 'string', format: 'binary' },
                      description: 'Up to 20 files of at most 20 MB; a file named .pdf or .docx must be one',
                    },
                  },
                },
              },
            },
          },
        },
      },
      '/api/ingest/cqa': {
        post: op({
          tag: 'admin',
          summary: 'Add or update community threads',
          body: 'IngestCqa',
          ok: [200, 'CqaIngestReport'],
          errors: [400, 401, 404, 413],
          admin: true,
        }),
      },
      '/api/openapi.json': {
        get: { summary: 'This document', tags: ['meta'], responses: { 200: { description: 'OK' } } },
      },
      '/metrics': {
        get: op({ tag: 'meta', summary: 'Prometheus metrics', ok: [200, '', 'text/plain'] }),
      },
    },
    components: {
      // As input: what a client may send (defaults optional), and responses left open to new fields.
      schemas: components(
        z.toJSONSchema(apiSchemas, { uri: ref, io: 'input' }).schemas as Record<string, Json>,
      ),
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } },
    },
  };
}
