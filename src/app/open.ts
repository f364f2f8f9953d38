import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import type { ModelRegistry } from '../models/registry.js';
import { QuestionParser, routerPath } from '../parse/router.js';
import { loadCalibration } from '../rank/calibration-file.js';
import type { Calibration } from '../rank/ranker.js';
import { readSourceFile } from '../retrieval/doc-sources.js';
import { DocStore } from '../retrieval/doc-store.js';
import { Pipeline } from './pipeline.js';
import { openWorkspaceDb } from './workspace.js';

export interface OpenPipelineOptions {
  onProgress?: (what: string, done: number, total: number) => void;
  /** Instead of the workspace's or the installed calibration. */
  calibration?: Calibration;
}

export async function openPipeline(
  config: Config,
  models: ModelRegistry,
  opts: OpenPipelineOptions = {},
): Promise<Pipeline> {
  const parser = QuestionParser.load(routerPath(config));
  return Pipeline.open(config, models, {
    parse: (text) => parser.parse(text),
    calibration: opts.calibration ?? loadCalibration(config),
    deadlineMs: config.server.routeDeadlineMs,
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
}

/**
 * The pipeline over a SQuAD file's paragraphs alone, in a scratch workspace removed afterwards:
 * open-domain SQuAD, where retrieval, reading and ranking are measured together.
 */
export async function withSquadPipeline<T>(
  config: Config,
  models: ModelRegistry,
  file: string,
  use: (pipeline: Pipeline) => Promise<T>,
  opts: OpenPipelineOptions = {},
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'qa-open-'));
  try {
    const scratch = { ...config, workspace: dir };
    const db = openWorkspaceDb(scratch);
    new DocStore(db).ingest([readSourceFile(file, 'squad')]);
    db.close();
    const pipeline = await openPipeline(scratch, models, opts);
    try {
      return await use(pipeline);
    } finally {
      await pipeline.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
