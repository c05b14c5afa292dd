// Feature tables on the real Olist export: the person key and order time detected from the inventory,
// values checked against independent SQL on the raw tables, the data dictionary's measured null rate
// and distinct count, point-in-time correctness (rows at or after the cut-off changed → identical
// output), and the quality measures (redundancy, leakage, importance, drift, one-class target).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFeatures, resolveCutoff } from '../../../src/core/features/build-features.ts';
import { detectFeatureSources } from '../../../src/core/features/detect-sources.ts';
import { assessTableQuality, compareCutoffs, parseTarget } from '../../../src/core/features/quality.ts';
import { FeaturesError, type FeatureBuild } from '../../../src/core/features/types.ts';
import type { Inventory } from '../../../src/core/types.ts';
import type { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadShared } from '../recsys/helpers.ts';

const O = 'olist_orders_dataset';
const I = 'olist_order_items_dataset';
const C = 'olist_customers_dataset';
const R = 'olist_order_reviews_dataset';
const CUT = '2018-03-01';

let engine: DuckDbNodeEngine;
let inv: Inventory;
let build: FeatureBuild;

async function rowsOf(table: string, order: string): Promise<unknown[]> {
  return engine.query(`SELECT * FROM "${table}" ORDER BY ${order}`);
}

beforeAll(async () => {
  ({ engine, inventory: inv } = await loadShared('olist'));
  build = await buildFeatures(engine, inv, { cutoff: CUT });
}, 120_000);
afterAll(() => engine?.close());

describe('sources from the inventory', () => {
  it('keys users by the person key customer_unique_id, not the per-order customer_id, and says so', () => {
    const d = detectFeatureSources(inv);
    expect(d.ok).toBe(true);
    if (!d.ok) return;
    expect(d.sources.user).toMatchObject({ table: C, column: 'customer_unique_id', kind: 'person', perOrderKey: { table: C, column: 'customer_id' } });
    expect(d.sources.time).toMatchObject({ table: O, column: 'order_purchase_timestamp' });
    expect(d.sources.lines).toMatchObject({ table: I, order: 'order_id', item: 'product_id', price: 'price', freight: 'freight_value' });
    expect(d.sources.reviews).toMatchObject({ table: R, score: 'review_score', order: 'order_id', time: 'review_creation_date' });
    expect(d.sources.region).toMatchObject({ table: C, state: 'customer_state', city: 'customer_city' });
    expect(build.keyUsed).toContain('customer_unique_id');
    expect(build.notes.join(' ')).toMatch(/person key .*customer_unique_id/);
  });

  it('defaults the cut-off to the day after the last order and refuses days outside the span', async () => {
    const [r] = await engine.query<{ last: string }>(`SELECT strftime(max(o.order_purchase_timestamp), '%Y-%m-%d') AS last FROM "${I}" i JOIN "${O}" o USING (order_id)`);
    const next = new Date(r.last + 'T00:00:00Z');
    next.setUTCDate(next.getUTCDate() + 1);
    expect(build.span.defaultCutoff).toBe(next.toISOString().slice(0, 10));
    expect(() => resolveCutoff(build.span, '2010-01-01')).toThrow(/CUTOFF_OUT_OF_SPAN/);
    expect(() => resolveCutoff(build.span, '2030-01-01')).toThrow(/CUTOFF_OUT_OF_SPAN/);
    expect(() => resolveCutoff(build.span, '2018-02-30')).toThrow(/BAD_CUTOFF/);
    await expect(buildFeatures(engine, inv, { cutoff: '2030-01-01', tablePrefix: '__t_bad' })).rejects.toBeInstanceOf(FeaturesError);
  });
});

describe('values against independent SQL', () => {
  it('item popularity, price and reviews match the raw tables for the most ordered items', async () => {
    const top = await engine.query<{ item_id: string }>(`SELECT item_id FROM "${build.engineTables.item_features}" ORDER BY orders_total DESC, item_id LIMIT 5`);
    for (const { item_id } of top) {
      const [mine] = await engine.query(`SELECT * FROM "${build.engineTables.item_features}" WHERE item_id = '${item_id}'`);
      const [ref] = await engine.query(
        `SELECT count(DISTINCT i.order_id) AS orders_total, count(DISTINCT c.customer_unique_id) AS buyers_total, ` +
          `count(DISTINCT i.order_id) FILTER (WHERE o.order_purchase_timestamp >= TIMESTAMP '${CUT}' - INTERVAL 30 DAY) AS orders_30d, avg(i.price) AS price_mean ` +
          `FROM "${I}" i JOIN "${O}" o USING (order_id) JOIN "${C}" c USING (customer_id) WHERE i.product_id = '${item_id}' AND o.order_purchase_timestamp < TIMESTAMP '${CUT}'`,
      );
      expect(mine.orders_total).toBe(ref.orders_total);
      expect(mine.buyers_total).toBe(ref.buyers_total);
      expect(mine.orders_30d).toBe(ref.orders_30d);
      expect(mine.price_mean as number).toBeCloseTo(ref.price_mean as number, 5);
      const [rv] = await engine.query(
        `SELECT count(*) AS n FROM "${R}" r WHERE r.review_creation_date < TIMESTAMP '${CUT}' AND r.order_id IN ` +
          `(SELECT i.order_id FROM "${I}" i JOIN "${O}" o USING (order_id) WHERE i.product_id = '${item_id}' AND o.order_purchase_timestamp < TIMESTAMP '${CUT}')`,
      );
      expect(mine.review_count).toBe(rv.n);
    }
  });

  it('user RFM and favourite category match the raw tables for the most frequent buyers', async () => {
    const top = await engine.query<{ user_id: string }>(`SELECT user_id FROM "${build.engineTables.user_profiles}" ORDER BY frequency DESC, user_id LIMIT 5`);
    expect(top.length).toBe(5);
    for (const { user_id } of top) {
      const [mine] = await engine.query(`SELECT * FROM "${build.engineTables.user_profiles}" WHERE user_id = '${user_id}'`);
      const [ref] = await engine.query(
        `SELECT count(DISTINCT o.order_id) AS frequency, sum(i.price) AS monetary, count(*) AS items FROM "${I}" i JOIN "${O}" o USING (order_id) JOIN "${C}" c USING (customer_id) ` +
          `WHERE c.customer_unique_id = '${user_id}' AND o.order_purchase_timestamp < TIMESTAMP '${CUT}'`,
      );
      expect(mine.frequency).toBe(ref.frequency);
      expect(mine.monetary as number).toBeCloseTo(ref.monetary as number, 5);
      expect(mine.basket_size_mean as number).toBeCloseTo((ref.items as number) / (ref.frequency as number), 5);
      const aff = await engine.query<{ category: string; rank: number; affinity: number }>(`SELECT * FROM "${build.engineTables.user_category_affinity}" WHERE user_id = '${user_id}' ORDER BY rank`);
      expect(aff[0]?.category ?? null).toBe(mine.top_category_1);
      expect(aff.reduce((a, r) => a + r.affinity, 0)).toBeLessThanOrEqual(1 + 1e-9);
      for (let k = 1; k < aff.length; k++) expect(aff[k].affinity).toBeLessThanOrEqual(aff[k - 1].affinity);
    }
  });
});

describe('data dictionary', () => {
  it('has zh and en descriptions, SQL and sources per feature, and measured null rate and distinct count', async () => {
    for (const t of build.tables) {
      const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM "${build.engineTables[t.name]}"`);
      expect(t.rows).toBe(n);
      for (const c of t.columns) {
        expect(c.description.length).toBeGreaterThan(3);
        expect(c.descriptionZh).toMatch(/[\u4e00-\u9fff]/);
        expect(c.sql.length).toBeGreaterThan(0);
        expect(c.sources.length).toBeGreaterThan(0);
        const [m] = await engine.query<{ nn: number; d: number }>(`SELECT count("${c.name}") AS nn, count(DISTINCT "${c.name}") AS d FROM "${build.engineTables[t.name]}"`);
        expect(c.nullRate).toBeCloseTo(1 - m.nn / n, 12);
        expect(c.distinct).toBe(m.d);
      }
    }
    const items = build.tables.find((t) => t.name === 'item_features')!;
    // Olist has one selling price per line: items sold once have no standard deviation.
    expect(items.columns.find((c) => c.name === 'price_std')!.nullRate).toBeGreaterThan(0.5);
    expect(items.columns.map((c) => c.name)).not.toContain('discount_mean');
    expect(build.notes.join(' ')).toMatch(/No list price column/);
  });
});

describe('point in time', () => {
  it('gives identical tables when rows at or after the cut-off are added or changed', async () => {
    const own = await loadShared('olist');
    try {
      const e = own.engine;
      const before = await buildFeatures(e, own.inventory, { cutoff: CUT, tablePrefix: '__pit_a' });
      const lateBefore = await buildFeatures(e, own.inventory, { tablePrefix: '__pit_late_a' });
      const snap = async (b: FeatureBuild) => Promise.all(b.tables.map((t) => e.query(`SELECT * FROM "${b.engineTables[t.name]}" ORDER BY ${t.key}`)));
      const a = await snap(before);
      const late = `o.order_purchase_timestamp >= TIMESTAMP '${CUT}'`;
      // Later orders: prices ×10, moved to an early buyer; a new order exactly at the cut-off; a late review of an early order.
      await e.query(`UPDATE "${I}" SET price = price * 10 WHERE order_id IN (SELECT order_id FROM "${O}" o WHERE ${late})`);
      const [early] = await e.query<{ customer_id: string; order_id: string }>(`SELECT customer_id, order_id FROM "${O}" o WHERE o.order_purchase_timestamp < TIMESTAMP '${CUT}' AND order_id IN (SELECT order_id FROM "${I}") ORDER BY order_id LIMIT 1`);
      await e.query(`UPDATE "${O}" o SET customer_id = '${early.customer_id}' WHERE ${late}`);
      await e.query(`INSERT INTO "${O}" (order_id, customer_id, order_status, order_purchase_timestamp) VALUES ('pit-order', '${early.customer_id}', 'delivered', TIMESTAMP '${CUT} 00:00:00')`);
      await e.query(`INSERT INTO "${I}" (order_id, order_item_id, product_id, price, freight_value) SELECT 'pit-order', 1, product_id, 1.0, 1.0 FROM "${I}" WHERE order_id = '${early.order_id}' LIMIT 1`);
      await e.query(`INSERT INTO "${R}" (review_id, order_id, review_score, review_creation_date) VALUES ('pit-review', '${early.order_id}', 1, TIMESTAMP '${CUT} 00:00:00')`);
      const after = await buildFeatures(e, own.inventory, { cutoff: CUT, tablePrefix: '__pit_b' });
      expect(await snap(after)).toEqual(a);
      expect(after.tables.map((t) => t.columns)).toEqual(before.tables.map((t) => t.columns));
      // The same changes do show at the later cut-off, so the comparison above can see a leak.
      const lateAfter = await buildFeatures(e, own.inventory, { cutoff: lateBefore.cutoff!, tablePrefix: '__pit_late_b' });
      expect(await snap(lateAfter)).not.toEqual(await snap(lateBefore));
    } finally {
      own.engine.close();
    }
  }, 120_000);
});

describe('feature quality', () => {
  it('finds redundant pairs, and warns of a feature that predicts a column target too well', async () => {
    const q = await assessTableQuality(engine, build, 'item_features', { target: parseTarget('item_features.orders_total') });
    const pair = q.redundantPairs.find((p) => p.a === 'orders_total' && p.b === 'buyers_total');
    expect(pair?.r).toBeGreaterThan(0.95);
    const buyers = q.columns.find((c) => c.name === 'buyers_total')!;
    expect(buyers.singleScore).toBeGreaterThanOrEqual(0.98);
    expect(buyers.leakage.join(' ')).toMatch(/suspiciously good/);
    expect(q.target?.importance.features.map((f) => f.name)).not.toContain('orders_total');
    expect(q.timeCheck).toMatchObject({ cutoff: CUT, ok: true });
    expect(q.timeCheck!.latestRowUsed! < CUT).toBe(true);
    // Category never changes once in the catalogue: not constant, with a modal share below 1.
    const category = q.columns.find((c) => c.name === 'category')!;
    expect(category.isConstant).toBe(false);
    expect(category.constantShare).toBeLessThan(1);
  });

  it('ranks features by permutation importance for "buys again within 90 days"', async () => {
    const q = await assessTableQuality(engine, build, 'user_profiles', { target: parseTarget('repeat:90') });
    const t = q.target!;
    expect(t.kind).toBe('binary');
    expect(t.importance.metric).toBe('auc');
    expect(t.importance.baseline).toBeGreaterThan(0.5);
    expect(t.positiveShare).toBeGreaterThan(0);
    expect(t.positiveShare).toBeLessThan(0.2);
    const numeric = build.tables.find((x) => x.name === 'user_profiles')!.columns.filter((c) => !c.isKey && c.type !== 'text');
    expect(t.importance.features.map((f) => f.name).sort()).toEqual(numeric.map((c) => c.name).sort());
    // Seeded: the same call gives the same numbers.
    const again = await assessTableQuality(engine, build, 'user_profiles', { target: parseTarget('repeat:90') });
    expect(again.target!.importance).toEqual(t.importance);
  });

  it('refuses a one-class target with a clear message', async () => {
    const end = await buildFeatures(engine, inv, { tablePrefix: '__end' });
    await expect(assessTableQuality(engine, end, 'user_profiles', { target: parseTarget('repeat:90') })).rejects.toThrow(/ONE_CLASS_TARGET: .*end of the data/);
    expect(() => parseTarget('nonsense target')).toThrow(/UNKNOWN_TARGET/);
  });

  it('measures drift between two cut-offs: zero for the same day, PSI per numeric feature otherwise', async () => {
    const same = await compareCutoffs(engine, inv, CUT, CUT);
    for (const t of same.tables) for (const f of t.features) expect(f.value).toBeCloseTo(0, 9);
    const d = await compareCutoffs(engine, inv, '2017-06-01', CUT);
    const items = d.tables.find((t) => t.table === 'item_features')!;
    const numeric = build.tables.find((t) => t.name === 'item_features')!.columns.filter((c) => !c.isKey && c.type !== 'text');
    expect(items.features.filter((f) => f.measure === 'psi').map((f) => f.name).sort()).toEqual(numeric.map((c) => c.name).sort());
    // Nine more months of history: items have been on sale far longer at the later cut-off.
    expect(items.features.find((f) => f.name === 'days_since_first_sale')!.verdict).toBe('major');
  }, 60_000);
});
