/** `qa models list`: every installed model with its manifest. */
import type { Command } from 'commander';
import type { ModelManifest } from '../models/manifest.js';
import { contextFrom } from './context.js';

/** The figure that says how good the model is, as its task measures it. */
function figures(m: ModelManifest): string {
  if (m.task === 'reader') return m.metrics.squad11 ? ` squad1.1 F1 ${m.metrics.squad11.f1.toFixed(1)}` : '';
  const cos = m.metrics.cosineToPyTorch;
  return ` dim ${m.dim}${cos ? ` cosine to original ${cos.mean.toFixed(3)}` : ''}`;
}

/** What was done to make it ("fine-tuned+distilled+quantized"); its kind where the manifest says no more. */
function techniques(m: ModelManifest): string {
  return m.techniques?.join('+') ?? m.kind;
}

export function registerModels(program: Command): void {
  const models = program.command('models').description('list and inspect the installed models');
  models
    .command('list')
    .description('list the models under the models folder')
    .option('--json', 'print a JSON array of the manifests')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const { models: found, problems } = ctx.models.scan();
      for (const p of problems) process.stderr.write(`warning: ${p.describe()}\n`);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify(
            found.map((m) => m.manifest),
            null,
            2,
          )}\n`,
        );
      } else if (found.length === 0) {
        process.stdout.write(`no models in ${ctx.config.modelsDir}\n`);
      } else {
        for (const { manifest: m } of found) {
          const mb = (m.sizeBytes / 1e6).toFixed(1);
          process.stdout.write(
            `${m.name.padEnd(28)} ${m.task.padEnd(8)} ${techniques(m).padEnd(32)} ${mb} MB${figures(m)}\n`,
          );
        }
      }
      if (problems.length > 0) process.exitCode = 2;
    });
}
