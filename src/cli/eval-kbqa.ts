/**
 * `qa eval kbqa`: Hits@1 of the KBQA route on any knowledge base, per question type and split —
 * zero-shot (`--no-train`), with paths learned from example questions (`--train`), or as the
 * product runs it (the bundled paths when they fit the KB).
 */
import type { Command } from 'commander';
import { openKbqa } from '../app/kbqa.js';
import { evaluateKbqa, readKbQuestions } from '../eval/kbqa.js';
import { labelQuestions, readMetaqa } from '../eval/metaqa.js';
import { OxigraphStore } from '../kbqa/oxigraph-store.js';
import { literalNode } from '../kbqa/paths.js';
import { parseFormat, sourceFor } from '../kbqa/rdf-files.js';
import { RelationModel } from '../kbqa/relation-model.js';
import { KbqaRoute } from '../kbqa/route.js';
import type { RdfFormat } from '../kbqa/store.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';

interface Options {
  kb: string[];
  kbFormat?: RdfFormat;
  train?: string[] | false;
  wordsOnly?: boolean;
  split?: string;
  brackets?: boolean;
  limit?: number;
  json?: boolean;
  verbose?: boolean;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function registerEvalKbqa(evalCmd: Command): void {
  evalCmd
    .command('kbqa')
    .description('KBQA Hits@1 on any knowledge base, per question type and split')
    .argument('<questions>', 'JSON Lines {question, answers, type?, split?}, or a MetaQA file')
    .requiredOption('--kb <files...>', 'the knowledge base, loaded through the product importer')
    .option(
      '--kb-format <format>',
      'format of --kb (default: from the extension; metaqa for .txt)',
      parseFormat,
    )
    .option(
      '--train <files...>',
      'MetaQA-form questions to learn relation paths from (tested questions left out)',
    )
    .option('--no-train', 'zero-shot: no learned paths at all, not even bundled ones')
    .option('--words-only', 'match relations by their words only, without the sentence encoder')
    .option('--brackets', 'MetaQA files: give the route the bracketed topic (linking not measured)')
    .option('--split <name>', 'only the questions of this split (e.g. held-out)')
    .option('--limit <n>', 'test at most N questions', parseIntOption('--limit'))
    .option('--json', 'print one JSON object')
    .option('--verbose', 'list every question with its answer and reading')
    .action(async (file: string, opts: Options, cmd: Command) => {
      const { config, models } = contextFrom(cmd);
      const all = readKbQuestions(file).filter((q) => !opts.split || q.split === opts.split);
      const questions = all.slice(0, opts.limit ?? Number.POSITIVE_INFINITY);
      const store = new OxigraphStore();
      try {
        const format = opts.kbFormat ?? (opts.kb.every((f) => f.endsWith('.txt')) ? 'metaqa' : undefined);
        const load = await store.load(opts.kb.map((f) => sourceFor(f, format)));
        const index = await KbqaRoute.index(store);
        let model: RelationModel | null | undefined;
        let trainExamples = 0;
        if (opts.train === false) model = null;
        else if (opts.train) {
          const tested = new Set(questions.map((q) => q.question));
          const labelled = labelQuestions(
            index.graph,
            opts.train.flatMap((f) => readMetaqa(f)).filter((q) => !tested.has(q.question)),
            undefined,
            5,
            (name) => {
              const iris = index.linker.byLabel(name);
              return iris.length > 0 ? iris : [literalNode(name)];
            },
          );
          trainExamples = labelled.length;
          model = RelationModel.train(labelled);
        }
        const kb = await openKbqa(store, config, models, {
          index,
          ...(model !== undefined ? { model } : {}),
          noEncoder: opts.wordsOnly === true,
        });
        const bar = progressBar('questions');
        const result = await evaluateKbqa(kb.route, questions, (d, t) => bar.update(d, t), opts.brackets);
        bar.stop();
        const out = {
          file,
          kb_triples: load.triples,
          mode: kb.mode,
          train_examples: trainExamples,
          warnings: kb.warnings,
          ...result,
          outcomes: opts.verbose || opts.json ? result.outcomes : undefined,
        };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(out)}\n`);
          return;
        }
        const line = (name: string, t: { hits_at_1: number; total: number; answered: number }) =>
          `${name.padEnd(16)} ${pct(t.hits_at_1).padStart(6)}  of ${t.total} (${t.answered} answered)\n`;
        process.stdout.write(`${kb.mode}\n${kb.warnings.map((w) => `warning: ${w}\n`).join('')}`);
        process.stdout.write(line('overall', result.overall));
        for (const [k, t] of Object.entries(result.bySplit)) process.stdout.write(line(`split ${k}`, t));
        for (const [k, t] of Object.entries(result.byType)) process.stdout.write(line(`type ${k}`, t));
        process.stdout.write(
          `latency p50 ${result.latency_p50_ms.toFixed(1)} ms, p95 ${result.latency_p95_ms.toFixed(1)} ms\n`,
        );
        if (opts.verbose) {
          for (const o of result.outcomes) {
            process.stdout.write(
              `${o.correct ? '✓' : '✗'} ${o.question} → ${o.answer ?? '(none)'} [${o.reading ?? ''}]${o.correct ? '' : ` expected ${o.expected.slice(0, 3).join(' | ')}`}\n`,
            );
          }
        }
      } finally {
        await store.close();
        await models.close();
      }
    });
}
