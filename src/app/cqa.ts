/** Opening the CQA route over the workspace's archive with the installed matcher and encoder. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import { Archive } from '../cqa/archive.js';
import { Matcher } from '../cqa/matcher.js';
import { matcherParts, readMatcherFile } from '../cqa/matcher-model.js';
import { CqaRoute } from '../cqa/route.js';
import type { ModelRegistry } from '../models/registry.js';
import { openEncoder } from './retrieval.js';

export function matcherPath(config: Pick<Config, 'modelsDir'>): string {
  return join(config.modelsDir, 'cqa-matcher', 'matcher.json');
}

export interface OpenCqa {
  route: CqaRoute;
  matcher: Matcher;
  archive: Archive;
}

export async function openCqa(
  db: Db,
  config: Pick<Config, 'modelsDir' | 'encoder' | 'threads'>,
  models: ModelRegistry,
  onVectors?: (done: number, total: number) => void,
): Promise<OpenCqa> {
  const file = matcherPath(config);
  if (!existsSync(file)) {
    throw new QaError('not_found', 'no CQA matcher weights', { where: file, hint: 'run `qa train matcher`' });
  }
  const weights = readMatcherFile(file);
  const encoder = await openEncoder(config, models);
  const archive = new Archive(db);
  const { model, dense } = matcherParts(weights, encoder);
  const matcher = new Matcher(archive, model, dense);
  await matcher.refresh(onVectors);
  return { route: new CqaRoute(matcher), matcher, archive };
}
