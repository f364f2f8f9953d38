/**
 * `qa train calibration`: fit the ranker's per-route calibration on held-out SQuAD 2.0, SemEval and KB
 * questions, choose the abstention threshold for a target precision and write them to models/; with
 * `--reader-only`, fit one reader's own MRC parameters and add them to the file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { matcherPath } from '../app/cqa.js';
import { bundledKbqaModelPath, openKbqa } from '../app/kbqa.js';
import { openPipeline, withSquadPipeline } from '../app/open.js';
import { openEncoder, openRetrieval } from '../app/retrieval.js';
import { openWorkspaceDb } from '../app/workspace.js';
import { normalizeAnswer } from '../core/answer-text.js';
import { PACKAGE_ROOT } from '../core/config.js';
import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import { readJsonFile } from '../core/json.js';
import { loadSquad } from '../core/squad-data.js';
import type { Answer, ParsedQuestion, RouteName } from '../core/types.js';
import { matcherParts, readMatcherFile } from '../cqa/matcher-model.js';
import {
  ANSWER_KINDS,
  type AnswerMaps,
  type AnswerPoint,
  type AnswerSample,
  answerCurve,
  finalProbability,
  fitAnswerCalibration,
} from '../eval/answer-calibration.js';
import {
  chooseThreshold,
  coverageCurve,
  fitRouteCalibration,
  type HeldOutQuestion,
  kbqaHeldOut,
  type LabelledCandidate,
  MAX_ROUTER_WEIGHT,
  sampleEvenly,
  semevalHeldOut,
  squadHeldOut,
  topCandidates,
} from '../eval/calibration.js';
import { answerMatches, judge, readDemoQuestions } from '../eval/demo.js';
import { readKbQuestions } from '../eval/kbqa.js';
import { readMetaqa } from '../eval/metaqa.js';
import { articleSplit, OPEN_CORRECT_F1, outcomeOf } from '../eval/open.js';
import { FeedbackStore } from '../feedback/store.js';
import { OxigraphStore } from '../kbqa/oxigraph-store.js';
import { sourceFor } from '../kbqa/rdf-files.js';
import { RelationModel, type RelationModelJson } from '../kbqa/relation-model.js';
import { COUNT_Q } from '../kbqa/route.js';
import type { ExtractiveReader } from '../mrc/reader.js';
import { MrcRoute } from '../mrc/route.js';
import { QuestionParser, routerPath } from '../parse/router.js';
import {
  type CalibrationFile,
  calibrationPath,
  type ReaderCalibration,
  readCalibrationFile,
  toCalibration,
  writeCalibrationFile,
} from '../rank/calibration-file.js';
import {
  answerKind,
  type Calibration,
  DEFAULT_CALIBRATION,
  forReader,
  isDescriptive,
} from '../rank/ranker.js';
import { readSourceFile } from '../retrieval/doc-sources.js';
import { DocStore } from '../retrieval/doc-store.js';
import { type CliContext, contextFrom, parseIntOption, readerName } from './context.js';
import { DEFAULT_ROUTING_DATA } from './eval-routing.js';
import { progressBar } from './progress.js';

interface Options {
  data: string;
  kb: string;
  kbQuestions: string[];
  kbModel?: string;
  limit: number;
  targetPrecision?: number;
  readerOnly?: boolean;
  answers?: string[];
  feedback?: boolean;
  out?: string;
}

/** Precision the threshold must reach: of the routes' own questions, and of the answers people see. */
const ROUTE_PRECISION = 0.8;
/** Fewer answers than this keep the threshold where it was. */
const MIN_FOR_THRESHOLD = 30;
const ANSWER_PRECISION = 0.95;

function parseProbability(v: string): number {
  const x = Number(v);
  if (!Number.isFinite(x) || x < 0 || x > 1) {
    throw new QaError('bad_input', `--target-precision must be between 0 and 1, got "${v}"`);
  }
  return x;
}

/** The threshold chosen, and whether it reached the target precision. */
function describeChoice(choice: { threshold: number; met: boolean }, target: number): string {
  return (
    `threshold ${choice.threshold.toFixed(2)}: ` +
    (choice.met
      ? `the smallest with precision ≥ ${target}`
      : `no threshold reaches precision ${target}; the most precise one`)
  );
}

const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(3));

/** The calibration file a fit starts from: the one at --out, else the installed one. */
function baseFile(out: string, installed: string): CalibrationFile | undefined {
  if (existsSync(out)) return readCalibrationFile(out);
  return existsSync(installed) ? readCalibrationFile(installed) : undefined;
}

/** What one fit works with: a scratch workspace, the SQuAD 2.0 file, the reader and the file it starts from. */
interface FitRun {
  ctx: CliContext;
  opts: Options;
  out: string;
  /** The calibration file at --out, else the installed one. */
  base: CalibrationFile | undefined;
  reader: ExtractiveReader;
  db: Db;
  dir: string;
  squadFile: string;
  parse: (text: string) => ParsedQuestion;
}

/** SQuAD 2.0 questions asked through hybrid retrieval and the reader, over the file's contexts. */
async function squadPart({ ctx, db, dir, reader, squadFile: file, opts, parse }: FitRun) {
  new DocStore(db).ingest([readSourceFile(file, 'squad')]);
  const vecBar = progressBar('passage vectors');
  const retriever = await openRetrieval(db, { ...ctx.config, workspace: dir }, ctx.models, {
    onVectors: (d, t) => vecBar.update(d, t),
  });
  vecBar.stop();
  const qBar = progressBar('SQuAD questions');
  const squad = await squadHeldOut({
    file,
    limit: opts.limit,
    route: new MrcRoute(retriever),
    reader,
    parse,
    onQuestion: (d, t) => qBar.update(d, t),
  });
  qBar.stop();
  return squad;
}

function mrcFittedOn(
  squad: { questions: readonly HeldOutQuestion[]; unanswerable: number },
  file: string,
  reader?: string,
): string {
  return (
    `${squad.questions.length} questions of ${basename(file)} (${squad.unanswerable} unanswerable, ` +
    `fitted on their ${topCandidates(squad.questions).length} top candidates; ` +
    `${reader ? `reader ${reader}, ` : ''}hybrid retrieval over the file's contexts)`
  );
}

/**
 * `--reader-only`: the MRC route's parameters for one reader, added to the calibration file; the
 * other routes, the other readers and the threshold stay as they are.
 */
async function fitReaderOnly(run: FitRun) {
  const { out, base, reader, squadFile } = run;
  if (!base) {
    throw new QaError('not_found', 'no calibration file to add a reader to', {
      where: out,
      hint: 'fit the whole calibration first (without --reader-only)',
    });
  }
  const squad = await squadPart(run);
  const keepC = DEFAULT_CALIBRATION.routes.mrc.c;
  const fit = fitRouteCalibration(topCandidates(squad.questions), keepC);
  if (!fit) {
    throw new QaError(
      'bad_input',
      `reader ${reader.name}: its top answers to these questions were all right or all wrong, so there is nothing to fit`,
      { where: squadFile, hint: 'ask more questions (--limit)' },
    );
  }
  const note = fit.c === 'kept' ? `; c kept at ${keepC}, the router term barely varies` : '';
  const entry: ReaderCalibration = { ...fit.calibration, fittedOn: mrcFittedOn(squad, squadFile) + note };
  writeCalibrationFile(out, { ...base, readers: { ...base.readers, [reader.name]: entry } });

  // The reader's own questions at the file's threshold: through the shared MRC mapping, and its own.
  const shared: Calibration = { routes: base.routes, threshold: base.threshold, source: 'shared' };
  const own = forReader({ ...shared, readers: { [reader.name]: fit.calibration } }, reader.name);
  const at = (cal: Calibration) => {
    const p = coverageCurve(squad.questions, cal).find((x) => x.threshold >= base.threshold - 1e-9);
    return `coverage ${fmt(p?.coverage ?? null)}, precision ${fmt(p?.precision ?? null)}`;
  };
  const { a, b, c } = fit.calibration;
  const lines = [
    `mrc for reader ${reader.name}: a ${a.toFixed(4)}, b ${b.toFixed(4)}, c ${c.toFixed(4)}`,
    `at the threshold ${base.threshold.toFixed(2)} on these questions:`,
    `  the shared mrc calibration: ${at(shared)}`,
    `  the reader's own:           ${at(own)}`,
    `wrote ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** Every route's parameters and the abstention threshold, fitted together. */
async function fitAll(run: FitRun) {
  const { ctx, opts, out, base, reader, db, squadFile, parse } = run;
  const { config, models } = ctx;
  const semevalDev = join(opts.data, 'cqa', 'semeval2016-dev.jsonl');
  const semevalTrain = join(opts.data, 'cqa', 'semeval2016-train.jsonl');
  // Other readers' own MRC parameters stay; the one refitted here gets the shared ones.
  const otherReaders = Object.fromEntries(
    Object.entries(base?.readers ?? {}).filter(([name]) => name !== reader.name),
  );
  const squad = await squadPart(run);

  // KBQA over its KB: its own questions, and the SQuAD sample it should leave to the reader.
  const kb = new OxigraphStore();
  await kb.load([sourceFor(opts.kb)]);
  const kbModelFile = opts.kbModel ?? bundledKbqaModelPath(config);
  const relations = RelationModel.fromJSON(readJsonFile(kbModelFile) as RelationModelJson);
  const { route } = await openKbqa(kb, config, models, { model: relations });
  const squadSample = sampleEvenly(loadSquad(squadFile).questions, opts.limit);
  const kBar = progressBar('KB questions');
  const kbqa = await kbqaHeldOut({
    route,
    // A "how many" wording listed with the path's answers (not a count) says which path
    // the question takes, not what its answer is: it cannot label an answer right or wrong.
    questions: opts.kbQuestions.flatMap(
      (f): Array<{ question: string; answers: string[] }> =>
        f.endsWith('.jsonl')
          ? readKbQuestions(f).filter((q) => q.split !== 'held-out')
          : sampleEvenly(
              readMetaqa(f).filter(
                (q) => !COUNT_Q.test(q.question) || q.answers.every((a) => /^[\d.,]+$/.test(a)),
              ),
              300,
            ),
    ),
    others: squadSample.map((q) => ({
      question: q.question,
      answers: q.isImpossible ? [] : q.answers,
    })),
    parse,
    onQuestion: (d, t) => kBar.update(d, t),
  });
  kBar.stop();
  await kb.close();
  // A SQuAD question's KB candidates compete with its MRC ones, as in the pipeline.
  const squadBoth = squad.questions.map((q, i) => [...q, ...(kbqa.others[i] ?? [])]);

  const weights = readMatcherFile(matcherPath(config));
  const parts = matcherParts(weights, await openEncoder(config, models));
  const tBar = progressBar('thread vectors');
  const cqa = await semevalHeldOut({
    db,
    evalFile: semevalDev,
    archiveFiles: [semevalTrain],
    model: parts.model,
    ...(parts.dense ? { encoder: parts.dense } : {}),
    parse,
    onVectors: (d, t) => tBar.update(d, t),
  });
  tBar.stop();

  // MRC: each question's top span, where abstention is decided; CQA: all 10 candidates per question.
  const fitted: Partial<Record<RouteName, LabelledCandidate[]>> = {
    mrc: topCandidates(squad.questions),
    cqa: cqa.flat(),
    kbqa: [...topCandidates(kbqa.own), ...topCandidates(kbqa.others)],
  };
  const routes = { ...DEFAULT_CALIBRATION.routes };
  const notes: string[] = [];
  for (const route of ['kbqa', 'mrc', 'cqa'] as const) {
    const cands = fitted[route] ?? [];
    const keepC = DEFAULT_CALIBRATION.routes[route].c;
    const fit = fitRouteCalibration(cands, keepC);
    if (!fit) notes.push(`${route}: defaults (the candidates were all right or all wrong)`);
    else {
      routes[route] = fit.calibration;
      if (fit.c === 'kept') {
        notes.push(
          `${route}: c kept at ${keepC}, the router term barely varies on these questions ` +
            `(sd ${fit.routerSpread.toFixed(3)})`,
        );
      } else if (fit.c === 'capped') {
        notes.push(`${route}: c held at ${MAX_ROUTER_WEIGHT}, the most the router may weigh`);
      }
    }
  }
  const cal: Calibration = { routes, threshold: 0, source: 'fitting' };
  const pooled = [...kbqa.own, ...squadBoth, ...cqa];
  const curve = coverageCurve(pooled, cal);
  const target = opts.targetPrecision ?? ROUTE_PRECISION;
  const choice = chooseThreshold(curve, target);
  const fittedOn = [
    `mrc: ${mrcFittedOn(squad, squadFile, reader.name)}`,
    `cqa: ${cqa.length} questions of ${basename(semevalDev)} ` +
      `(fitted on their ${cqa.flat().length} candidates; matcher ${basename(matcherPath(config))})`,
    `kbqa: ${kbqa.own.length} questions of ${opts.kbQuestions.map((f) => basename(f)).join(' and ')} over ${basename(opts.kb)} ` +
      `and the ${kbqa.others.length} SQuAD questions (fitted on their ${fitted.kbqa?.length ?? 0} ` +
      `top candidates; relation model ${basename(kbModelFile)})`,
    ...notes,
  ].join('; ');
  const file: CalibrationFile = {
    routes,
    ...(Object.keys(otherReaders).length ? { readers: otherReaders } : {}),
    threshold: choice.threshold,
    targetPrecision: target,
    fittedOn,
    curve,
  };
  writeCalibrationFile(out, file);
  const stale = base?.answers
    ? ['the answer-level stage was dropped (fitted on the old routes); refit it with --answers']
    : [];

  const byRoute = {
    kbqa: coverageCurve(kbqa.own, cal),
    mrc: coverageCurve(squadBoth, cal),
    cqa: coverageCurve(cqa, cal),
  };
  const lines = [
    ...(['kbqa', 'mrc', 'cqa'] as const).map((r) => {
      const { a, b, c } = routes[r];
      return `${r}: a ${a.toFixed(4)}, b ${b.toFixed(4)}, c ${c.toFixed(4)}`;
    }),
    '',
    'threshold  coverage  precision  kb cov  kb prec  mrc cov  mrc prec  cqa cov  cqa prec',
    ...curve.map((p, i) =>
      [
        p.threshold.toFixed(2).padStart(9),
        fmt(p.coverage).padStart(9),
        fmt(p.precision).padStart(10),
        fmt(byRoute.kbqa[i]?.coverage ?? null).padStart(7),
        fmt(byRoute.kbqa[i]?.precision ?? null).padStart(8),
        fmt(byRoute.mrc[i]?.coverage ?? null).padStart(8),
        fmt(byRoute.mrc[i]?.precision ?? null).padStart(9),
        fmt(byRoute.cqa[i]?.coverage ?? null).padStart(8),
        fmt(byRoute.cqa[i]?.precision ?? null).padStart(9),
      ].join(' '),
    ),
    '',
    describeChoice(choice, target),
    ...stale,
    `wrote ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The routes' calibration without the answer-level stage or a threshold: every top answer is kept. */
function firstStageOnly(base: CalibrationFile): Calibration {
  const { answers: _stale, ...first } = toCalibration(base, 'first stage');
  return { ...first, threshold: 0 };
}

/** A SQuAD file (its `data`), rather than a demo-format question set (its `questions`). */
function isSquadFile(file: string): boolean {
  const json = readJsonFile(file);
  return typeof json === 'object' && json !== null && 'data' in json;
}

function sampleOf(a: Answer, correct: boolean, answerable: boolean): AnswerSample {
  const top = a.answers[0];
  return {
    ...(top ? { kind: answerKind(top, isDescriptive(a.parsed)) } : {}),
    p: top?.score ?? 0,
    correct: correct && top !== undefined,
    answerable,
  };
}

/**
 * Each question's top answer from the whole pipeline, with the threshold and the second stage off:
 * demo-format sets over the workspace (their tune split fits, the held-out one is reported), and
 * SQuAD files over their own paragraphs in a scratch workspace (the tune half of their articles, up
 * to --limit questions; `qa eval open --split held-out` reports the other half).
 */
async function answerSamples(
  ctx: CliContext,
  base: CalibrationFile,
  files: readonly string[],
  limit: number,
): Promise<{ tune: AnswerSample[]; heldOut: AnswerSample[] }> {
  const calibration = firstStageOnly(base);
  const tune: AnswerSample[] = [];
  const heldOut: AnswerSample[] = [];
  const squadFiles = files.filter(isSquadFile);
  const questions = files.filter((f) => !squadFiles.includes(f)).flatMap((f) => readDemoQuestions(f));
  if (questions.length) {
    const pipeline = await openPipeline(ctx.config, ctx.models, { calibration });
    try {
      const bar = progressBar('questions');
      for (const [i, q] of questions.entries()) {
        const a = await pipeline.ask({ question: q.question });
        (q.split === 'held-out' ? heldOut : tune).push(sampleOf(a, judge(q, a).correct, q.route !== 'none'));
        bar.update(i + 1, questions.length);
      }
      bar.stop();
    } finally {
      await pipeline.close();
    }
  }
  for (const file of squadFiles) {
    const data = loadSquad(file);
    const asked = sampleEvenly(
      data.questions.filter((q) => articleSplit(q.title) === 'tune'),
      limit,
    );
    const vecBar = progressBar(`${basename(file)} passage vectors`);
    await withSquadPipeline(
      ctx.config,
      ctx.models,
      file,
      async (pipeline) => {
        vecBar.stop();
        const bar = progressBar(`${basename(file)} questions`);
        for (const [i, q] of asked.entries()) {
          const a = await pipeline.ask({ question: q.question });
          const o = outcomeOf(q, a);
          tune.push(sampleOf(a, q.answers.length > 0 && o.f1 >= OPEN_CORRECT_F1, q.answers.length > 0));
          bar.update(i + 1, asked.length);
        }
        bar.stop();
      },
      { calibration, onProgress: (_, d, t) => vecBar.update(d, t) },
    );
  }
  return { tune, heldOut };
}

/**
 * People's judgements as samples: each question asked again (first stage, no threshold); a 👍/👎
 * counts when the same answer comes back, a correction judges whatever comes back.
 */
async function feedbackSamples(ctx: CliContext, base: CalibrationFile): Promise<AnswerSample[]> {
  const db = openWorkspaceDb(ctx.config);
  const judgements = new FeedbackStore(db).all();
  db.close();
  if (!judgements.length) return [];
  const pipeline = await openPipeline(ctx.config, ctx.models, { calibration: firstStageOnly(base) });
  const out: AnswerSample[] = [];
  try {
    const bar = progressBar('judgements');
    for (const [i, f] of judgements.entries()) {
      const a = await pipeline.ask({ question: f.question });
      const top = a.answers[0];
      bar.update(i + 1, judgements.length);
      if (!top) continue;
      const same = normalizeAnswer(top.text) === normalizeAnswer(f.answer);
      if (!same && f.correction === undefined) continue;
      const correct = same ? f.helpful : answerMatches(top.text, f.correction ?? '');
      out.push(sampleOf(a, correct, true));
    }
    bar.stop();
  } finally {
    await pipeline.close();
  }
  return out;
}

/** `--answers`: the second stage and the threshold, fitted on the pipeline's own top answers. */
async function fitAnswers(ctx: CliContext, opts: Options, files: readonly string[], out: string) {
  const base = baseFile(out, calibrationPath(ctx.config));
  if (!base) {
    throw new QaError('not_found', 'no calibration file to add the answer-level stage to', {
      where: out,
      hint: 'fit the routes first (qa train calibration without --answers)',
    });
  }
  const target = opts.targetPrecision ?? ANSWER_PRECISION;
  const { tune, heldOut } = files.length
    ? await answerSamples(ctx, base, files, opts.limit)
    : { tune: [], heldOut: [] };
  const judged = opts.feedback ? await feedbackSamples(ctx, base) : [];
  const { routes, notes } = fitAnswerCalibration([...tune, ...judged], base.answers?.routes);
  const curve = answerCurve([...tune, ...judged], routes);
  // A handful of answers cannot choose a threshold: it stays where it was.
  const enough = tune.length + judged.length >= MIN_FOR_THRESHOLD;
  const choice = enough ? chooseThreshold(curve, target) : { threshold: base.threshold, met: false };
  if (!enough) notes.push(`threshold kept at ${base.threshold} (fewer than ${MIN_FOR_THRESHOLD} answers)`);
  const count = (s: readonly AnswerSample[]) =>
    `${s.length} (${s.filter((x) => !x.answerable).length} unanswerable)`;
  const fittedOn =
    [
      ...(files.length
        ? [
            `top answers to ${count(tune)} questions of ${files.map((f) => basename(f)).join(', ')} (tune split)`,
          ]
        : []),
      ...(judged.length ? [`${judged.length} judgements people gave`] : []),
    ].join(' and ') +
    ` through the whole pipeline over the workspace ${basename(ctx.config.workspace)}` +
    (notes.length ? `; ${notes.join('; ')}` : '');
  if (judged.length) {
    // The judgements' precision at the threshold, with the maps before and after this fit.
    const precisionOf = (maps: AnswerMaps | undefined, threshold: number) => {
      const answered = judged.filter((s) => (maps ? finalProbability(s, maps) : s.p) >= threshold);
      return answered.length ? answered.filter((s) => s.correct).length / answered.length : null;
    };
    const old = base.answers?.routes;
    const before = precisionOf(old ? { ...old, passage: old.passage ?? old.mrc } : undefined, base.threshold);
    const after = precisionOf(routes, choice.threshold);
    process.stdout.write(
      `judgements: ${judged.length} (${judged.filter((s) => s.correct).length} helpful); precision on them ` +
        `${fmt(before)} before, ${fmt(after)} after\n`,
    );
  }
  writeCalibrationFile(out, {
    ...base,
    answers: {
      routes,
      fittedOn,
      curve: curve.map(({ threshold, coverage, precision }) => ({ threshold, coverage, precision })),
    },
    threshold: choice.threshold,
    targetPrecision: target,
  });
  const at = (s: readonly AnswerSample[]) =>
    answerCurve(s, routes).find((p) => p.threshold >= choice.threshold - 1e-9);
  const describe = (p: AnswerPoint | undefined) =>
    p
      ? `answered wrong ${fmt(p.precision === null ? null : 1 - p.precision)}, answerable answered ` +
        `${fmt(p.answerableCoverage)}, unanswerable abstained ${fmt(p.unanswerableAbstained)}`
      : '–';
  const lines = [
    ...ANSWER_KINDS.map((r) => `${r}: a ${routes[r].a.toFixed(4)}, b ${routes[r].b.toFixed(4)}`),
    ...notes,
    '',
    'threshold  coverage  precision  answerable answered  unanswerable abstained',
    ...curve.map((p) =>
      [
        p.threshold.toFixed(2).padStart(9),
        fmt(p.coverage).padStart(9),
        fmt(p.precision).padStart(10),
        fmt(p.answerableCoverage).padStart(20),
        fmt(p.unanswerableAbstained).padStart(22),
      ].join(' '),
    ),
    '',
    enough
      ? describeChoice(choice, target)
      : `threshold ${choice.threshold.toFixed(2)} kept: fewer than ${MIN_FOR_THRESHOLD} answers`,
    `  tune (${count(tune)}): ${describe(at(tune))}`,
    ...(heldOut.length ? [`  held-out (${count(heldOut)}): ${describe(at(heldOut))}`] : []),
    `wrote ${out}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerTrainCalibration(train: Command): void {
  train
    .command('calibration')
    .description("fit the ranker's per-route calibration and abstention threshold on held-out questions")
    .option('--data <dir>', 'folder laid out as ../shared/data', DEFAULT_ROUTING_DATA)
    .option(
      '--limit <n>',
      'SQuAD 2.0 dev questions to ask, spread over the file',
      parseIntOption('--limit'),
      400,
    )
    .option(
      '--kb <file>',
      'knowledge base the KBQA route is fitted on',
      resolve(PACKAGE_ROOT, 'kb', 'geo.ttl'),
    )
    .option(
      '--kb-questions <files...>',
      'questions about that KB: MetaQA form (a sample of 300 is asked) or JSON Lines {question, ' +
        'answers, split?} (all but the held-out split)',
      [
        resolve(PACKAGE_ROOT, 'kb', 'questions.txt'),
        resolve(PACKAGE_ROOT, 'tests', 'kbqa-sets', 'geo-reworded.jsonl'),
      ],
    )
    .option('--kb-model <file>', 'relation model for that KB (default: the bundled one)')
    .option(
      '--target-precision <p>',
      `precision the threshold must reach (default ${ROUTE_PRECISION}; with --answers ${ANSWER_PRECISION})`,
      parseProbability,
    )
    .option(
      '--answers <files...>',
      "fit the second stage instead: the whole pipeline's top answers to demo-format question sets over " +
        'this workspace (tune split; held-out questions are only reported) and to SQuAD files over their own ' +
        'paragraphs (the tune half of the articles, --limit questions), and the threshold on them',
    )
    .option(
      '--reader-only',
      "fit only the MRC route's parameters for the chosen reader (--reader) and add them to the " +
        'calibration file; the other routes, other readers and the threshold stay',
    )
    .option(
      '--feedback',
      "fit the second stage with people's judgements in the workspace too (👍/👎, corrections): each " +
        'question asked again, its judgement counted when the same answer comes back',
    )
    .option('--out <file>', 'where to write it (default: <models>/ranker/calibration.json)')
    .action(async (opts: Options, cmd: Command) => {
      const ctx = contextFrom(cmd);
      const out = opts.out ?? calibrationPath(ctx.config);
      if (opts.answers || opts.feedback) {
        await fitAnswers(ctx, opts, opts.answers ?? [], out);
        return;
      }
      const parser = QuestionParser.load(routerPath(ctx.config));
      const dir = mkdtempSync(join(tmpdir(), 'qa-train-calibration-'));
      const db = openWorkspaceDb({ workspace: dir });
      try {
        const run: FitRun = {
          ctx,
          opts,
          out,
          base: baseFile(out, calibrationPath(ctx.config)),
          reader: await ctx.models.reader(readerName(ctx), { threads: ctx.config.threads }),
          db,
          dir,
          squadFile: join(opts.data, 'squad', 'dev-v2.0.public.json'),
          parse: (text) => parser.parse(text),
        };
        await (opts.readerOnly ? fitReaderOnly : fitAll)(run);
      } finally {
        await ctx.models.close();
        db.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}
