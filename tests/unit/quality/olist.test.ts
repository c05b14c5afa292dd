// The quality report on real Olist data, each headline count checked against independent SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQualityChecks } from '../../../src/core/quality/checks.ts';
import type { QualityReport } from '../../../src/core/quality/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadOlist } from './load-tables.ts';

let engine: DuckDbNodeEngine;
let report: QualityReport;
const count = async (sql: string) => Number((await engine.query<{ n: number }>(sql))[0].n);
const issue = (id: string) => report.issues.find((i) => i.id === id);

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  const inv = await loadOlist(engine);
  report = await runQualityChecks(engine, inv, { now: Date.parse('2018-11-01T00:00:00Z') });
}, 120_000);
afterAll(() => engine.close());

describe('Olist quality', () => {
  it('orders delivered before purchase', async () => {
    const n = await count(`SELECT count(*) n FROM olist_orders_dataset WHERE order_delivered_customer_date < order_purchase_timestamp`);
    expect(issue('consistency:before:order_purchase_timestamp:olist_orders_dataset.order_delivered_customer_date')?.count ?? 0).toBe(n);
    // Carrier hand-over before approval is the one ordering Olist really breaks.
    const m = await count(`SELECT count(*) n FROM olist_orders_dataset WHERE order_delivered_carrier_date < order_approved_at`);
    expect(m).toBeGreaterThan(0);
    expect(issue('consistency:before:order_approved_at:olist_orders_dataset.order_delivered_carrier_date')!.count).toBe(m);
  });

  it('orders with a missing delivery date, by status', async () => {
    const rows = await engine.query<{ value: string; count: number }>(
      `SELECT order_status AS value, count(*) AS count FROM olist_orders_dataset WHERE order_delivered_customer_date IS NULL GROUP BY 1 ORDER BY 2 DESC, 1`,
    );
    const i = issue('completeness:null:olist_orders_dataset.order_delivered_customer_date')!;
    expect(i.count).toBe(rows.reduce((s, r) => s + Number(r.count), 0));
    expect(i.breakdown).toEqual({ by: 'order_status', counts: rows.map((r) => ({ value: r.value, count: Number(r.count) })) });
  });

  it('products with a null category', async () => {
    const n = await count(`SELECT count(*) n FROM olist_products_dataset WHERE product_category_name IS NULL`);
    expect(n).toBeGreaterThan(0);
    expect(issue('completeness:null:olist_products_dataset.product_category_name')!.count).toBe(n);
  });

  it('duplicate review ids', async () => {
    const [r] = await engine.query<{ v: number; rows: number }>(
      `SELECT count(*) AS v, sum(c) AS rows FROM (SELECT count(*) c FROM olist_order_reviews_dataset GROUP BY review_id HAVING count(*) > 1)`,
    );
    const i = issue('uniqueness:duplicate-key:olist_order_reviews_dataset.review_id')!;
    expect(Number(r.v)).toBeGreaterThan(0);
    expect(i.count).toBe(Number(r.v));
    expect(i.rowsAffected).toBe(Number(r.rows));
  });

  it('order items whose product or seller is missing', async () => {
    const products = await count(`SELECT count(*) n FROM olist_order_items_dataset i LEFT JOIN olist_products_dataset p USING (product_id) WHERE p.product_id IS NULL`);
    const sellers = await count(`SELECT count(*) n FROM olist_order_items_dataset i LEFT JOIN olist_sellers_dataset s USING (seller_id) WHERE s.seller_id IS NULL`);
    expect(issue('integrity:orphan:olist_products_dataset.product_id:olist_order_items_dataset.product_id')?.count ?? 0).toBe(products);
    expect(issue('integrity:orphan:olist_sellers_dataset.seller_id:olist_order_items_dataset.seller_id')?.count ?? 0).toBe(sellers);
    // The shared README: the subset is consistent, so any orphan here would be a bug.
    expect(products + sellers).toBe(0);
  });

  it('does not mistake one-to-many ids for duplicate keys', () => {
    const dupKeys = report.issues.filter((i) => i.code === 'duplicate-key').map((i) => i.id);
    expect(dupKeys).toEqual(['uniqueness:duplicate-key:olist_order_reviews_dataset.review_id']);
  });
});
