/**
 * First start: the bundled starter data (kb/, corpora/) loaded into an empty workspace, so the
 * product answers out of the box. Later starts find the workspace filled and skip this; every
 * load is idempotent anyway, so running it again changes nothing.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { PACKAGE_ROOT } from '../core/config.js';
import type { Db } from '../core/database.js';
import { Archive } from '../cqa/archive.js';
import { readArchive } from '../cqa/import.js';
import { openKbStore } from '../kbqa/open-store.js';
import { sourceFor } from '../kbqa/rdf-files.js';
import { readSourceFile } from '../retrieval/doc-sources.js';
import { DocStore } from '../retrieval/doc-store.js';
import { setDataAsOf } from './workspace.js';

export interface InitReport {
  documents: number;
  passages: number;
  threads: number;
  kbTriples: number;
  seconds: number;
}

const filesIn = (dir: string, ext: string): string[] =>
  readdirSync(join(PACKAGE_ROOT, dir))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => `${dir}/${f}`);

/** Whether the workspace holds no documents, threads or triples yet. */
export async function isEmptyWorkspace(db: Db, config: Config): Promise<boolean> {
  if (new DocStore(db).counts().documents > 0 || new Archive(db).count() > 0) return false;
  const kb = openKbStore(config);
  try {
    return (await kb.size()) === 0;
  } finally {
    await kb.close();
  }
}

/**
 * When the bundled data was written: the Factbook texts and the facts of the geography KB are its
 * 2015 edition (corpora/README.md, kb/README.md); the Debian FAQ (2021) is newer, so questions
 * about later years or about "now" are out of the starter data's reach.
 */
export const BUNDLED_DATA_AS_OF = '2015';

export async function loadBundledData(db: Db, config: Config): Promise<InitReport> {
  const t0 = performance.now();
  setDataAsOf(db, BUNDLED_DATA_AS_OF);
  // Bundled files are named relative to the installation, so keys do not change when it moves.
  const docs = new DocStore(db).ingest(
    filesIn('corpora/docs', '.jsonl').map((f) =>
      readSourceFile(join(PACKAGE_ROOT, f), 'jsonl', `bundled:${f}`),
    ),
  );
  const archive = new Archive(db);
  let threads = 0;
  for (const f of filesIn('corpora/cqa', '.jsonl')) {
    threads += archive.import(
      `bundled:${f}`,
      await readArchive(join(PACKAGE_ROOT, f), 'jsonl', `bundled:${f}`),
    ).added;
  }
  let kbTriples = 0;
  if (!config.kbEndpoint) {
    const kb = openKbStore(config);
    try {
      if ((await kb.size()) === 0) {
        kbTriples = (await kb.load(filesIn('kb', '.ttl').map((f) => sourceFor(join(PACKAGE_ROOT, f)))))
          .triples;
      }
    } finally {
      await kb.close();
    }
  }
  return {
    documents: docs.added,
    passages: docs.passages,
    threads,
    kbTriples,
    seconds: (performance.now() - t0) / 1000,
  };
}
