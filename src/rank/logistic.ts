/**
 * L2-regularised logistic regression, fitted by Newton's method (IRLS): few features, so each
 * step solves a small linear system exactly and converges in a handful of iterations. Used to
 * learn the CQA matcher's feature weights and, with one feature, for Platt calibration.
 */

export interface LogisticModel {
  /** Names of the features, in the order of `weights`. */
  features: string[];
  weights: number[];
  bias: number;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function predict(model: LogisticModel, x: readonly number[]): number {
  let z = model.bias;
  model.weights.forEach((w, i) => {
    z += w * (x[i] ?? 0);
  });
  return sigmoid(z);
}

/** Solves A·x = b by Gauss–Jordan elimination with partial pivoting (A is small). */
function solve(a: readonly number[][], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i] ?? 0]);
  const at = (r: number, c: number) => m[r]?.[c] ?? 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(at(r, c)) > Math.abs(at(p, c))) p = r;
    [m[c], m[p]] = [m[p] as number[], m[c] as number[]];
    const pivot = at(c, c);
    if (Math.abs(pivot) < 1e-12) continue;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = at(r, c) / pivot;
      const row = m[r] as number[];
      for (let k = c; k <= n; k++) row[k] = at(r, k) - f * at(c, k);
    }
  }
  return m.map((_, i) => (Math.abs(at(i, i)) < 1e-12 ? 0 : at(i, n) / at(i, i)));
}

export function fitLogistic(
  features: string[],
  xs: readonly (readonly number[])[],
  ys: readonly number[],
  /** `offsets`: a fixed term added to each example's logit (a coefficient held, not fitted). */
  opts: { l2?: number; iterations?: number; offsets?: readonly number[] } = {},
): LogisticModel {
  const d = features.length + 1; // the bias is the last coordinate and is not regularised
  const l2 = (opts.l2 ?? 1e-3) * xs.length;
  let w = new Array<number>(d).fill(0);
  for (let it = 0; it < (opts.iterations ?? 50); it++) {
    const grad = new Array<number>(d).fill(0);
    const hess = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    xs.forEach((x, n) => {
      const row = [...x, 1];
      const p = sigmoid(row.reduce((s, v, i) => s + v * (w[i] ?? 0), opts.offsets?.[n] ?? 0));
      const err = p - (ys[n] ?? 0);
      const curv = Math.max(p * (1 - p), 1e-9);
      for (let i = 0; i < d; i++) {
        const ri = row[i] ?? 0;
        grad[i] = (grad[i] ?? 0) + err * ri;
        const h = hess[i] as number[];
        for (let j = 0; j < d; j++) h[j] = (h[j] ?? 0) + curv * ri * (row[j] ?? 0);
      }
    });
    for (let i = 0; i < d - 1; i++) {
      grad[i] = (grad[i] ?? 0) + l2 * (w[i] ?? 0);
      const h = hess[i] as number[];
      h[i] = (h[i] ?? 0) + l2;
    }
    const step = solve(hess, grad);
    w = w.map((v, i) => v - (step[i] ?? 0));
    if (Math.max(...step.map(Math.abs)) < 1e-8) break;
  }
  return { features, weights: w.slice(0, -1), bias: w[d - 1] ?? 0 };
}
