/**
 * A remote SPARQL 1.1 endpoint (Virtuoso, Fuseki, GraphDB, ...) over the SPARQL 1.1 Protocol:
 * queries and updates as form POSTs, JSON results, a timeout per request, retries with back-off
 * on connection errors only (never on an HTTP answer, which would repeat a bad query).
 */
import type oxigraph from 'oxigraph';
import type sparqljs from 'sparqljs';
import { QaError } from '../core/errors.js';
import { parseSources } from './oxigraph-store.js';
import { bgp, countAs, iri, lit, select, toSparql, triple, update, v } from './sparql.js';
import type {
  Bindings,
  LoadOptions,
  LoadReport,
  QueryOptions,
  RdfSource,
  RdfStore,
  SparqlJsonResults,
} from './store.js';

export interface EndpointOptions {
  /** The query endpoint, e.g. http://127.0.0.1:8890/sparql. */
  queryUrl: string;
  /** The update endpoint; the query URL when absent. */
  updateUrl?: string;
  /** Graph the knowledge base is loaded into (endpoints such as Virtuoso need a named graph). */
  graph?: string;
  timeoutMs?: number;
  retries?: number;
  headers?: Record<string, string>;
}

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);
const BATCH = 2000;

function isConnectionError(e: unknown): boolean {
  const cause = (e as { cause?: { code?: string } }).cause;
  return e instanceof TypeError && cause?.code !== undefined && CONNECTION_ERRORS.has(cause.code);
}

export const DEFAULT_GRAPH = 'urn:qa:kb';

export class SparqlEndpointStore implements RdfStore {
  readonly kind = 'endpoint' as const;
  private readonly opts: Required<Omit<EndpointOptions, 'headers'>> & { headers: Record<string, string> };

  constructor(opts: EndpointOptions) {
    this.opts = {
      queryUrl: opts.queryUrl,
      updateUrl: opts.updateUrl ?? opts.queryUrl,
      graph: opts.graph ?? DEFAULT_GRAPH,
      timeoutMs: opts.timeoutMs ?? 10_000,
      retries: opts.retries ?? 2,
      headers: opts.headers ?? {},
    };
  }

  private async post(
    url: string,
    field: 'query' | 'update',
    text: string,
    timeoutMs: number,
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/sparql-results+json',
            ...this.opts.headers,
          },
          body: new URLSearchParams({ [field]: text }),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (e) {
        if ((e as Error).name === 'TimeoutError') {
          throw new QaError('timeout', `SPARQL ${field} took longer than ${timeoutMs} ms`, { where: url });
        }
        if (isConnectionError(e) && attempt < this.opts.retries) {
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
          continue;
        }
        const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).message;
        throw new QaError('unavailable', `SPARQL endpoint unreachable (${code})`, { where: url, cause: e });
      }
      const body = await res.text();
      if (!res.ok) {
        throw new QaError(
          'upstream_error',
          `SPARQL endpoint answered ${res.status}: ${body.slice(0, 300).trim()}`,
          {
            where: url,
          },
        );
      }
      return body;
    }
  }

  private async query(text: string, opts: QueryOptions): Promise<SparqlJsonResults> {
    const body = await this.post(this.opts.queryUrl, 'query', text, opts.timeoutMs ?? this.opts.timeoutMs);
    try {
      return JSON.parse(body) as SparqlJsonResults;
    } catch {
      throw new QaError('upstream_error', `SPARQL endpoint answered non-JSON: ${body.slice(0, 120)}`, {
        where: this.opts.queryUrl,
      });
    }
  }

  async select(text: string, opts: QueryOptions = {}): Promise<Bindings[]> {
    return (await this.query(text, opts)).results?.bindings ?? [];
  }

  async ask(text: string, opts: QueryOptions = {}): Promise<boolean> {
    const res = await this.query(text, opts);
    if (res.boolean !== undefined) return res.boolean;
    // Virtuoso 7 answers ASK in JSON as one row binding __ASK_RETVAL to 0 or 1.
    const retval = res.results?.bindings[0]?.__ASK_RETVAL?.value;
    return retval !== undefined && retval !== '0';
  }

  async size(): Promise<number> {
    const spo = bgp([triple(v('s'), v('p'), v('o'))]);
    const q = select(
      [countAs(v('s'), v('n'), false)],
      [{ type: 'graph', name: iri(this.opts.graph), patterns: [spo] }],
    );
    const rows = await this.select(toSparql(q));
    return Number(rows[0]?.n?.value ?? 0);
  }

  private async runUpdate(u: sparqljs.Update): Promise<void> {
    await this.post(this.opts.updateUrl, 'update', toSparql(u), Math.max(this.opts.timeoutMs, 60_000));
  }

  /**
   * Parses everything locally first (so a syntax error loads nothing), sends it in batches into a
   * staging graph, then adds the staging graph to the KB graph in one operation.
   */
  async load(sources: readonly RdfSource[], opts: LoadOptions = {}): Promise<LoadReport> {
    const t0 = performance.now();
    const parsed = parseSources(sources, opts);
    const staging = iri(`${this.opts.graph}/staging/${Date.now()}`);
    const target = iri(opts.graph ?? this.opts.graph);
    const drop = (): Promise<void> =>
      this.runUpdate(update([{ type: 'drop', silent: true, graph: { type: 'graph', name: staging } }]));
    let triples = 0;
    try {
      const quads = parsed.match();
      for (let i = 0; i < quads.length; i += BATCH) {
        const batch = quads.slice(i, i + BATCH).map(tripleOf);
        triples += batch.length;
        await this.runUpdate(
          update([{ updateType: 'insert', insert: [{ type: 'graph', name: staging, triples: batch }] }]),
        );
      }
      await this.runUpdate(
        update([
          {
            type: 'add',
            silent: false,
            source: { type: 'graph', name: staging },
            destination: { type: 'graph', name: target },
          },
        ]),
      );
    } finally {
      await drop().catch(() => {});
    }
    return { files: sources.length, triples, seconds: (performance.now() - t0) / 1000 };
  }

  async close(): Promise<void> {}
}

/** An Oxigraph quad as a sparqljs triple of plain RDF/JS terms. */
function tripleOf(q: oxigraph.Quad): sparqljs.Triple {
  const term = (t: oxigraph.Term): sparqljs.Term => {
    if (t.termType === 'NamedNode') return iri(t.value);
    if (t.termType === 'Literal') {
      const l = t as oxigraph.Literal;
      return l.language ? lit(l.value, l.language) : lit(l.value, l.datatype.value);
    }
    if (t.termType === 'BlankNode') return { termType: 'BlankNode', value: t.value } as sparqljs.BlankTerm;
    throw new QaError('unsupported', `cannot send a ${t.termType} to a SPARQL endpoint`);
  };
  return {
    subject: term(q.subject) as sparqljs.Triple['subject'],
    predicate: iri(q.predicate.value),
    object: term(q.object),
  };
}
