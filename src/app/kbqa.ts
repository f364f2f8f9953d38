/**
 * Opening the KBQA route over the workspace's knowledge base: indexed once, matched to questions
 * zero-shot through the KB's own names and the sentence encoder, and refined by learned paths when
 * the workspace has them (`qa train kbqa`) — or when the bundled ones fit this KB (the starter
 * geography graph). A model whose paths the KB does not have is not used, and a KB without names
 * is reported, never silently half-working.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Config } from '../core/config.js';
import { readJsonFile } from '../core/json.js';
import { parsePathKey } from '../kbqa/paths.js';
import { RelationModel, type RelationModelJson } from '../kbqa/relation-model.js';
import { type KbIndex, KbqaRoute } from '../kbqa/route.js';
import type { RdfStore } from '../kbqa/store.js';
import { NAME_PREDICATES } from '../kbqa/vocab.js';
import type { ModelRegistry } from '../models/registry.js';
import { openEncoder } from './retrieval.js';

/** Where a relation model trained for the workspace's KB lives (`qa train kbqa`). */
export function kbqaModelPath(config: Pick<Config, 'workspace'>): string {
  return join(config.workspace, 'kbqa-model.json');
}

/** The bundled model for the bundled geography KB (kb/questions.txt, see kb/README.md). */
export function bundledKbqaModelPath(config: Pick<Config, 'modelsDir'>): string {
  return join(config.modelsDir, 'kbqa-geo', 'relations.json');
}

export interface OpenKbqa {
  route: KbqaRoute;
  /** How questions are matched: "zero-shot", or with learned paths from a file. */
  mode: string;
  warnings: string[];
}

/** Share of a model's paths whose every predicate is in the KB: does it belong to this KB? */
function fits(model: RelationModelJson, has: (p: string) => boolean): number {
  const paths = [...new Set(model.examples.map((e) => e.path))];
  if (paths.length === 0) return 0;
  return paths.filter((k) => parsePathKey(k).every((h) => has(h.predicate))).length / paths.length;
}

export interface OpenKbqaOptions {
  /**
   * Learned paths: a model to use, `null` for none (zero-shot only), or, when absent, the
   * workspace's model file, else the bundled one if it fits this KB.
   */
  model?: RelationModel | null;
  /** Leave the sentence encoder out (relations matched by their words only). */
  noEncoder?: boolean;
  /** The KB already indexed (by a caller that needed the graph first). */
  index?: KbIndex;
}

export async function openKbqa(
  store: RdfStore,
  config: Pick<Config, 'workspace' | 'modelsDir' | 'encoder' | 'threads' | 'kb'>,
  models: ModelRegistry,
  opts: OpenKbqaOptions = {},
): Promise<OpenKbqa> {
  const encoder = opts.noEncoder ? undefined : await openEncoder(config, models);
  const known = encoder ? (w: string) => encoder.tokenizer.hasWord(w) : undefined;
  const index =
    opts.index ??
    (await KbqaRoute.index(store, {
      labelProperties: config.kb.labelProperties,
      ...(known ? { known } : {}),
    }));
  if (known) index.linker.setKnown(known);
  const warnings: string[] = [];
  if (index.labelled === 0) {
    warnings.push(
      `the knowledge base names none of its entities, so no question can be linked to one (looked for ${[
        ...NAME_PREDICATES,
        ...config.kb.labelProperties,
      ].join(', ')}; add one with kb.labelProperties in qa.config.json)`,
    );
  }
  if (!encoder && !opts.noEncoder) {
    warnings.push('no sentence encoder is installed: relations are matched by their words only');
  }
  let model = opts.model ?? undefined;
  let mode = encoder ? 'zero-shot (KB names and the sentence encoder)' : 'zero-shot (KB names, words only)';
  if (model) mode += ` + ${model.size} learned examples`;
  const files = opts.model === undefined ? [kbqaModelPath(config), bundledKbqaModelPath(config)] : [];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const json = readJsonFile(file) as RelationModelJson;
    if (fits(json, (p) => index.graph.isPredicate(p)) < 0.5) continue;
    model = RelationModel.fromJSON(json);
    // Named by folder and file, not by full path: the mode is shown by /api/health.
    mode += ` + ${model.size} learned examples (${basename(dirname(file))}/${basename(file)})`;
    break;
  }
  const route = new KbqaRoute(store, index, {
    ...(model ? { model } : {}),
    ...(encoder ? { encoder } : {}),
    ...(known ? { known } : {}),
  });
  return { route, mode, warnings };
}
