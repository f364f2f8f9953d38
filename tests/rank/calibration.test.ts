import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  calibrationFeatures,
  chooseThreshold,
  coverageCurve,
  fitRouteCalibration,
  type HeldOutQuestion,
  type LabelledCandidate,
  MAX_ROUTER_WEIGHT,
  sampleEvenly,
  thresholds,
  topCandidates,
} from '../../src/eval/calibration.js';
import {
  type CalibrationFile,
  calibrationPath,
  loadCalibration,
  readCalibrationFile,
  workspaceCalibrationPath,
  writeCalibrationFile,
} from '../../src/rank/calibration-file.js';
import { calibrated, DEFAULT_CALIBRATION, forReader, type RouteCalibration } from '../../src/rank/ranker.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'qa-calibration-test-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sample: CalibrationFile = {
  routes: {
    kbqa: { a: 1, b: 0, c: 0.5 },
    mrc: { a: 1.4, b: -0.7, c: 0.2 },
    cqa: { a: 0.9, b: 0.1, c: 0.3 },
  },
  threshold: 0.45,
  targetPrecision: 0.8,
  fittedOn: 'a test',
  curve: [
    { threshold: 0, coverage: 1, precision: 0.5 },
    { threshold: 1, coverage: 0, precision: null },
  ],
};

describe('calibration file', () => {
  it('round-trips, and is what the pipeline loads from the models folder', () => {
    const modelsDir = tempDir();
    const file = calibrationPath({ modelsDir });
    writeCalibrationFile(file, sample);
    expect(readCalibrationFile(file)).toEqual(sample);
    const cal = loadCalibration({ modelsDir });
    expect(cal.routes).toEqual(sample.routes);
    expect(cal.threshold).toBe(0.45);
    expect(cal.source).toContain('a test');
  });

  it('gives a reader its own MRC parameters when the file has them, and the shared ones otherwise', () => {
    const modelsDir = tempDir();
    const own = { a: 0.2, b: -0.5, c: 0.5 };
    writeCalibrationFile(calibrationPath({ modelsDir }), {
      ...sample,
      readers: { student: { ...own, fittedOn: 'its own questions' } },
    });
    const cal = loadCalibration({ modelsDir });
    expect(forReader(cal, 'student').routes).toEqual({ ...sample.routes, mrc: own });
    expect(forReader(cal, 'student').source).toMatch(/; mrc: fitted for reader student$/);
    expect(forReader(cal, 'teacher')).toBe(cal);
    expect(forReader(cal, undefined)).toBe(cal);
    // The student's raw 0.6 is worth less than the teacher's raw 0.6.
    expect(calibrated(0.6, 'mrc', 1 / 3, forReader(cal, 'student'))).toBeLessThan(
      calibrated(0.6, 'mrc', 1 / 3, cal),
    );
    const file = join(tempDir(), 'calibration.json');
    writeFileSync(file, JSON.stringify({ ...sample, readers: { student: own } }));
    expect(() => readCalibrationFile(file)).toThrow(
      expect.objectContaining({ where: `${file}: readers.student.fittedOn` }),
    );
  });

  it("prefers the workspace's own calibration to the installed one", () => {
    const modelsDir = tempDir();
    const workspace = tempDir();
    writeCalibrationFile(calibrationPath({ modelsDir }), sample);
    expect(loadCalibration({ modelsDir, workspace }).threshold).toBe(0.45);
    writeCalibrationFile(workspaceCalibrationPath({ workspace }), {
      ...sample,
      threshold: 0.6,
      fittedOn: 'this KB',
    });
    const own = loadCalibration({ modelsDir, workspace });
    expect(own.threshold).toBe(0.6);
    expect(own.source).toContain(workspace);
  });

  it('falls back to the defaults when no file is installed', () => {
    expect(loadCalibration({ modelsDir: tempDir() })).toBe(DEFAULT_CALIBRATION);
  });

  it('names the file and the field that is wrong', () => {
    const file = join(tempDir(), 'calibration.json');
    const bad = { ...sample, routes: { ...sample.routes, cqa: { a: 1, b: 'x', c: 0 } } };
    writeFileSync(file, JSON.stringify(bad));
    expect(() => readCalibrationFile(file)).toThrow(
      expect.objectContaining({ where: `${file}: routes.cqa.b` }),
    );
    writeFileSync(file, JSON.stringify({ ...sample, extra: 1 }));
    expect(() => readCalibrationFile(file)).toThrow(expect.objectContaining({ where: `${file}: (root)` }));
  });
});

/** A deterministic pseudo-random stream (LCG), so the synthetic set is the same on every run. */
function stream(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('fitRouteCalibration', () => {
  /** Labels drawn from p = σ(2 · logit(raw) − 1 + c · log(3 · w̃)), an overconfident route. */
  const synthetic = (weightOf: () => number, c: number): LabelledCandidate[] => {
    const rnd = stream(7);
    return Array.from({ length: 3000 }, () => {
      const raw = 0.02 + 0.96 * rnd();
      const weight = weightOf();
      const [lr, lw] = calibrationFeatures({ route: 'mrc', raw, weight });
      const z = 2 * (lr ?? 0) - 1 + c * (lw ?? 0);
      return { route: 'mrc', raw, weight, correct: rnd() < 1 / (1 + Math.exp(-z)) };
    });
  };
  const withMrc = (mrc: RouteCalibration) => ({
    ...DEFAULT_CALIBRATION,
    routes: { ...DEFAULT_CALIBRATION.routes, mrc },
  });

  it('recovers a, b and c, rising with the raw score, when the router weight varies', () => {
    const rnd = stream(11);
    const fit = fitRouteCalibration(
      synthetic(() => rnd(), 0.7),
      0.5,
    );
    expect(fit?.c).toBe('fitted');
    expect(fit?.calibration.a).toBeCloseTo(2, 0);
    expect(fit?.calibration.b).toBeCloseTo(-1, 0);
    expect(fit?.calibration.c).toBeCloseTo(0.7, 0);
    const cal = withMrc(fit?.calibration ?? { a: 0, b: 0, c: 0 });
    const ps = [0.1, 0.3, 0.5, 0.7, 0.9].map((raw) => calibrated(raw, 'mrc', 1 / 3, cal));
    for (let i = 1; i < ps.length; i++) expect(ps[i]).toBeGreaterThan(ps[i - 1] ?? 1);
  });

  it('keeps c and folds the router term into b when the router weight does not vary', () => {
    const fit = fitRouteCalibration(
      synthetic(() => 0.95, 1),
      0.5,
    );
    expect(fit?.c).toBe('kept');
    expect(fit?.routerSpread).toBeCloseTo(0, 9);
    expect(fit?.calibration.c).toBe(0.5);
    expect(fit?.calibration.a).toBeCloseTo(2, 0);
    // Same predictions at the weight it was fitted on as the truth.
    const truth = withMrc({ a: 2, b: -1, c: 1 });
    const cal = withMrc(fit?.calibration ?? { a: 0, b: 0, c: 0 });
    for (const raw of [0.2, 0.5, 0.8]) {
      expect(calibrated(raw, 'mrc', 0.95, cal)).toBeCloseTo(calibrated(raw, 'mrc', 0.95, truth), 1);
    }
  });

  it('holds c at the cap when the router would get the last word, and still fits a and b', () => {
    const rnd = stream(13);
    const fit = fitRouteCalibration(
      synthetic(() => rnd(), 3),
      0.5,
    );
    expect(fit?.c).toBe('capped');
    expect(fit?.calibration.c).toBe(MAX_ROUTER_WEIGHT);
    expect(fit?.calibration.a).toBeGreaterThan(1);
  });

  it('gives up when every candidate has the same label', () => {
    expect(
      fitRouteCalibration([{ route: 'cqa', raw: 0.4, weight: 0.5, correct: false }], 0.5),
    ).toBeUndefined();
  });

  it('uses the features the ranker applies a, b and c to', () => {
    const [lr, lw] = calibrationFeatures({ route: 'mrc', raw: 0.8, weight: 1 / 3 });
    expect(lr).toBeCloseTo(Math.log(4), 6);
    expect(lw).toBeCloseTo(0, 6); // uniform routing adds nothing
  });
});

describe('coverageCurve and chooseThreshold', () => {
  const c = (raw: number, correct: boolean): LabelledCandidate => ({
    route: 'cqa',
    raw,
    weight: 1 / 3,
    correct,
  });
  // With a = 1, b = c = 0 and uniform weights the calibrated score is the raw score.
  const identity = {
    ...DEFAULT_CALIBRATION,
    routes: { kbqa: { a: 1, b: 0, c: 0 }, mrc: { a: 1, b: 0, c: 0 }, cqa: { a: 1, b: 0, c: 0 } },
  };
  const questions: HeldOutQuestion[] = [
    [c(0.9, true), c(0.2, false)], // best is right
    [c(0.7, false), c(0.6, true)], // best is wrong
    [c(0.5, true)],
    [c(0.2, false)], // should abstain
    [], // nothing found: never answered
  ];

  it('counts coverage over all questions and precision over the answered ones', () => {
    const curve = coverageCurve(questions, identity, 0.25);
    expect(curve).toEqual([
      { threshold: 0, coverage: 4 / 5, precision: 2 / 4 },
      { threshold: 0.25, coverage: 3 / 5, precision: 2 / 3 },
      { threshold: 0.5, coverage: 3 / 5, precision: 2 / 3 },
      { threshold: 0.75, coverage: 1 / 5, precision: 1 },
      { threshold: 1, coverage: 0, precision: null },
    ]);
    expect(chooseThreshold(curve, 0.6)).toEqual({ threshold: 0.25, met: true });
    expect(chooseThreshold(curve, 0.9)).toEqual({ threshold: 0.75, met: true });
  });

  it('falls back to the most precise threshold when none reaches the target', () => {
    const curve = [
      { threshold: 0, coverage: 1, precision: 0.4 },
      { threshold: 0.5, coverage: 0.5, precision: 0.6 },
      { threshold: 1, coverage: 0, precision: null },
    ];
    expect(chooseThreshold(curve, 0.8)).toEqual({ threshold: 0.5, met: false });
  });

  it('steps thresholds from 0 to 1 without rounding drift', () => {
    const t = thresholds(0.05);
    expect(t).toHaveLength(21);
    expect(t[3]).toBe(0.15);
    expect(t[20]).toBe(1);
  });
});

describe('topCandidates', () => {
  it("keeps each question's highest-scored candidate and skips questions without any", () => {
    const c = (raw: number, correct: boolean): LabelledCandidate => ({
      route: 'mrc',
      raw,
      weight: 1,
      correct,
    });
    expect(topCandidates([[c(0.2, true), c(0.7, false)], [], [c(0.4, true)]])).toEqual([
      c(0.7, false),
      c(0.4, true),
    ]);
  });
});

describe('sampleEvenly', () => {
  it('spreads the sample over the whole list', () => {
    expect(sampleEvenly([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 2, 5, 7]);
    expect(sampleEvenly([1, 2], 5)).toEqual([1, 2]);
  });
});
