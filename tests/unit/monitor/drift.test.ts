// Drift measures from sketches: exact values on distributions whose answer is known in closed form,
// and effect sizes that do not grow with the sample size.
import { describe, expect, it } from 'vitest';
import {
  cdfFromQuantiles,
  compareCategories,
  compareColumns,
  computeCohenH,
  computeJensenShannon,
  computeNormalisedWasserstein,
  computePsi,
  computeWasserstein,
} from '../../../src/core/monitor/drift.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/monitor/thresholds.ts';
import { QUANTILE_LEVELS } from '../../../src/core/types.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { normals, profileValues } from './profile-helpers.ts';

const L = QUANTILE_LEVELS;
const uniform = L.map((p) => p); // quantile function of U(0, 1)

describe('Wasserstein from quantile sketches', () => {
  it('is the shift for a shifted distribution, and the shift over the IQR once normalised', () => {
    const shifted = uniform.map((q) => q + 0.3);
    expect(computeWasserstein(uniform, shifted)).toBeCloseTo(0.3, 12);
    // IQR of U(0,1) is 0.5
    expect(computeNormalisedWasserstein(uniform, shifted)).toBeCloseTo(0.6, 12);
  });

  it('integrates exactly across a sign change', () => {
    // Q_new(p) = 2p − 0.5 crosses Q_old(p) = p at p = 0.5: ∫|p − 0.5| dp = 0.25
    expect(computeWasserstein(uniform, L.map((p) => 2 * p - 0.5))).toBeCloseTo(0.25, 12);
  });

  it('falls back to the range when the IQR is zero', () => {
    const old = L.map((p) => (p < 0.05 ? 0 : p > 0.95 ? 10 : 5)); // IQR 0, range 10
    const next = old.map((q) => q + 1);
    expect(computeNormalisedWasserstein(old, next)).toBeCloseTo(0.1, 12);
  });
});

describe('PSI over old deciles', () => {
  it('is 0 for the same sketch', () => {
    expect(computePsi(uniform, uniform)).toBe(0);
  });

  it('matches the hand computation for U(0,1) → U(0.1,1.1)', () => {
    // new shares: first decile empty (floored at 1e-4), eight at 0.1, last 0.2
    const expected = (1e-4 - 0.1) * Math.log(1e-4 / 0.1) + (0.2 - 0.1) * Math.log(2);
    expect(computePsi(uniform, uniform.map((q) => q + 0.1))).toBeCloseTo(expected, 10);
  });

  it('reads a CDF from a sketch with ties as right-continuous', () => {
    const q = L.map((p) => (p <= 0.6 ? 1 : 2));
    expect(cdfFromQuantiles(q, 1)).toBeCloseTo(0.6, 12);
    expect(cdfFromQuantiles(q, 0.5)).toBe(0);
    expect(cdfFromQuantiles(q, 2)).toBe(1);
  });
});

describe('categories', () => {
  it('Jensen–Shannon distance: 0 same, 1 disjoint, closed form in between', () => {
    expect(computeJensenShannon([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(computeJensenShannon([1, 0], [0, 1])).toBeCloseTo(1, 12);
    const jsd = 0.5 * (0.5 * Math.log2(0.5 / 0.75) + 0.5 * Math.log2(0.5 / 0.25)) + 0.5 * Math.log2(1 / 0.75);
    expect(computeJensenShannon([0.5, 0.5], [1, 0])).toBeCloseTo(Math.sqrt(jsd), 12);
  });

  it('reports appeared and vanished values only where the other side is complete', () => {
    const old = { top: [{ value: 'a', count: 50 }, { value: 'b', count: 30 }, { value: 'c', count: 20 }], nonNull: 100, distinct: 3 };
    const next = { top: [{ value: 'a', count: 50 }, { value: 'b', count: 40 }, { value: 'd', count: 10 }], nonNull: 100, distinct: 3 };
    const d = compareCategories(old, next, 0.005);
    expect(d.appeared).toEqual([{ value: 'd', count: 10 }]);
    expect(d.vanished).toEqual([{ value: 'c', count: 20 }]);
    // buckets a, b, c, d, other: p = .5 .3 .2 0 0, q = .5 .4 0 .1 0; less chance's share for 4 live buckets at n = 100, 100
    const raw = computeJensenShannon([0.5, 0.3, 0.2, 0, 0], [0.5, 0.4, 0, 0.1, 0]);
    const chance = ((2 / 100) / (8 * Math.LN2)) * (3 + 2 * Math.sqrt(6));
    expect(d.distance).toBeCloseTo(Math.sqrt(raw ** 2 - chance), 12);
    // old list truncated: "d" may have been there below the top 3, so nothing is claimed new
    const truncated = { ...old, nonNull: 120, distinct: 10 };
    expect(compareCategories(truncated, next, 0.005).appeared).toEqual([]);
  });

  it('removes what chance gives small samples: 200-row samples of 20 equal categories do not drift', () => {
    const rand = mulberry32(3);
    const values = (n: number) => Array.from({ length: n }, () => `c${Math.floor(rand() * 20)}`);
    const raws: number[] = [];
    const corrected: number[] = [];
    for (let i = 0; i < 20; i++) {
      const a = profileValues('t', 'c', values(200), { topK: 20 });
      const b = profileValues('t', 'c', values(200), { topK: 20 });
      const s = (c: typeof a) => ({ top: c.topValues, nonNull: c.rowCount, distinct: c.distinct });
      corrected.push(compareCategories(s(a), s(b), 0.005).distance);
      const keys = [...new Set([...a.topValues, ...b.topValues].map((v) => v.value))];
      const share = (c: typeof a) => keys.map((k) => (c.topValues.find((v) => v.value === k)?.count ?? 0) / c.rowCount);
      raws.push(computeJensenShannon(share(a), share(b)));
    }
    const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / xs.length;
    expect(mean(raws)).toBeGreaterThan(DEFAULT_THRESHOLDS.jensenShannon.warn!);
    expect(Math.max(...corrected)).toBeLessThan(DEFAULT_THRESHOLDS.jensenShannon.warn!);
  });

  it("Cohen's h of a null-rate change", () => {
    expect(computeCohenH(0, 0.01)).toBeCloseTo(2 * Math.asin(0.1), 12);
    expect(computeCohenH(0.3, 0.3)).toBe(0);
  });
});

describe('effect sizes do not grow with the sample', () => {
  const rand = mulberry32(7);
  const at = (n: number, shift: number) =>
    compareColumns(
      profileValues('t', 'x', normals(rand, n)),
      profileValues('t', 'x', normals(rand, n, shift)),
      DEFAULT_THRESHOLDS,
    ).verdicts;

  it('two samples of one distribution stay under every threshold at 1k and 100k rows', () => {
    for (const n of [1_000, 100_000]) {
      const v = at(n, 0);
      expect(v.map((x) => x.verdict), `n=${n} ${JSON.stringify(v)}`).toEqual(['ok', 'ok', 'ok', 'ok']);
    }
  });

  it('a half-sd shift reads about 0.5/1.349 at both sizes, and drifts at both', () => {
    for (const n of [1_000, 100_000]) {
      const w = at(n, 0.5).find((x) => x.metric === 'wasserstein_norm')!;
      expect(w.value).toBeGreaterThan(0.3);
      expect(w.value).toBeLessThan(0.45);
      expect(w.verdict).toBe('error');
      expect(w.threshold).toBe(DEFAULT_THRESHOLDS.wasserstein.error);
    }
  });
});

describe('exact discrete distributions', () => {
  it('gives the shift for a shifted two-point distribution, and ignores how a step falls between quantile levels', async () => {
    const { computeDiscreteWasserstein, readDiscreteDistribution } = await import('../../../src/core/monitor/drift.ts');
    expect(computeDiscreteWasserstein({ x: [1, 2], p: [0.5, 0.5] }, { x: [2, 3], p: [0.5, 0.5] })).toBeCloseTo(1, 12);
    // 1..5 ratings, 499 vs 501 rows of the same mix: interpolated quantiles jump at the 20 % steps
    const a = profileValues('t', 'score', Array.from({ length: 500 }, (_, i) => 1 + (i % 5)), { semanticType: 'rating' });
    const b = profileValues('t', 'score', Array.from({ length: 501 }, (_, i) => 1 + ((i + 1) % 5)), { semanticType: 'rating' });
    expect(readDiscreteDistribution(a)).toEqual({ x: [1, 2, 3, 4, 5], p: [0.2, 0.2, 0.2, 0.2, 0.2] });
    const w = compareColumns(a, b, DEFAULT_THRESHOLDS).verdicts.find((v) => v.metric === 'wasserstein_norm')!;
    expect(w.verdict).toBe('ok');
    expect(w.value).toBeLessThan(0.01);
  });
});

describe('minimum sample for distribution verdicts', () => {
  it('gives no distribution verdict under minRows values, and keeps the null-rate check', () => {
    const a = profileValues('t', 'x', Array.from({ length: 60 }, (_, i) => i));
    const b = profileValues('t', 'x', Array.from({ length: 60 }, (_, i) => i + 30));
    expect(compareColumns(a, b, DEFAULT_THRESHOLDS).verdicts.map((v) => v.metric)).toEqual(['null_rate_h', 'distinct_ratio_change']);
    expect(compareColumns(a, b, { ...DEFAULT_THRESHOLDS, minRows: 50 }).verdicts.find((v) => v.metric === 'wasserstein_norm')?.verdict).toBe('error');
  });
});
