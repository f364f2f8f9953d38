/**
 * The API's request and response shapes, once: requests are validated with them, the OpenAPI
 * document is generated from them, and the tests check responses against them.
 */
import { z } from 'zod';
import { MAX_HISTORY } from '../dialogue/followup.js';
import { dialogueTurnSchema } from '../dialogue/history.js';

/** Every named schema, as `components.schemas` of the OpenAPI document. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export const routeName = z
  .enum(['kbqa', 'mrc', 'cqa'])
  .register(apiSchemas, { id: 'RouteName', description: 'An answering route' });

/** Model folder names, as the registry accepts them. */
export const MODEL_NAME = /^[a-z0-9][a-z0-9._-]*$/;

const dialogueTurn = dialogueTurnSchema.register(apiSchemas, { id: 'DialogueTurn' });

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'an ISO date (2024-05-01)');

const docFilters = z
  .strictObject({
    source: z
      .array(z.string().min(1).max(1000))
      .min(1)
      .max(50)
      .optional()
      .describe('Any of these sources (qa docs list)'),
    tags: z
      .array(z.string().min(1).max(60))
      .min(1)
      .max(50)
      .optional()
      .describe('Documents with any of these tags'),
    after: isoDate.optional().describe('Documents modified on or after this date'),
    before: isoDate.optional().describe('Documents modified on or before this date'),
  })
  .register(apiSchemas, {
    id: 'DocFilters',
    description: 'Which documents the passage route reads; applied inside BM25 and dense retrieval',
  });

export const askRequest = z
  .strictObject({
    question: z
      .string()
      .min(1)
      .max(1000)
      .refine((s) => s.trim() !== '', 'the question is empty'),
    routes: z
      .array(routeName)
      .min(1)
      .max(3)
      .refine((r) => new Set(r).size === r.length, 'a route is named twice')
      .optional(),
    reader: z.string().max(100).regex(MODEL_NAME, 'not a model name').optional(),
    topK: z.int().min(1).max(20).optional(),
    explain: z.boolean().optional(),
    history: z
      .array(dialogueTurn)
      .max(MAX_HISTORY, `at most ${MAX_HISTORY} earlier turns; send the most recent ones`)
      .optional()
      .describe('Earlier turns of the conversation, oldest first; the server keeps no state'),
    filters: docFilters.optional(),
  })
  .register(apiSchemas, { id: 'AskRequest', description: 'A question for POST /api/ask' });

export const feedbackRequest = z
  .strictObject({
    question: z.string().trim().min(1).max(1000),
    answer: z.string().min(1).max(10_000).describe('The answer judged, as shown'),
    route: routeName,
    helpful: z.boolean(),
    correction: z.string().trim().min(1).max(1000).optional().describe('"The right answer is …"'),
    score: z.number().min(0).max(1).optional().describe('The score the answer was shown with'),
    reader: z.string().max(100).regex(MODEL_NAME, 'not a model name').optional(),
  })
  .register(apiSchemas, { id: 'Feedback', description: 'A judgement of an answer, for POST /api/feedback' });

export const feedbackReceipt = z
  .object({ id: z.int(), createdAt: z.string() })
  .register(apiSchemas, { id: 'FeedbackReceipt' });

export const unansweredReport = z
  .object({
    groups: z.array(
      z.object({
        question: z.string(),
        count: z.int(),
        variants: z.array(z.string()),
        markedWrong: z.int(),
        lastAsked: z.string(),
      }),
    ),
  })
  .register(apiSchemas, {
    id: 'UnansweredReport',
    description: 'Questions abstained on or marked wrong, grouped by meaning, most asked first',
  });

export const threadRequest = z
  .strictObject({
    subject: z.string().trim().min(3).max(300),
    body: z.string().max(10_000).default(''),
    tags: z.array(z.string().trim().min(1).max(40)).max(10).default([]),
  })
  .register(apiSchemas, { id: 'NewThread', description: 'A question posted to the community board' });

export const answerRequest = z
  .strictObject({
    text: z
      .string()
      .max(10_000)
      .refine((s) => s.trim() !== '', 'the answer is empty'),
  })
  .register(apiSchemas, { id: 'NewAnswer' });

export const voteRequest = z
  .strictObject({ delta: z.union([z.literal(1), z.literal(-1)]) })
  .register(apiSchemas, { id: 'Vote' });

export const threadsQuery = z.strictObject({
  query: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const idParam = z.strictObject({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

/** Documents as `qa ingest docs` reads them from JSON Lines; an id that comes again replaces its document. */
export const ingestDocsRequest = z
  .strictObject({
    documents: z
      .array(
        z.strictObject({
          id: z.union([z.string().min(1).max(200), z.int()]),
          title: z.string().max(500).optional(),
          text: z.string().refine((t) => t.trim() !== '', 'the text is empty'),
        }),
      )
      .min(1)
      .max(10_000),
  })
  .register(apiSchemas, { id: 'IngestDocs' });

/** Threads as `qa ingest cqa` reads them from JSON Lines. */
export const ingestCqaRequest = z
  .strictObject({
    threads: z
      .array(
        z.strictObject({
          id: z.union([z.string().min(1).max(200), z.int()]),
          subject: z.string().min(1).max(300),
          body: z.string().max(10_000).default(''),
          tags: z.array(z.string().min(1).max(40)).max(10).default([]),
          answers: z
            .array(
              z.strictObject({
                text: z.string().min(1).max(10_000),
                votes: z.int().default(0),
                accepted: z.boolean().default(false),
              }),
            )
            .max(1000)
            .default([]),
        }),
      )
      .min(1)
      .max(10_000),
  })
  .register(apiSchemas, { id: 'IngestCqa' });

const linkedEntity = z.object({
  mention: z.string(),
  start: z.int(),
  end: z.int(),
  iri: z.string(),
  label: z.string(),
  score: z.number(),
});

const sparqlEvidence = z.object({
  kind: z.literal('sparql'),
  query: z.string(),
  entities: z.array(linkedEntity),
  rows: z.int(),
});

const passageEvidence = z.object({
  kind: z.literal('passage'),
  docId: z.string(),
  title: z.string().optional(),
  page: z.int().optional().describe('The PDF page the passage is on'),
  section: z.string().optional().describe('The heading of the section the passage stands in'),
  file: z
    .string()
    .optional()
    .describe('Where the source file opens, at the page for a PDF (GET /api/docs/file?source=…#page=N)'),
  passage: z.string(),
  start: z.int().describe('Character offset of the answer in `passage`'),
  end: z.int(),
  reader: z.string(),
});

const threadEvidence = z.object({
  kind: z.literal('thread'),
  threadId: z.string(),
  question: z.string(),
  similarity: z.number(),
  vetted: z.boolean().describe('An accepted answer, or one imported from a curated source'),
  trust: z.string().describe('Why the answer is trusted as far as it is'),
});

export const evidence = z
  .discriminatedUnion('kind', [sparqlEvidence, passageEvidence, threadEvidence])
  .register(apiSchemas, { id: 'Evidence' });

export const candidate = z
  .object({
    text: z.string(),
    value: z.string().optional(),
    score: z.number().min(0).max(1).describe('Calibrated probability of being correct'),
    route: routeName,
    form: z
      .literal('passage')
      .optional()
      .describe('A descriptive answer: the passage, or its best sentences, shown whole'),
    evidence,
    support: z.array(evidence).optional(),
  })
  .register(apiSchemas, { id: 'Candidate' });

export const parsedQuestion = z
  .object({
    text: z.string(),
    normalized: z.string(),
    type: z.enum(['factoid', 'list', 'count', 'yesno', 'definition', 'howto', 'opinion']),
    answerType: z.enum(['person', 'place', 'date', 'number', 'entity', 'description']),
    mentions: z.array(z.object({ text: z.string(), start: z.int(), end: z.int() })),
    routeWeights: z.object({ kbqa: z.number(), mrc: z.number(), cqa: z.number() }),
  })
  .register(apiSchemas, { id: 'ParsedQuestion' });

const stages = z
  .record(z.string(), z.number())
  .describe(
    'Milliseconds by step: retrieve (the question encoded meanwhile), wait (for the cheap routes), read (MRC); parse, scope, rank (the pipeline)',
  );

export const routeTiming = z
  .object({
    route: routeName,
    ms: z.number(),
    candidates: z.int(),
    stages: stages.optional(),
    note: z.string().optional().describe('What the route left undone, and why'),
    error: z.string().optional(),
  })
  .register(apiSchemas, { id: 'RouteTiming' });

export const answer = z
  .object({
    question: z.string(),
    resolved: z
      .string()
      .optional()
      .describe('With `history`: the standalone question answered ("How many people live in Lima?")'),
    topic: z
      .object({ label: z.string(), id: z.string().optional() })
      .optional()
      .describe("With `history`: what the turn is about (a KB entity's IRI or a documents' subject)"),
    answers: z.array(candidate),
    abstained: z.boolean(),
    reason: z.string().optional(),
    parsed: parsedQuestion,
    timings: z.array(routeTiming),
    stages: stages.optional(),
    cached: z
      .boolean()
      .optional()
      .describe('Answered from the cache: the same question, history, options and data as an earlier one'),
    warnings: z.array(z.string()),
    ms: z.number(),
    explanation: z
      .object({
        calibration: z.string(),
        threshold: z.number(),
        candidates: z.array(
          z.object({
            route: routeName,
            text: z.string(),
            raw: z.number(),
            calibrated: z.number(),
            checks: z
              .array(
                z.object({
                  check: z.enum(['time-scope', 'entity', 'answer-type', 'coverage']),
                  passed: z.boolean(),
                  detail: z.string(),
                }),
              )
              .optional()
              .describe('Verifications run on the candidate; a failed one lowered or removed it'),
          }),
        ),
      })
      .optional()
      .describe('With `explain`: every candidate as its route scored it and as the ranker calibrated it'),
  })
  .register(apiSchemas, { id: 'Answer', description: 'Ranked answers, or an abstention with a reason' });

export const apiError = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      where: z.string().optional().describe('The request field or place at fault'),
    }),
  })
  .register(apiSchemas, { id: 'Error' });

export const health = z
  .object({
    status: z.enum(['ok', 'degraded']),
    routes: z.array(routeName).describe('Routes with data to answer from'),
    community: z.object({ matcher: z.boolean(), note: z.string().optional() }),
    kbqa: z
      .object({
        mode: z
          .string()
          .describe('How questions are matched to the KB: zero-shot, with learned paths or not'),
      })
      .optional(),
    warnings: z
      .array(z.string())
      .optional()
      .describe('What a route said when it opened (a KB without names)'),
    counts: z.object({ documents: z.int(), passages: z.int(), threads: z.int() }),
    models: z.object({
      reader: z.string().optional(),
      readers: z.array(z.string()),
      encoders: z.array(z.string()),
    }),
    uptimeS: z.number(),
  })
  .register(apiSchemas, { id: 'Health' });

export const modelInfo = z
  .object({
    name: z.string(),
    task: z.enum(['reader', 'encoder']),
    kind: z.enum(['full', 'distilled', 'quantized', 'pruned']),
    techniques: z
      .array(z.enum(['fine-tuned', 'distilled', 'pruned', 'quantized']))
      .optional()
      .describe('Every technique the model went through, in order'),
    base: z.string(),
    sizeBytes: z.int(),
    metrics: z.record(z.string(), z.unknown()),
    speed: z.record(z.string(), z.number()).optional(),
    default: z.boolean(),
  })
  .register(apiSchemas, { id: 'Model' });

export const modelList = z
  .object({
    models: z.array(modelInfo),
    cascades: z
      .array(
        z.object({
          name: z.string(),
          first: z.string(),
          second: z.string(),
          sure: z.number(),
          reread: z.int(),
          default: z.boolean(),
        }),
      )
      .describe('Readers made of two models: the first reads, the second rereads when the first is unsure'),
    problems: z.array(z.string()),
  })
  .register(apiSchemas, { id: 'ModelList' });

const postStatus = z
  .enum(['published', 'pending'])
  .describe("'pending': awaiting an admin's approval (community.moderation); seen by nobody else yet");

export const communityAnswer = z
  .object({
    id: z.int(),
    threadId: z.int(),
    text: z.string(),
    votes: z.int(),
    accepted: z.boolean(),
    created: z.string().nullable(),
    author: z.string().nullable(),
    status: postStatus,
  })
  .register(apiSchemas, { id: 'CommunityAnswer' });

const threadFields = {
  id: z.int(),
  key: z.string(),
  source: z.string(),
  subject: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  created: z.string().nullable(),
  author: z.string().nullable(),
  status: postStatus,
};

export const thread = z.object(threadFields).register(apiSchemas, { id: 'Thread' });

export const threadWithAnswers = z
  .object({ ...threadFields, answers: z.array(communityAnswer) })
  .register(apiSchemas, { id: 'ThreadWithAnswers' });

export const threadList = z
  .object({
    threads: z.array(
      z.object({
        ...threadFields,
        answerCount: z.int(),
        best: communityAnswer.optional(),
        similarity: z.number().optional().describe('Matcher probability; set when searching'),
      }),
    ),
  })
  .register(apiSchemas, { id: 'ThreadList' });

export const pendingPosts = z
  .object({ threads: z.array(thread), answers: z.array(communityAnswer) })
  .register(apiSchemas, { id: 'PendingPosts', description: 'Posts awaiting moderation, oldest first' });

export const moderationParams = z.strictObject({
  kind: z.enum(['threads', 'answers']),
  id: idParam.shape.id,
  decision: z.enum(['approve', 'reject']),
});

const counts = { added: z.int(), updated: z.int(), unchanged: z.int(), warnings: z.array(z.string()) };

export const docsIngestReport = z
  .object({ ...counts, removed: z.int(), duplicates: z.int(), passages: z.int(), sources: z.int() })
  .register(apiSchemas, { id: 'DocsIngestReport' });

export const cqaIngestReport = z
  .object({ ...counts, answers: z.int() })
  .register(apiSchemas, { id: 'CqaIngestReport' });

export const docFileQuery = z.strictObject({
  source: z.string().min(1).max(4096).describe('A source as GET /api/docs names it'),
});

z.object({
  sources: z.array(
    z.object({
      source: z.string(),
      name: z.string().describe('The file name, for people'),
      documents: z.int(),
      passages: z.int(),
      ingestedAt: z.string(),
    }),
  ),
  tags: z.array(z.object({ tag: z.string(), documents: z.int() })),
  modified: z.object({ first: z.string().nullable(), last: z.string().nullable() }),
}).register(apiSchemas, {
  id: 'DocsOverview',
  description: 'What questions can be restricted to: the sources, the tags and the range of dates',
});
