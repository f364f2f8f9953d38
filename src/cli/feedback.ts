/**
 * `qa feedback export`: every 👍/👎 people gave, as JSON lines. `qa report unanswered`: what people
 * asked that got no answer or an answer marked wrong, grouped by meaning, most asked first.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openEncoder } from '../app/retrieval.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { unansweredReport } from '../feedback/report.js';
import { FeedbackStore } from '../feedback/store.js';
import { contextFrom } from './context.js';

export function registerFeedback(program: Command): void {
  program
    .command('feedback')
    .description("people's judgements of answers")
    .command('export')
    .description('write every judgement as JSON lines (stdout, or --out FILE)')
    .option('--out <file>', 'write to this file')
    .action((opts: { out?: string }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const db = openWorkspaceDb(ctx.config);
      try {
        const lines = new FeedbackStore(db).all().map((f) => JSON.stringify(f));
        const text = lines.length ? `${lines.join('\n')}\n` : '';
        if (opts.out) {
          writeFileSync(opts.out, text);
          process.stderr.write(`wrote ${lines.length} judgement(s) to ${opts.out}\n`);
        } else process.stdout.write(text);
      } finally {
        db.close();
      }
    });

  program
    .command('report')
    .description("reports for the content's owner")
    .command('unanswered')
    .description('questions abstained on or marked wrong, grouped by meaning, with counts')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const db = openWorkspaceDb(ctx.config);
      try {
        const encoder = await openEncoder(ctx.config, ctx.models);
        const groups = await unansweredReport(new FeedbackStore(db), encoder);
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ groups })}\n`);
          return;
        }
        if (!groups.length) process.stdout.write('nothing unanswered yet\n');
        for (const g of groups) {
          const wrong = g.markedWrong ? `, ${g.markedWrong} marked wrong` : '';
          process.stdout.write(
            `${String(g.count).padStart(4)}× ${g.question}${wrong} (last ${g.lastAsked})\n`,
          );
          for (const v of g.variants) process.stdout.write(`        also: ${v}\n`);
        }
      } finally {
        await ctx.models.close();
        db.close();
      }
    });
}
