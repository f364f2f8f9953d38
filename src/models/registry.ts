/**
 * The model registry: every `models/<name>/manifest.json`, validated, with its files checked.
 * The product lists and opens models only through here.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { QaError } from '../core/errors.js';
import { readJsonFile, validate } from '../core/json.js';
import { CascadeReader, type CascadeSpec } from '../mrc/cascade.js';
import { type ExtractiveReader, type ReaderOptions, SpanReader } from '../mrc/reader.js';
import { type BatcherOptions, DEFAULT_BATCHER } from '../mrc/window-batcher.js';
import { type EncoderOptions, SentenceEncoder } from './encoder.js';
import {
  type EncoderEntry,
  type EntryOf,
  type ModelEntry,
  manifestSchema,
  type ReaderEntry,
  type Task,
} from './manifest.js';

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

function isTask<T extends Task>(entry: ModelEntry, task: T): entry is EntryOf<T> {
  return entry.manifest.task === task;
}

export interface ScanResult {
  models: ModelEntry[];
  /** One error per model folder that could not be used; the others still load. */
  problems: QaError[];
}

function checkFile(manifestPath: string, field: string, path: string, expectedSize?: number): void {
  if (!existsSync(path)) {
    throw new QaError('bad_manifest', `file ${path} does not exist`, { where: `${manifestPath}: ${field}` });
  }
  const size = statSync(path).size;
  if (expectedSize !== undefined && size !== expectedSize) {
    throw new QaError(
      'bad_manifest',
      `${path} has ${size} bytes but sizeBytes says ${expectedSize} (truncated, replaced, or a Git LFS pointer?)`,
      { where: `${manifestPath}: sizeBytes` },
    );
  }
}

/** Reads and checks one model folder. */
export function loadEntry(dir: string, folderName: string): ModelEntry {
  const manifestPath = join(dir, 'manifest.json');
  const manifest = validate(manifestSchema, readJsonFile(manifestPath), manifestPath);
  if (manifest.name !== folderName) {
    throw new QaError('bad_manifest', `name "${manifest.name}" differs from its folder "${folderName}"`, {
      where: `${manifestPath}: name`,
    });
  }
  if (manifest.task === 'reader') {
    // Windows must advance: the stride has to leave room for new context tokens.
    const ctxBudget = manifest.maxSeqLen - manifest.maxQueryLen - 3;
    if (manifest.docStride >= ctxBudget) {
      throw new QaError(
        'bad_manifest',
        `docStride ${manifest.docStride} must be below maxSeqLen − maxQueryLen − 3 = ${ctxBudget}`,
        { where: `${manifestPath}: docStride` },
      );
    }
  }
  checkFile(manifestPath, 'file', join(dir, manifest.file), manifest.sizeBytes);
  checkFile(manifestPath, 'tokenizer.vocab', join(dir, manifest.tokenizer.vocab));
  return { dir, manifest };
}

/** What `cache` holds for this name and thread count, else `open()` kept there; a failure is not kept. */
function shared<R>(
  cache: Map<string, Promise<R>>,
  name: string,
  opts: { threads?: number },
  open: () => Promise<R>,
): Promise<R> {
  const key = `${name}\u0000${opts.threads ?? ''}`;
  let p = cache.get(key);
  if (!p) {
    p = open();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

export class ModelRegistry {
  private readonly readers = new Map<string, Promise<ExtractiveReader>>();
  private readonly encoders = new Map<string, Promise<SentenceEncoder>>();

  /** `cascades`: readers made of two installed ones, by name (config `cascades`). */
  constructor(
    readonly root: string,
    readonly cascades: Readonly<Record<string, CascadeSpec>> = {},
    /** How every reader it opens shares runs between concurrent reads (config `batching`). */
    readonly batching: BatcherOptions = DEFAULT_BATCHER,
  ) {}

  scan(): ScanResult {
    if (!existsSync(this.root)) return { models: [], problems: [] };
    const models: ModelEntry[] = [];
    const problems: QaError[] = [];
    const folders = readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(this.root, d.name, 'manifest.json')))
      .map((d) => d.name)
      .sort();
    for (const name of folders) {
      try {
        models.push(loadEntry(join(this.root, name), name));
      } catch (e) {
        if (!(e instanceof QaError)) throw e;
        problems.push(e);
      }
    }
    return { models, problems };
  }

  /** The entry for `name`; throws a QaError naming the manifest when that model is broken. */
  get(name: string): ModelEntry {
    const dir = join(this.root, name);
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(name) || !existsSync(join(dir, 'manifest.json'))) {
      const known = this.scan().models.map((m) => m.manifest.name);
      throw new QaError('not_found', `no model named "${name}"`, {
        where: this.root,
        hint: known.length ? `known: ${known.join(', ')}` : 'no models installed',
      });
    }
    return loadEntry(dir, name);
  }

  /** The reader used when none is named: the first valid reader in folder-name order, as `defaultEncoder`. */
  defaultReader(): ReaderEntry | undefined {
    return this.scan().models.find((m): m is ReaderEntry => isTask(m, 'reader'));
  }

  /**
   * The encoder used when none is named: the first valid encoder in folder-name order (the order
   * `scan` lists them in), so installing another encoder never changes it unless it sorts first.
   */
  defaultEncoder(): EncoderEntry | undefined {
    return this.scan().models.find((m): m is EncoderEntry => isTask(m, 'encoder'));
  }

  /**
   * Opens a reader (a model, or a cascade of two) once and shares it; a failed open is not
   * cached, so it can be retried.
   */
  reader(name: string, opts: ReaderOptions = {}): Promise<ExtractiveReader> {
    const cascade = Object.hasOwn(this.cascades, name) ? this.cascades[name] : undefined;
    if (cascade) {
      return shared(this.readers, name, opts, () =>
        Promise.all([this.reader(cascade.first, opts), this.reader(cascade.second, opts)]).then(
          ([first, second]) => new CascadeReader(name, first, second, cascade),
        ),
      );
    }
    return this.open(this.readers, name, opts, 'reader', (entry) =>
      SpanReader.load(entry, { batching: this.batching, ...opts }),
    );
  }

  /** Opens a sentence encoder once and shares it, as `reader` does. */
  encoder(name: string, opts: EncoderOptions = {}): Promise<SentenceEncoder> {
    return this.open(this.encoders, name, opts, 'encoder', (entry) => SentenceEncoder.load(entry, opts));
  }

  private open<T extends Task, R>(
    cache: Map<string, Promise<R>>,
    name: string,
    opts: { threads?: number },
    task: T,
    load: (entry: EntryOf<T>) => Promise<R>,
  ): Promise<R> {
    return shared(cache, name, opts, () =>
      Promise.resolve()
        .then(() => this.get(name))
        .then((entry) => {
          if (!isTask(entry, task)) {
            const is = entry.manifest.task;
            const message = `model "${name}" is ${article(is)} ${is}, not ${article(task)} ${task}`;
            throw new QaError('bad_input', message, { where: join(entry.dir, 'manifest.json') });
          }
          return load(entry);
        }),
    );
  }

  async close(): Promise<void> {
    const open = [...this.readers.values(), ...this.encoders.values()];
    this.readers.clear();
    this.encoders.clear();
    await Promise.allSettled(open.map(async (p) => (await p).close()));
  }
}
