/** The configured knowledge-base store: a SPARQL endpoint if one is set, else embedded Oxigraph. */
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { SparqlEndpointStore } from './endpoint-store.js';
import { OxigraphStore } from './oxigraph-store.js';
import type { RdfStore } from './store.js';

export function kbDumpFile(workspace: string): string {
  return join(workspace, 'kb.nq');
}

export function openKbStore(config: Config): RdfStore {
  if (config.kbEndpoint) return new SparqlEndpointStore(config.kbEndpoint);
  return new OxigraphStore(kbDumpFile(config.workspace));
}
