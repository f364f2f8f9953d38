/**
 * `qa chat`: a conversation with the workspace in the terminal. Every question goes with the
 * turns before it, so follow-ups ("and how many people live there?") are understood; `:new`
 * starts over, `:quit` (or end of input) leaves.
 */
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { openPipeline } from '../app/open.js';
import type { DialogueTurn } from '../core/types.js';
import { MAX_HISTORY } from '../dialogue/followup.js';
import { printAnswer } from './ask.js';
import { contextFrom } from './context.js';
import { progressBar } from './progress.js';

export function registerChat(program: Command): void {
  program
    .command('chat')
    .description('ask questions one after another, follow-ups included (:new starts over, :quit leaves)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const bar = progressBar('indexing');
      const pipeline = await openPipeline(ctx.config, ctx.models, {
        onProgress: (_, d, t) => bar.update(d, t),
      });
      bar.stop();
      const rl = createInterface({
        input: process.stdin,
        output: process.stdout,
        terminal: process.stdin.isTTY,
      });
      let history: DialogueTurn[] = [];
      try {
        if (process.stdin.isTTY)
          process.stdout.write('Ask a question (:new starts a new conversation, :quit leaves).\n');
        rl.setPrompt('> ');
        rl.prompt();
        for await (const line of rl) {
          const question = line.trim();
          if (question === ':quit' || question === ':q') break;
          if (question === ':new') {
            history = [];
            process.stdout.write('(new conversation)\n');
          } else if (question !== '') {
            const a = await pipeline.ask({ question, history, topK: 3 });
            printAnswer(a);
            const top = a.abstained ? undefined : a.answers[0];
            history = [
              ...history,
              { question, answer: top?.text ?? null, ...(a.resolved ? { resolved: a.resolved } : {}) },
            ].slice(-MAX_HISTORY);
          }
          rl.prompt();
        }
      } finally {
        rl.close();
        await pipeline.close();
      }
    });
}
