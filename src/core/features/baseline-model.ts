// A small seeded baseline model over standardised numeric features — logistic regression for a
// binary target, ridge regression for a numeric one — with a held-out split, AUC / R², and
// permutation importance (the drop in held-out metric when one feature's values are shuffled).
import { mulberry32, shuffleInPlace } from '../util/random.ts';

export type TargetKind = 'binary' | 'numeric';

/** Area under the ROC curve from scores and 0/1 labels (ties get half credit). NaN with one class. */
export function computeAuc(scores: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (y[order[k]] === 1) { pos++; rankSum += rank; }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Coefficient of determination of `pred` for `y`; NaN when y is constant. */
export function computeR2(pred: ArrayLike<number>, y: ArrayLike<number>): number {
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i];
  mean /= y.length || 1;
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < y.length; i++) {
    ssRes += (y[i] - pred[i]) ** 2;
    ssTot += (y[i] - mean) ** 2;
  }
  return ssTot > 0 ? 1 - ssRes / ssTot : NaN;
}

/** Pearson correlation over pairs where both are finite; NaN when either side is constant. */
export function computePearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0, sa = 0, sb = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i]) && Number.isFinite(b[i])) { n++; sa += a[i]; sb += b[i]; }
  if (n < 2) return NaN;
  const ma = sa / n, mb = sb / n;
  let cov = 0, va = 0, vb = 0;
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]) || !Number.isFinite(b[i])) continue;
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) ** 2;
    vb += (b[i] - mb) ** 2;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : NaN;
}

/** Column-major design: `columns[j][i]` is feature j of row i, NaN for missing. */
export interface Design {
  names: string[];
  columns: Float64Array[];
  y: Float64Array;
}

/** Standardises with the training rows' mean and sd; missing values become 0 (the mean). */
function standardise(d: Design, train: number[]): Float64Array[] {
  return d.columns.map((col) => {
    let n = 0, s = 0, s2 = 0;
    for (const i of train) if (Number.isFinite(col[i])) { n++; s += col[i]; s2 += col[i] * col[i]; }
    const mean = n ? s / n : 0;
    const sd = n > 1 ? Math.sqrt(Math.max(0, s2 / n - mean * mean)) : 0;
    const out = new Float64Array(col.length);
    for (let i = 0; i < col.length; i++) out[i] = Number.isFinite(col[i]) && sd > 0 ? (col[i] - mean) / sd : 0;
    return out;
  });
}

interface Linear { w: Float64Array; b: number; kind: TargetKind }

function predict(m: Linear, X: Float64Array[], i: number, override?: { j: number; value: number }): number {
  let z = m.b;
  for (let j = 0; j < X.length; j++) z += m.w[j] * (override && override.j === j ? override.value : X[j][i]);
  return m.kind === 'binary' ? 1 / (1 + Math.exp(-z)) : z;
}

/** L2-regularised logistic regression by full-batch gradient descent (deterministic). */
function fitLogistic(X: Float64Array[], y: Float64Array, train: number[], l2: number, iterations: number): Linear {
  const p = X.length;
  const m: Linear = { w: new Float64Array(p), b: 0, kind: 'binary' };
  const lr = 0.5;
  const g = new Float64Array(p);
  for (let it = 0; it < iterations; it++) {
    g.fill(0);
    let gb = 0;
    for (const i of train) {
      const e = predict(m, X, i) - y[i];
      gb += e;
      for (let j = 0; j < p; j++) g[j] += e * X[j][i];
    }
    const n = train.length;
    for (let j = 0; j < p; j++) m.w[j] -= lr * (g[j] / n + l2 * m.w[j]);
    m.b -= lr * (gb / n);
  }
  return m;
}

/** Ridge regression in closed form: (XᵀX + λI) w = Xᵀ(y − ȳ), solved by Gaussian elimination. */
function fitRidge(X: Float64Array[], y: Float64Array, train: number[], l2: number): Linear {
  const p = X.length;
  let mean = 0;
  for (const i of train) mean += y[i];
  mean /= train.length;
  const A = Array.from({ length: p }, () => new Float64Array(p + 1));
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (const i of train) s += X[a][i] * X[b][i];
      A[a][b] = s;
      A[b][a] = s;
    }
    A[a][a] += l2 * train.length;
    let r = 0;
    for (const i of train) r += X[a][i] * (y[i] - mean);
    A[a][p] = r;
  }
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(A[r][c]) > Math.abs(A[piv][c])) piv = r;
    [A[c], A[piv]] = [A[piv], A[c]];
    if (Math.abs(A[c][c]) < 1e-12) continue;
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = A[r][c] / A[c][c];
      if (f !== 0) for (let k = c; k <= p; k++) A[r][k] -= f * A[c][k];
    }
  }
  const w = new Float64Array(p);
  for (let j = 0; j < p; j++) w[j] = Math.abs(A[j][j]) < 1e-12 ? 0 : A[j][p] / A[j][j];
  return { w, b: mean, kind: 'numeric' };
}

export interface ImportanceResult {
  kind: TargetKind;
  metric: 'auc' | 'r2';
  /** Held-out metric of the baseline model with every feature intact. */
  baseline: number;
  trainRows: number;
  testRows: number;
  /** Per feature: mean and sd of the metric drop over `repeats` seeded shuffles, largest first. */
  features: { name: string; importance: number; sd: number }[];
}

/**
 * Fits the baseline on a seeded `1 − testShare` split and measures permutation importance on the
 * held-out rows. Both the split and the shuffles follow `seed`, so the result is reproducible.
 */
export function computePermutationImportance(
  d: Design,
  kind: TargetKind,
  options: { seed?: number; testShare?: number; repeats?: number; l2?: number; iterations?: number } = {},
): ImportanceResult {
  const rand = mulberry32(options.seed ?? 42);
  const n = d.y.length;
  const idx = shuffleInPlace(Array.from({ length: n }, (_, i) => i), rand);
  const nTest = Math.max(1, Math.round(n * (options.testShare ?? 0.3)));
  const test = idx.slice(0, nTest);
  const train = idx.slice(nTest);
  const X = standardise(d, train);
  const model = kind === 'binary' ? fitLogistic(X, d.y, train, options.l2 ?? 1e-3, options.iterations ?? 300) : fitRidge(X, d.y, train, options.l2 ?? 1e-3);
  const yTest = Float64Array.from(test, (i) => d.y[i]);
  const score = (perm?: { j: number; values: Float64Array }) => {
    const pred = new Float64Array(test.length);
    test.forEach((i, k) => (pred[k] = predict(model, X, i, perm ? { j: perm.j, value: perm.values[k] } : undefined)));
    return kind === 'binary' ? computeAuc(pred, yTest) : computeR2(pred, yTest);
  };
  const baseline = score();
  const repeats = options.repeats ?? 5;
  const features = d.names.map((name, j) => {
    const drops: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const values = Float64Array.from(shuffleInPlace(test.map((i) => X[j][i]), rand));
      drops.push(baseline - score({ j, values }));
    }
    const mean = drops.reduce((a, b) => a + b, 0) / repeats;
    const sd = Math.sqrt(drops.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, repeats - 1));
    return { name, importance: mean, sd };
  });
  features.sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
  return { kind, metric: kind === 'binary' ? 'auc' : 'r2', baseline, trainRows: train.length, testRows: test.length, features };
}
