// The Monitoring view's pure model: picking the previous import and the history, a metric's timeline
// across imports with renames followed, threshold edits and re-pairing.
import { describe, expect, it } from 'vitest';
import { computeCohenH } from '../../../src/core/monitor/drift.ts';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../src/core/monitor/thresholds.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import {
  computeTimeline,
  parseThresholdInput,
  planComparison,
  setColumnPairing,
  setTablePairing,
  updateScopedLevels,
} from '../../../src/state/monitor-model.ts';
import { makeInventory, normals, profileValues } from '../monitor/profile-helpers.ts';

const DAY = 86_400_000;

/** One version of a shop: `n` orders with a price column and an email column with `nullShare` missing. */
function shop(name: string, day: number, opts: { n?: number; priceMean?: number; nullShare?: number; emailColumn?: string; seed?: number } = {}): Inventory {
  const { n = 1000, priceMean = 80, nullShare = 0.02, emailColumn = 'email', seed = day } = opts;
  const rand = mulberry32(seed);
  const prices = normals(rand, n, priceMean, 10).map((p) => Math.round(p * 100) / 100);
  const nulls = Math.round(n * nullShare);
  const emails = Array.from({ length: n }, (_, i) => (i < nulls ? null : `user${i}@example.com`));
  const cols = [
    profileValues('orders', 'order_id', Array.from({ length: n }, (_, i) => `${name}-${i}`), { semanticType: 'id' }),
    profileValues('orders', 'price', prices, { semanticType: 'price' }),
    profileValues('orders', emailColumn, emails, { semanticType: 'email' }),
  ];
  return makeInventory(name, [{ name: 'orders', columns: cols, primaryKey: 'order_id' }], Date.UTC(2024, 0, 1) + day * DAY, `${name}-${day}`);
}

describe('planComparison', () => {
  const a = shop('shop', 1);
  const b = shop('shop', 2);
  const c = shop('shop', 3);
  const other = makeInventory('crm', [{ name: 'contacts', columns: [profileValues('contacts', 'phone', ['1', '2', '3'])] }], Date.UTC(2024, 0, 2, 12), 'crm');
  const all = [c, other, a, b];

  it('picks the latest earlier import of the same dataset, with the ones before it as history', () => {
    const p = planComparison(all, c.import.id, null)!;
    expect(p.previous?.import.id).toBe(b.import.id);
    expect(p.isAuto).toBe(true);
    expect(p.score).toBe(1);
    expect(p.history.map((i) => i.import.id)).toEqual([a.import.id]);
    expect(p.candidates.map((i) => i.import.id)).toEqual([b.import.id, other.import.id, a.import.id]);
  });

  it('finds nothing for the first import, and nothing in another dataset', () => {
    expect(planComparison(all, a.import.id, null)!.previous).toBeNull();
    expect(planComparison(all, other.import.id, null)!.previous).toBeNull();
  });

  it("takes the user's choice, even a later import, and keeps only earlier history", () => {
    const p = planComparison(all, b.import.id, c.import.id)!;
    expect(p.previous?.import.id).toBe(c.import.id);
    expect(p.isAuto).toBe(false);
    expect(p.history.map((i) => i.import.id)).toEqual([a.import.id]);
    // A stale choice (the import was deleted) falls back to the automatic pick.
    expect(planComparison(all, c.import.id, 'gone')!.previous?.import.id).toBe(b.import.id);
    expect(planComparison(all, 'nope', null)).toBeNull();
  });
});

describe('computeTimeline', () => {
  it('gives one point per later import with the effect size against the one before, following a rename', () => {
    const v = [shop('shop', 1, { nullShare: 0.02 }), shop('shop', 2, { nullShare: 0.02 }), shop('shop', 3, { nullShare: 0.3, emailColumn: 'customer_email' })];
    const tl = computeTimeline(v, 'orders', 'customer_email', 'null_rate_h', {}, { columns: { orders: { customer_email: 'email' } } });
    expect(tl.points.map((p) => p.importId)).toEqual([v[1].import.id, v[2].import.id]);
    expect(tl.points[0].value).toBeCloseTo(0, 12);
    expect(tl.points[1].value).toBeCloseTo(computeCohenH(0.02, 0.3), 12);
    expect(tl.level).toEqual(DEFAULT_THRESHOLDS.nullRate);
  });

  it('leaves a gap where the column did not exist, and applies the column thresholds', () => {
    const v = [shop('shop', 1), shop('shop', 2, { emailColumn: 'customer_email' }), shop('shop', 3, { emailColumn: 'customer_email' })];
    // Without an override the old "email" is not paired (different name, and similarity decides): force none.
    const tl = computeTimeline(v, 'orders', 'customer_email', 'null_rate_h', { scoped: { 'orders.customer_email': { nullRate: { warn: 0.05 } } } }, {
      columns: { orders: { customer_email: null } },
    });
    expect(tl.points[0].value).toBeNull();
    expect(tl.points[1].value).toBeCloseTo(0, 12);
    expect(tl.level).toEqual({ warn: 0.05, error: DEFAULT_THRESHOLDS.nullRate.error });
  });

  it('charts table metrics too', () => {
    const v = [shop('shop', 1, { n: 1000 }), shop('shop', 2, { n: 4000 })];
    const tl = computeTimeline(v, 'orders', undefined, 'row_count_log2');
    expect(tl.points).toHaveLength(1);
    expect(tl.points[0].value).toBeCloseTo(Math.log2(4001 / 1001), 12);
    expect(tl.level).toEqual(DEFAULT_THRESHOLDS.rowCount);
  });
});

describe('threshold edits', () => {
  it('parses fields: numbers, empty as off, junk refused', () => {
    expect(parseThresholdInput(' 0.25 ')).toBe(0.25);
    expect(parseThresholdInput('')).toBeNull();
    expect(parseThresholdInput('-1')).toBeUndefined();
    expect(parseThresholdInput('abc')).toBeUndefined();
  });

  it('stores only what differs from the inherited levels, and removes a scope reset to them', () => {
    const base = { global: { psi: { warn: 0.2 } }, scoped: { orders: { nullRate: { warn: 0.3 } } } };
    const s1 = updateScopedLevels(base, 'orders', 'price', { psi: { warn: 0.2, error: 0.25 }, wasserstein: { warn: 1, error: null } });
    expect(s1.scoped).toEqual({ orders: { nullRate: { warn: 0.3 } }, 'orders.price': { wasserstein: { warn: 1, error: null } } });
    expect(resolveThresholds(s1, 'orders', 'price').wasserstein).toEqual({ warn: 1, error: null });
    expect(resolveThresholds(s1, 'orders', 'price').psi).toEqual({ warn: 0.2, error: 0.25 });
    const s2 = updateScopedLevels(s1, 'orders', 'price', { wasserstein: DEFAULT_THRESHOLDS.wasserstein });
    expect(s2.scoped).toEqual({ orders: { nullRate: { warn: 0.3 } } });
    expect(s2.global).toEqual(base.global);
  });
});

describe('re-pairing', () => {
  it('sets, clears and resets table and column pairs', () => {
    let o = setTablePairing({}, 'orders_2024', 'orders');
    o = setColumnPairing(o, 'orders_2024', 'mail', 'email');
    o = setColumnPairing(o, 'orders_2024', 'coupon', null);
    expect(o).toEqual({ tables: { orders_2024: 'orders' }, columns: { orders_2024: { mail: 'email', coupon: null } } });
    o = setColumnPairing(setColumnPairing(o, 'orders_2024', 'mail', undefined), 'orders_2024', 'coupon', undefined);
    expect(o.columns).toEqual({});
    expect(setTablePairing(o, 'orders_2024', undefined).tables).toEqual({});
  });
});
