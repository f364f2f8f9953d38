/**
 * Question → query graph, for any KB: every reading the KB allows around the linked entities
 * (relation paths of one and two hops either way, the question's class as a constraint, a count,
 * an order over a numeric or date property, a yes/no check, a comparison of two things, the
 * instances of a named class) is put into words from the KB's own names (lexicon.ts) and scored
 * against the question by the sentence encoder, with word overlap and the kind of answer the
 * question asks for. Paths learned from example questions (relation-model.ts), where a workspace
 * has them, add to the score; they are never needed.
 */
import type { LinkedEntity } from '../core/types.js';
import { contentWords, overlap, singular } from '../core/words.js';
import { editDistance } from './edits.js';
import type { KbLexicon } from './lexicon.js';
import type { Mention } from './link.js';
import { type Hop, type KbGraph, parsePathKey, pathKey, type RelationPath, type ValueKind } from './paths.js';
import type { PhraseScorer } from './phrase-scorer.js';
import type { Reading } from './reading.js';
import { maskMention, type RelationModel } from './relation-model.js';
import { SemanticPaths } from './semantic-paths.js';
import { RDF_TYPE, SCHEMA_PREDICATES } from './vocab.js';

/** An order over a numeric or date property: the first answer is the highest (or lowest). */
export interface OrderBy {
  predicate: string;
  descending: boolean;
}

interface Scored {
  /** How well this reading matches the question, about 0..1. */
  score: number;
  /** The reading in words, for `explain`. */
  reading: string;
}

export type Interpretation =
  | (Scored & {
      kind: 'walk';
      topic: LinkedEntity;
      /** The mention the topic was linked from. */
      mention: Mention;
      path: RelationPath;
      /** The answers' class (with its subclasses). */
      type?: string;
      aggregate?: 'count' | OrderBy;
    })
  | (Scored & { kind: 'ask'; topic: LinkedEntity; target: LinkedEntity; path: RelationPath })
  | (Scored & {
      kind: 'compare';
      items: [LinkedEntity, LinkedEntity];
      order: OrderBy;
      /** "Is A larger than B?": yes or no rather than the larger one. */
      yesNo: boolean;
    })
  | (Scored & { kind: 'class'; type: string; aggregate?: 'count' | OrderBy });

export interface PlanContext {
  graph: KbGraph;
  lexicon: KbLexicon;
  scorer?: PhraseScorer;
  model?: RelationModel;
  known: (word: string) => boolean;
}

/** First hops expanded into two-hop paths. */
const BEAM = 5;
/** Nodes a first hop may reach and still be expanded. */
const MAX_FRONTIER = 2_000;
/** Nodes read for the hops and properties of a set of answers. */
const SAMPLE = 300;
/** A second hop is a longer story: it must match clearly better to win. */
const HOP_PENALTY = 0.06;
/** How much the learned paths' vote adds to a path's zero-shot match. */
const LEARNED_WEIGHT = 1;
const BARE_LEARNED_WEIGHT = 3;
/** Comparisons of two linked things are a strong form: they outrank a walk from either. */
const COMPARE_BASE = 0.75;
/** A class alone ("how many elements", "the heaviest element") is a weaker reading than a walk from a linked thing. */
const CLASS_COUNT = 0.45;
const CLASS_ORDER = 0.35;

/** A question as the planner reads it, once. */
interface Question {
  text: string;
  reading: Reading;
  /** Classes the question names. */
  classes: string[];
  /** The words around an order word, for choosing the property. */
  cue: string;
  /** Mentions with a candidate in the graph, longest first, at most four. */
  usable: Mention[];
}

/** A fuzzy or partial link is weaker evidence for every reading built on it. */
const linkFactor = (e: LinkedEntity) => 0.5 + 0.5 * e.score;

/** Order words about time rather than size. */
const TIME_WORDS = new Set(
  'oldest older newest newer youngest younger earliest earlier latest later first last before after'.split(
    ' ',
  ),
);

/** Some but not all of `nodes` pass `test`: a class constraint that changes the answers. */
function partly(nodes: ReadonlySet<string>, test: (n: string) => boolean): boolean {
  let yes = 0;
  let no = 0;
  for (const n of nodes) {
    if (test(n)) yes++;
    else no++;
    if (yes > 0 && no > 0) return true;
  }
  return false;
}

export class Planner {
  private semantic?: Promise<SemanticPaths | undefined>;

  constructor(private readonly ctx: PlanContext) {}

  /**
   * Words the encoder does not know, close to a word of the KB's vocabulary, spelt as the KB
   * spells it: "populaton" → "population", "captial" → "capital".
   */
  correct(text: string): string {
    const vocab = this.ctx.lexicon.words;
    return text.replace(/\p{L}{5,}/gu, (w) => {
      const lower = w.toLowerCase();
      if (this.ctx.known(lower) || vocab.has(lower)) return w;
      for (const v of vocab) if (v.length >= 4 && editDistance(v, lower, 1) <= 1) return v;
      return w;
    });
  }

  /** Classes the question names ("countries", "element"), by their names, singular or plural. */
  namedClasses(text: string): string[] {
    const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
    const singles = new Set(words.map(singular));
    const joined = ` ${words.map(singular).join(' ')} `;
    const out: string[] = [];
    for (const c of this.ctx.lexicon.classes) {
      const hit = c.names.some((n) => {
        const parts = n.split(' ').map(singular);
        return parts.length === 1 ? singles.has(parts[0] as string) : joined.includes(` ${parts.join(' ')} `);
      });
      if (hit) out.push(c.iri);
    }
    return out;
  }

  /** What a path ends in: a number, a date or a string, or undefined for things. */
  private endKind(path: RelationPath): ValueKind | undefined {
    const last = path[path.length - 1];
    return last && !last.inverse ? this.ctx.graph.valueKind(last.predicate) : undefined;
  }

  /** The classes named right after the question word: "what language ...", "which two countries". */
  private askedClasses(text: string, classes: readonly string[]): string[] {
    const m = /\b(?:what|which|how many)\s+(\p{L}+)(?:\s+(\p{L}+))?/u.exec(text.toLowerCase());
    if (!m) return [];
    const after = [m[1], m[2]].filter((w): w is string => w !== undefined).map(singular);
    return classes.filter((c) => [...this.classWords([c])].some((w) => after.includes(w)));
  }

  /** The words of the classes' names, singular. */
  private classWords(classes: readonly string[]): Set<string> {
    const out = new Set<string>();
    for (const c of classes) {
      for (const n of this.ctx.lexicon.classInfoOf(c)?.names ?? [])
        for (const w of n.split(' ')) out.add(singular(w));
    }
    return out;
  }

  /** Hops a question may take from a node: not rdf:type or the schema's own. */
  private hops(nodes: Iterable<string>): Hop[] {
    const seen = new Map<string, Hop>();
    let i = 0;
    for (const n of nodes) {
      if (i++ >= SAMPLE) break;
      for (const h of this.ctx.graph.hopsFrom(n)) {
        if (h.predicate === RDF_TYPE || SCHEMA_PREDICATES.has(h.predicate)) continue;
        seen.set(pathKey([h]), h);
      }
    }
    return [...seen.values()];
  }

  private reach(topic: string, path: RelationPath): Set<string> {
    return this.ctx.graph.reach(topic, path);
  }

  /**
   * Scores of phrases against the question: encoder cosine plus word overlap. Words that name a
   * class the question asks for ("countries") say what the answer is, not which relation leads
   * there, so they do not count as overlap.
   */
  private async phraseScores(
    question: string,
    phrases: readonly string[],
    words: ReadonlyArray<readonly string[]>,
    classWords: ReadonlySet<string> = new Set(),
    /** The question's vector, when the caller has it already. */
    vector?: Float32Array,
  ): Promise<number[]> {
    const qWords = new Set(contentWords(question).filter((w) => !classWords.has(w)));
    const lex = words.map((w) => overlap(w, qWords));
    if (!this.ctx.scorer) return lex.map((l) => 0.3 + 0.6 * l);
    const q = vector ?? (await this.ctx.scorer.query(question));
    const sims = await this.ctx.scorer.similarities(q, phrases);
    return sims.map((s, i) => s + 0.25 * (lex[i] ?? 0));
  }

  /** How the path's end fits what the question word asks for. */
  private typeFit(
    reading: Reading,
    path: RelationPath,
    reached: Set<string>,
    classes: { asked: string[]; named: string[] },
  ): number {
    const last = path[path.length - 1];
    const kind = this.endKind(path);
    const names = last ? this.ctx.lexicon.pathWords([last]) : [];
    let fit = 0;
    if (reading.wh === 'when') {
      fit +=
        kind === 'date' || names.some((n) => /^(year|date|time)s?$/.test(n)) ? 0.1 : kind ? -0.05 : -0.15;
    }
    if (reading.wh === 'how many' || reading.wh === 'how much') fit += kind === 'number' ? 0.05 : 0;
    // "How high is X" is never answered by a thing.
    if (reading.wh === 'how measure') fit += kind === 'number' ? 0.08 : kind ? -0.1 : -0.15;
    if (reading.wh === 'who' || reading.wh === 'where') fit += kind === undefined ? 0.03 : -0.05;
    // The class right after the question word ("what language", "which countries") is what the
    // answer must be; a class named elsewhere only may be.
    const [wanted, strength] = classes.asked.length > 0 ? [classes.asked, 2] : [classes.named, 1];
    if (wanted.length > 0) {
      let sampled = 0;
      let of = 0;
      for (const n of reached) {
        if (sampled++ >= SAMPLE) break;
        if (wanted.some((c) => this.ctx.graph.isA(n, c))) of++;
      }
      // A value is never of the class asked for, unless the question counts or orders things.
      if (kind === undefined) fit += strength * (of > 0 ? 0.12 : -0.1);
      else if (!reading.order && !reading.count) fit -= strength * 0.05;
    }
    return fit;
  }

  /**
   * Candidate paths from one topic: every hop, and the second hops of the best first ones, with
   * the learned paths for this wording added. Scored, best first.
   */
  async paths(
    /** The question as the learned model reads it (topic as ENT). */
    modelText: string,
    /** The question as the encoder reads it: topic as X, spelling corrected. */
    masked: string,
    topic: string,
    reading: Reading,
    classes: string[],
    target?: LinkedEntity,
  ): Promise<Array<{ path: RelationPath; score: number; reached: Set<string> }>> {
    const lex = this.ctx.lexicon;
    // For yes/no, the path is read with its would-be value: "capital of X is Berlin".
    const phrase = (p: RelationPath) => (target ? `${lex.describe(p)} is ${target.label}` : lex.describe(p));
    const classWords = this.classWords(classes);
    const asked = this.askedClasses(masked, classes);
    // "How many halogens are there": no word but the topic's to say where to go, so no further
    // than the things the topic names.
    const bare = contentWords(masked).filter((w) => w !== 'x' && !classWords.has(w)).length === 0;
    const vector = this.ctx.scorer ? await this.ctx.scorer.query(masked) : undefined;
    const score = async (paths: RelationPath[]) => {
      const s = await this.phraseScores(
        masked,
        paths.map(phrase),
        paths.map((p) => lex.pathWords(p)),
        classWords,
        vector,
      );
      // A relation's own description (rdfs:comment) is another way to say it: the better of the two.
      const described = paths.flatMap((p, i) => {
        const [hop] = p;
        const text = p.length === 1 && hop && !target ? lex.predicate(hop.predicate)?.description : undefined;
        return text ? [{ i, text }] : [];
      });
      if (described.length > 0) {
        const d = await this.phraseScores(
          masked,
          described.map((x) => x.text),
          described.map((x) => x.text.toLowerCase().split(/\s+/)),
          classWords,
          vector,
        );
        described.forEach((x, j) => {
          s[x.i] = Math.max(s[x.i] ?? 0, d[j] ?? 0);
        });
      }
      return paths.map((path, i) => {
        const reached = this.reach(topic, path);
        const fit = this.typeFit(reading, path, reached, { asked, named: classes });
        const total = (s[i] ?? 0) + fit - (bare ? 2 : 1) * HOP_PENALTY * (path.length - 1);
        return { path, score: total, reached };
      });
    };
    const one = await score(this.hops([topic]).map((h) => [h]));
    const ones = one.filter((c) => c.reached.size > 0).sort((a, b) => b.score - a.score);
    const twoPaths: RelationPath[] = [];
    for (const first of ones.slice(0, BEAM)) {
      if (first.reached.size > MAX_FRONTIER) continue;
      for (const h of this.hops(first.reached)) {
        const [h0] = first.path;
        // Straight back along the same edge is the topic itself (or its siblings), a reading
        // a two-hop question rarely means; the learned paths still propose it when it is.
        if (h0 && h.predicate === h0.predicate && h.inverse !== h0.inverse && !this.ctx.model) continue;
        twoPaths.push([...first.path, h]);
      }
    }
    const learned = await this.learned(modelText, vector);
    // With no word to match a relation by ("in X", "by X"), what such wordings meant in the
    // learned examples is all there is to go on.
    const learnedWeight = bare ? BARE_LEARNED_WEIGHT : LEARNED_WEIGHT;
    const known = new Set([...ones.map((c) => pathKey(c.path)), ...twoPaths.map((p) => pathKey(p))]);
    const extra = [...learned.keys()]
      .filter((k) => !known.has(k))
      .map(parsePathKey)
      .filter((p) => p[0] !== undefined && this.ctx.graph.hasHop(topic, p[0]));
    const rest = await score([...twoPaths, ...extra]);
    return [...ones, ...rest.filter((c) => c.reached.size > 0)]
      .map((c) => ({ ...c, score: c.score + learnedWeight * (learned.get(pathKey(c.path)) ?? 0) }))
      .sort((a, b) => b.score - a.score);
  }

  /**
   * "The country in Africa with the largest population": a path that ends in a number or date,
   * read by a question with an order word its names do not hold (the "highest" of "highest point"
   * is the relation's own), also means the things before that value, in its order.
   */
  private asOrder(
    p: { path: RelationPath; score: number; reached: Set<string> },
    topic: string,
    reading: Reading,
  ): Array<{ path: RelationPath; score: number; reached: Set<string>; order?: OrderBy }> {
    const last = p.path[p.path.length - 1];
    const kind = this.endKind(p.path);
    const word = reading.order?.word;
    if (!last || !reading.order || (kind !== 'number' && kind !== 'date') || p.path.length < 2) return [p];
    if (word && this.ctx.lexicon.pathWords(p.path).includes(word)) return [p];
    const prefix = p.path.slice(0, -1);
    const reached = this.reach(topic, prefix);
    if (reached.size < 2) return [p];
    let descending = reading.order.polarity === 'high';
    if (reading.order.age && kind === 'date') descending = !descending;
    // The order reading explains the order word; the value reading leaves it unexplained.
    const order = {
      path: prefix,
      score: p.score + HOP_PENALTY,
      reached,
      order: { predicate: last.predicate, descending },
    };
    return [order, { ...p, score: p.score - HOP_PENALTY }];
  }

  /**
   * What learned examples say of this wording, per path key: by meaning (the encoder) when the
   * model keeps its texts, else by words. Only a wording close to a learned one is vouched for.
   */
  private async learned(modelText: string, vector: Float32Array | undefined): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const { model, scorer } = this.ctx;
    if (!model) return out;
    if (scorer && vector) {
      this.semantic ??= SemanticPaths.build(model, scorer.encoder);
      const semantic = await this.semantic;
      if (semantic) {
        for (const p of semantic.predict(vector, 5)) out.set(p.path, p.score * p.similarity ** 2);
      }
    }
    // By words too, where meaning says little ("in X" is as near "who starred in X" as "who
    // wrote X" for the encoder); cubed, a loose likeness of words counts little.
    for (const p of model.predict(modelText, 5)) {
      out.set(p.path, Math.max(out.get(p.path) ?? 0, p.score * p.similarity ** 3));
    }
    return out;
  }

  /** The most common class of some nodes, in words; "one" when they have none. */
  private kindOf(nodes: Iterable<string>): string {
    const count = new Map<string, number>();
    let i = 0;
    for (const n of nodes) {
      if (i++ >= SAMPLE) break;
      for (const t of this.ctx.graph.typesOf(n)) count.set(t, (count.get(t) ?? 0) + 1);
    }
    const [top] = [...count].sort((a, b) => b[1] - a[1]);
    return (top && this.ctx.lexicon.classInfoOf(top[0])?.names[0]) ?? 'one';
  }

  /** Numeric and date properties the given nodes have, with the share of nodes that have each. */
  orderable(nodes: Iterable<string>): Array<{ predicate: string; coverage: number }> {
    const count = new Map<string, number>();
    let i = 0;
    for (const n of nodes) {
      if (i >= SAMPLE) break;
      i++;
      for (const h of this.ctx.graph.hopsFrom(n)) {
        const kind = h.inverse ? undefined : this.ctx.graph.valueKind(h.predicate);
        if (kind === 'number' || kind === 'date') count.set(h.predicate, (count.get(h.predicate) ?? 0) + 1);
      }
    }
    return [...count]
      .sort((a, b) => b[1] - a[1])
      .map(([predicate, n]) => ({ predicate, coverage: n / (i || 1) }));
  }

  /**
   * Which property an order word is about ("largest population", "heavier", "discovered first"):
   * the cue's words against each property's names.
   */
  async orderBy(
    cue: string,
    candidates: ReadonlyArray<{ predicate: string; coverage: number }>,
    reading: Reading,
    /** What is put in order, in words ("city"). */
    subject: string,
  ): Promise<{ order: OrderBy; score: number } | undefined> {
    let properties = candidates;
    if (properties.length === 0 || !reading.order) return undefined;
    const lex = this.ctx.lexicon;
    // "Oldest", "first", "most recent" order by a time; "smallest", "heaviest" by a magnitude.
    const timely = (p: string) =>
      this.ctx.graph.valueKind(p) === 'date' ||
      lex.pathWords([{ predicate: p, inverse: false }]).some((w) => /^(year|date)s?$/.test(w));
    const wantTime = TIME_WORDS.has(reading.order.word) || /\brecent\b/.test(cue);
    const fitting = properties.filter((p) => timely(p.predicate) === wantTime);
    if (fitting.length > 0) properties = fitting;
    const names = properties.map((p) => lex.noun(p.predicate));
    const words = properties.map((p) => lex.pathWords([{ predicate: p.predicate, inverse: false }]));
    // "The biggest city" against "the city with the biggest population", "... longitude": which
    // properties the word can be about, when the question names none.
    const word = reading.order.word;
    const paired = this.ctx.scorer
      ? await this.ctx.scorer.similarities(
          await this.ctx.scorer.query(`the ${word} ${subject}`),
          names.map((n) => `the ${subject} with the ${word} ${n}`),
        )
      : names.map(() => 0);
    const plain = await this.phraseScores(cue, names, words);
    // A property few of the things have is seldom the one they are compared by.
    const scores = plain.map((s, i) => (s + (paired[i] ?? 0)) / 2 + 0.1 * (properties[i]?.coverage ?? 0));
    let best = 0;
    scores.forEach((s, i) => {
      if (s > (scores[best] ?? 0)) best = i;
    });
    const predicate = properties[best]?.predicate as string;
    const date = this.ctx.graph.valueKind(predicate) === 'date';
    let descending = reading.order.polarity === 'high';
    // The oldest of dates is the earliest; of ages, the largest.
    if (reading.order.age && date) descending = !descending;
    return { order: { predicate, descending }, score: scores[best] ?? 0 };
  }

  /** The question with mentions replaced: X for the encoder (spelling corrected), ENT for the model. */
  private masks(question: string, masked: readonly Mention[]): { encoder: string; model: string } {
    let encoder = question;
    let model = question;
    for (const m of [...masked].sort((a, b) => b.start - a.start)) {
      encoder = `${encoder.slice(0, m.start)}X${encoder.slice(m.end)}`;
      model = maskMention(model, m.start, m.end);
    }
    return { encoder: this.correct(encoder).toLowerCase().replace(/\bx\b/g, 'X'), model };
  }

  /** Every reading the KB allows, best first. */
  async interpret(
    question: string,
    mentions: readonly Mention[],
    reading: Reading,
  ): Promise<Interpretation[]> {
    const { graph } = this.ctx;
    const corrected = this.correct(question);
    const classes = this.namedClasses(corrected);
    const q: Question = {
      text: question,
      reading,
      classes,
      cue: this.cue(
        corrected.length === question.length ? corrected : question,
        reading,
        mentions,
        this.classWords(classes),
      ),
      usable: mentions.filter((m) => m.candidates.some((c) => graph.has(c.iri))).slice(0, 4),
    };
    const compared = await this.comparisons(q);
    if (compared.length > 0) return compared;
    const out = [...(await this.yesNo(q)), ...(await this.walks(q)), ...(await this.classReadings(q))];
    return out.sort((a, b) => b.score - a.score);
  }

  /** The first candidate of a mention that is in the graph. */
  private top(m: Mention): LinkedEntity {
    return m.candidates.find((c) => this.ctx.graph.has(c.iri)) as LinkedEntity;
  }

  /** "Which is bigger, A or B?", "Is A older than B?": two things side by side, by a property. */
  private async comparisons(q: Question): Promise<Interpretation[]> {
    const out: Interpretation[] = [];
    const byPosition = [...q.usable].sort((a, b) => a.start - b.start);
    for (let i = 0; q.reading.order && i + 1 < byPosition.length; i++) {
      const ma = byPosition[i] as Mention;
      const mb = byPosition[i + 1] as Mention;
      const between = q.text.slice(ma.end, mb.start).toLowerCase();
      if (!/\bor\b/.test(between) && !(q.reading.than && /\bthan\b/.test(between))) continue;
      const [a, b] = [this.top(ma), this.top(mb)];
      if (a.iri === b.iri) continue;
      const theirs = new Set(this.orderable([b.iri]).map((p) => p.predicate));
      const common = this.orderable([a.iri]).filter((p) => theirs.has(p.predicate));
      const by = await this.orderBy(q.cue, common, q.reading, this.kindOf([a.iri, b.iri]));
      if (!by) continue;
      out.push({
        kind: 'compare',
        items: [a, b],
        order: by.order,
        yesNo: q.reading.yesNo && q.reading.than,
        score: (COMPARE_BASE + 0.2 * by.score) * Math.min(linkFactor(a), linkFactor(b)),
        reading: `${a.label} or ${b.label}, by ${this.ctx.lexicon.noun(by.order.predicate)}`,
      });
    }
    return out;
  }

  /** Yes/no about two things: the best path from one, and whether it reaches the other. */
  private async yesNo(q: Question): Promise<Interpretation[]> {
    if (!q.reading.yesNo || q.usable.length < 2) return [];
    const out: Interpretation[] = [];
    for (const ma of q.usable.slice(0, 3)) {
      for (const mb of q.usable.slice(0, 3)) {
        if (ma === mb) continue;
        const [a, b] = [this.top(ma), this.top(mb)];
        const m = this.masks(q.text, [ma]);
        const [best] = await this.paths(m.model, m.encoder, a.iri, q.reading, [], b);
        if (!best) continue;
        out.push({
          kind: 'ask',
          topic: a,
          target: b,
          path: best.path,
          score: best.score * Math.min(linkFactor(a), linkFactor(b)),
          reading: `${this.ctx.lexicon.describe(best.path, a.label)} is ${b.label}`,
        });
      }
    }
    return out;
  }

  /** Walks from each linked thing along its best paths, counted or put in order when asked. */
  private async walks(q: Question): Promise<Interpretation[]> {
    const { graph } = this.ctx;
    const out: Interpretation[] = [];
    for (const m of q.usable) {
      for (const c of m.candidates.filter((e) => graph.has(e.iri)).slice(0, 2)) {
        const masks = this.masks(q.text, [m]);
        const paths = await this.paths(masks.model, masks.encoder, c.iri, q.reading, q.classes);
        for (const p of paths.slice(0, 3).flatMap((x) => this.asOrder(x, c.iri, q.reading))) {
          const valueEnd = this.endKind(p.path) !== undefined;
          const named = valueEnd
            ? undefined
            : q.classes.find((cls) => partly(p.reached, (n) => graph.isA(n, cls)));
          const answers = named ? [...p.reached].filter((n) => graph.isA(n, named)) : [...p.reached];
          let aggregate: 'count' | OrderBy | undefined = p.order;
          if (!aggregate && q.reading.count && !valueEnd) aggregate = 'count';
          else if (!aggregate && q.reading.order && !valueEnd && answers.length > 1) {
            aggregate = (await this.orderBy(q.cue, this.orderable(answers), q.reading, this.kindOf(answers)))
              ?.order;
          }
          // A yes/no question answered with a list is not what was asked.
          const score = (q.reading.yesNo ? 0.7 : 1) * p.score;
          out.push({
            kind: 'walk',
            topic: c,
            mention: m,
            path: p.path,
            ...(named ? { type: named } : {}),
            ...(aggregate ? { aggregate } : {}),
            score: score * linkFactor(c),
            reading: this.ctx.lexicon.describe(p.path, c.label),
          });
        }
      }
    }
    return out;
  }

  /** The instances of a class the question names, counted or put in order. */
  private async classReadings(q: Question): Promise<Interpretation[]> {
    const out: Interpretation[] = [];
    for (const type of q.classes) {
      const name = this.ctx.lexicon.classInfoOf(type)?.names[0] ?? type;
      if (q.reading.count) {
        out.push({ kind: 'class', type, aggregate: 'count', score: CLASS_COUNT, reading: `every ${name}` });
      } else if (q.reading.order) {
        const by = await this.orderBy(
          q.cue,
          this.orderable(this.ctx.graph.instancesOf(type)),
          q.reading,
          name,
        );
        if (!by) continue;
        out.push({
          kind: 'class',
          type,
          aggregate: by.order,
          score: CLASS_ORDER + 0.3 * Math.min(1, by.score),
          reading: `every ${name} by ${this.ctx.lexicon.noun(by.order.predicate)}`,
        });
      }
    }
    return out;
  }

  /** The words of the question around an order word, without the linked names. */
  cue(text: string, reading: Reading, mentions: readonly Mention[], classWords: ReadonlySet<string>): string {
    let rest = text;
    for (const m of [...mentions].sort((a, b) => b.start - a.start))
      rest = rest.slice(0, m.start) + rest.slice(m.end);
    const words = contentWords(rest).filter((w) => !classWords.has(w));
    return words.length > 0 ? words.join(' ') : (reading.order?.word ?? '');
  }
}
