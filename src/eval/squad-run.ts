/** Runs a reader over every question of a SQuAD file with its own context. */

import type { LoadedSquad } from '../core/squad-data.js';
import type { SpanAnswer } from '../mrc/decode.js';
import type { ExtractiveReader } from '../mrc/reader.js';

export interface SquadRun {
  predictions: Record<string, string>;
  nbest: Record<string, SpanAnswer[]>;
  nullOdds: Record<string, number>;
  /** Milliseconds spent on each question. */
  latencyMs: Record<string, number>;
  /** Probability of the predicted answer (or of "no answer"). */
  confidence: Record<string, number>;
  seconds: number;
}

export interface RunOptions {
  limit?: number;
  batchSize?: number;
  onProgress?: (done: number, total: number) => void;
}

export async function runSquad(
  reader: ExtractiveReader,
  data: LoadedSquad,
  opts: RunOptions = {},
): Promise<SquadRun> {
  const questions = opts.limit === undefined ? data.questions : data.questions.slice(0, opts.limit);
  // SQuAD 1.1 has no unanswerable questions: always answer with the best span, as run_squad does.
  const nullThreshold = data.version === '1.1' ? Number.POSITIVE_INFINITY : undefined;
  const run: SquadRun = {
    predictions: {},
    nbest: {},
    nullOdds: {},
    latencyMs: {},
    confidence: {},
    seconds: 0,
  };
  const t0 = performance.now();
  for (const [i, q] of questions.entries()) {
    const t = performance.now();
    const res = await reader.read(
      { question: q.question, context: q.context },
      { ...(nullThreshold === undefined ? {} : { nullThreshold }), batchSize: opts.batchSize ?? 8, topK: 20 },
    );
    run.latencyMs[q.id] = performance.now() - t;
    const best = res.answers[0];
    run.predictions[q.id] = res.noAnswer || !best ? '' : best.text;
    run.confidence[q.id] = res.noAnswer || !best ? res.noAnswerProbability : best.probability;
    run.nbest[q.id] = res.answers;
    run.nullOdds[q.id] = res.nullOdds;
    opts.onProgress?.(i + 1, questions.length);
  }
  run.seconds = (performance.now() - t0) / 1000;
  return run;
}

/** The data restricted to the questions a limited run answered, so metrics cover the same set. */
export function restrict(data: LoadedSquad, run: SquadRun): LoadedSquad {
  return { ...data, questions: data.questions.filter((q) => q.id in run.predictions) };
}
