/**
 * The embedded store: Oxigraph (a SPARQL 1.1 engine) in process, persisted as an N-Quads dump in
 * the workspace so a restart reloads it without re-importing the sources.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import oxigraph from 'oxigraph';
import { QaError } from '../core/errors.js';
import { byteChunks, fileSize, MEDIA_TYPES, metaqaAsNTriples } from './rdf-files.js';
import type { Bindings, LoadOptions, LoadReport, RdfSource, RdfStore, SparqlJsonResults } from './store.js';

const NQUADS = 'application/n-quads';

/** `file:line:column` from Oxigraph's "Parser error at line L between columns C and D: ...". */
function parseError(file: string, e: unknown): QaError {
  const msg = (e as Error).message ?? String(e);
  const m = /line (\d+)(?: between columns (\d+)| column (\d+))?/.exec(msg);
  const where = m ? `${file}:${m[1]}:${m[2] ?? m[3] ?? 1}` : file;
  return new QaError('bad_input', msg.replace(/^Parser error at line \d+[^:]*: /, ''), { where, cause: e });
}

export class OxigraphStore implements RdfStore {
  readonly kind = 'oxigraph' as const;
  private store = new oxigraph.Store();

  /** @param dumpFile where the store persists itself (loaded now if it exists). */
  constructor(private readonly dumpFile?: string) {
    if (dumpFile && existsSync(dumpFile)) {
      this.store.load(
        byteChunks(dumpFile, () => {}),
        { format: NQUADS },
      );
    }
  }

  private run(query: string): SparqlJsonResults {
    let out: unknown;
    try {
      out = this.store.query(query, {
        results_format: 'application/sparql-results+json',
        use_default_graph_as_union: true,
      });
    } catch (e) {
      throw new QaError('bad_input', `SPARQL query failed: ${(e as Error).message}`, { cause: e });
    }
    return JSON.parse(String(out)) as SparqlJsonResults;
  }

  async select(query: string): Promise<Bindings[]> {
    return this.run(query).results?.bindings ?? [];
  }

  async ask(query: string): Promise<boolean> {
    return this.run(query).boolean ?? false;
  }

  async size(): Promise<number> {
    return this.store.size;
  }

  async load(sources: readonly RdfSource[], opts: LoadOptions = {}): Promise<LoadReport> {
    const t0 = performance.now();
    const staging = parseSources(sources, opts);
    const triples = staging.size;
    // Everything parsed: only now touch the live store — adopt the staging store when the live
    // one is empty (a cold start), else copy it over in one load.
    if (this.store.size === 0) this.store = staging;
    else this.store.load(staging.dump({ format: NQUADS }), { format: NQUADS });
    this.persist();
    return { files: sources.length, triples, seconds: (performance.now() - t0) / 1000 };
  }

  /** The store as N-Quads, for `qa export` and for loading other stores. */
  dump(): string {
    return this.store.dump({ format: NQUADS });
  }

  private persist(): void {
    if (!this.dumpFile) return;
    mkdirSync(dirname(this.dumpFile), { recursive: true });
    const tmp = `${this.dumpFile}.tmp`;
    writeFileSync(tmp, this.dump());
    renameSync(tmp, this.dumpFile);
  }

  async close(): Promise<void> {
    // Drop the reference so the WebAssembly memory can be reclaimed.
    this.store = new oxigraph.Store();
  }
}

/** Parses every source into a fresh in-memory store; throws (naming file:line:column) on the first error. */
export function parseSources(sources: readonly RdfSource[], opts: LoadOptions = {}): oxigraph.Store {
  const total = sources.reduce((s, src) => s + fileSize(src.file), 0);
  let done = 0;
  const onBytes = (n: number): void => {
    done += n;
    opts.onProgress?.(done, total);
  };
  const staging = new oxigraph.Store();
  const graph = opts.graph ? oxigraph.namedNode(opts.graph) : oxigraph.defaultGraph();
  for (const src of sources) {
    // Oxigraph wraps errors thrown by the chunk iterator; keep ours to rethrow as they are.
    let ours: unknown;
    const guarded = function* <T>(chunks: Iterable<T>): Generator<T> {
      try {
        yield* chunks;
      } catch (e) {
        ours = e;
        throw e;
      }
    };
    try {
      if (src.format === 'metaqa') {
        staging.load(guarded(metaqaAsNTriples(src.file, onBytes)), {
          format: MEDIA_TYPES.ntriples,
          to_graph_name: graph,
        });
      } else {
        staging.load(guarded(byteChunks(src.file, onBytes)), {
          format: MEDIA_TYPES[src.format],
          to_graph_name: graph,
          base_iri: `file://${src.file}`,
        });
      }
    } catch (e) {
      if (ours instanceof QaError) throw ours;
      throw parseError(src.file, e);
    }
  }
  return staging;
}
