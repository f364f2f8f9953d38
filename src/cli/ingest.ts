/** `qa ingest kb|docs`: load files into the workspace's stores, all or nothing. */
import type { Command } from 'commander';
import { loadBundledData } from '../app/init.js';
import { openEncoder } from '../app/retrieval.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { QaError } from '../core/errors.js';
import { Archive, type ThreadRecord } from '../cqa/archive.js';
import { type CqaFormat, parseCqaFormat, readArchive } from '../cqa/import.js';
import { indexThreadVectors } from '../cqa/matcher.js';
import { openKbStore } from '../kbqa/open-store.js';
import { parseFormat, sourceFor } from '../kbqa/rdf-files.js';
import type { RdfFormat } from '../kbqa/store.js';
import { type DocFormat, parseDocFormat } from '../retrieval/doc-sources.js';
import { DocStore } from '../retrieval/doc-store.js';
import { DEFAULT_BATCH_FILES, type FolderIngestReport, ingestFiles } from '../retrieval/folder-ingest.js';
import { indexVectors } from '../retrieval/retriever.js';
import { contextFrom } from './context.js';
import { progressBar } from './progress.js';

export function registerInit(program: Command): void {
  program
    .command('init')
    .description(
      'load the bundled starter data (kb/, corpora/) into the workspace; `qa serve` does it when empty',
    )
    .option('--json', 'print the report as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const db = openWorkspaceDb(ctx.config);
      try {
        const report = await loadBundledData(db, ctx.config);
        const bar = progressBar('vectors');
        // Vectors now, so the first question does not wait for them.
        const encoder = await openEncoder(ctx.config, ctx.models);
        if (encoder) {
          await indexVectors(new DocStore(db), encoder.name, encoder, (d, t) => bar.update(d, t));
          await indexThreadVectors(new Archive(db), encoder.name, encoder, (d, t) => bar.update(d, t));
        }
        bar.stop();
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(report)}\n`
            : `${report.documents} documents (${report.passages} passages), ${report.threads} threads, ` +
                `${report.kbTriples} triples loaded in ${report.seconds.toFixed(1)} s\n`,
        );
      } finally {
        await ctx.models.close();
        db.close();
      }
    });
}

export function registerIngest(program: Command): void {
  const ingest = program.command('ingest').description('load data into the workspace stores');
  registerIngestDocs(ingest);
  registerIngestCqa(ingest);
  ingest
    .command('kb')
    .description('load knowledge-base files (one transaction: any error loads nothing)')
    .argument('<files...>', 'RDF files (format from the extension or --format)')
    .option('--format <format>', 'turtle, ntriples, nquads, trig, jsonld, rdfxml or metaqa', parseFormat)
    .option('--graph <iri>', 'load into this named graph')
    .option('--json', 'print the load report as JSON')
    .action(
      async (files: string[], opts: { format?: RdfFormat; graph?: string; json?: boolean }, cmd: Command) => {
        const { config } = contextFrom(cmd);
        const sources = files.map((f) => sourceFor(f, opts.format));
        const store = openKbStore(config);
        const bar = progressBar('kb');
        try {
          const report = await store.load(sources, {
            ...(opts.graph === undefined ? {} : { graph: opts.graph }),
            onProgress: (done, total) => bar.update(done, total),
          });
          bar.stop();
          const total = await store.size();
          const out = { ...report, storeTriples: total, store: store.kind };
          process.stdout.write(
            opts.json
              ? `${JSON.stringify(out)}\n`
              : `loaded ${report.triples} triples from ${report.files} file(s) in ${report.seconds.toFixed(1)} s; the store holds ${total}\n`,
          );
        } finally {
          bar.stop();
          await store.close();
        }
      },
    );
}

interface DocsOptions {
  format?: DocFormat;
  vectors: boolean;
  json?: boolean;
  tags?: string;
  sync?: boolean;
  batch: number;
  keepGoing?: boolean;
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) {
    throw new QaError('bad_input', `"${v}" is not a positive whole number`, { where: '--batch' });
  }
  return n;
}

function registerIngestDocs(ingest: Command): void {
  ingest
    .command('docs')
    .description(
      'add or update documents for passage retrieval: unchanged files are skipped, the rest written ' +
        'in batches of one transaction each (a run of one batch stores all or nothing; an interrupted ' +
        'run resumes when run again)',
    )
    .argument(
      '<paths...>',
      'files or folders: .txt, .md, .html, .pdf, .docx, .jsonl ({id,title,text,tags?,modified?}), .json (SQuAD)',
    )
    .option(
      '--format <format>',
      'text, markdown, html, pdf, docx, jsonl or squad (default: from each extension)',
      parseDocFormat,
    )
    .option(
      '--tags <tags>',
      'tags for every document read (comma-separated): questions can be restricted to them',
    )
    .option('--sync', 'also remove the stored documents whose files are gone from the folders given')
    .option('--batch <files>', 'files written per transaction', positiveInt, DEFAULT_BATCH_FILES)
    .option('--keep-going', 'skip files that cannot be read (each one a warning) instead of stopping')
    .option('--no-vectors', 'skip the sentence vectors (dense retrieval computes them when it opens)')
    .option('--json', 'print the ingest report as JSON')
    .action(async (paths: string[], opts: DocsOptions, cmd: Command) => {
      const tags = (opts.tags ?? '')
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      const ctx = contextFrom(cmd);
      const t0 = performance.now();
      const db = openWorkspaceDb(ctx.config);
      try {
        const store = new DocStore(db);
        const bar = progressBar('files');
        let report: FolderIngestReport;
        try {
          report = await ingestFiles(store, paths, {
            ...(opts.format ? { format: opts.format } : {}),
            tags,
            batchFiles: opts.batch,
            keepGoing: opts.keepGoing === true,
            sync: opts.sync === true,
            onProgress: (d, t) => bar.update(d, t),
          });
        } finally {
          bar.stop();
        }
        for (const w of report.warnings) process.stderr.write(`warning: ${w}\n`);
        const vecBar = progressBar('vectors');
        // Only the vectors: the search index is built by whoever searches (serve, ask).
        const encoder = opts.vectors ? await openEncoder(ctx.config, ctx.models) : undefined;
        if (encoder) await indexVectors(store, encoder.name, encoder, (d, t) => vecBar.update(d, t));
        vecBar.stop();
        const { warnings: _, ...rest } = report;
        const out = {
          ...rest,
          stored: store.counts(),
          dense: encoder !== undefined,
          seconds: (performance.now() - t0) / 1000,
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ ...out, warnings: report.warnings })}\n`
            : `${report.files} file(s), ${report.skipped} unchanged and skipped${report.failed ? `, ${report.failed} unreadable and skipped` : ''}: ` +
                `${report.added} documents added, ${report.updated} updated, ${report.unchanged} unchanged, ` +
                `${report.removed} removed, ${report.duplicates} duplicate(s); ${report.passages} new passages; ` +
                `the store holds ${out.stored.documents} documents, ${out.stored.passages} passages ` +
                `(${out.seconds.toFixed(1)} s)\n`,
        );
      } finally {
        await ctx.models.close();
        db.close();
      }
    });
}

interface CqaOptions {
  format?: CqaFormat;
  vectors: boolean;
  json?: boolean;
}

function registerIngestCqa(ingest: Command): void {
  ingest
    .command('cqa')
    .description('add or update community Q&A threads (one transaction; importing again changes nothing)')
    .argument('<files...>', 'SemEval JSON Lines, StackExchange Posts.xml, or JSON Lines threads')
    .option('--format <format>', 'semeval, stackexchange or jsonl (default: detected)', parseCqaFormat)
    .option('--no-vectors', 'skip the sentence vectors (the CQA route computes them when it opens)')
    .option('--json', 'print the import report as JSON')
    .action(async (files: string[], opts: CqaOptions, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const t0 = performance.now();
      const read: { file: string; threads: ThreadRecord[] }[] = [];
      for (const f of files) read.push({ file: f, threads: await readArchive(f, opts.format) });
      const db = openWorkspaceDb(ctx.config);
      try {
        const archive = new Archive(db);
        const reports = db.transaction(() => read.map((r) => archive.import(r.file, r.threads)))();
        const total = reports.reduce(
          (a, r) => ({
            added: a.added + r.added,
            updated: a.updated + r.updated,
            unchanged: a.unchanged + r.unchanged,
            answers: a.answers + r.answers,
          }),
          { added: 0, updated: 0, unchanged: 0, answers: 0 },
        );
        const encoder = opts.vectors ? await openEncoder(ctx.config, ctx.models) : undefined;
        if (encoder) {
          const bar = progressBar('vectors');
          await indexThreadVectors(archive, encoder.name, encoder, (d, t) => bar.update(d, t));
          bar.stop();
        }
        const out = {
          ...total,
          files: files.length,
          threads: archive.count(),
          seconds: (performance.now() - t0) / 1000,
        };
        process.stdout.write(
          opts.json
            ? `${JSON.stringify(out)}\n`
            : `${files.length} file(s): ${total.added} threads added, ${total.updated} updated, ` +
                `${total.unchanged} unchanged; the archive holds ${out.threads} threads (${out.seconds.toFixed(1)} s)\n`,
        );
      } finally {
        await ctx.models.close();
        db.close();
      }
    });
}
