/**
 * `qa eval open`: a SQuAD file asked of the whole pipeline, its paragraphs ingested as documents in
 * a scratch workspace, with SQuAD's official metrics (an abstention is the empty answer) and how
 * often the pipeline answered, abstained and read the question's own paragraph.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openPipeline } from '../app/open.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { sampleEvenly } from '../eval/calibration.js';
import { type OpenOutcome, outcomeOf, summariseOpen } from '../eval/open.js';
import { loadSquad } from '../eval/squad-data.js';
import { readSourceFile } from '../mrc/doc-sources.js';
import { DocStore } from '../mrc/doc-store.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';

interface Options {
  limit?: number;
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
    .option('--json', 'print one JSON object (metrics and per-question outcomes)')
    .action(async (file: string, opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const data = loadSquad(file);
      const questions = opts.limit === undefined ? data.questions : sampleEvenly(data.questions, opts.limit);
      const dir = mkdtempSync(join(tmpdir(), 'qa-open-'));
      const outcomes: OpenOutcome[] = [];
      try {
        const config = { ...ctx.config, workspace: dir };
        const db = openWorkspaceDb(config);
        new DocStore(db).ingest([readSourceFile(file, 'squad')]);
        db.close();
        const openBar = progressBar('passage vectors');
        const pipeline = await openPipeline(config, ctx.models, (_, d, t) => openBar.update(d, t));
        openBar.stop();
        try {
          const bar = progressBar('questions');
          for (const q of questions) {
            outcomes.push(outcomeOf(q, await pipeline.ask({ question: q.question })));
            bar.update(outcomes.length, questions.length);
          }
          bar.stop();
        } finally {
          await pipeline.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const metrics = summariseOpen(data, outcomes);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ...metrics, file, outcomes })}\n`);
        return;
      }
      for (const [k, v] of Object.entries(metrics)) {
        process.stdout.write(
          `${k.padEnd(24)} ${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : v}\n`,
        );
      }
    });
}
