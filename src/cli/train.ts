/**
 * `qa train matcher`: fit the CQA matcher's weights on SemEval-2016 train and write them to models/.
 * `qa train kbqa`: learn relation paths for the workspace's knowledge base from question–answer pairs.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Command } from 'commander';
import { matcherPath } from '../app/cqa.js';
import { kbqaModelPath } from '../app/pipeline.js';
import { openEncoder } from '../app/retrieval.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { QaError } from '../core/errors.js';
import { writeMatcherFile } from '../cqa/matcher-model.js';
import { labelQuestions, readMetaqa, type SkipReason } from '../eval/metaqa.js';
import { runSemeval, type SemevalResult } from '../eval/semeval-run.js';
import { generateQuestions } from '../kbqa/generate.js';
import { openKbStore } from '../kbqa/open-store.js';
import { type LabelledQuestion, RelationModel } from '../kbqa/relation-model.js';
import { KbqaRoute } from '../kbqa/route.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';
import { registerTrainCalibration } from './train-calibration.js';
import { registerTrainRouter } from './train-router.js';

interface Options {
  eval: string;
  out?: string;
}

interface TrainKbqaOptions {
  generate?: boolean;
  perRelation: number;
  questionsOut?: string;
  out?: string;
}

const figures = (r: SemevalResult) => ({ map: r.map, mrr: r.mrr, p_at_1: r.p_at_1 });

export function registerTrain(program: Command): void {
  const train = program.command('train').description('fit the small learned parts of the pipeline');
  registerTrainCalibration(train);
  registerTrainRouter(train);
  train
    .command('kbqa')
    .description("learn question → relation-path rules for the workspace's knowledge base")
    .argument(
      '[qa-files...]',
      'questions with answers: "question with [topic]<TAB>answer|answer" (MetaQA form)',
    )
    .option('--generate', "add questions generated from the KB's own names (lookups, counts, two hops)")
    .option(
      '--per-relation <n>',
      'with --generate: things asked about per relation',
      parseIntOption('--per-relation'),
      8,
    )
    .option(
      '--questions-out <file>',
      'with --generate: also write the generated questions there (MetaQA form)',
    )
    .option('--out <file>', 'where to write the model (default: <workspace>/kbqa-model.json)')
    .action(async (files: string[], opts: TrainKbqaOptions, cmd: Command) => {
      const { config } = contextFrom(cmd);
      if (files.length === 0 && !opts.generate) {
        throw new QaError('bad_input', 'give question files, or --generate to make questions from the KB');
      }
      const store = openKbStore(config);
      try {
        if ((await store.size()) === 0) {
          throw new QaError('not_found', 'the knowledge base is empty', { hint: 'run `qa ingest kb` first' });
        }
        const { graph, linker, lexicon } = await KbqaRoute.index(store, {
          labelProperties: config.kb.labelProperties,
        });
        const generated: LabelledQuestion[] = [];
        if (opts.generate) {
          const gBar = progressBar('relations');
          const made = generateQuestions(graph, lexicon, (n) => linker.labelsOf(n)[0], {
            perRelation: opts.perRelation,
            onProgress: (d, t) => gBar.update(d, t),
          });
          gBar.stop();
          if (opts.questionsOut) writeFileSync(opts.questionsOut, `${made.map((q) => q.line).join('\n')}\n`);
          generated.push(...made.map(({ masked, path }) => ({ masked, path })));
          process.stderr.write(`generated ${made.length} questions from the KB's own names\n`);
        }
        const bar = progressBar('paths');
        const skipped = new Map<SkipReason, string[]>();
        // Names resolve through the KB's own labels, so any KB with rdfs:label (or alternatives)
        // works; an answer no entity is named by is a value ("45925301", "1963-12-12").
        const labelled = [
          ...generated,
          ...labelQuestions(
            graph,
            files.flatMap((f) => readMetaqa(f)),
            (d, t) => bar.update(d, t),
            5,
            (name) => linker.resolve(name),
            (q, reason) => skipped.set(reason, [...(skipped.get(reason) ?? []), q.where]),
          ),
        ];
        bar.stop();
        // Every question that taught nothing is accounted for, with where to find a few of them.
        for (const [reason, where] of skipped) {
          const some = where.slice(0, 3).join(', ');
          process.stderr.write(
            `skipped ${where.length}: ${reason} (${some}${where.length > 3 ? ', …' : ''})\n`,
          );
        }
        if (labelled.length === 0) {
          throw new QaError(
            'bad_input',
            'no question could be tied to a relation path in this knowledge base',
          );
        }
        const out = opts.out ?? kbqaModelPath(config);
        mkdirSync(dirname(out), { recursive: true });
        writeFileSync(out, JSON.stringify(RelationModel.train(labelled).toJSON()));
        process.stdout.write(`wrote ${out}: ${labelled.length} labelled questions\n`);
      } finally {
        await store.close();
      }
    });
  train
    .command('matcher')
    .description('fit the CQA matcher (BM25 + encoder cosine) on labelled SemEval question pairs')
    .argument('<train-files...>', 'SemEval JSON Lines with relevance labels')
    .requiredOption('--eval <file>', 'SemEval JSON Lines to report the fitted matcher on')
    .option('--out <file>', 'where to write the weights (default: <models>/cqa-matcher/matcher.json)')
    .action(async (trainFiles: string[], opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const encoder = await openEncoder(ctx.config, ctx.models);
      if (!encoder)
        throw new QaError('not_found', 'no sentence encoder is installed', { where: ctx.config.modelsDir });
      const run = async (dense: boolean) => {
        const dir = mkdtempSync(join(tmpdir(), 'qa-train-matcher-'));
        const db = openWorkspaceDb({ workspace: dir });
        const bar = progressBar('thread vectors');
        try {
          return await runSemeval({
            db,
            evalFile: opts.eval,
            trainFiles,
            ...(dense ? { encoder: { name: encoder.name, encoder } } : {}),
            onVectors: (d, t) => bar.update(d, t),
          });
        } finally {
          bar.stop();
          db.close();
          rmSync(dir, { recursive: true, force: true });
        }
      };
      try {
        const dense = await run(true);
        const sparse = await run(false);
        const out = opts.out ?? matcherPath(ctx.config);
        mkdirSync(dirname(out), { recursive: true });
        writeMatcherFile(out, {
          encoder: encoder.name,
          dense: dense.model,
          bm25Only: sparse.model,
          trainedOn: trainFiles.map((f) => basename(f)).join(', '),
          metrics: { dense: figures(dense), bm25Only: figures(sparse), evaluatedOn: basename(opts.eval) },
        });
        process.stdout.write(
          `wrote ${out}: MAP ${dense.map.toFixed(4)} with the encoder, ${sparse.map.toFixed(4)} BM25 only ` +
            `(IR baseline ${dense.ir_map.toFixed(4)}) on ${basename(opts.eval)}\n`,
        );
      } finally {
        await ctx.models.close();
      }
    });
}
