/** `qa eval squad`: score a prediction file, or run a reader and score it, with an HTML report. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { QaError } from '../core/errors.js';
import { type LoadedSquad, loadNullOdds, loadPredictions, loadSquad } from '../core/squad-data.js';
import { renderSquadReport } from '../eval/report.js';
import { evaluateSquad, type SquadMetrics, scoreQuestions, sweepThreshold } from '../eval/squad.js';
import { restrict, runSquad } from '../eval/squad-run.js';
import { contextFrom, parseIntOption, readerName } from './context.js';
import { progressBar } from './progress.js';

interface EvalSquadOptions {
  predictions?: string;
  nullOdds?: string;
  limit?: number;
  out?: string;
  batchSize?: number;
  json?: boolean;
}

function printMetrics(metrics: SquadMetrics, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(metrics)}\n`);
    return;
  }
  for (const [k, v] of Object.entries(metrics)) {
    process.stdout.write(
      `${k.padEnd(20)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : v}\n`,
    );
  }
}

function scoreFile(data: LoadedSquad, opts: EvalSquadOptions & { predictions: string }): void {
  const { predictions, missing, unknown } = loadPredictions(opts.predictions, data);
  if (missing > 0) {
    const how = data.version === '1.1' ? 'scored as wrong' : 'left out of the averages';
    process.stderr.write(`warning: ${missing} question(s) have no prediction (${how})\n`);
  }
  if (unknown > 0)
    process.stderr.write(`warning: ${unknown} prediction id(s) are not in the data (ignored)\n`);
  const nullOdds = opts.nullOdds ? loadNullOdds(opts.nullOdds, data) : undefined;
  printMetrics(evaluateSquad(data, predictions, nullOdds), opts.json ?? false);
}

async function runAndScore(cmd: Command, data: LoadedSquad, opts: EvalSquadOptions): Promise<void> {
  const ctx = contextFrom(cmd);
  const name = readerName(ctx);
  const reader = await ctx.models.reader(name, { threads: ctx.config.threads });
  const bar = progressBar(`${name}`);
  let run: Awaited<ReturnType<typeof runSquad>>;
  try {
    run = await runSquad(reader, data, {
      ...(opts.limit === undefined ? {} : { limit: opts.limit }),
      ...(opts.batchSize === undefined ? {} : { batchSize: opts.batchSize }),
      onProgress: (d, t) => bar.update(d, t),
    });
  } finally {
    bar.stop();
    await ctx.models.close();
  }
  const scope = restrict(data, run);
  const nullOdds = data.version === '2.0' ? run.nullOdds : undefined;
  const n = scope.questions.length;
  const metrics = {
    ...evaluateSquad(scope, run.predictions, nullOdds),
    reader: name,
    questions_per_second: run.seconds > 0 ? n / run.seconds : 0,
    threads: ctx.config.threads,
  };
  if (opts.out) {
    mkdirSync(opts.out, { recursive: true });
    const write = (file: string, value: unknown): void =>
      writeFileSync(join(opts.out ?? '.', file), `${JSON.stringify(value, null, 1)}\n`);
    write('predictions.json', run.predictions);
    write('nbest_predictions.json', run.nbest);
    write('null_odds.json', run.nullOdds);
    write('metrics.json', metrics);
    const scores = scoreQuestions(scope, run.predictions);
    const f1Sweep = nullOdds ? sweepThreshold(scope, run.predictions, scores, nullOdds, 'f1') : undefined;
    const html = renderSquadReport({
      title: `${name} on ${data.file}`,
      data: scope,
      run,
      metrics,
      scores,
      ...(f1Sweep ? { f1Sweep } : {}),
    });
    writeFileSync(join(opts.out, 'report.html'), html);
    process.stderr.write(`wrote predictions, n-best, null odds, metrics and report.html to ${opts.out}\n`);
  }
  printMetrics(metrics, opts.json ?? false);
}

export function registerEvalSquad(evalCmd: Command): void {
  evalCmd
    .command('squad')
    .description('SQuAD v1.1/v2.0 official metrics: score --predictions, or run --reader over the file')
    .argument('<data>', 'SQuAD JSON file (v1.1 or v2.0, detected from the file)')
    .option('--predictions <file>', 'score this prediction file ({id: answer text}, "" = no answer)')
    .option('--null-odds <file>', 'with --predictions: {id: no-answer score} for best_exact/best_f1')
    .option('--limit <n>', 'with a reader: only the first N questions', parseIntOption('--limit'))
    .option('--batch-size <n>', 'with a reader: windows per forward pass', parseIntOption('--batch-size'))
    .option('--out <dir>', 'with a reader: write predictions, n-best, null odds, metrics and an HTML report')
    .option('--json', 'print one JSON object on stdout')
    .action(async (file: string, opts: EvalSquadOptions, cmd: Command) => {
      const data = loadSquad(file);
      if (opts.predictions) {
        if (opts.limit !== undefined || opts.out) {
          throw new QaError('bad_input', '--limit and --out go with a reader run, not with --predictions');
        }
        scoreFile(data, { ...opts, predictions: opts.predictions });
      } else {
        await runAndScore(cmd, data, opts);
      }
    });
}
