import type { Config } from '../core/config.js';
import type { ModelRegistry } from '../mrc/models.js';
import { QuestionParser, routerPath } from '../parse/router.js';
import { loadCalibration } from '../rank/calibration-file.js';
import { Pipeline } from './pipeline.js';

export async function openPipeline(
  config: Config,
  models: ModelRegistry,
  onProgress?: (what: string, done: number, total: number) => void,
): Promise<Pipeline> {
  const parser = QuestionParser.load(routerPath(config));
  return Pipeline.open(config, models, {
    parse: (text) => parser.parse(text),
    calibration: loadCalibration(config),
    deadlineMs: config.server.routeDeadlineMs,
    ...(onProgress ? { onProgress } : {}),
  });
}
