/**
 * `qa eval open`: a SQuAD file asked of the whole pipeline, its paragraphs ingested as documents in
 * a scratch workspace, with SQuAD's official metrics (an abstention is the empty answer) and how
 * often the pipeline answered, abstained and read the question's own paragraph.
 */
import { type Command, Option } from 'commander';
import { withSquadPipeline } from '../app/open.js';
import { loadSquad } from '../core/squad-data.js';
import { sampleEvenly } from '../eval/calibration.js';
import { type ArticleSplit, articleSplit, type OpenOutcome, outcomeOf, summariseOpen } from '../eval/open.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';

interface Options {
  limit?: number;
  split?: ArticleSplit;
  json?: boolean;
}

export function registerEvalOpen(evalCmd: Command): void {
  evalCmd
    .command('open')
    .description(
      "ask a SQuAD file's questions of the whole pipeline over all its paragraphs; EM/F1 and abstention",
    )
    .argument('<data>', 'SQuAD JSON file (v1.1 or v2.0)')
    .option('--limit <n>', 'ask N questions spread over the file', parseIntOption('--limit'))
    .addOption(
      new Option(
        '--split <half>',
        "only the articles of one half (the calibration's answers are fitted on tune)",
      ).choices(['tune', 'held-out']),
    )
    .option('--json', 'print one JSON object (metrics and per-question outcomes)')
    .action(async (file: string, opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const data = loadSquad(file);
      const pool = opts.split
        ? data.questions.filter((q) => articleSplit(q.title) === opts.split)
        : data.questions;
      const questions = opts.limit === undefined ? pool : sampleEvenly(pool, opts.limit);
      const outcomes: OpenOutcome[] = [];
      const openBar = progressBar('passage vectors');
      await withSquadPipeline(
        ctx.config,
        ctx.models,
        file,
        async (pipeline) => {
          openBar.stop();
          const bar = progressBar('questions');
          for (const q of questions) {
            outcomes.push(outcomeOf(q, await pipeline.ask({ question: q.question })));
            bar.update(outcomes.length, questions.length);
          }
          bar.stop();
        },
        { onProgress: (_, d, t) => openBar.update(d, t) },
      );
      const metrics = summariseOpen(data, outcomes);
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ ...metrics, file, ...(opts.split ? { split: opts.split } : {}), outcomes })}\n`,
        );
        return;
      }
      for (const [k, v] of Object.entries(metrics)) {
        process.stdout.write(
          `${k.padEnd(24)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : v}\n`,
        );
      }
    });
}
