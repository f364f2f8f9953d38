/** `qa eval retrieval`: recall@k and MRR of passage retrieval on a SQuAD file's own contexts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openRetrieval } from '../app/retrieval.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { QaError } from '../core/errors.js';
import { loadSquad } from '../core/squad-data.js';
import { firstHit, RECALL_KS, retrievalMetrics } from '../eval/retrieval.js';
import { readSourceFile } from '../retrieval/doc-sources.js';
import { DocStore } from '../retrieval/doc-store.js';
import { RETRIEVAL_MODES, type RetrievalMode } from '../retrieval/retriever.js';
import { contextFrom, parseIntOption } from './context.js';
import { progressBar } from './progress.js';

function parseMode(v: string): RetrievalMode {
  if ((RETRIEVAL_MODES as readonly string[]).includes(v)) return v as RetrievalMode;
  throw new QaError('bad_input', `unknown retrieval mode "${v}"`, {
    where: '--mode',
    hint: RETRIEVAL_MODES.join(', '),
  });
}

interface Options {
  mode: RetrievalMode;
  limit?: number;
  json?: boolean;
}

const DEPTH = Math.max(...RECALL_KS);

export function registerEvalRetrieval(evalCmd: Command): void {
  evalCmd
    .command('retrieval')
    .description('passage retrieval on a SQuAD file: its contexts are the corpus, its questions the queries')
    .argument('<squad-file>', 'SQuAD v1.1 or v2.0 JSON (unanswerable questions are left out)')
    .option('--mode <mode>', `${RETRIEVAL_MODES.join(', ')}`, parseMode, 'hybrid')
    .option('--limit <n>', 'ask at most N questions', parseIntOption('--limit'))
    .option('--json', 'print one JSON object')
    .action(async (file: string, opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const data = loadSquad(file);
      const questions = data.questions.filter((q) => !q.isImpossible).slice(0, opts.limit);
      if (questions.length === 0) throw new QaError('bad_input', 'no answerable questions', { where: file });
      const dir = mkdtempSync(join(tmpdir(), 'qa-eval-retrieval-'));
      const db = openWorkspaceDb({ workspace: dir });
      try {
        const t0 = performance.now();
        const ingest = new DocStore(db).ingest([readSourceFile(file, 'squad')]);
        const vecBar = progressBar('passage vectors');
        const retriever = await openRetrieval(db, { ...ctx.config, workspace: dir }, ctx.models, {
          dense: opts.mode !== 'bm25',
          onVectors: (d, t) => vecBar.update(d, t),
        });
        vecBar.stop();
        if (opts.mode !== 'bm25' && !retriever.encoder) {
          throw new QaError('not_found', `--mode ${opts.mode} needs a sentence encoder model`, {
            where: ctx.config.modelsDir,
          });
        }
        const indexSeconds = (performance.now() - t0) / 1000;
        const vectors = retriever.encoder
          ? await retriever.encoder.encode(questions.map((q) => q.question))
          : undefined;
        const dim = retriever.encoder?.dim ?? 0;
        const bar = progressBar('questions');
        const hits: number[] = [];
        const t1 = performance.now();
        for (const [i, q] of questions.entries()) {
          const vec = vectors?.subarray(i * dim, (i + 1) * dim);
          const found = await retriever.retrieve(q.question, DEPTH, opts.mode, vec);
          hits.push(
            firstHit(
              found.map((p) => p.text),
              q.answers,
            ),
          );
          bar.update(i + 1, questions.length);
        }
        bar.stop();
        const out = {
          ...retrievalMetrics(hits),
          mode: opts.mode,
          passages: ingest.passages,
          documents: ingest.added,
          encoder: retriever.encoder
            ? (ctx.config.encoder ?? ctx.models.defaultEncoder()?.manifest.name)
            : null,
          index_seconds: indexSeconds,
          ms_per_question: (performance.now() - t1) / questions.length,
        };
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(out)}\n`);
        } else {
          const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
          process.stdout.write(
            `${out.questions} questions, ${out.passages} passages, ${opts.mode}: ` +
              `recall@1 ${pct(out.recall_at_1)}, @5 ${pct(out.recall_at_5)}, @20 ${pct(out.recall_at_20)}, ` +
              `@100 ${pct(out.recall_at_100)}, MRR ${out.mrr.toFixed(4)}\n`,
          );
        }
      } finally {
        await ctx.models.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
