// The baseline model behind permutation importance, on seeded planted data: AUC and R² against
// hand-computed values, the planted signal ranked first, noise near zero, reproducible by seed.
import { describe, expect, it } from 'vitest';
import { computeAuc, computePearson, computePermutationImportance, computeR2 } from '../../../src/core/features/baseline-model.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

function planted(n: number, kind: 'binary' | 'numeric', seed: number) {
  const rand = mulberry32(seed);
  const signal = new Float64Array(n);
  const weak = new Float64Array(n);
  const noise = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    signal[i] = rand() * 10;
    weak[i] = rand();
    noise[i] = rand() * 100;
    const z = (signal[i] - 5) * 1.5 + (weak[i] - 0.5) * 1 + (rand() - 0.5);
    y[i] = kind === 'binary' ? (z > 0 ? 1 : 0) : 3 * signal[i] + weak[i] + rand();
  }
  // A few missing values: the model must impute them, not fail.
  noise[3] = NaN;
  return { names: ['noise', 'weak', 'signal'], columns: [noise, weak, signal], y };
}

describe('metrics', () => {
  it('AUC counts ties as half and is NaN with one class', () => {
    expect(computeAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(computeAuc([1, 1, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(computeAuc([1, 2], [1, 1])).toBeNaN();
  });

  it('R² and Pearson on exact cases', () => {
    expect(computeR2([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(computeR2([2, 2, 2], [1, 2, 3])).toBeCloseTo(0, 12);
    expect(computePearson([1, 2, 3, NaN], [2, 4, 6, 1])).toBeCloseTo(1, 12);
    expect(computePearson([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
  });
});

describe('permutation importance', () => {
  it('logistic: the planted signal first, noise near zero, seeded', () => {
    const d = planted(2000, 'binary', 11);
    const r = computePermutationImportance(d, 'binary', { seed: 5 });
    expect(r.metric).toBe('auc');
    expect(r.baseline).toBeGreaterThan(0.95);
    expect(r.features.map((f) => f.name)).toEqual(['signal', 'weak', 'noise']);
    expect(Math.abs(r.features.find((f) => f.name === 'noise')!.importance)).toBeLessThan(0.01);
    expect(computePermutationImportance(d, 'binary', { seed: 5 })).toEqual(r);
    expect(r.trainRows + r.testRows).toBe(2000);
  });

  it('ridge: recovers a linear target', () => {
    const d = planted(1500, 'numeric', 12);
    const r = computePermutationImportance(d, 'numeric', { seed: 5 });
    expect(r.metric).toBe('r2');
    expect(r.baseline).toBeGreaterThan(0.98);
    expect(r.features[0].name).toBe('signal');
    expect(r.features[0].importance).toBeGreaterThan(1);
  });
});
