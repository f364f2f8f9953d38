/**
 * One interface over RDF stores: the embedded Oxigraph store and any SPARQL 1.1 endpoint.
 * Results use the SPARQL 1.1 JSON results format on both, so nothing above this layer knows
 * which one answered.
 */

export interface SparqlTerm {
  type: 'uri' | 'literal' | 'bnode' | 'typed-literal';
  value: string;
  datatype?: string;
  'xml:lang'?: string;
}

export type Bindings = Record<string, SparqlTerm>;

export type RdfFormat = 'turtle' | 'ntriples' | 'nquads' | 'trig' | 'jsonld' | 'rdfxml' | 'metaqa';

export interface RdfSource {
  file: string;
  format: RdfFormat;
}

export interface LoadOptions {
  /** Named graph to load into; the default graph when absent. */
  graph?: string;
  /** Bytes read so far and in all, across the files. */
  onProgress?: (done: number, total: number) => void;
}

export interface LoadReport {
  files: number;
  triples: number;
  seconds: number;
}

export interface QueryOptions {
  timeoutMs?: number;
}

export interface RdfStore {
  readonly kind: 'oxigraph' | 'endpoint';
  select(query: string, opts?: QueryOptions): Promise<Bindings[]>;
  ask(query: string, opts?: QueryOptions): Promise<boolean>;
  /** Loads every source or, on any error, nothing. */
  load(sources: readonly RdfSource[], opts?: LoadOptions): Promise<LoadReport>;
  /** Number of triples (all graphs). */
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface SparqlJsonResults {
  head?: { vars?: string[] };
  results?: { bindings: Bindings[] };
  boolean?: boolean;
}
