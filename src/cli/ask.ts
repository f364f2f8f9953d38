/** `qa ask`: answer a question about a passage given on the command line or in a file. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { QaError } from '../core/errors.js';
import { contextFrom, parseIntOption, readerName } from './context.js';

interface AskOptions {
  context?: string;
  contextFile?: string;
  topK?: number;
  json?: boolean;
}

function passage(opts: AskOptions): string {
  if (opts.context !== undefined && opts.contextFile !== undefined) {
    throw new QaError('bad_input', 'give --context or --context-file, not both');
  }
  if (opts.contextFile !== undefined) {
    try {
      return readFileSync(opts.contextFile, 'utf8');
    } catch (e) {
      throw new QaError('not_found', 'cannot read the context file', { where: opts.contextFile, cause: e });
    }
  }
  if (opts.context !== undefined) return opts.context;
  throw new QaError('bad_input', 'no passage to read', {
    hint: 'pass --context TEXT or --context-file FILE',
  });
}

export function registerAsk(program: Command): void {
  program
    .command('ask')
    .description('answer a question about a passage with the span reader')
    .argument('<question>', 'the question')
    .option('--context <text>', 'the passage to read')
    .option('--context-file <file>', 'read the passage from a text file')
    .option('--top-k <n>', 'answers to show', parseIntOption('--top-k'), 3)
    .option('--json', 'print the result as JSON')
    .action(async (question: string, opts: AskOptions, cmd: Command) => {
      const context = passage(opts);
      if (question.trim() === '') throw new QaError('bad_input', 'the question is empty');
      const ctx = contextFrom(cmd);
      const name = readerName(ctx);
      const reader = await ctx.models.reader(name, { threads: ctx.config.threads });
      try {
        const res = await reader.read({ question, context }, { topK: Math.max(1, opts.topK ?? 3) });
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ reader: name, ...res })}\n`);
          return;
        }
        const best = res.answers[0];
        if (res.noAnswer || !best) {
          process.stdout.write(
            `no answer in the passage (no-answer probability ${res.noAnswerProbability.toFixed(2)})\n`,
          );
        } else {
          process.stdout.write(`${best.text}\n`);
        }
        for (const a of res.answers) {
          process.stdout.write(
            `  ${a.probability.toFixed(3)}  ${JSON.stringify(a.text)}  [${a.start}, ${a.end})\n`,
          );
        }
      } finally {
        await ctx.models.close();
      }
    });
}
