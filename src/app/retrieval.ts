/**
 * Opening passage retrieval over the workspace: the document store, and, when an encoder model
 * is installed, the dense side with every passage vectorised (missing vectors are computed first,
 * so an interrupted ingest catches up here).
 */
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import type { SentenceEncoder } from '../models/encoder.js';
import type { ModelRegistry } from '../models/registry.js';
import { DEFAULT_ANN_THRESHOLD } from '../retrieval/dense-index.js';
import { DocStore } from '../retrieval/doc-store.js';
import { indexVectors, Retriever } from '../retrieval/retriever.js';

/** The encoder named in config, else the registry's default; undefined when none is installed. */
export async function openEncoder(
  config: Pick<Config, 'encoder' | 'threads'>,
  models: ModelRegistry,
): Promise<SentenceEncoder | undefined> {
  const name = config.encoder ?? models.defaultEncoder()?.manifest.name;
  if (name === undefined) return undefined;
  return models.encoder(name, { threads: config.threads });
}

export interface OpenRetrievalOptions {
  /** Leave the dense side out (BM25 only). */
  dense?: boolean;
  onVectors?: (done: number, total: number) => void;
  /** Hears the HNSW graphs' build (points added, points to add) when they are not cached. */
  onGraph?: (done: number, total: number) => void;
  annThreshold?: number;
}

export async function openRetrieval(
  db: Db,
  config: Pick<Config, 'encoder' | 'threads' | 'workspace'>,
  models: ModelRegistry,
  opts: OpenRetrievalOptions = {},
): Promise<Retriever> {
  const store = new DocStore(db);
  if (opts.dense === false) return new Retriever(store);
  const encoder = await openEncoder(config, models);
  if (!encoder) {
    if (config.encoder) throw new QaError('not_found', `encoder "${config.encoder}" is not installed`);
    return new Retriever(store);
  }
  await indexVectors(store, encoder.name, encoder, opts.onVectors);
  return Retriever.withDense(store, encoder.name, encoder, {
    annThreshold: opts.annThreshold ?? DEFAULT_ANN_THRESHOLD,
    cacheFile: join(config.workspace, `vectors-${encoder.name}.hnsw`),
    ...(opts.onGraph ? { onProgress: opts.onGraph } : {}),
  });
}
