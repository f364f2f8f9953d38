/** `qa eval dialogues`: conversations through the full pipeline; first turns and follow-ups apart. */
import type { Command } from 'commander';
import { openPipeline } from '../app/open.js';
import { readDialogues, runDialogue, summariseDialogues, type TurnOutcome } from '../eval/dialogues.js';
import { contextFrom } from './context.js';
import { progressBar } from './progress.js';

interface Options {
  json?: boolean;
  verbose?: boolean;
  /** Commander's `--no-history`: each turn asked alone, the peer follow-up resolution is measured against. */
  history: boolean;
}

const SPLITS = ['tune', 'held-out'] as const;

export function registerEvalDialogues(evalCmd: Command): void {
  evalCmd
    .command('dialogues')
    .description('ask dialogues turn by turn with their history; accuracy on first turns and on follow-ups')
    .argument(
      '<file>',
      'dialogue set (JSON: {dialogues: [{id, split?, turns: [demo questions without ids]}]})',
    )
    .option('--json', 'print one JSON object (fractions 0..1, per-turn outcomes)')
    .option('--verbose', 'list every turn with the question it was answered as')
    .option('--no-history', 'ask every turn on its own, as a system without conversations would')
    .action(async (file: string, opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const dialogues = readDialogues(file);
      const openBar = progressBar('indexing');
      const pipeline = await openPipeline(ctx.config, ctx.models, {
        onProgress: (_, d, t) => openBar.update(d, t),
      });
      openBar.stop();
      const outcomes: TurnOutcome[] = [];
      try {
        const bar = progressBar('dialogues');
        for (const [i, d] of dialogues.entries()) {
          outcomes.push(
            ...(await runDialogue(d, (question, history) =>
              pipeline.ask(opts.history ? { question, history } : { question }),
            )),
          );
          bar.update(i + 1, dialogues.length);
        }
        bar.stop();
      } finally {
        await pipeline.close();
      }
      const all = summariseDialogues(outcomes);
      const per_split = Object.fromEntries(
        SPLITS.filter((s) => outcomes.some((o) => o.split === s)).map((s) => [
          s,
          summariseDialogues(outcomes.filter((o) => o.split === s)),
        ]),
      );
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...all, per_split, file, outcomes })}\n`);
        return;
      }
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      for (const [name, m] of [['all dialogues', all], ...Object.entries(per_split)] as const) {
        process.stdout.write(
          `${name}: ${m.dialogues} dialogues; first turns ${pct(m.first.accuracy)} (${m.first.correct}/${m.first.total}), ` +
            `follow-ups ${pct(m.followUps.accuracy)} (${m.followUps.correct}/${m.followUps.total})\n`,
        );
      }
      const shown = opts.verbose ? outcomes : outcomes.filter((o) => !o.correct);
      if (shown.length) process.stdout.write(`\n${opts.verbose ? 'all turns' : 'missed'}:\n`);
      for (const o of shown) {
        const got = o.abstained
          ? 'abstained'
          : `${JSON.stringify((o.answer ?? '').slice(0, 80))} [${o.route}]`;
        const as = o.resolved && o.resolved !== o.question ? ` (as "${o.resolved}")` : '';
        process.stdout.write(
          `  ${o.correct ? '✓' : '✗'} ${o.dialogue} #${o.turn}${o.split ? ` (${o.split})` : ''}: ${o.question}${as} → ${got}; expected ${o.expected}\n`,
        );
      }
    });
}
