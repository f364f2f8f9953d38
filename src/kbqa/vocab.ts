/** IRIs the KBQA route reads and mints. */

export const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
export const RDFS_LABEL = `${RDFS}label`;
export const RDFS_COMMENT = `${RDFS}comment`;
export const RDFS_SUBCLASS_OF = `${RDFS}subClassOf`;
export const RDFS_DOMAIN = `${RDFS}domain`;
export const RDFS_RANGE = `${RDFS}range`;
export const SKOS = 'http://www.w3.org/2004/02/skos/core#';
export const SKOS_ALT_LABEL = `${SKOS}altLabel`;
export const SCHEMA_NAME = 'https://schema.org/name';
export const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
/** On a predicate: the unit its values are in ("km²"). */
export const SCHEMA_UNIT_TEXT = 'https://schema.org/unitText';

/**
 * Predicates whose literal objects name their subject, for entity linking and for the names of
 * the KB's own predicates and classes. `qa.config.json`'s `kb.labelProperties` adds more.
 */
export const NAME_PREDICATES = [
  RDFS_LABEL,
  `${SKOS}prefLabel`,
  SKOS_ALT_LABEL,
  SCHEMA_NAME,
  'http://schema.org/name',
  'https://schema.org/alternateName',
  'http://schema.org/alternateName',
  'http://xmlns.com/foaf/0.1/name',
  'http://purl.org/dc/terms/title',
  'http://purl.org/dc/elements/1.1/title',
];

/** Predicates that describe, rather than name: read for the names of predicates and classes only. */
export const DESCRIPTION_PREDICATES = [RDFS_COMMENT, `${SKOS}definition`, 'https://schema.org/description'];

/** Schema-level predicates: never a relation a question asks about. */
export const SCHEMA_PREDICATES = new Set([
  RDFS_SUBCLASS_OF,
  RDFS_DOMAIN,
  RDFS_RANGE,
  `${RDFS}subPropertyOf`,
  SCHEMA_UNIT_TEXT,
  ...DESCRIPTION_PREDICATES,
  'http://www.w3.org/2002/07/owl#inverseOf',
  'http://www.w3.org/2002/07/owl#equivalentClass',
  'http://www.w3.org/2002/07/owl#sameAs',
]);

const METAQA = 'urn:metaqa:';

/** One IRI per MetaQA entity string (a film and a person with the same name are one node). */
export function entityIri(name: string): string {
  return `${METAQA}entity:${encodeURIComponent(name)}`;
}

export function relationIri(relation: string): string {
  return `${METAQA}rel:${relation}`;
}
