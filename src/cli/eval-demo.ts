/** `qa eval demo`: the demo question set through the full pipeline, per-route accuracy and abstention. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openPipeline } from '../app/open.js';
import { PACKAGE_ROOT } from '../core/config.js';
import {
  DEMO_GROUPS,
  type DemoMetrics,
  type DemoOutcome,
  judge,
  readDemoQuestions,
  summarise,
} from '../eval/demo.js';
import { contextFrom } from './context.js';
import { progressBar } from './progress.js';

export const DEFAULT_DEMO_FILE = resolve(PACKAGE_ROOT, 'tests', 'demo-questions.json');

interface Options {
  json?: boolean;
  verbose?: boolean;
}

const SPLITS = ['tune', 'held-out'] as const;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function printMetrics(heading: string, metrics: DemoMetrics): void {
  process.stdout.write(
    `${heading}: accuracy ${pct(metrics.accuracy)} on ${metrics.total}; answered wrong ` +
      `${pct(metrics.answered_wrong_rate)} of those answered; answered ${pct(metrics.answerable_coverage)} ` +
      `of the answerable; abstained on ${pct(metrics.unanswerable_abstained)} of the unanswerable\n`,
  );
  for (const g of DEMO_GROUPS) {
    const m = metrics.per_group[g];
    if (!m.total) continue;
    process.stdout.write(
      `  ${(g === 'none' ? 'unanswerable' : g).padEnd(13)}${pct(m.accuracy).padStart(7)}  ` +
        `(${m.correct}/${m.total}, abstained ${m.abstained})\n`,
    );
  }
  process.stdout.write('\n');
}

export function registerEvalDemo(evalCmd: Command): void {
  evalCmd
    .command('demo')
    .description('ask the demo questions about the bundled data; per-route accuracy and abstention rate')
    .argument('[file]', 'demo question set', DEFAULT_DEMO_FILE)
    .option('--json', 'print one JSON object (accuracy a fraction 0..1, per-question outcomes)')
    .option('--verbose', 'list every question with its answer')
    .action(async (file: string, opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const questions = readDemoQuestions(file);
      const openBar = progressBar('indexing');
      const pipeline = await openPipeline(ctx.config, ctx.models, {
        onProgress: (_, d, t) => openBar.update(d, t),
      });
      openBar.stop();
      const outcomes: DemoOutcome[] = [];
      try {
        const bar = progressBar('questions');
        for (const q of questions) {
          const answer = await pipeline.ask({ question: q.question });
          outcomes.push(judge(q, answer));
          bar.update(outcomes.length, questions.length);
        }
        bar.stop();
      } finally {
        await pipeline.close();
      }
      const metrics = summarise(outcomes);
      const splits = SPLITS.filter((s) => outcomes.some((o) => o.split === s));
      const per_split = Object.fromEntries(
        splits.map((s) => [s, summarise(outcomes.filter((o) => o.split === s))]),
      );
      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ ...metrics, ...(splits.length ? { per_split } : {}), file, outcomes })}\n`,
        );
        return;
      }
      printMetrics('all questions', metrics);
      for (const s of splits) printMetrics(`${s} questions`, per_split[s] as DemoMetrics);
      const shown = opts.verbose ? outcomes : outcomes.filter((o) => !o.correct);
      if (shown.length) process.stdout.write(`\n${opts.verbose ? 'all questions' : 'missed'}:\n`);
      for (const o of shown) {
        const got = o.abstained
          ? 'abstained'
          : `${JSON.stringify(o.answer)} [${o.route}] ${(100 * (o.score ?? 0)).toFixed(0)}%`;
        const split = o.split ? ` (${o.split})` : '';
        process.stdout.write(`  ${o.correct ? '✓' : '✗'} ${o.id}${split}: ${got}; expected ${o.expected}\n`);
      }
    });
}
