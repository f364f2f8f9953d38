/** `qa eval metaqa`: Hits@1 of the KBQA route on MetaQA, trained and tested on disjoint halves. */
import type { Command } from 'commander';
import { openKbqa } from '../app/kbqa.js';
import { QaError } from '../core/errors.js';
import { evaluateMetaqa, isTestQuestion, labelQuestions, readMetaqa } from '../eval/metaqa.js';
import { SparqlEndpointStore } from '../kbqa/endpoint-store.js';
import { OxigraphStore } from '../kbqa/oxigraph-store.js';
import { parseFormat, sourceFor } from '../kbqa/rdf-files.js';
import { RelationModel } from '../kbqa/relation-model.js';
import { KbqaRoute } from '../kbqa/route.js';
import type { RdfFormat, RdfStore } from '../kbqa/store.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';

interface Options {
  kb: string;
  kbFormat?: RdfFormat;
  brackets: boolean;
  train?: string[];
  limit?: number;
  endpoint?: string;
  wordsOnly?: boolean;
  json?: boolean;
}

export function registerEvalMetaqa(evalCmd: Command): void {
  evalCmd
    .command('metaqa')
    .description('MetaQA Hits@1: learn relation paths from one half of the questions, test on the other')
    .argument('<qa-file>', 'MetaQA questions: "question with [topic]<TAB>answer|answer"')
    .requiredOption('--kb <file>', 'the knowledge base, loaded through the product importer')
    .option(
      '--kb-format <format>',
      'format of --kb (default: metaqa for .txt, else from the extension)',
      parseFormat,
    )
    .option('--no-brackets', 'drop the topic marks, so entity linking is measured too')
    .option(
      '--train <files...>',
      'question files that teach the paths, less the tested questions (default: the qa-file)',
    )
    .option('--limit <n>', 'test at most N questions', parseIntOption('--limit'))
    .option('--endpoint <url>', 'run on this SPARQL 1.1 endpoint instead of the embedded store')
    .option('--words-only', 'match relations by their words and the learned paths only')
    .option('--json', 'print one JSON object')
    .action(async (qaFile: string, opts: Options, cmd: Command) => {
      const store: RdfStore = opts.endpoint
        ? new SparqlEndpointStore({ queryUrl: opts.endpoint })
        : new OxigraphStore();
      const format = opts.kbFormat ?? (opts.kb.endsWith('.txt') ? 'metaqa' : undefined);
      const load = await store.load([sourceFor(opts.kb, format)]);
      const testHalf = readMetaqa(qaFile).filter(isTestQuestion);
      const test = testHalf.slice(0, opts.limit ?? Number.POSITIVE_INFINITY);
      // Training never sees a question that is tested, whichever file it comes from.
      const tested = new Set(testHalf.map((q) => q.question));
      const trainQs = (opts.train ?? [qaFile])
        .flatMap((f) => readMetaqa(f))
        .filter((q) => !tested.has(q.question));
      if (test.length === 0) throw new QaError('bad_input', 'no test questions', { where: qaFile });

      const { config, models } = contextFrom(cmd);
      const index = await KbqaRoute.index(store);
      const bar = progressBar('paths');
      const labelled = labelQuestions(index.graph, trainQs, (d, t) => bar.update(d, t));
      bar.stop();
      const { route } = await openKbqa(store, config, models, {
        index,
        model: RelationModel.train(labelled),
        noEncoder: opts.wordsOnly === true,
      });
      const evalBar = progressBar('questions');
      const metrics = await evaluateMetaqa(route, test, {
        brackets: opts.brackets,
        onProgress: (d, t) => evalBar.update(d, t),
      });
      evalBar.stop();
      await store.close();
      await models.close();
      const out = {
        ...metrics,
        brackets: opts.brackets,
        train_questions: trainQs.length,
        train_examples: labelled.length,
        kb_triples: load.triples,
        kb_load_seconds: load.seconds,
        store: store.kind,
      };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(out)}\n`);
      } else {
        for (const [k, v] of Object.entries(out)) process.stdout.write(`${k.padEnd(18)} ${v}\n`);
      }
    });
}
