/**
 * One question's way through the house (../shared/DESIGN.md): parse, run the routes that have
 * data concurrently, each under its own deadline, then rank. A failing or late route adds a
 * warning; it never fails the request. Stores and models are opened once, here.
 */
import type { Config } from '../core/config.js';
import { dataVersion } from '../core/data-version.js';
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import { stopwatch } from '../core/stopwatch.js';
import type {
  Answer,
  AskRequest,
  Candidate,
  DialogueTurn,
  ParsedQuestion,
  QuestionScope,
  RouteName,
  RouteTiming,
  Stages,
  TurnTopic,
} from '../core/types.js';
import { foldLabel } from '../core/words.js';
import {
  isPronoun,
  MAX_HISTORY,
  type Named,
  type PriorTurn,
  type Rewrite,
  rewrites,
} from '../dialogue/followup.js';
import { openKbStore } from '../kbqa/open-store.js';
import type { KbqaRoute } from '../kbqa/route.js';
import type { RdfStore } from '../kbqa/store.js';
import type { ModelRegistry } from '../models/registry.js';
import { type AnswerForm, MrcRoute } from '../mrc/route.js';
import { analyse } from '../parse/analyse.js';
import { type Calibration, DEFAULT_CALIBRATION, forReader, isDescriptive, rank } from '../rank/ranker.js';
import { verify } from '../rank/verify.js';
import { AnswerCache, answerKey } from './answer-cache.js';
import type { OpenCqa } from './cqa.js';
import { openCqa } from './cqa.js';
import { openKbqa } from './kbqa.js';
import { openRetrieval } from './retrieval.js';
import { dataAsOf, openWorkspaceDb } from './workspace.js';

export const ROUTES: readonly RouteName[] = ['kbqa', 'mrc', 'cqa'];

/**
 * A verified answer from the KB or the archive at least this likely to be right (calibrated) makes
 * reading passages pointless: the MRC route then retrieves but does not read. Checked on the demo
 * set and the strangers' tune part: no answer got worse (docs/BENCHMARKS.md).
 */
export const SKIP_READING = 0.9;

/** Standalone readings of a follow-up asked at most. */
const MAX_READINGS = 3;

/** Turns question text into a parse; the learned parser, or a stand-in while none is installed. */
export type Parse = (text: string) => ParsedQuestion;

export interface PipelineOptions {
  parse: Parse;
  calibration?: Calibration;
  /** Per-route deadline, ms. */
  deadlineMs?: number;
  onProgress?: (what: string, done: number, total: number) => void;
}

export { bundledKbqaModelPath, kbqaModelPath } from './kbqa.js';

interface Routes {
  kbqa?: KbqaRoute;
  mrc?: MrcRoute;
  cqa?: OpenCqa;
}

function withDeadline<T>(p: Promise<T>, ms: number, route: RouteName): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QaError('timeout', `${route} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** How the MRC route should answer: descriptive questions get passages, factoids spans. */
export function answerForm(pq: Pick<ParsedQuestion, 'type' | 'answerType'>): AnswerForm {
  if (isDescriptive(pq)) return 'passage';
  if (pq.type === 'factoid' || pq.type === 'list') return pq.answerType === 'entity' ? 'auto' : 'span';
  return 'span';
}

export class Pipeline {
  /** Answers already given, until the data changes (answer-cache.ts). */
  private readonly cache: AnswerCache;

  private constructor(
    readonly config: Config,
    readonly models: ModelRegistry,
    readonly db: Db,
    private readonly routes: Routes,
    private readonly kbStore: RdfStore | undefined,
    private readonly opts: Required<Omit<PipelineOptions, 'onProgress'>> & { readerName: string | undefined },
    /** Why a route is off, for the warnings. */
    private readonly off: Partial<Record<RouteName, string>>,
    /** What the routes said when they opened (a KB without names), for health and every answer. */
    readonly notes: { kbqaMode?: string; warnings: string[] } = { warnings: [] },
  ) {
    this.cache = new AnswerCache(config.answerCache);
  }

  static async open(config: Config, models: ModelRegistry, opts: PipelineOptions): Promise<Pipeline> {
    const db = openWorkspaceDb(config);
    const progress = opts.onProgress ?? (() => {});
    const routes: Routes = {};
    const off: Partial<Record<RouteName, string>> = {
      mrc: 'no documents in the workspace (qa ingest docs)',
      cqa: 'no CQA matcher installed (qa train matcher)',
      kbqa: 'no knowledge base in the workspace (qa ingest kb)',
    };
    const retriever = await openRetrieval(db, config, models, {
      onVectors: (d, t) => progress('passage vectors', d, t),
      onGraph: (d, t) => progress('passage graph', d, t),
    });
    if (retriever.store.counts().passages > 0) routes.mrc = new MrcRoute(retriever);
    try {
      routes.cqa = await openCqa(db, config, models, (d, t) => progress('thread vectors', d, t));
    } catch (e) {
      if (!(e instanceof QaError && e.code === 'not_found')) throw e;
    }
    const kbStore: RdfStore = openKbStore(config);
    const notes: { kbqaMode?: string; warnings: string[] } = { warnings: [] };
    if ((await kbStore.size()) > 0) {
      const kb = await openKbqa(kbStore, config, models);
      routes.kbqa = kb.route;
      notes.kbqaMode = kb.mode;
      notes.warnings.push(...kb.warnings.map((w) => `kbqa: ${w}`));
    }
    return new Pipeline(
      config,
      models,
      db,
      routes,
      kbStore,
      {
        parse: opts.parse,
        calibration: opts.calibration ?? DEFAULT_CALIBRATION,
        deadlineMs: opts.deadlineMs ?? 10_000,
        // Resolved once: the registry scan reads every manifest, too much for each question.
        readerName: config.reader ?? models.defaultReader()?.manifest.name,
      },
      off,
      notes,
    );
  }

  /**
   * After documents were added while running: vectors for the new passages, a fresh dense index,
   * and the MRC route switched on if the workspace had no passages before.
   */
  async refreshDocs(): Promise<void> {
    const retriever = await openRetrieval(this.db, this.config, this.models);
    if (retriever.store.counts().passages > 0) this.routes.mrc = new MrcRoute(retriever);
  }

  /**
   * The year the workspace's data was written: from the config, else as recorded when it was
   * loaded (the bundled data records it before any pipeline opens). Read once, not per question.
   */
  private get asOf(): number | undefined {
    if (this.dataYear === null) {
      const asOf = this.config.asOf ?? dataAsOf(this.db);
      this.dataYear = asOf ? Number(asOf.slice(0, 4)) : undefined;
    }
    return this.dataYear;
  }

  private dataYear: number | undefined | null = null;

  /** The reader a request without one gets: the configured one, else the first installed. */
  get readerName(): string | undefined {
    return this.opts.readerName;
  }

  /** Routes that have data to answer from. */
  get available(): RouteName[] {
    return ROUTES.filter((r) => this.routes[r] !== undefined);
  }

  /**
   * Routes with data to answer from, whatever a request asks for: the router's weights are a
   * prior over these. An archive with no threads yet has nothing to answer from.
   */
  private present(): RouteName[] {
    return this.available.filter((r) => r !== 'cqa' || (this.routes.cqa?.archive.count() ?? 0) > 0);
  }

  get cqa(): OpenCqa | undefined {
    return this.routes.cqa;
  }

  /**
   * What the question is about: the subjects of documents it names, directly or through the KB
   * linker's names and aliases; when there are none, the names read evidence must mention.
   */
  private scopeOf(pq: ParsedQuestion): QuestionScope {
    const linker = this.routes.kbqa?.linker;
    const linked = linker?.link(pq.normalized) ?? [];
    const names = linked.flatMap((m) => {
      const top = m.candidates[0];
      return top && linker ? [m.text, ...linker.labelsOf(top.iri)] : [m.text];
    });
    const about = this.routes.mrc?.topics.subjectsIn(pq.normalized, names) ?? [];
    // Beside a document subject, a capitalised word is more often a qualifier ("East and West
    // Germany") than a topic: names are checked only when no document is about the question.
    if (about.length > 0) return { about, named: [] };
    const linkedWords = new Set(linked.flatMap((m) => foldLabel(m.text).split(' ')));
    const others = pq.mentions
      .map((m) => m.text.replace(/['’]s$/u, ''))
      .filter(
        (t) =>
          foldLabel(t) !== '' &&
          !foldLabel(t)
            .split(' ')
            .some((w) => linkedWords.has(w)),
      );
    // A short or lower-case link is as often a code or a word ("my", "Am") as a name.
    const linkedNames = linked.map((m) => m.text).filter((t) => t.length > 3 && /^\p{Lu}/u.test(t));
    return { about, named: [...linkedNames, ...others] };
  }

  private async runRoute(
    route: RouteName,
    pq: ParsedQuestion,
    scope: QuestionScope,
    req: AskRequest,
    stages: Stages,
    /** MRC: asked after retrieval, before reading; false skips the reading. */
    readIf?: () => Promise<boolean>,
  ): Promise<Candidate[]> {
    const q = pq.normalized;
    if (route === 'kbqa' && this.routes.kbqa) {
      return (await this.routes.kbqa.answer(q, { limit: 20, timeoutMs: this.opts.deadlineMs })).candidates;
    }
    if (route === 'mrc' && this.routes.mrc) {
      const name = req.reader ?? this.readerName;
      if (!name) throw new QaError('not_found', 'no reader model is installed');
      const reader = await this.models.reader(name, { threads: this.config.threads });
      return (
        await this.routes.mrc.answer(q, reader, {
          about: scope.about,
          form: answerForm(pq),
          stages,
          ...(readIf ? { readIf } : {}),
          ...(req.filters ? { filter: req.filters } : {}),
        })
      ).candidates;
    }
    if (route === 'cqa' && this.routes.cqa) {
      return (await this.routes.cqa.route.answer(q)).candidates;
    }
    return [];
  }

  /**
   * The things a text names that the workspace knows, in text order: KB entities (by their label),
   * documents' subjects, and, failing those, capitalised names as written.
   */
  findNames(text: string): Named[] {
    const found: Named[] = [];
    const overlaps = (s: number, e: number) => found.some((n) => n.start < e && s < n.end);
    for (const m of this.routes.kbqa?.linker.link(text) ?? []) {
      const top = m.candidates[0];
      if (top && !overlaps(m.start, m.end)) {
        found.push({ label: top.label, id: top.iri, start: m.start, end: m.end, surface: m.text });
      }
    }
    for (const n of this.routes.mrc?.topics.namesIn(text) ?? []) {
      if (!overlaps(n.start, n.end)) {
        found.push({
          label: n.label,
          id: n.subject,
          start: n.start,
          end: n.end,
          surface: text.slice(n.start, n.end),
        });
      }
    }
    for (const m of analyse(text).mentions) {
      if (!overlaps(m.start, m.end))
        found.push({ label: m.text, start: m.start, end: m.end, surface: m.text });
    }
    return found.filter((n) => !isPronoun(n.surface)).sort((a, b) => a.start - b.start);
  }

  /** Earlier turns as standalone questions with their topics: as the client echoed them, else re-read. */
  private priorTurns(history: readonly DialogueTurn[]): PriorTurn[] {
    const prior: PriorTurn[] = [];
    for (const h of history.slice(-MAX_HISTORY)) {
      const resolved =
        h.resolved ?? rewrites(h.question, prior, (t) => this.findNames(t))[0]?.resolved ?? h.question;
      const named = this.findNames(resolved)[0];
      prior.push({
        question: h.question,
        resolved,
        ...(named
          ? { topic: { label: named.label, surface: named.surface, ...(named.id ? { id: named.id } : {}) } }
          : {}),
        ...(h.answer ? { answer: h.answer } : {}),
      });
    }
    return prior;
  }

  /**
   * A question, with the conversation before it: each standalone reading it allows is asked in
   * turn, and the first answered with confidence is kept (else the most likely reading's abstention).
   */
  async ask(req: AskRequest): Promise<Answer> {
    const t0 = performance.now();
    const key = answerKey(req, this.readerName);
    const version = dataVersion(this.db);
    const hit = this.remembered(key, version, t0);
    if (hit) return hit;
    const answer = await this.answer(req, t0);
    // Kept at the version the question started at: data changed meanwhile makes it stale at once.
    // An answer a failed or late route shaped is not kept: the next asking may go better.
    if (!answer.timings.some((t) => t.error !== undefined)) this.cache.set(key, version, answer);
    return answer;
  }

  /** The answer given before to the same request over the same data, if it is remembered. */
  cached(req: AskRequest): Answer | undefined {
    return this.remembered(answerKey(req, this.readerName), dataVersion(this.db), performance.now());
  }

  private remembered(key: string, version: number, t0: number): Answer | undefined {
    const hit = this.cache.get(key, version);
    return hit && { ...hit, cached: true, ms: performance.now() - t0 };
  }

  private async answer(req: AskRequest, t0: number): Promise<Answer> {
    if (!req.history?.length) return this.askOne(req, t0);
    const text = req.question.trim();
    if (!text) throw new QaError('bad_input', 'the question is empty', { where: 'question' });
    const prior = this.priorTurns(req.history);
    const options = rewrites(text, prior, (t) => this.findNames(t)).slice(0, MAX_READINGS);
    let kept: { answer: Answer; reading: Rewrite } | undefined;
    for (const reading of options) {
      const answer = await this.askOne({ ...req, question: reading.resolved }, t0);
      if (!kept) kept = { answer, reading };
      if (!answer.abstained) {
        kept = { answer, reading };
        break;
      }
    }
    const { answer, reading } = kept as { answer: Answer; reading: Rewrite };
    const topic = reading.topic ?? this.topicOf(answer);
    return {
      ...answer,
      question: req.question,
      resolved: reading.resolved,
      ...(topic ? { topic: { label: topic.label, ...(topic.id ? { id: topic.id } : {}) } } : {}),
      ms: performance.now() - t0,
    };
  }

  /** What an answer is about when its question named nothing: the subject of its passage. */
  private topicOf(a: Answer): TurnTopic | undefined {
    const e = a.answers[0]?.evidence;
    if (e?.kind !== 'passage' || !e.title) return undefined;
    const [named] = this.routes.mrc?.topics.namesIn(e.title) ?? [];
    return named ? { label: named.label, id: named.subject } : undefined;
  }

  private async askOne(req: AskRequest, t0: number): Promise<Answer> {
    const text = req.question.trim();
    if (!text) throw new QaError('bad_input', 'the question is empty', { where: 'question' });
    const stages: Stages = {};
    const { lap, restart } = stopwatch(stages);
    const parsed = this.opts.parse(text);
    lap('parse');
    const scope = this.scopeOf(parsed);
    lap('scope');
    const wanted = req.routes ?? ROUTES;
    const warnings: string[] = wanted.includes('kbqa') ? [...this.notes.warnings] : [];
    for (const r of wanted) {
      if (!this.routes[r]) warnings.push(`${r}: ${this.off[r] ?? 'not available'}`);
    }
    const running = wanted.filter((r) => this.routes[r]);
    const timings: RouteTiming[] = [];
    const calibration = forReader(this.opts.calibration, req.reader ?? this.readerName);
    const checkOpts = { asOf: this.asOf, thisYear: new Date().getFullYear() };
    const run = async (
      route: RouteName,
      own: Stages,
      readIf?: () => Promise<boolean>,
    ): Promise<Candidate[]> => {
      const start = performance.now();
      try {
        const cands = await withDeadline(
          this.runRoute(route, parsed, scope, req, own, readIf),
          this.opts.deadlineMs,
          route,
        );
        const skippedFor = readIf ? await settled : undefined;
        timings.push({
          route,
          ms: performance.now() - start,
          candidates: cands.length,
          ...(Object.keys(own).length ? { stages: own } : {}),
          ...(skippedFor
            ? {
                note: `passages not read: ${skippedFor.route} holds a verified answer ${(100 * skippedFor.score).toFixed(0)}% likely to be right`,
              }
            : {}),
        });
        return cands;
      } catch (e) {
        const message = e instanceof QaError ? e.describe() : (e as Error).message;
        // A caller's mistake (an unknown reader) is the caller's error, not a route failure.
        if (e instanceof QaError && e.code === 'not_found' && req.reader) throw e;
        timings.push({ route, ms: performance.now() - start, candidates: 0, error: message });
        warnings.push(`${route}: ${message}`);
        return [];
      }
    };
    // The cheap routes (the KB, the archive: milliseconds) decide first. While they run, the MRC
    // route retrieves; it reads (the costly part) only if they hold no verified, confident answer.
    const cheap = running.filter((r) => r !== 'mrc').map((r) => run(r, {}));
    const settled: Promise<Candidate | undefined> = Promise.all(cheap).then((lists) => {
      const cands = lists.flat();
      const verified = cands.map((c) => verify(c, parsed, scope, checkOpts));
      const best = rank(cands, parsed, calibration, 1, running, this.present(), verified).answers[0];
      return best && best.score >= SKIP_READING ? best : undefined;
    });
    const readIf = async () => (await settled) === undefined;
    const results = await Promise.all([
      ...cheap,
      ...(running.includes('mrc') ? [run('mrc', {}, readIf)] : []),
    ]);
    // The routes ran concurrently: their time is in `timings`; from here on it is ranking's.
    restart();
    const candidates = results.flat();
    const verified = candidates.map((c) => verify(c, parsed, scope, checkOpts));
    const ranked = rank(candidates, parsed, calibration, req.topK ?? 5, running, this.present(), verified);
    lap('rank');
    return {
      question: req.question,
      answers: ranked.answers,
      abstained: ranked.abstained,
      ...(ranked.reason ? { reason: ranked.reason } : {}),
      parsed,
      timings: timings.sort((a, b) => ROUTES.indexOf(a.route) - ROUTES.indexOf(b.route)),
      stages,
      warnings,
      ms: performance.now() - t0,
      ...(req.explain
        ? {
            explanation: {
              calibration: calibration.source,
              threshold: calibration.threshold,
              candidates: ranked.scored,
            },
          }
        : {}),
    };
  }

  async close(): Promise<void> {
    await this.models.close();
    await this.kbStore?.close();
    this.db.close();
  }
}
