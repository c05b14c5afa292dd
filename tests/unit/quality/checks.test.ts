// runQualityChecks on a seeded export with planted defects: each found with its exact count, no
// unexpected warnings or errors, counting SQL that reproduces the count, masked samples, scores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runQualityChecks } from '../../../src/core/quality/checks.ts';
import { scoreTables, SEVERITY_WEIGHT } from '../../../src/core/quality/score.ts';
import type { QualityReport } from '../../../src/core/quality/types.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadCsvTables } from './load-tables.ts';
import { generatePlantedExport } from './planted-export.ts';

const fx = generatePlantedExport();
let engine: DuckDbNodeEngine;
let inv: Inventory;
let report: QualityReport;

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  inv = await loadCsvTables(engine, fx.files);
  report = await runQualityChecks(engine, inv, { now: fx.now });
});
afterAll(() => engine.close());

describe('planted defects', () => {
  it.each(Object.entries(fx.expected))('%s is found with count %i', (id, count) => {
    const issue = report.issues.find((i) => i.id === id);
    expect(issue, id).toBeDefined();
    expect(issue!.count).toBe(count);
    if (fx.expectedRows[id] !== undefined) expect(issue!.rowsAffected).toBe(fx.expectedRows[id]);
  });

  it('reports no warning or error beyond the planted ones (timeliness aside)', () => {
    const unexpected = report.issues.filter((i) => i.severity !== 'info' && i.dimension !== 'timeliness' && !(i.id in fx.expected));
    expect(unexpected.map((i) => `${i.id} ${i.count}`)).toEqual([]);
  });

  it('breaks missing delivery dates down by status', () => {
    const issue = report.issues.find((i) => i.id === 'completeness:null:orders.delivered_at')!;
    expect(issue.breakdown?.by).toBe('status');
    expect(issue.breakdown!.counts.reduce((s, c) => s + c.count, 0)).toBe(issue.count);
    expect(issue.breakdown!.counts.map((c) => c.value).sort()).toEqual(['canceled', 'shipped']);
  });

  it('every issue carries SQL that reproduces its exact count', async () => {
    for (const i of report.issues) {
      const [{ n }] = await engine.query<{ n: number }>(i.sql);
      expect(Number(n), i.id).toBe(i.count);
      expect(i.samples.length, i.id).toBeLessThanOrEqual(5);
    }
  });

  it('masks PII in samples', () => {
    const issue = report.issues.find((i) => i.id === 'validity:malformed:customers.email')!;
    expect(issue.samples).toHaveLength(2);
    for (const s of issue.samples) expect(String(s.email)).not.toContain('user');
    expect(JSON.stringify(report)).not.toContain('user5(at)shop.example.com');
  });

  it('shows each outlier with the fence it crossed', () => {
    const issue = report.issues.find((i) => i.id === 'outlier:outlier:products.price')!;
    expect(issue.samples[0].price).toBe(99999);
    expect(issue.fences).toMatchObject({ method: 'mad', log: true });
    expect(String(issue.samples[0].threshold_crossed)).toBe(`> ${issue.fences!.upper}`);
    expect(99999).toBeGreaterThan(issue.fences!.upper!);
  });

  it('finds outliers per group when asked', async () => {
    const r = await runQualityChecks(engine, inv, { now: fx.now, outlierGroups: [{ table: 'products', column: 'price', by: 'category' }] });
    const issue = r.issues.find((i) => i.id === 'outlier:outlier-by:category:products.price')!;
    expect(issue.count).toBe(1);
    expect(issue.samples[0].product_id).toBe('p59');
  });

  it('reports freshness against the import time', () => {
    const orders = report.freshness.find((f) => f.table === 'orders')!;
    expect(orders.column).toBe('delivered_at');
    expect(orders.ageDays).toBe(Math.floor((fx.now - Date.parse(orders.newest.replace(' ', 'T') + 'Z')) / 86_400_000));
  });

  it('scores tables by the documented formula', () => {
    expect(scoreTables(inv.tables, report.issues)).toEqual(report.tables);
    const reviews = report.tables.find((t) => t.table === 'reviews')!;
    const dup = report.issues.find((i) => i.id === 'uniqueness:duplicate-key:reviews.review_id')!;
    expect(reviews.dimensions.uniqueness).toBe(Math.round(1000 * (1 - SEVERITY_WEIGHT.error * (4 / 90))) / 10);
    expect(dup.severity).toBe('error');
    expect(report.score).toBeGreaterThan(0);
    expect(report.score).toBeLessThan(100);
  });

  it('honours an aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(runQualityChecks(engine, inv, { signal: ac.signal })).rejects.toThrow(/Cancelled/);
  });
});
