/**
 * One configuration object: defaults, then `qa.config.json` (or --config), then QA_* environment
 * variables, then command-line flags; validated once, passed down, never read from globals.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { readJsonFile, validate } from './json.js';

/** The installation's root (holds `models/`), whether running from `src/` or `dist/`. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The reader's runs are answered one at a time by its one session, so its intra-op threads are
 * what lets a question use more than one core: on 2 cores the server answered up to 1.6x the
 * questions with 2 threads as with 1 (bench/load.ts, docs/BENCHMARKS.md). The cap is a guess, not
 * a measurement: measure more with `bench:load --threads N` on the machine that will serve.
 */
export const DEFAULT_MAX_THREADS = 4;
/** The default `threads`: the machine's cores, at most DEFAULT_MAX_THREADS. */
export const DEFAULT_THREADS = Math.min(DEFAULT_MAX_THREADS, availableParallelism());

/** The fields, each checked on its own (a config file may give any of them). */
const configFields = z
  .object({
    /** Folder of model folders, each with a manifest.json. */
    modelsDir: z.string().min(1),
    /** Reader used when a request names none; unset means the first reader in the registry. */
    reader: z.string().min(1).optional(),
    /** Sentence encoder for dense retrieval; unset means the first encoder in the registry. */
    encoder: z.string().min(1).optional(),
    /** Intra-op threads per ONNX session (default: DEFAULT_THREADS). */
    threads: z.int().min(1).max(256),
    /** Where stores and indexes live. */
    workspace: z.string().min(1),
    /**
     * Readers made of two installed ones, by name: the first reads every window, the second
     * rereads the best `reread` passages when the first's best is less than `sure` likely.
     */
    cascades: z
      .record(
        z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
        z
          .object({
            first: z.string().min(1),
            second: z.string().min(1),
            sure: z.number().gt(0).max(1),
            reread: z.int().min(1).max(20),
          })
          .strict(),
      )
      .default({}),
    /**
     * How reads of concurrent questions share the reader's runs (src/mrc/window-batcher.ts): a run
     * holds windows adding at most `maxPadding` of padding; `waitMs` holds an idle reader's first
     * window for others to join.
     */
    batching: z
      .object({
        maxPadding: z.number().min(0).max(10).default(0.2),
        waitMs: z.int().min(0).max(1000).default(0),
      })
      .strict()
      .default({ maxPadding: 0.2, waitMs: 0 }),
    /** Answers kept for questions asked again over unchanged data (0: none). */
    answerCache: z.int().min(0).max(1_000_000),
    /**
     * When the workspace's data was written (a year or an ISO date): questions about later years or
     * about "now" in a much older archive are out of its reach, and abstained on. Overrides what
     * was recorded when the data was loaded (the bundled data records its own).
     */
    asOf: z
      .string()
      .regex(/^\d{4}(?:-\d{2}(?:-\d{2})?)?$/, 'a year or an ISO date (2015, 2015-07-01)')
      .optional(),
    /** The HTTP server (`qa serve`). */
    server: z
      .object({
        port: z.int().min(0).max(65535).default(8080),
        /** Loopback by default: exposing the API is a deliberate choice. */
        host: z.string().min(1).default('127.0.0.1'),
        /** Bearer token for the admin (ingest) endpoints; they are off without one. */
        adminToken: z.string().min(16).optional(),
        /** Origins allowed by CORS; none by default (the web UI is same-origin). */
        corsOrigins: z.array(z.string().min(1)).default([]),
        /** Per-route deadline, ms. */
        routeDeadlineMs: z.int().min(1).default(10_000),
      })
      .strict()
      .default({ port: 8080, host: '127.0.0.1', corsOrigins: [], routeDeadlineMs: 10_000 }),
    /** How the KBQA route reads the knowledge base. */
    kb: z
      .object({
        /** Name properties beyond rdfs:label, skos:prefLabel/altLabel, schema:name, foaf:name, dcterms:title. */
        labelProperties: z.array(z.url()).default([]),
      })
      .strict()
      .default({ labelProperties: [] }),
    /** The community board (web UI and `/api/threads`). */
    community: z
      .object({
        /** Posts wait for an admin's approval before anyone sees them or they answer anything. */
        moderation: z.boolean().default(false),
        /** Posts (questions, answers, votes, acceptances) one client may make per window. */
        postsPerWindow: z.int().min(1).default(30),
        windowMinutes: z.int().min(1).default(10),
      })
      .strict()
      .default({ moderation: false, postsPerWindow: 30, windowMinutes: 10 }),
    /** A SPARQL 1.1 endpoint holding the knowledge base; the embedded store when absent. */
    kbEndpoint: z
      .object({
        queryUrl: z.url(),
        updateUrl: z.url().optional(),
        graph: z.string().min(1).optional(),
        timeoutMs: z.int().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** A whole configuration: the fields, and the rules between them. */
export const configSchema = configFields.refine(
  (c) => !c.community.moderation || c.server.adminToken !== undefined,
  {
    message: 'community.moderation needs server.adminToken: without it nobody can approve a post',
    path: ['community', 'moderation'],
  },
);

export type Config = z.infer<typeof configSchema>;

export type ConfigOverrides = Partial<Config>;

const ENV: Record<string, keyof Config> = {
  QA_MODELS_DIR: 'modelsDir',
  QA_READER: 'reader',
  QA_ENCODER: 'encoder',
  QA_THREADS: 'threads',
  QA_WORKSPACE: 'workspace',
  QA_ANSWER_CACHE: 'answerCache',
  QA_SPARQL_ENDPOINT: 'kbEndpoint',
  QA_ADMIN_TOKEN: 'server',
};

function fromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(ENV)) {
    const v = env[name];
    if (v === undefined || v === '') continue;
    if (key === 'server') {
      out.server = { ...(out.server as object | undefined), adminToken: v };
      continue;
    }
    out[key] =
      key === 'threads' || key === 'answerCache' ? Number(v) : key === 'kbEndpoint' ? { queryUrl: v } : v;
  }
  return out;
}

export function loadConfig(
  opts: { file?: string; env?: NodeJS.ProcessEnv; flags?: ConfigOverrides; cwd?: string } = {},
): Config {
  const cwd = opts.cwd ?? process.cwd();
  const defaults = {
    modelsDir: resolve(PACKAGE_ROOT, 'models'),
    threads: DEFAULT_THREADS,
    workspace: resolve(cwd, 'var'),
    answerCache: 1000,
  };
  const file =
    opts.file ?? [resolve(cwd, 'qa.config.json'), resolve(PACKAGE_ROOT, 'qa.config.json')].find(existsSync);
  const fromFile = file
    ? (validate(configFields.partial(), readJsonFile(file), file) as Record<string, unknown>)
    : {};
  // Relative paths in the file are relative to the file, not to wherever `qa` was started.
  for (const key of ['modelsDir', 'workspace'] as const) {
    const v = fromFile[key];
    if (file && typeof v === 'string') fromFile[key] = resolve(dirname(file), v);
  }
  const flags = Object.fromEntries(Object.entries(opts.flags ?? {}).filter(([, v]) => v !== undefined));
  const env = fromEnv(opts.env ?? process.env);
  const merged: Record<string, unknown> = { ...defaults, ...fromFile, ...env, ...flags };
  // The server block merges field by field, so QA_ADMIN_TOKEN does not drop the file's port.
  const servers = [fromFile.server, env.server, flags.server].filter((x) => x !== undefined) as object[];
  if (servers.length) merged.server = Object.assign({}, ...servers);
  return validate(
    configSchema,
    merged,
    file ? `configuration (${file}, QA_* variables, flags)` : 'configuration',
  );
}
