/** The QA endpoints: health, the model registry, asking, and judging an answer. */
import type { Express, RequestHandler } from 'express';
import type { Pipeline } from '../app/pipeline.js';
import { QaError } from '../core/errors.js';
import type { FeedbackStore } from '../feedback/store.js';
import { DocStore } from '../retrieval/doc-store.js';
import type { Board } from './community.js';
import { parseInput } from './errors.js';
import type { Gate } from './gate.js';
import type { Metrics } from './metrics.js';
import { askRequest, feedbackRequest } from './schemas.js';

export interface ApiDeps {
  pipeline: Pipeline;
  board: Board;
  gate: Gate;
  metrics: Metrics;
  feedback: FeedbackStore;
  /** Limits one client's judgements, as its posts on the board. */
  postLimit: RequestHandler;
}

export function registerApi(app: Express, deps: ApiDeps): void {
  const { pipeline, board, gate, metrics, feedback } = deps;
  const started = Date.now();
  // Models are installed before start-up; scanning once keeps manifests off the per-question path.
  const scan = pipeline.models.scan();
  const names = (task: string) =>
    scan.models.filter((m) => m.manifest.task === task).map((m) => m.manifest.name);
  // Cascades (config `cascades`) are chosen by name like any reader.
  const cascades = Object.entries(pipeline.models.cascades).map(([name, c]) => ({ name, ...c }));
  const readers = [...names('reader'), ...cascades.map((c) => c.name)];
  const encoders = names('encoder');

  app.get('/api/health', (_req, res) => {
    const routes = pipeline.available;
    const reader = pipeline.readerName;
    res.json({
      status: routes.length > 0 ? 'ok' : 'degraded',
      routes,
      community: board.matcher
        ? { matcher: true }
        : {
            matcher: false,
            note: 'no CQA matcher is installed: the board works, but questions are not matched to its threads',
          },
      ...(pipeline.notes.kbqaMode ? { kbqa: { mode: pipeline.notes.kbqaMode } } : {}),
      ...(pipeline.notes.warnings.length > 0 ? { warnings: pipeline.notes.warnings } : {}),
      counts: { ...new DocStore(pipeline.db).counts(), threads: board.archive.count() },
      models: { ...(reader ? { reader } : {}), readers, encoders },
      uptimeS: (Date.now() - started) / 1000,
    });
  });

  app.get('/api/models', (_req, res) => {
    const reader = pipeline.readerName;
    const encoder = pipeline.config.encoder ?? encoders[0];
    res.json({
      models: scan.models.map(({ manifest: m }) => ({
        name: m.name,
        task: m.task,
        kind: m.kind,
        ...(m.techniques ? { techniques: m.techniques } : {}),
        base: m.base,
        sizeBytes: m.sizeBytes,
        metrics: m.metrics,
        ...(m.speed ? { speed: m.speed } : {}),
        default: m.name === (m.task === 'reader' ? reader : encoder),
      })),
      cascades: cascades.map((c) => ({ ...c, default: c.name === reader })),
      problems: scan.problems.map((p) => p.message),
    });
  });

  app.post('/api/ask', async (req, res) => {
    const ask = parseInput(askRequest, req.body, 'body');
    res.locals.questionChars = ask.question.length;
    if (ask.reader !== undefined && !readers.includes(ask.reader)) {
      throw new QaError('bad_input', `no reader named "${ask.reader}"`, {
        where: 'reader',
        hint: readers.length ? `installed: ${readers.join(', ')}` : 'no reader is installed',
      });
    }
    // An answer already given over the same data needs no place in the queue.
    const answer = pipeline.cached(ask) ?? (await gate.run(() => pipeline.ask(ask)));
    metrics.answer(answer);
    // What people ask and get no answer to is the content owner's to-do list (qa report unanswered).
    if (answer.abstained) feedback.recordUnanswered(answer.resolved ?? ask.question, answer.reason);
    res.json(answer);
  });

  app.post('/api/feedback', deps.postLimit, (req, res) => {
    const f = parseInput(feedbackRequest, req.body, 'body');
    const stored = feedback.record(f);
    res.status(201).json({ id: stored.id, createdAt: stored.createdAt });
  });
}
