// The Recs view model: spec pickers on a real UCI Online Retail inventory, chart inputs, verdict
// thresholds and the flattening/pairing of evaluations, on a seeded synthetic log with planted defects.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { detectInteractions } from '../../../src/core/recsys/detect-interactions.ts';
import { diagnoseInteractions } from '../../../src/core/recsys/diagnostics.ts';
import { compareCleaning } from '../../../src/core/recsys/evaluate.ts';
import { buildInteractionLog, type RawInteraction } from '../../../src/core/recsys/interactions.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { applySpecColumn, buildVerdicts, flattenMetrics, listSpecColumns, pairCleaning, refValue, toCountHistogram, toDayHistogram } from '../../../src/state/recs-model.ts';

const csvPath = resolve(process.cwd(), '../shared/data/uci-online-retail/OnlineRetail_head10k.csv');

/** 40 users × 30 items over 20 days; user 0 re-sends every event (duplicates), none in the future. */
function makeLog() {
  const rand = mulberry32(7);
  const rows: RawInteraction[] = [];
  const day0 = Date.UTC(2024, 0, 1) / 1000;
  for (let u = 0; u < 40; u++) {
    for (let j = 0; j < 8; j++) {
      const item = Math.floor(rand() * rand() * 30);
      const time = day0 + Math.floor(rand() * 20 * 86400);
      rows.push({ user: `u${u}`, item: `i${item}`, time });
      if (u === 0) rows.push({ user: `u${u}`, item: `i${item}`, time });
    }
  }
  return { log: buildInteractionLog(rows), rows, day0 };
}

describe('recs view model', () => {
  it('offers the fact table columns and re-derives the time encoding and item catalogue', async () => {
    const engine = await DuckDbNodeEngine.create();
    try {
      const { inventory } = await buildInventory([sourceFromBytes('OnlineRetail_head10k.csv', readFileSync(csvPath))], engine, { name: 'uci' });
      const det = detectInteractions(inventory);
      if (!det.ok) throw new Error(det.message);
      const spec = det.spec;
      expect(refValue(spec, 'user')).toBe('OnlineRetail_head10k.CustomerID');
      expect(refValue(spec, 'item')).toBe('OnlineRetail_head10k.StockCode');
      const options = listSpecColumns(inventory, spec).map((o) => o.column);
      expect(options).toEqual(['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country']);
      const noTime = applySpecColumn(spec, inventory, 'time', '');
      expect(noTime.time).toBeNull();
      expect(noTime.timeEncoding).toBeNull();
      const back = applySpecColumn(noTime, inventory, 'time', 'OnlineRetail_head10k.InvoiceDate');
      expect(back.timeEncoding).toBe('timestamp');
      // user and item cannot be cleared; the input spec is never mutated
      expect(applySpecColumn(spec, inventory, 'user', '')).toBe(spec);
      const byInvoice = applySpecColumn(spec, inventory, 'user', 'OnlineRetail_head10k.InvoiceNo');
      expect(byInvoice.user).toEqual({ table: 'OnlineRetail_head10k', column: 'InvoiceNo' });
      expect(spec.user.column).toBe('CustomerID');
    } finally {
      engine.close();
    }
  });

  it('turns diagnostics into charts and verdicts with the stated thresholds', () => {
    const { log, rows, day0 } = makeLog();
    const d = diagnoseInteractions(log, { nowSeconds: day0 + 365 * 86400, startSeconds: day0 });
    const users = toCountHistogram(d.perUser);
    expect(users.counts.reduce((a, b) => a + b, 0)).toBe(40);
    expect(users.log).toBe(true);
    const days = toDayHistogram(d.time.perDay)!;
    expect(days.counts.reduce((a, b) => a + b, 0)).toBe(rows.length);
    expect(days.edges[0]).toBe(Math.floor(Math.min(...rows.map((r) => r.time!)) / 86400) * 86_400_000);
    const v = new Map(buildVerdicts(d).map((x) => [x.topic, x]));
    expect(v.get('duplicates')!.params.rows).toBe(8);
    expect(v.get('duplicates')!.level).toBe('warn'); // 8 of 328 rows > 1%
    expect(v.get('size')!.level).toBe('good'); // median user has 8 interactions
    expect(v.get('time')!.key).toBe('recs.verdict.timeOk');
    expect(toDayHistogram({ startDay: 0, counts: [] })).toBeNull();
  });

  it('flattens metrics per split × model × K and pairs before with after', () => {
    const { log } = makeLog();
    const c = compareCleaning(log, { seed: 1, bootstrap: 20, models: ['popularity', 'item-knn'] });
    const { rows, skipped } = flattenMetrics(c.before);
    expect(skipped).toEqual([]);
    expect(rows).toHaveLength(c.before.results.length * 2 * 3);
    for (const r of rows) expect(r.recall.low).toBeLessThanOrEqual(r.recall.high);
    const pairs = pairCleaning(c, 10);
    expect(pairs.map((p) => p.model).sort()).toEqual(c.before.results.flatMap(() => ['item-knn', 'popularity']).sort());
    const pop = pairs.find((p) => p.model === 'popularity' && p.split === 'leave-last-out')!;
    const expected = c.after.results.find((s) => s.split === 'leave-last-out')!.models.find((m) => m.model === 'popularity')!.metrics!.find((m) => m.k === 10)!.recall;
    expect(pop.after).toEqual(expected);
  });
});
