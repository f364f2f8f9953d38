/** `qa train router`: fit the route classifier on the routing benchmark's training split and write it. */
import { mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { PACKAGE_ROOT } from '../core/config.js';
import { QaError } from '../core/errors.js';
import type { RouteName } from '../core/types.js';
import {
  evaluateRouting,
  isRoutingTest,
  readExtraExamples,
  readRoutingQuestions,
  routingFiles,
  splitRouting,
} from '../eval/routing.js';
import { QuestionParser, RouterModel, routerPath, writeRouterFile } from '../parse/router.js';
import { contextFrom, parseIntOption } from './context.js';
import { DEFAULT_ROUTING_DATA } from './eval-routing.js';
import { progressBar } from './progress.js';

interface Options {
  data: string;
  also: string[];
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
      '--also <route=file...>',
      'questions about the installed data to train on too (kbqa: MetaQA form, cqa: an archive)',
      [
        `kbqa=${resolve(PACKAGE_ROOT, 'kb', 'questions.txt')}`,
        `cqa=${resolve(PACKAGE_ROOT, 'corpora', 'cqa', 'debian-faq.jsonl')}`,
      ],
    )
    .option(
      '--min-count <n>',
      'ignore n-grams seen in fewer training questions',
      parseIntOption('--min-count'),
      5,
    )
    .action(async (opts: Options, cmd: Command) => {
      const out = opts.out ?? routerPath(contextFrom(cmd).config);
      const files = routingFiles(opts.data);
      const { train, test } = splitRouting(readRoutingQuestions(files), opts.perClass);
      if (train.length === 0) throw new QaError('bad_input', 'no training questions', { where: opts.data });
      const also: string[] = [];
      for (const spec of opts.also) {
        const [route, file] = spec.split(/=(.*)/s) as [string, string | undefined];
        if (!file || !(['kbqa', 'mrc', 'cqa'] as string[]).includes(route)) {
          throw new QaError('bad_input', `expected ROUTE=FILE, got "${spec}"`, { where: '--also' });
        }
        // Training only, and never a text the benchmark tests on.
        const extra = await readExtraExamples(route as RouteName, file);
        train.push(...extra.filter((e) => !isRoutingTest(e.text)));
        also.push(file);
      }
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
        trainedOn: [...Object.values(files).flat(), ...also].map((f) => basename(f)).join(', '),
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
