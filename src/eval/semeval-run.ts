/**
 * Running the CQA matcher on SemEval-2016 subtask B: the candidate threads of the evaluated (and
 * training) questions form the archive; the matcher's logistic weights are fitted on the training
 * questions' labelled pairs; each original question's 10 candidates are reranked.
 */

import type { Db } from '../core/database.js';
import { QaError } from '../core/errors.js';
import type { VectorEncoder } from '../core/types.js';
import { Archive } from '../cqa/archive.js';
import { readSemevalQuestions, type SemevalQuestion, semevalThreads } from '../cqa/import.js';
import { MATCH_FEATURES, Matcher, questionText } from '../cqa/matcher.js';
import { fitLogistic, type LogisticModel, predict } from '../rank/logistic.js';
import { type RankingMetrics, rankByScore, rankingMetrics } from './semeval.js';

const RELEVANT = new Set(['PerfectMatch', 'Relevant']);

export interface SemevalResult extends RankingMetrics {
  /** The search engine's order (`ir_rank`), scored the same way. */
  ir_map: number;
  /** Each signal alone, for the ablation. */
  bm25_map: number;
  dense_map: number | null;
  model: LogisticModel;
  train_pairs: number;
}

interface Scored {
  relevant: boolean[];
  irRank: number[];
  features: number[][];
}

async function featurize(matcher: Matcher, questions: readonly SemevalQuestion[]): Promise<Scored[]> {
  const ids = matcher.archive.idsForKeys(
    questions.flatMap((q) => q.candidates.map((c) => `semeval:${c.id}`)),
  );
  const out: Scored[] = [];
  for (const q of questions) {
    const threadIds = q.candidates.map((c) => {
      const id = ids.get(`semeval:${c.id}`);
      if (id === undefined) throw new QaError('internal', `candidate ${c.id} missing from the archive`);
      return id;
    });
    out.push({
      relevant: q.candidates.map((c) => RELEVANT.has(c.relevance)),
      irRank: q.candidates.map((c) => c.ir_rank),
      features: await matcher.features(questionText(q.subject, q.body), threadIds),
    });
  }
  return out;
}

function metricsBy(
  scored: readonly Scored[],
  score: (x: number[], s: Scored, i: number) => number,
): RankingMetrics {
  return rankingMetrics(
    scored.map((s) =>
      rankByScore(
        s.relevant,
        s.features.map((x, i) => score(x, s, i)),
      ),
    ),
  );
}

export async function runSemeval(opts: {
  db: Db;
  evalFile: string;
  trainFiles: readonly string[];
  encoder?: { name: string; encoder: VectorEncoder };
  onVectors?: (done: number, total: number) => void;
}): Promise<SemevalResult> {
  const test = readSemevalQuestions(opts.evalFile);
  const train = opts.trainFiles.flatMap((f) => readSemevalQuestions(f));
  if (test.length === 0) throw new QaError('bad_input', 'no questions', { where: opts.evalFile });
  if (train.length === 0) throw new QaError('bad_input', 'no training questions', { where: '--train' });
  const archive = new Archive(opts.db);
  archive.import('semeval', semevalThreads([...train, ...test]));
  const placeholder: LogisticModel = { features: [...MATCH_FEATURES], weights: [1, 1, 1], bias: 0 };
  const matcher = new Matcher(archive, placeholder, opts.encoder);
  await matcher.refresh(opts.onVectors);

  const trainScored = await featurize(matcher, train);
  const xs = trainScored.flatMap((s) => s.features);
  const ys = trainScored.flatMap((s) => s.relevant.map(Number));
  const useDense = opts.encoder !== undefined;
  // Without an encoder the cosine feature is always 0; leave it out of the fit.
  const cols = useDense ? [0, 1, 2] : [1, 2];
  const fitted = fitLogistic(
    cols.map((c) => MATCH_FEATURES[c] as string),
    xs.map((x) => cols.map((c) => x[c] ?? 0)),
    ys,
  );
  const model: LogisticModel = {
    features: [...MATCH_FEATURES],
    weights: MATCH_FEATURES.map((_, c) => {
      const at = cols.indexOf(c);
      return at < 0 ? 0 : (fitted.weights[at] ?? 0);
    }),
    bias: fitted.bias,
  };

  const testScored = await featurize(matcher, test);
  const learned = metricsBy(testScored, (x) => predict(model, x));
  return {
    ...learned,
    ir_map: metricsBy(testScored, (_, s, i) => -(s.irRank[i] ?? 0)).map,
    bm25_map: metricsBy(testScored, (x) => x[1] ?? 0).map,
    dense_map: useDense ? metricsBy(testScored, (x) => x[0] ?? 0).map : null,
    model,
    train_pairs: xs.length,
  };
}
