/** `qa eval routing`: accuracy of the installed router on the held-out fifth of the routing benchmark. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../core/config.js';
import { QaError } from '../core/errors.js';
import type { RouteName } from '../core/types.js';
import { evaluateRouting, readRoutingQuestions, routingFiles, splitRouting } from '../eval/routing.js';
import { QuestionParser, ROUTES, routerPath } from '../parse/router.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';

/** The shared benchmark data beside the installation (`../shared/data`). */
export const DEFAULT_ROUTING_DATA = resolve(PACKAGE_ROOT, '..', 'shared', 'data');

interface Options {
  data: string;
  model?: string;
  perClass: number;
  json?: boolean;
}

export function registerEvalRouting(evalCmd: Command): void {
  evalCmd
    .command('routing')
    .description(
      'route accuracy on held-out MetaQA (kbqa), SQuAD (mrc), SemEval and StackFAQ (cqa) questions',
    )
    .option('--data <dir>', 'folder laid out as ../shared/data', DEFAULT_ROUTING_DATA)
    .option('--model <file>', 'router weights (default: <models>/router/router.json)')
    .option(
      '--per-class <n>',
      'questions sampled per route before the split',
      parseIntOption('--per-class'),
      8000,
    )
    .option('--json', 'print one JSON object')
    .action((opts: Options, cmd: Command) => {
      const file = opts.model ?? routerPath(contextFrom(cmd).config);
      if (!existsSync(file)) {
        throw new QaError('not_found', 'no router weights', { where: file, hint: 'run `qa train router`' });
      }
      const parser = QuestionParser.load(file);
      const { train, test } = splitRouting(readRoutingQuestions(routingFiles(opts.data)), opts.perClass);
      if (test.length === 0) throw new QaError('bad_input', 'no test questions', { where: opts.data });
      const bar = progressBar('questions');
      const metrics = evaluateRouting(parser, test, (d, t) => bar.update(d, t));
      bar.stop();
      const out = { ...metrics, train_size: train.length, model: file };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(out)}\n`);
        return;
      }
      const pct = (x: number) => `${(100 * x).toFixed(2)}%`.padStart(8);
      const cell = (s: string | number) => String(s).padStart(8);
      process.stdout.write(
        `accuracy ${pct(metrics.accuracy).trim()} on ${metrics.test_size} questions (trained on ${train.length})\n\n` +
          `${'route'.padEnd(6)}${cell('precis.')}${cell('recall')}${cell('f1')}${cell('n')}\n`,
      );
      for (const r of ROUTES) {
        const c = metrics.per_class[r];
        process.stdout.write(
          `${r.padEnd(6)}${pct(c.precision)}${pct(c.recall)}${pct(c.f1)}${cell(c.support)}\n`,
        );
      }
      process.stdout.write(`\ntrue \\ predicted\n${''.padEnd(6)}${ROUTES.map(cell).join('')}\n`);
      for (const t of ROUTES) {
        const row = ROUTES.map((p: RouteName) => cell(metrics.confusion[t][p])).join('');
        process.stdout.write(`${t.padEnd(6)}${row}\n`);
      }
    });
}
