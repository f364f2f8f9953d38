/**
 * MetaQA: `question with [topic]<TAB>answer1|answer2`. No train split exists, so questions are
 * split by a hash of their text into a training half (relation paths are learned from it) and a
 * test half (scored), never sharing a question. Hits@1: is the first answer a gold answer?
 */
import { QaError } from '../core/errors.js';
import { fnv1a } from '../core/hash.js';
import { bestPath, type KbGraph, pathKey, type RelationPath } from '../kbqa/paths.js';
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

/** Training examples: each question's masked text and the path that best reaches its answers. */
export function labelQuestions(
  graph: KbGraph,
  questions: readonly MetaqaQuestion[],
  onProgress?: (done: number, total: number) => void,
  perTemplate = 5,
  /** Entities a name stands for, best first: MetaQA's own naming by default, labels for any other KB. */
  resolve: (name: string) => string[] = (name) => [entityIri(name)],
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
    const named = resolve(q.topic);
    const topic = named.length === 1 ? named[0] : undefined;
    const key = `${masked}\t${topic ? graph.typesOf(topic).sort().join(' ') : ''}`;
    if (topic && (seen.get(key) ?? 0) < perTemplate) {
      const found = bestPath(graph, topic, new Set(q.answers.flatMap(resolve)));
      // A question two paths answer equally well (director = writer) teaches nothing: skip it —
      // unless they are one path walked either way over a symmetric relation (borders).
      const [only, ...others] = found && found.f1 >= 0.5 ? oneWay(found.paths) : [];
      if (only && others.length === 0) {
        seen.set(key, (seen.get(key) ?? 0) + 1);
        out.push({ masked, path: pathKey(only) });
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
