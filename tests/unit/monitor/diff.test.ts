// diffInventories on hand-built profiles: each planted change gives exactly its alert, thresholds
// can be overridden per column, and history anomalies use the robust z of changes.
import { describe, expect, it } from 'vitest';
import { diffInventories, isAtLeast } from '../../../src/core/monitor/diff.ts';
import { formatReportMarkdown } from '../../../src/core/monitor/format-report.ts';
import { computeRobustZ } from '../../../src/core/monitor/history.ts';
import { DEFAULT_THRESHOLDS } from '../../../src/core/monitor/thresholds.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { makeInventory, normals, profileValues } from './profile-helpers.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** One version of a two-table shop; `v2` plants changes in the second version. */
function buildShop(seed: number, v2: boolean, rows = 3000): Inventory {
  const rand = mulberry32(seed);
  const n = v2 ? rows : rows;
  const start = v2 ? T0 + 60 * DAY : T0;
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const cats = v2 ? ['toys', 'books', 'garden', 'drones'] : ['toys', 'books', 'garden', 'pets'];
  const orders = [
    profileValues('orders', 'order_id', Array.from({ length: n }, (_, i) => `${seed}-${i}`), { semanticType: 'id' }),
    profileValues('orders', 'price', normals(rand, n, v2 ? 115 : 100, 20), { semanticType: 'price' }),
    profileValues('orders', 'category', Array.from({ length: n }, () => pick(cats))),
    profileValues('orders', 'email', Array.from({ length: n }, (_, i) => (rand() < (v2 ? 0.3 : 0.02) ? null : `u${i}@x.com`)), { semanticType: 'email' }),
    profileValues('orders', 'purchased_at', Array.from({ length: n }, () => start + Math.floor(rand() * 30 * DAY)), { physicalType: 'timestamp', semanticType: 'timestamp' }),
    profileValues('orders', 'zip', Array.from({ length: n }, () => (v2 ? String(10000 + Math.floor(rand() * 100)) : 10000 + Math.floor(rand() * 100))), { semanticType: 'zip' }),
  ];
  if (!v2) orders.push(profileValues('orders', 'legacy_flag', Array.from({ length: n }, () => pick(['y', 'n']))));
  // Reviews stop arriving in v2: same 30 days of timestamps.
  const reviews = [
    profileValues('reviews', 'review_id', Array.from({ length: 500 }, (_, i) => `r${i}`), { semanticType: 'id' }),
    profileValues('reviews', 'score', Array.from({ length: 500 }, () => 1 + Math.floor(rand() * 5)), { semanticType: 'rating' }),
    profileValues('reviews', 'answered_at', Array.from({ length: 500 }, () => T0 + Math.floor(rand() * 30 * DAY)), { physicalType: 'timestamp', semanticType: 'timestamp' }),
  ];
  return makeInventory('shop', [{ name: 'orders', primaryKey: 'order_id', columns: orders }, { name: 'reviews', primaryKey: 'review_id', columns: reviews }], start + 31 * DAY);
}

describe('diffInventories with planted changes', () => {
  const report = diffInventories(buildShop(1, false), buildShop(2, true));
  const kinds = report.alerts.filter((a) => a.severity !== 'info').map((a) => `${a.severity} ${a.table}.${a.column ?? ''} ${a.kind}`).sort();

  it('reports each planted change and nothing else at warn or above', () => {
    expect(kinds).toEqual([
      // one of four equal categories swapped: JS distance exactly 0.5 in the population
      'error orders.category jensen_shannon',
      'error orders.email null_rate_h',
      'error orders.legacy_flag column_removed',
      'error orders.price psi',
      'error orders.price wasserstein_norm',
      'error orders.zip column_retyped',
      'error reviews. stale_days',
      'warn orders.category category_appeared',
      'warn orders.category category_vanished',
    ]);
  });

  it('puts the effect size and its threshold on every alert', () => {
    const price = report.alerts.find((a) => a.kind === 'wasserstein_norm')!;
    // a 15-unit shift on an IQR of ≈ 27 (1.349 · 20)
    expect(price.value).toBeGreaterThan(0.45);
    expect(price.value).toBeLessThan(0.65);
    expect(price.threshold).toBe(DEFAULT_THRESHOLDS.wasserstein.error);
    const email = report.alerts.find((a) => a.kind === 'null_rate_h')!;
    expect(email.message).toMatch(/^missing rate [12]\.\d+% → (2[6-9]|3[0-4])\.\d+%/);
    const stale = report.alerts.find((a) => a.kind === 'stale_days')!;
    // reviews end where they did while orders moved 60 days on
    expect(stale.value).toBeGreaterThan(59);
    expect(stale.value).toBeLessThan(61);
    expect(report.alerts.find((a) => a.kind === 'category_appeared')!.message).toContain('"drones"');
    expect(report.alerts.find((a) => a.kind === 'category_vanished')!.message).toContain('"pets"');
  });

  it('sorts errors first and renders Markdown with every alert', () => {
    const ranks = report.alerts.map((a) => ['info', 'warn', 'error'].indexOf(a.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    const md = formatReportMarkdown(report);
    expect(md.split('\n').filter((l) => /^\| (ERROR|WARN|info) \|/.test(l))).toHaveLength(report.alerts.length);
  });

  it('takes per-column overrides', () => {
    const r = diffInventories(buildShop(1, false), buildShop(2, true), {
      scopedThresholds: { 'orders.price': { wasserstein: { warn: 1, error: null }, psi: { warn: null, error: null } } },
    });
    expect(r.alerts.filter((a) => a.column === 'price')).toEqual([]);
    expect(r.alerts.some((a) => a.column === 'email')).toBe(true);
  });

  it('flags a key that stops being unique', () => {
    const a = buildShop(1, false);
    const b = buildShop(3, false);
    const ids = b.columns.find((c) => c.name === 'order_id')!;
    Object.assign(ids, { distinct: ids.distinct - 40, isUnique: false });
    const r = diffInventories(a, b);
    expect(r.alerts.filter((x) => x.kind === 'duplicate_keys')).toMatchObject([{ severity: 'error', column: 'order_id', value: 40 }]);
  });

  it('raises nothing between two samples of the same version', () => {
    const r = diffInventories(buildShop(1, false), buildShop(4, false));
    expect(r.alerts).toEqual([]);
    expect(r.alerts.some((a) => isAtLeast(a.severity, 'warn'))).toBe(false);
  });
});

describe('history', () => {
  it('robust z of the latest change against earlier changes', () => {
    // changes 10, 12, 8, 10, 40: median 10, MAD 1 → scale 1.4826; z = 30 / 1.4826
    const r = computeRobustZ([100, 110, 122, 130, 140, 180], 0.001)!;
    expect(r.z).toBeCloseTo(30 / 1.4826, 10);
    expect(r.medianChange).toBe(10);
    expect(computeRobustZ([1, 2], 0.1)).toBeNull();
  });

  it('flags a volume jump that a steady history does not explain, and not a steady one', () => {
    const withRows = (rows: number, k: number) => {
      const inv = buildShop(10 + k, false, rows);
      return { ...inv, import: { ...inv.import, id: `h${k}`, createdAt: T0 + k * DAY } };
    };
    const steady = [1000, 1100, 1210, 1331].map(withRows);
    const quiet = diffInventories(steady[2], steady[3], { history: steady.slice(0, 2) });
    expect(quiet.tables[0].history.map((h) => h.verdict)).toEqual(['ok']);
    expect(quiet.historyLength).toBe(4);
    // rows +10 %, +10 %, +10 %, then ×2.2: log2 changes .1375 ×3 then 1.138; floor 0.1 → z ≈ 10
    const jump = diffInventories(steady[3], withRows(2928, 4), { history: steady.slice(0, 3) });
    const h = jump.tables[0].history[0];
    expect(h).toMatchObject({ metric: 'rows_robust_z', verdict: 'error', threshold: DEFAULT_THRESHOLDS.robustZ.error });
    expect(h.value).toBeCloseTo((Math.log2(2929) - Math.log2(1332) - (Math.log2(1332) - Math.log2(1211))) / 0.1, 1);
    expect(jump.alerts.some((a) => a.kind === 'rows_robust_z' && a.table === 'orders')).toBe(true);
  });
});
