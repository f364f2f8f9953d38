/** `qa docs list|remove`: the document sources in the workspace, and taking some out again. */
import type { Command } from 'commander';
import { openWorkspaceDb } from '../app/workspace.js';
import { DocStore } from '../retrieval/doc-store.js';
import { contextFrom } from './context.js';

export function registerDocs(program: Command): void {
  const docs = program.command('docs').description('the documents in the workspace');
  docs
    .command('list')
    .description('each source (a file, or what came over the API) with its documents and passages')
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const db = openWorkspaceDb(ctx.config);
      try {
        const sources = new DocStore(db).sources();
        if (opts.json) {
          process.stdout.write(`${JSON.stringify({ sources })}\n`);
          return;
        }
        if (!sources.length) process.stdout.write('no documents (qa ingest docs FILES)\n');
        for (const s of sources) {
          process.stdout.write(
            `${s.source}  ${s.documents} document(s), ${s.passages} passage(s), ${s.ingestedAt}\n`,
          );
        }
      } finally {
        db.close();
      }
    });
  docs
    .command('remove')
    .description('remove every document of these sources, with their passages and vectors (one transaction)')
    .argument('<sources...>', 'sources as qa docs list names them')
    .action((sources: string[], _opts: unknown, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const db = openWorkspaceDb(ctx.config);
      try {
        const removed = new DocStore(db).removeSources(sources);
        process.stdout.write(`removed ${removed.documents} document(s), ${removed.passages} passage(s)\n`);
      } finally {
        db.close();
      }
    });
}
