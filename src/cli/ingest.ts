/** `qa ingest kb`: load RDF (or MetaQA) files into the knowledge-base store, all or nothing. */
import type { Command } from 'commander';
import { openKbStore } from '../kbqa/open-store.js';
import { parseFormat, sourceFor } from '../kbqa/rdf-files.js';
import type { RdfFormat } from '../kbqa/store.js';
import { contextFrom } from './context.js';
import { progressBar } from './progress.js';

export function registerIngest(program: Command): void {
  const ingest = program.command('ingest').description('load data into the workspace stores');
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
