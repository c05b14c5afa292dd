// Feature tables on a seeded synthetic shop for the cases Olist lacks: no timestamp (windows and the
// time leakage check off, said so), no person key (per-order fallback, said so), list price and brand
// (discount, favourite brand), supplied sentiment and attribute tag tables, and an empty build.
import { describe, expect, it } from 'vitest';
import { buildFeatures } from '../../../src/core/features/build-features.ts';
import { assessTableQuality } from '../../../src/core/features/quality.ts';
import type { FeatureBuild } from '../../../src/core/features/types.ts';
import { generateShopOrders, type ShopOrdersOptions } from '../../fixtures/generate-shop-orders.ts';
import { loadFiles } from '../recsys/helpers.ts';

async function buildShop(options: ShopOrdersOptions, run: (engine: Awaited<ReturnType<typeof loadFiles>>['engine'], b: () => Promise<FeatureBuild>, inv: Awaited<ReturnType<typeof loadFiles>>['inventory']) => Promise<void>): Promise<void> {
  const g = generateShopOrders({ orders: 800, ...options });
  const { engine, inventory } = await loadFiles(Object.fromEntries(Object.entries(g.files).map(([k, v]) => [`shop/${k}`, v])));
  try {
    await run(engine, () => buildFeatures(engine, inventory, {}), inventory);
  } finally {
    engine.close();
  }
}

const names = (b: FeatureBuild, table: string) => b.tables.find((t) => t.name === table)!.columns.map((c) => c.name);

describe('fallbacks', () => {
  it('without a timestamp: no windows, recency or cut-off, the time leakage check off, all said', async () => {
    await buildShop({ withTime: false }, async (engine, build) => {
      const b = await build();
      expect(b.cutoff).toBeNull();
      expect(b.span).toEqual({ first: null, last: null, defaultCutoff: null });
      expect(names(b, 'item_features').filter((n) => /_\d+d$|days_since/.test(n))).toEqual([]);
      expect(names(b, 'user_profiles')).not.toContain('recency_days');
      expect(b.notes.join(' ')).toMatch(/No timestamp column: the 7\/30\/90-day windows/);
      const q = await assessTableQuality(engine, b, 'item_features');
      expect(q.timeCheck).toBeNull();
      expect(q.notes.join(' ')).toMatch(/leakage check on time is off/);
      // All rows are used: orders per item sum to the line count (one line per product per order here or more).
      const [{ n }] = await engine.query<{ n: number }>(`SELECT sum(frequency) AS n FROM "${b.engineTables.user_profiles}"`);
      const [{ o }] = await engine.query<{ o: number }>('SELECT count(DISTINCT order_id) AS o FROM order_items');
      expect(n).toBe(o);
    });
  });

  it('without a person key: profiles fall back to the per-order key and say so', async () => {
    await buildShop({ withPersonKey: false }, async (engine, build) => {
      const b = await build();
      expect(b.sources.user.kind).toBe('per-order');
      expect(b.keyUsed).toMatch(/per-order key: no person key found/);
      expect(b.notes.join(' ')).toMatch(/No person key found/);
      const [{ m }] = await engine.query<{ m: number }>(`SELECT max(frequency) AS m FROM "${b.engineTables.user_profiles}"`);
      expect(m).toBe(1);
    });
  });

  it('with a person key: repeat buyers are one user', async () => {
    await buildShop({}, async (engine, build) => {
      const b = await build();
      expect(b.sources.user).toMatchObject({ column: 'customer_unique_id', kind: 'person' });
      const [{ m }] = await engine.query<{ m: number }>(`SELECT max(frequency) AS m FROM "${b.engineTables.user_profiles}"`);
      expect(m).toBeGreaterThan(1);
    });
  });
});

describe('optional inputs', () => {
  it('computes discount from a list price and a favourite brand', async () => {
    await buildShop({ withBrand: true, withListPrice: true }, async (engine, build) => {
      const b = await build();
      expect(names(b, 'item_features')).toEqual(expect.arrayContaining(['discount_mean', 'brand']));
      expect(names(b, 'user_profiles')).toEqual(expect.arrayContaining(['top_brand', 'top_brand_share']));
      const [ref] = await engine.query<{ item: string; d: number }>(
        `SELECT i.product_id AS item, avg(1 - i.price / p.list_price) AS d FROM order_items i JOIN products p USING (product_id) GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      );
      const [mine] = await engine.query<{ discount_mean: number }>(`SELECT discount_mean FROM "${b.engineTables.item_features}" WHERE item_id = '${ref.item}'`);
      expect(mine.discount_mean).toBeCloseTo(ref.d, 5);
      // The generator sells at 0.9–1.1 × a base price listed at 1.25 ×: discounts lie in (0.12, 0.28).
      expect(mine.discount_mean).toBeGreaterThan(0.12);
      expect(mine.discount_mean).toBeLessThan(0.28);
    });
  });

  it('adds sentiment share and attribute tag count only when tag tables are supplied', async () => {
    await buildShop({}, async (engine, _build, inv) => {
      const plain = await buildFeatures(engine, inv, { tablePrefix: '__plain' });
      expect(names(plain, 'item_features')).not.toContain('sentiment_positive_share');
      expect(plain.notes.join(' ')).toMatch(/No sentiment tag table supplied/);
      // Sentiment: reviews scored 4–5 are tagged positive, the rest negative.
      await engine.query(`CREATE TABLE sentiment_tags AS SELECT review_id, CASE WHEN review_score >= 4 THEN 'positive' ELSE 'negative' END AS label FROM reviews`);
      await engine.query(`CREATE TABLE attribute_tags AS SELECT product_id, unnest(['colour:red', 'size:m']) AS tag FROM products WHERE product_category_name = 'toys'`);
      const b = await buildFeatures(engine, inv, {
        tablePrefix: '__tagged',
        sentiment: { table: 'sentiment_tags', key: 'review_id', label: 'label' },
        attributes: { table: 'attribute_tags', key: 'product_id', label: 'tag' },
      });
      const rows = await engine.query<{ review_score_mean: number | null; sentiment_positive_share: number | null; attribute_tag_count: number; category: string }>(`SELECT * FROM "${b.engineTables.item_features}"`);
      const [ref] = await engine.query<{ item: string; s: number }>(
        `SELECT i.product_id AS item, avg(CASE WHEN r.review_score >= 4 THEN 1.0 ELSE 0.0 END) AS s FROM reviews r JOIN (SELECT DISTINCT order_id, product_id FROM order_items) i USING (order_id) ` +
          `WHERE r.review_created_at < TIMESTAMP '${b.cutoff}' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
      );
      const [mine] = await engine.query<{ sentiment_positive_share: number }>(`SELECT sentiment_positive_share FROM "${b.engineTables.item_features}" WHERE item_id = '${ref.item}'`);
      expect(mine.sentiment_positive_share).toBeCloseTo(ref.s, 5);
      for (const r of rows) expect(r.attribute_tag_count).toBe(r.category === 'toys' ? 2 : 0);
    });
  });
});
