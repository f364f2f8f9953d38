/**
 * Ingesting files and folders of any size: files are read one by one and written in batches, one
 * transaction each, so an interrupted run leaves whole files stored and a rerun resumes where it
 * stopped. A file stored with the same size, time and tags is skipped unread; one whose time
 * changed but whose bytes did not is skipped after hashing them.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { QaError } from '../core/errors.js';
import { type DocFormat, findDocFiles, formatOf, readDocumentFile, type SourceFile } from './doc-sources.js';
import {
  type DocStore,
  emptyIngestReport,
  type FileStamp,
  INGEST_COUNTS,
  type IngestReport,
} from './doc-store.js';

export interface FolderIngestOptions {
  format?: DocFormat;
  /** Tags for every document read. */
  tags?: readonly string[];
  /** Files written per transaction. */
  batchFiles?: number;
  /** Bad files become warnings instead of stopping the run. */
  keepGoing?: boolean;
  /** Also remove the stored documents whose files are gone from the folders named. */
  sync?: boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface FolderIngestReport extends IngestReport {
  files: number;
  /** Files skipped unread (or after hashing) because they are stored as they are. */
  skipped: number;
  /** Files not ingested because they could not be read (with keepGoing). */
  failed: number;
  batches: number;
  warnings: string[];
}

export const DEFAULT_BATCH_FILES = 500;
/** A batch is written early once it holds this much text, so memory stays bounded. */
const BATCH_TEXT_CHARS = 32 * 1024 * 1024;

function fileHash(path: string): string {
  return createHash('sha1').update(readFileSync(path)).digest('hex');
}

export async function ingestFiles(
  store: DocStore,
  paths: readonly string[],
  opts: FolderIngestOptions = {},
): Promise<FolderIngestReport> {
  const found = findDocFiles(paths, opts.format);
  const folders = opts.sync ? paths.filter((p) => statSync(p).isDirectory()) : [];
  if (opts.sync && folders.length === 0) {
    throw new QaError('bad_input', '--sync needs a folder: it removes what is gone from it', {
      where: '--sync',
    });
  }
  const tags = JSON.stringify([...new Set(opts.tags ?? [])].sort());
  const batchFiles = Math.max(1, opts.batchFiles ?? DEFAULT_BATCH_FILES);
  const report: FolderIngestReport = {
    ...emptyIngestReport(),
    files: found.length,
    skipped: 0,
    failed: 0,
    batches: 0,
    warnings: [],
  };
  let batch: SourceFile[] = [];
  let batchChars = 0;
  let stored = 0;
  const flush = (): void => {
    if (batch.length === 0) return;
    const r = store.ingest(batch);
    for (const k of INGEST_COUNTS) report[k] += r[k];
    report.batches++;
    stored += batch.length;
    batch = [];
    batchChars = 0;
  };

  for (const [i, { file, root }] of found.entries()) {
    try {
      const format = formatOf(file, opts.format);
      const st = statSync(file);
      const old = store.fileStamp(file);
      const same = old !== undefined && old.format === format && old.tags === tags && old.size === st.size;
      if (same && old.mtimeMs === st.mtimeMs) {
        report.skipped++;
      } else {
        const hash = fileHash(file);
        if (same && old.hash === hash) {
          store.touchFile(file, st.mtimeMs);
          report.skipped++;
        } else {
          const read = await readDocumentFile(file, format);
          report.warnings.push(...read.warnings);
          const stamp: FileStamp = {
            path: file,
            root,
            format,
            size: st.size,
            mtimeMs: st.mtimeMs,
            hash,
            tags,
          };
          const tagged = opts.tags?.length ? { ...read.source, tags: [...opts.tags] } : read.source;
          batch.push({ ...tagged, file: stamp });
          batchChars += read.source.documents.reduce((n, d) => n + d.text.length, 0);
        }
      }
    } catch (e) {
      if (!(e instanceof QaError)) throw e;
      if (!opts.keepGoing) {
        // The batch it is in is dropped whole: a run of one batch stores all or nothing.
        const resume = stored
          ? `${stored} file(s) of earlier batches are stored and will be skipped when you run again; `
          : 'nothing was stored; ';
        throw new QaError(e.code, e.message, {
          where: e.where ?? file,
          hint: `${e.hint ? `${e.hint}; ` : ''}${resume}fix or remove the file, or pass --keep-going to skip bad files`,
          cause: e,
        });
      }
      report.failed++;
      report.warnings.push(`${e.where ?? file}: ${e.message}; skipped`);
    }
    if (batch.length >= batchFiles || batchChars >= BATCH_TEXT_CHARS) flush();
    opts.onProgress?.(i + 1, found.length);
  }
  flush();
  if (folders.length) {
    report.removed += store.removeGoneUnder(
      folders.map((f) => resolve(f)),
      new Set(found.map((f) => f.file)),
    );
  }
  return report;
}
