/** `qa train router`: fit the route classifier on the routing benchmark's training split and write it. */
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { QaError } from '../core/errors.js';
import { evaluateRouting, readRoutingQuestions, routingFiles, splitRouting } from '../eval/routing.js';
import { QuestionParser, RouterModel, routerPath, writeRouterFile } from '../parse/router.js';
import { contextFrom, parseIntOption } from './context.js';
import { DEFAULT_ROUTING_DATA } from './eval-routing.js';
import { progressBar } from './progress.js';

interface Options {
  data: string;
  out?: string;
  perClass: number;
  epochs: number;
  minCount: number;
}

export function registerTrainRouter(train: Command): void {
  train
    .command('router')
    .description('fit the route classifier on MetaQA, SQuAD, SemEval and StackFAQ questions')
    .option('--data <dir>', 'folder laid out as ../shared/data', DEFAULT_ROUTING_DATA)
    .option('--out <file>', 'where to write the weights (default: <models>/router/router.json)')
    .option(
      '--per-class <n>',
      'questions sampled per route before the split',
      parseIntOption('--per-class'),
      8000,
    )
    .option('--epochs <n>', 'passes over the training split', parseIntOption('--epochs'), 10)
    .option(
      '--min-count <n>',
      'ignore n-grams seen in fewer training questions',
      parseIntOption('--min-count'),
      5,
    )
    .action((opts: Options, cmd: Command) => {
      const out = opts.out ?? routerPath(contextFrom(cmd).config);
      const files = routingFiles(opts.data);
      const { train, test } = splitRouting(readRoutingQuestions(files), opts.perClass);
      if (train.length === 0) throw new QaError('bad_input', 'no training questions', { where: opts.data });
      const bar = progressBar('epochs');
      const model = RouterModel.train(train, {
        epochs: opts.epochs,
        minCount: opts.minCount,
        onEpoch: (d, t) => bar.update(d, t),
      });
      bar.stop();
      const { accuracy } = evaluateRouting(new QuestionParser(model), test);
      mkdirSync(dirname(out), { recursive: true });
      writeRouterFile(out, model, {
        trainedOn: Object.values(files)
          .flat()
          .map((f) => basename(f))
          .join(', '),
        trainSize: train.length,
        testSize: test.length,
        accuracy,
      });
      process.stdout.write(
        `wrote ${out}: accuracy ${(100 * accuracy).toFixed(2)}% on ${test.length} held-out questions ` +
          `(trained on ${train.length})\n`,
      );
    });
}
