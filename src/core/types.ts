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
  /** The PDF page the passage is on. */
  page?: number;
  /** The heading of the section the passage stands in. */
  section?: string;
  /** Where the source file opens (a path on this server), at the page for a PDF. */
  file?: string;
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
  /** An accepted answer, or one imported from a curated source; a community answer otherwise. */
  vetted: boolean;
  /** Why the answer is trusted as far as it is ("accepted answer", "community answer, 2 up-votes"). */
  trust: string;
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
  /** 'passage': a descriptive answer, the passage (or its best sentences) shown whole; otherwise a span or value. */
  form?: 'passage';
  evidence: Evidence;
  /** Other evidence for the same answer (another passage, another route), merged by the ranker. */
  support?: Evidence[];
}

/** What retrieval and matching need of a sentence encoder. */
export interface VectorEncoder {
  readonly dim: number;
  /** L2-normalised vectors, row-major, one row per text. */
  encode(texts: string[]): Promise<Float32Array>;
}

/** What kind of answer the question asks for. */
export type QuestionType = 'factoid' | 'list' | 'count' | 'yesno' | 'definition' | 'howto' | 'opinion';

/** What the answer is. */
export type AnswerType = 'person' | 'place' | 'date' | 'number' | 'entity' | 'description';

/** A span of the question that may name an entity (linked later, by the KBQA route). */
export interface Mention {
  text: string;
  start: number;
  end: number;
}

export interface ParsedQuestion {
  text: string;
  /** NFKC, whitespace collapsed, trimmed; what the routes are given. */
  normalized: string;
  type: QuestionType;
  answerType: AnswerType;
  mentions: Mention[];
  /** How much each route is trusted for this question: probabilities that sum to 1. */
  routeWeights: Record<RouteName, number>;
}

/** An earlier turn of a conversation, as the client showed it. */
export interface DialogueTurn {
  question: string;
  /** The top answer's text as shown, or null (or absent) when the system abstained. */
  answer?: string | null;
  /** The standalone question the server answered it as (echoed back from its `resolved`). */
  resolved?: string;
}

/** What a turn is about: a KB entity, a document's subject, or a name as written. */
export interface TurnTopic {
  label: string;
  /** The KB entity's IRI, or the documents' subject key. */
  id?: string;
}

export interface AskRequest {
  question: string;
  /** Earlier turns of the conversation, oldest first; the server keeps no state. */
  history?: DialogueTurn[];
  /** Only documents from these sources, with these tags, or modified in this time are read. */
  filters?: { source?: string[]; tags?: string[]; after?: string; before?: string };
  /** Routes to run (default: all that have data). */
  routes?: RouteName[];
  /** Reader model for the MRC route (default: from config). */
  reader?: string;
  /** Most answers to return (default 5). */
  topK?: number;
  /** Add each route's raw candidates and how the ranker scored them to the answer. */
  explain?: boolean;
}

/**
 * What a question is about and when, as far as the workspace can tell: checked against every
 * candidate's evidence before ranking (rank/verify.ts).
 */
export interface QuestionScope {
  /** Subjects the question names that documents are about (folded: "kenya"). */
  about: string[];
  /**
   * When no document is about what the question names: the names read evidence must mention, as
   * written — KB entities without documents ("Lima") and names nothing knows ("Wakanda").
   */
  named: string[];
}

export type CheckName = 'time-scope' | 'entity' | 'answer-type' | 'coverage';

/** One verification of a candidate against its question. */
export interface CheckResult {
  check: CheckName;
  passed: boolean;
  /** Why, in words: what was expected and what the evidence holds. */
  detail: string;
}

/** How the ranker reached its answer (asked for with `explain`). */
export interface Explanation {
  /** Where the calibration came from, and the probability needed to answer. */
  calibration: string;
  threshold: number;
  /** Every candidate before merging: the route's own score and its calibrated probability. */
  candidates: Array<{
    route: RouteName;
    text: string;
    raw: number;
    calibrated: number;
    /** The checks that ran on it; a failed one lowered `raw` or removed the candidate. */
    checks?: CheckResult[];
  }>;
}

/** Where time went, ms by step ("retrieve", "wait", "read"; "parse", "scope", "rank"). */
export type Stages = Record<string, number>;

export interface RouteTiming {
  route: RouteName;
  ms: number;
  candidates: number;
  /** The route's own steps, where it measures them (MRC: retrieve with the encoding, wait, read). */
  stages?: Stages;
  /** What the route left undone, and why ("passages not read: …"). */
  note?: string;
  /** Set when the route failed or ran out of time; the others still answer. */
  error?: string;
}

export interface Answer {
  question: string;
  /** The standalone question answered, when a conversation's history changed it ("How many people live in Lima?"). */
  resolved?: string;
  /** What the question is about, when the workspace knows. */
  topic?: TurnTopic;
  /** Best first; empty when abstained. */
  answers: Candidate[];
  abstained: boolean;
  /** Why there is no answer, in words a person understands. */
  reason?: string;
  parsed: ParsedQuestion;
  timings: RouteTiming[];
  /** The pipeline's own steps around the routes: parse, scope, rank. */
  stages?: Stages;
  /** Set when the answer came from the answer cache (the same question over the same data). */
  cached?: boolean;
  warnings: string[];
  /** Total time, ms. */
  ms: number;
  explanation?: Explanation;
}
