/** Shared shapes every route, the ranker and the interfaces agree on (see ../shared/DESIGN.md). */

export type RouteName = 'kbqa' | 'mrc' | 'cqa';

export interface LinkedEntity {
  mention: string;
  start: number;
  end: number;
  iri: string;
  label: string;
  score: number;
}

export interface SparqlEvidence {
  kind: 'sparql';
  query: string;
  entities: LinkedEntity[];
  rows: number;
}

/** `start`/`end` are character offsets of the answer inside `passage`. */
export interface PassageEvidence {
  kind: 'passage';
  docId: string;
  title?: string;
  passage: string;
  start: number;
  end: number;
  reader: string;
}

export interface ThreadEvidence {
  kind: 'thread';
  threadId: string;
  question: string;
  similarity: number;
}

export type Evidence = SparqlEvidence | PassageEvidence | ThreadEvidence;

export interface Candidate {
  /** The answer as shown to a person. */
  text: string;
  /** Machine form: IRI, number, ISO date. */
  value?: string;
  /** Calibrated probability of being correct, 0..1. */
  score: number;
  route: RouteName;
  evidence: Evidence;
}

/** What retrieval and matching need of a sentence encoder. */
export interface VectorEncoder {
  readonly dim: number;
  /** L2-normalised vectors, row-major, one row per text. */
  encode(texts: string[]): Promise<Float32Array>;
}
