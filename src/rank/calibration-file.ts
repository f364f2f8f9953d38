/**
 * The fitted ranker calibration, `models/ranker/calibration.json`: per-route Platt parameters, the
 * abstention threshold chosen for a target precision, and the coverage–precision curve it was
 * chosen from. Written by `qa train calibration`, read at start-up (defaults when absent).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../core/config.js';
import { readJsonFile, validate } from '../core/json.js';
import { type Calibration, DEFAULT_CALIBRATION } from './ranker.js';

const probability = z.number().min(0).max(1);
const routeCalibration = z.object({ a: z.number(), b: z.number(), c: z.number() }).strict();
/** One reader's own MRC parameters, written by `qa train calibration --reader-only`. */
const readerCalibration = routeCalibration.extend({ fittedOn: z.string().min(1) }).strict();

export const curvePoint = z
  .object({
    threshold: probability,
    coverage: probability,
    /** null where no question is answered at this threshold. */
    precision: probability.nullable(),
  })
  .strict();

const answerCalibration = z.object({ a: z.number(), b: z.number() }).strict();

/** The second stage, fitted on the whole pipeline's top answers (`qa train calibration --answers`). */
const answersCalibration = z
  .object({
    routes: z
      .object({
        kbqa: answerCalibration,
        mrc: answerCalibration,
        cqa: answerCalibration,
        /** Descriptive answers (a passage chosen whole); the MRC map when absent. */
        passage: answerCalibration.optional(),
      })
      .strict(),
    fittedOn: z.string().min(1),
    curve: z.array(curvePoint),
  })
  .strict();

export const calibrationFileSchema = z
  .object({
    routes: z.object({ kbqa: routeCalibration, mrc: routeCalibration, cqa: routeCalibration }).strict(),
    readers: z.record(z.string().min(1), readerCalibration).optional(),
    answers: answersCalibration.optional(),
    threshold: probability,
    targetPrecision: probability,
    fittedOn: z.string().min(1),
    curve: z.array(curvePoint),
  })
  .strict();

export type CurvePoint = z.infer<typeof curvePoint>;
export type ReaderCalibration = z.infer<typeof readerCalibration>;
export type CalibrationFile = z.infer<typeof calibrationFileSchema>;

export function calibrationPath(config: Pick<Config, 'modelsDir'>): string {
  return join(config.modelsDir, 'ranker', 'calibration.json');
}

export function readCalibrationFile(file: string): CalibrationFile {
  return validate(calibrationFileSchema, readJsonFile(file), file);
}

export function writeCalibrationFile(file: string, cal: CalibrationFile): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(cal, null, 2)}\n`);
}

export function toCalibration(cal: CalibrationFile, file: string): Calibration {
  const readers = Object.fromEntries(
    Object.entries(cal.readers ?? {}).map(([name, { a, b, c }]) => [name, { a, b, c }]),
  );
  return {
    routes: cal.routes,
    readers,
    ...(cal.answers ? { answers: cal.answers.routes } : {}),
    threshold: cal.threshold,
    source: `${file} (${cal.fittedOn}${cal.answers ? `; answers: ${cal.answers.fittedOn}` : ''})`,
  };
}

/** A calibration fitted for one workspace's own data (its KB, its questions). */
export function workspaceCalibrationPath(config: Pick<Config, 'workspace'>): string {
  return join(config.workspace, 'calibration.json');
}

/**
 * The calibration to rank with: the workspace's own when it has one (`qa train calibration --out
 * <workspace>/calibration.json`), else the installed one, else the defaults; an error when the
 * file is malformed.
 */
export function loadCalibration(
  config: Pick<Config, 'modelsDir'> & Partial<Pick<Config, 'workspace'>>,
): Calibration {
  const own =
    config.workspace === undefined ? undefined : workspaceCalibrationPath({ workspace: config.workspace });
  const file = [own, calibrationPath(config)].find((f): f is string => f !== undefined && existsSync(f));
  return file ? toCalibration(readCalibrationFile(file), file) : DEFAULT_CALIBRATION;
}
