/** IRIs the KBQA route reads and mints. */

export const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
export const SKOS_ALT_LABEL = 'http://www.w3.org/2004/02/skos/core#altLabel';
export const SCHEMA_NAME = 'https://schema.org/name';
export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
/** On a predicate: the unit its values are in ("km²"). */
export const SCHEMA_UNIT_TEXT = 'https://schema.org/unitText';

/** Predicates whose literal objects name their subject, for entity linking. */
export const NAME_PREDICATES = [RDFS_LABEL, SKOS_ALT_LABEL, SCHEMA_NAME, 'http://schema.org/name'];

const METAQA = 'urn:metaqa:';

/** One IRI per MetaQA entity string (a film and a person with the same name are one node). */
export function entityIri(name: string): string {
  return `${METAQA}entity:${encodeURIComponent(name)}`;
}

export function relationIri(relation: string): string {
  return `${METAQA}rel:${relation}`;
}
