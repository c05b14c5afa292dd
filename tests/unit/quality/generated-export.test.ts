// Acceptance on the shared seeded fixture (tests/fixtures/generate-export.ts) through the real
// inventory path: every planted defect the answer key lists is found with its exact count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { runQualityChecks } from '../../../src/core/quality/checks.ts';
import type { QualityReport } from '../../../src/core/quality/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { generateExport } from '../../fixtures/generate-export.ts';

const { files, expected } = generateExport({ seed: 42, scale: 1 });
let engine: DuckDbNodeEngine;
let report: QualityReport;
const find = (id: string) => report.issues.find((i) => i.id === id);

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  const sources = Object.entries(files).map(([name, text]) => sourceFromBytes(name, new TextEncoder().encode(text)));
  const { inventory } = await buildInventory(sources, engine);
  report = await runQualityChecks(engine, inventory, { now: Date.UTC(2030, 0, 1) });
}, 120_000);
afterAll(() => engine.close());

describe('quality checks on the generated export', () => {
  it('nulls, blanks and placeholders per column', () => {
    for (const [ref, n] of Object.entries(expected.nulls)) expect(find(`completeness:null:${ref}`)?.count, ref).toBe(n);
    for (const [ref, n] of Object.entries(expected.blanks)) expect(find(`completeness:empty:${ref}`)?.count, ref).toBe(n);
    for (const [ref, spellings] of Object.entries(expected.placeholders)) {
      const total = Object.values(spellings!).reduce((a, b) => a + b, 0);
      expect(find(`completeness:placeholder:${ref}`)?.count, ref).toBe(total);
    }
  });

  it('negative prices, delivered before purchase, total mismatches, orphans, duplicate keys', () => {
    expect(find('validity:negative:products.price')?.count).toBe(expected.defects.negativePrices.productIds.length);
    expect(find('consistency:before:purchased_at:orders.delivered_at')?.count).toBe(expected.defects.deliveredBeforePurchase.orderIds.length);
    const totals = report.issues.find((i) => i.code.startsWith('total-vs-items:') && i.table === 'orders');
    expect(totals?.count).toBe(expected.defects.totalMismatch.orderIds.length);
    expect(find('integrity:orphan:products.product_id:order_items.product_id')?.count).toBe(expected.defects.orphanItems.rows);
    const dup = find('uniqueness:duplicate-key:reviews.review_id');
    expect(dup?.count).toBe(expected.defects.duplicateKeys.values.length);
    expect(dup!.rowsAffected! - dup!.count).toBe(expected.defects.duplicateKeys.extraRows);
    expect(find('uniqueness:duplicate-row:reviews')?.count ?? 0).toBe(expected.tables.reviews.duplicateRows);
  });

  it('mixed date formats and brand spellings', () => {
    const formats = Object.values(expected.defects.mixedDates.formats).sort((a, b) => b - a);
    expect(find('validity:mixed-date-format:users.signup_at')?.count).toBe(formats.slice(1).reduce((a, b) => a + b, 0));
    const brands = report.issues.find((i) => i.code === 'spellings' && i.column === 'brand')!;
    // Key collision finds case variants (APPLE, XiaoMi); translations (小米 for Xiaomi) need a synonym
    // list and are out of its reach, so they are not expected here.
    const offMain = Object.entries(expected.defects.brandVariants).reduce((s, [brand, v]) => {
      const same = Object.entries(v).filter(([spelling]) => spelling.toLowerCase() === brand.toLowerCase()).map(([, n]) => n).sort((a, b) => b - a);
      return s + same.slice(1).reduce((a, b) => a + b, 0);
    }, 0);
    expect(brands.count).toBe(offMain);
  });

  it('flags the planted price and quantity outliers', async () => {
    const price = find('outlier:outlier:products.price')!;
    const ids = new Set(price.samples.map((s) => s.product_id));
    for (const id of expected.defects.priceOutliers.productIds.slice(0, 5)) expect(ids.has(id)).toBe(true);
    // The planted ×1000 prices are exactly the ones above the upper fence; cheap genuine products
    // below the lower log-scale fence are reported too (info), which the answer key does not list.
    const above = await engine.query<{ product_id: string }>(`SELECT product_id FROM products WHERE price > ${price.fences!.upper} ORDER BY 1`);
    expect(above.map((r) => r.product_id)).toEqual([...expected.defects.priceOutliers.productIds].sort());
    expect(price.severity).toBe('info');
    expect(find('outlier:outlier:order_items.quantity')?.count).toBe(expected.defects.quantityOutliers.orderIds.length);
  });
});
