/** What every command gets: the validated configuration and the model registry. */
import type { Command } from 'commander';
import { type Config, loadConfig } from '../core/config.js';
import { QaError } from '../core/errors.js';
import { ModelRegistry } from '../models/registry.js';

export interface CliContext {
  config: Config;
  models: ModelRegistry;
}

export function contextFrom(cmd: Command): CliContext {
  const g = cmd.optsWithGlobals<{
    config?: string;
    modelsDir?: string;
    threads?: number;
    reader?: string;
    encoder?: string;
    workspace?: string;
  }>();
  const config = loadConfig({
    ...(g.config === undefined ? {} : { file: g.config }),
    flags: {
      modelsDir: g.modelsDir,
      threads: g.threads,
      reader: g.reader,
      encoder: g.encoder,
      workspace: g.workspace,
    },
  });
  return { config, models: new ModelRegistry(config.modelsDir, config.cascades, config.batching) };
}

/** The reader named by flag or config, else the first reader installed. */
export function readerName(ctx: CliContext): string {
  if (ctx.config.reader) return ctx.config.reader;
  const first = ctx.models.defaultReader();
  if (!first) {
    throw new QaError('not_found', 'no reader model is installed', {
      where: ctx.config.modelsDir,
      hint: 'see training/README.md, or pass --models-dir',
    });
  }
  return first.manifest.name;
}

export function parseIntOption(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0)
      throw new QaError('bad_input', `${name} must be a whole number, got "${v}"`);
    return n;
  };
}
