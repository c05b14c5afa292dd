// The monitor end to end through the real inventory path (native DuckDB): planted changes between two
// generated versions are each reported, two samples of one distribution at 100k rows raise nothing,
// and Olist split into two periods diffs cleanly.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSourcesFromArgs } from '../../../src/cli/sources.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { diffInventories, type MonitorReport } from '../../../src/core/monitor/diff.ts';
import { formatReportMarkdown } from '../../../src/core/monitor/format-report.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { generateSample, generateVersions, splitOlistByPeriod } from '../../fixtures/generate-versions.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');

let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

async function inventoryOf(folder: string, files: Record<string, string>, createdAt: number): Promise<Inventory> {
  const enc = new TextEncoder();
  const sources = Object.entries(files).map(([name, text]) => sourceFromBytes(`${folder}/${name}`, enc.encode(text)));
  return (await buildInventory(sources, engine, { now: () => createdAt })).inventory;
}

const warnOrWorse = (r: MonitorReport) => r.alerts.filter((a) => a.severity !== 'info');

describe('planted changes between two versions', () => {
  const { v1, v2, planted } = generateVersions({ seed: 11, rows: 5000 });
  let report: MonitorReport;
  beforeAll(async () => {
    report = diffInventories(await inventoryOf('shop-v1', v1, Date.UTC(2024, 2, 1)), await inventoryOf('shop-v2', v2, Date.UTC(2024, 4, 1)));
  });
  const find = (kind: string, column?: string) => report.alerts.filter((a) => a.kind === kind && (column === undefined || a.column === column));

  it('reports the dropped column', () => {
    expect(find('column_removed')).toMatchObject([{ severity: 'error', table: 'orders', column: planted.droppedColumn.column }]);
  });

  it('reports the retyped column', () => {
    expect(find('column_retyped')).toMatchObject([{ severity: 'error', table: 'orders', column: planted.retypedColumn.column }]);
    expect(report.tables[0].columns.find((c) => c.name === 'quantity')?.types).toEqual({ old: 'integer', new: 'varchar' });
  });

  it('reports the category that appears and the one that vanishes', () => {
    expect(find('category_appeared').map((a) => [a.column, a.message.match(/"(.*)"/)?.[1]])).toEqual([['category', planted.appearedCategory.value]]);
    expect(find('category_vanished').map((a) => [a.column, a.message.match(/"(.*)"/)?.[1]])).toEqual([['category', planted.vanishedCategory.value]]);
  });

  it('measures the price shift at its known size', () => {
    // log-normal(ln 80, 0.5) × 1.25: W1 = 0.25 · mean = 0.25 · 80·e^0.125; old IQR = 80·(e^(0.5·0.6745) − e^(−0.5·0.6745))
    const expected = (0.25 * 80 * Math.exp(0.125)) / (80 * (Math.exp(0.5 * 0.6745) - Math.exp(-0.5 * 0.6745)));
    const [w] = find('wasserstein_norm', 'price');
    expect(w.severity).toBe('error');
    expect(Math.abs(w.value - expected)).toBeLessThan(0.04);
    const median = report.tables[0].columns.find((c) => c.name === 'price')!.drift!.summary.median!;
    expect(median[1] / median[0]).toBeCloseTo(planted.priceShift.factor, 1);
  });

  it('reports the null-rate jump with its effect size', () => {
    const h = 2 * Math.asin(Math.sqrt(planted.nullJump.to)) - 2 * Math.asin(Math.sqrt(planted.nullJump.from));
    const [a] = find('null_rate_h', planted.nullJump.column);
    expect(a.severity).toBe('error');
    expect(Math.abs(a.value - h)).toBeLessThan(0.05);
  });

  it('reports the stale table', () => {
    const [a] = find('stale_days');
    expect(a).toMatchObject({ table: planted.staleTable.table, severity: 'error' });
    expect(Math.abs(a.value - planted.staleTable.days)).toBeLessThan(2);
  });

  it('raises nothing else at warn or above', () => {
    const expected = ['column_removed', 'column_retyped', 'category_appeared', 'category_vanished', 'jensen_shannon', 'wasserstein_norm', 'psi', 'null_rate_h', 'stale_days'];
    expect(warnOrWorse(report).filter((a) => !expected.includes(a.kind))).toEqual([]);
  });
});

describe('two samples of one distribution at 100k rows', () => {
  it('raise no drift alert', async () => {
    const a = await inventoryOf('sample', generateSample({ seed: 101, rows: 100_000 }), Date.UTC(2024, 2, 1));
    const b = await inventoryOf('sample', generateSample({ seed: 202, rows: 100_000 }), Date.UTC(2024, 2, 2));
    expect(a.tables[0].rowCount).toBe(100_000);
    const report = diffInventories(a, b);
    expect(report.alerts).toEqual([]);
    // every distribution check ran and stayed under its threshold
    const metrics = report.tables[0].columns.flatMap((c) => c.drift?.verdicts.map((v) => v.metric) ?? []);
    expect(metrics.filter((m) => m === 'wasserstein_norm').length).toBeGreaterThanOrEqual(3);
    expect(metrics.filter((m) => m === 'jensen_shannon').length).toBeGreaterThanOrEqual(2);
  });
});

describe('Olist split by order_purchase_timestamp', () => {
  it('diffs 2016-17 against 2018', async () => {
    expect(existsSync(olistDir), `missing ${olistDir}`).toBe(true);
    const root = mkdtempSync(join(tmpdir(), 'olist-split-'));
    try {
      const [before, after] = [join(root, 'olist-2017'), join(root, 'olist-2018')];
      mkdirSync(before);
      mkdirSync(after);
      const [n0, n1] = await splitOlistByPeriod(engine, olistDir, before, after, '2018-01-01');
      expect(n0 + n1).toBe(8135);
      const old = (await buildInventory(loadSourcesFromArgs([before]), engine)).inventory;
      const next = (await buildInventory(loadSourcesFromArgs([after]), engine)).inventory;
      const report = diffInventories(old, next);
      expect(report.match.tables).toHaveLength(9);
      expect(report.match.tables.every((t) => t.how === 'name' && t.removed.length === 0 && t.added.length === 0)).toBe(true);
      expect(report.tables.find((t) => t.name === 'olist_orders_dataset')?.drift?.rows).toEqual([n0, n1]);
      if (process.env.STOCKTAKE_PRINT_REPORT) process.stdout.write(formatReportMarkdown(report));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
