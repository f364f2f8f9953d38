/**
 * MetaQA: `question with [topic]<TAB>answer1|answer2`. No train split exists, so questions are
 * split by a hash of their text into a training half (relation paths are learned from it) and a
 * test half (scored), never sharing a question. Hits@1: is the first answer a gold answer?
 */
import { QaError } from '../core/errors.js';
import { fnv1a } from '../core/hash.js';
import { bestPath, type Hop, type KbGraph, pathKey, type RelationPath } from '../kbqa/paths.js';
import { textLines } from '../kbqa/rdf-files.js';
import { type LabelledQuestion, maskMention } from '../kbqa/relation-model.js';
import type { KbqaRoute } from '../kbqa/route.js';
import { entityIri } from '../kbqa/vocab.js';

export interface MetaqaQuestion {
  /** The question without brackets. */
  question: string;
  topic: string;
  /** The topic's span in `question`. */
  span: [number, number];
  answers: string[];
  where: string;
}

export function readMetaqa(file: string): MetaqaQuestion[] {
  const out: MetaqaQuestion[] = [];
  for (const [line, no] of textLines(file, () => {})) {
    if (line.trim() === '') continue;
    const where = `${file}:${no}`;
    const tab = line.indexOf('\t');
    const m = /\[([^\]]+)\]/.exec(line);
    if (tab < 0 || !m || m.index > tab) {
      throw new QaError('bad_input', 'expected "question with [topic]<TAB>answer|answer"', { where });
    }
    const raw = line.slice(0, tab);
    const topic = m[1] ?? '';
    const question = raw.replace(`[${topic}]`, topic);
    out.push({
      question,
      topic,
      span: [m.index, m.index + topic.length],
      answers: line
        .slice(tab + 1)
        .split('|')
        .filter((a) => a !== ''),
      where,
    });
  }
  return out;
}

/** Tied paths that differ only in the direction of their hops become the most forward one. */
function oneWay(paths: RelationPath[]): RelationPath[] {
  const predicates = new Set(paths.map((p) => p.map((h) => h.predicate).join(' ')));
  if (predicates.size !== 1) return paths;
  const inverses = (p: RelationPath) => p.filter((h) => h.inverse).length;
  return [[...paths].sort((a, b) => inverses(a) - inverses(b))[0] as RelationPath];
}

/** A stable split by a hash of the text, so a repeated question stays on one side. */
export function isTestQuestion(q: MetaqaQuestion): boolean {
  return fnv1a(q.question) % 2 === 1;
}

/** Why a training question taught nothing, in words for the person who wrote it. */
export type SkipReason =
  | 'the topic is not a name in the knowledge base'
  | 'several entities share the topic name'
  | 'no path of up to three hops reaches the answers'
  | 'two different paths reach the answers equally well'
  | 'a yes/no answer does not say which relation the question is about; give the question with what it asks about instead'
  | 'enough examples of this wording already';

const YES_NO = /^(yes|no|true|false)$/i;
const COUNT_Q = /^\s*how many\b|\bnumber of\b/i;
const ORDER_Q = /\b(?:most|least|\p{L}{2,}est)\b/iu;

/** The shortest paths (≤ 3 hops, never back through the topic) whose answers pass `accept`. */
function shortestPaths(
  graph: KbGraph,
  topic: string,
  accept: (reached: Set<string>) => boolean,
): RelationPath[] {
  const out: RelationPath[] = [];
  let level: Array<{ frontier: Set<string>; path: RelationPath }> = [
    { frontier: new Set([topic]), path: [] },
  ];
  for (let depth = 1; depth <= 3 && out.length === 0; depth++) {
    const next: typeof level = [];
    for (const { frontier, path } of level) {
      if (frontier.size > 20_000) continue;
      const hops = new Map<string, Hop>();
      for (const node of frontier) for (const h of graph.hopsFrom(node)) hops.set(pathKey([h]), h);
      for (const hop of hops.values()) {
        const reached = graph.step(frontier, hop);
        reached.delete(topic);
        if (accept(reached)) out.push([...path, hop]);
        next.push({ frontier: reached, path: [...path, hop] });
      }
    }
    level = next;
  }
  return out;
}

/**
 * Training examples: each question's masked text and the path that best reaches its answers.
 * Answers written the natural way are read as such: a number for a "how many" question is the
 * count of what a path reaches, and one answer to a "largest"/"most" question is one of what a
 * path reaches, put in order at question time. A question that teaches nothing is reported to
 * `onSkip` with the reason.
 */
export function labelQuestions(
  graph: KbGraph,
  questions: readonly MetaqaQuestion[],
  onProgress?: (done: number, total: number) => void,
  perTemplate = 5,
  /** Entities a name stands for, best first: MetaQA's own naming by default, labels for any other KB. */
  resolve: (name: string) => string[] = (name) => [entityIri(name)],
  onSkip?: (q: MetaqaQuestion, reason: SkipReason) => void,
): LabelledQuestion[] {
  const out: LabelledQuestion[] = [];
  // Questions of one template differ only in the entity: a few labelled examples per masked text
  // are enough for the vote, and keep the path search (the costly part) short. One wording can
  // mean two paths by the kind of entity ("which continent is X in": a country's continent, a
  // city's country's), so the quota is per masked text and class of the topic.
  const seen = new Map<string, number>();
  questions.forEach((q, i) => {
    const masked = maskMention(q.question, q.span[0], q.span[1]);
    // A name several entities share (Singapore the city and the country) cannot tell which one
    // the question is about, so it labels nothing.
    const named = resolve(q.topic).filter((iri) => graph.has(iri));
    const topic = named.length === 1 ? named[0] : undefined;
    const key = `${masked}\t${topic ? graph.typesOf(topic).sort().join(' ') : ''}`;
    const skip = (reason: SkipReason) => onSkip?.(q, reason);
    if (!topic)
      skip(
        named.length === 0
          ? 'the topic is not a name in the knowledge base'
          : 'several entities share the topic name',
      );
    else if ((seen.get(key) ?? 0) >= perTemplate) skip('enough examples of this wording already');
    else if (q.answers.length === 1 && YES_NO.test(q.answers[0] ?? '')) {
      skip(
        'a yes/no answer does not say which relation the question is about; give the question with what it asks about instead',
      );
    } else {
      const gold = new Set(q.answers.flatMap(resolve));
      const found = bestPath(graph, topic, gold);
      // A question two paths answer equally well (director = writer) teaches nothing: skip it —
      // unless they are one path walked either way over a symmetric relation (borders).
      let paths = found && found.f1 >= 0.5 ? oneWay(found.paths) : [];
      const n = Number(q.answers[0]);
      if (
        paths.length === 0 &&
        q.answers.length === 1 &&
        Number.isInteger(n) &&
        n >= 0 &&
        COUNT_Q.test(q.question)
      ) {
        // "How many ...? 10": the things a path reaches, counted.
        paths = oneWay(
          shortestPaths(graph, topic, (r) => r.size === n && [...r].every((x) => !x.startsWith('"'))),
        );
      } else if (paths.length === 0 && ORDER_Q.test(q.question)) {
        // "The largest ...": one of what a path reaches, put in order when asked.
        paths = oneWay(
          shortestPaths(graph, topic, (r) => r.size > gold.size && [...gold].every((g) => r.has(g))),
        );
      }
      const [only, ...others] = paths;
      if (only && others.length === 0) {
        seen.set(key, (seen.get(key) ?? 0) + 1);
        out.push({ masked, path: pathKey(only) });
      } else {
        skip(
          only
            ? 'two different paths reach the answers equally well'
            : 'no path of up to three hops reaches the answers',
        );
      }
    }
    onProgress?.(i + 1, questions.length);
  });
  return out;
}

export interface MetaqaMetrics {
  hits_at_1: number;
  total: number;
  /** Share of questions whose topic entity was among the linked entities. */
  topic_linked: number;
  latency_p50_ms: number;
  latency_p95_ms: number;
  answered: number;
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

export async function evaluateMetaqa(
  route: KbqaRoute,
  questions: readonly MetaqaQuestion[],
  opts: { brackets: boolean; onProgress?: (done: number, total: number) => void },
): Promise<MetaqaMetrics> {
  let hits = 0;
  let linked = 0;
  let answered = 0;
  const lat: number[] = [];
  for (const [i, q] of questions.entries()) {
    const res = await route.answer(q.question, opts.brackets ? { topicSpan: q.span } : {});
    const topic = entityIri(q.topic);
    const top = res.candidates[0];
    const planned = top?.evidence.kind === 'sparql' ? top.evidence.entities[0]?.iri : undefined;
    if (planned === topic || res.entities.some((e) => e.iri === topic)) linked++;
    if (res.query) lat.push(res.sparqlMs);
    if (top) {
      answered++;
      if (q.answers.includes(top.text)) hits++;
    }
    opts.onProgress?.(i + 1, questions.length);
  }
  lat.sort((a, b) => a - b);
  const n = questions.length || 1;
  return {
    hits_at_1: hits / n,
    total: questions.length,
    topic_linked: linked / n,
    latency_p50_ms: pct(lat, 50),
    latency_p95_ms: pct(lat, 95),
    answered,
  };
}
