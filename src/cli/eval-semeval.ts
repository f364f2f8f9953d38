/**
 * `qa eval semeval`: SemEval-2016 Task 3 subtask B (question–question similarity) with the CQA
 * matcher; `qa eval stackfaq`: StackFAQ rephrasings against their threads with the installed matcher.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { matcherPath } from '../app/cqa.js';
import { openEncoder } from '../app/retrieval.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { QaError } from '../core/errors.js';
import { Archive } from '../cqa/archive.js';
import { Matcher } from '../cqa/matcher.js';
import { matcherParts, readMatcherFile } from '../cqa/matcher-model.js';
import { runSemeval } from '../eval/semeval-run.js';
import { evaluateStackFaq, readStackFaq, stackFaqThreads } from '../eval/stackfaq.js';
import { contextFrom } from './context.js';
import { progressBar } from './progress.js';

interface Options {
  train?: string[];
  dense: boolean;
  json?: boolean;
}

function defaultTrain(file: string): string[] {
  const sibling = join(dirname(file), 'semeval2016-train.jsonl');
  if (!existsSync(sibling)) {
    throw new QaError('bad_input', 'no training file: pass --train', { where: '--train' });
  }
  return [sibling];
}

export function registerEvalSemeval(evalCmd: Command): void {
  evalCmd
    .command('semeval')
    .description('SemEval-2016 subtask B: rerank each question’s 10 candidates; MAP, MRR, P@1')
    .argument('<file>', 'SemEval JSON Lines (see ../shared/data/cqa/README.md)')
    .option(
      '--train <files...>',
      'labelled questions to fit the matcher on (default: semeval2016-train.jsonl beside <file>)',
    )
    .option('--no-dense', 'BM25 features only')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const trainFiles = opts.train ?? defaultTrain(file);
      const dir = mkdtempSync(join(tmpdir(), 'qa-eval-semeval-'));
      const db = openWorkspaceDb({ workspace: dir });
      const bar = progressBar('thread vectors');
      try {
        const encoder = opts.dense ? await openEncoder(ctx.config, ctx.models) : undefined;
        const t0 = performance.now();
        const res = await runSemeval({
          db,
          evalFile: file,
          trainFiles,
          ...(encoder ? { encoder: { name: encoder.name, encoder } } : {}),
          onVectors: (d, t) => bar.update(d, t),
        });
        bar.stop();
        const out = { ...res, encoder: encoder?.name ?? null, seconds: (performance.now() - t0) / 1000 };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(out)}\n`);
        } else {
          process.stdout.write(
            `${res.questions} questions: MAP ${res.map.toFixed(4)} (IR baseline ${res.ir_map.toFixed(4)}, ` +
              `BM25 ${res.bm25_map.toFixed(4)}${res.dense_map === null ? '' : `, dense ${res.dense_map.toFixed(4)}`}), ` +
              `MRR ${(100 * res.mrr).toFixed(2)}, P@1 ${(100 * res.p_at_1).toFixed(2)}\n`,
          );
        }
      } finally {
        bar.stop();
        await ctx.models.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}

export function registerEvalStackFaq(evalCmd: Command): void {
  evalCmd
    .command('stackfaq')
    .description('StackFAQ: each rephrasing should find its own thread first; P@1, MRR, recall@5')
    .argument('<file>', 'stackfaq.jsonl (see ../shared/data/cqa/README.md)')
    .option('--no-dense', 'BM25 features only')
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: { dense: boolean; json?: boolean }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const records = readStackFaq(file);
      const weights = readMatcherFile(matcherPath(ctx.config));
      const dir = mkdtempSync(join(tmpdir(), 'qa-eval-stackfaq-'));
      const db = openWorkspaceDb({ workspace: dir });
      const bar = progressBar('queries');
      try {
        const encoder = opts.dense ? await openEncoder(ctx.config, ctx.models) : undefined;
        const archive = new Archive(db);
        archive.import('stackfaq', stackFaqThreads(records));
        const { model, dense } = matcherParts(weights, encoder);
        const matcher = new Matcher(archive, model, dense);
        await matcher.refresh();
        const res = await evaluateStackFaq(matcher, records, (d, t) => bar.update(d, t));
        bar.stop();
        const out = { ...res, threads: records.length, encoder: dense?.name ?? null };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(out)}\n`
            : `${res.queries} rephrasings of ${records.length} threads: P@1 ${(100 * res.p_at_1).toFixed(2)}, ` +
                `MRR ${res.mrr.toFixed(4)}, recall@5 ${(100 * res.recall_at_5).toFixed(2)}\n`,
        );
      } finally {
        bar.stop();
        await ctx.models.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
