/**
 * `qa eval kbqa`: Hits@1 of the KBQA route on any knowledge base, per question type and split —
 * zero-shot (`--no-train`), with paths learned from example questions (`--train`), or as the
 * product runs it (the bundled paths when they fit the KB).
 */
import type { Command } from 'commander';
import { openKbqa } from '../app/kbqa.js';
import { openPipeline } from '../app/open.js';
import type { Config } from '../core/config.js';
import { QaError } from '../core/errors.js';
import {
  evaluateKbqa,
  type KbQuestion,
  readKbQuestions,
  routeAnswers,
  type TopAnswer,
} from '../eval/kbqa.js';
import { labelQuestions, readMetaqa } from '../eval/metaqa.js';
import { generateQuestions } from '../kbqa/generate.js';
import { OxigraphStore } from '../kbqa/oxigraph-store.js';
import { parseFormat, sourceFor } from '../kbqa/rdf-files.js';
import { RelationModel } from '../kbqa/relation-model.js';
import { KbqaRoute } from '../kbqa/route.js';
import type { RdfFormat } from '../kbqa/store.js';
import type { ModelRegistry } from '../models/registry.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';

interface Options {
  kb?: string[];
  pipeline?: boolean;
  generate?: boolean;
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
    .option('--kb <files...>', 'the knowledge base, loaded through the product importer')
    .option('--pipeline', "ask the workspace's whole pipeline instead (every route, the ranker, abstention)")
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
    .option(
      '--generate',
      "learn paths from questions generated from the KB's own names (with --train's, if any)",
    )
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
      try {
        const run = opts.pipeline
          ? await throughPipeline(config, models)
          : await throughRoute(config, models, opts, questions);
        const bar = progressBar('questions');
        const result = await evaluateKbqa(run.answer, questions, (d, t) => bar.update(d, t));
        bar.stop();
        await run.close();
        const out = {
          file,
          ...run.about,
          ...result,
          outcomes: opts.verbose || opts.json ? result.outcomes : undefined,
        };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(out)}\n`);
          return;
        }
        const line = (name: string, t: { hits_at_1: number; total: number; answered: number }) =>
          `${name.padEnd(16)} ${pct(t.hits_at_1).padStart(6)}  of ${t.total} (${t.answered} answered)\n`;
        process.stdout.write(
          `${run.about.mode}\n${run.about.warnings.map((w) => `warning: ${w}\n`).join('')}`,
        );
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
        await models.close();
      }
    });
}

interface Run {
  answer: (q: KbQuestion) => Promise<TopAnswer>;
  about: { mode: string; warnings: string[]; kb_triples?: number; train_examples?: number };
  close: () => Promise<void>;
}

/** The KBQA route alone over the --kb files, zero-shot, trained, or as the product opens it. */
async function throughRoute(
  config: Config,
  models: ModelRegistry,
  opts: Options,
  questions: readonly KbQuestion[],
): Promise<Run> {
  if (!opts.kb)
    throw new QaError('bad_input', 'give the knowledge base with --kb, or ask the workspace with --pipeline');
  const kbFiles = opts.kb;
  const store = new OxigraphStore();
  try {
    const format = opts.kbFormat ?? (kbFiles.every((f) => f.endsWith('.txt')) ? 'metaqa' : undefined);
    const load = await store.load(kbFiles.map((f) => sourceFor(f, format)));
    const index = await KbqaRoute.index(store);
    let model: RelationModel | null | undefined;
    let trainExamples = 0;
    if (opts.train === false && !opts.generate) model = null;
    else if (opts.train || opts.generate) {
      const tested = new Set(questions.map((q) => q.question));
      const labelled = [
        ...(opts.generate
          ? generateQuestions(index.graph, index.lexicon, (n) => index.linker.labelsOf(n)[0]).map(
              ({ masked, path }) => ({ masked, path }),
            )
          : []),
        ...labelQuestions(
          index.graph,
          (opts.train || []).flatMap((f) => readMetaqa(f)).filter((q) => !tested.has(q.question)),
          undefined,
          5,
          (name) => index.linker.resolve(name),
        ),
      ];
      trainExamples = labelled.length;
      model = RelationModel.train(labelled);
    }
    const kb = await openKbqa(store, config, models, {
      index,
      ...(model !== undefined ? { model } : {}),
      noEncoder: opts.wordsOnly === true,
    });
    return {
      answer: routeAnswers(kb.route, opts.brackets),
      about: {
        mode: kb.mode,
        warnings: kb.warnings,
        kb_triples: load.triples,
        train_examples: trainExamples,
      },
      close: () => store.close(),
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}

/** The whole pipeline over the workspace, as `POST /api/ask` answers: every route, ranked, abstaining. */
async function throughPipeline(config: Config, models: ModelRegistry): Promise<Run> {
  const pipeline = await openPipeline(config, models);
  return {
    answer: async (q) => {
      const a = await pipeline.ask({ question: q.question });
      const top = a.answers[0];
      if (!top) return { reading: `abstained: ${a.reason ?? ''}` };
      return {
        top: { text: top.text, score: top.score, ...(top.value ? { value: top.value } : {}) },
        reading: top.route,
      };
    },
    about: {
      mode: `the whole pipeline over ${config.workspace} (${pipeline.available.join(', ')}); kbqa: ${pipeline.notes.kbqaMode ?? 'off'}`,
      warnings: pipeline.notes.warnings,
    },
    close: () => pipeline.close(),
  };
}
