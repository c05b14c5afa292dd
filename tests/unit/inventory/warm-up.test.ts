// The engine's warm-up import: it must really run every step (parts, profile, foreign keys) and leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmUpInventory, warmUpSources } from '../../../src/core/inventory/warm-up.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { recordingEngine } from './recording-engine.ts';

let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

describe('warmUpInventory', () => {
  it('imports both tables, the larger one in parts, finds their foreign key and drops the tables', async () => {
    const { engine: spy, registered, sql } = recordingEngine(engine);
    const inventory = await warmUpInventory(spy);
    expect(inventory.import.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(inventory.tables.map((t) => t.rowCount).sort((a, b) => a - b)).toEqual([3000, 30000]);
    // The parts path: a group created, a later one appended with its types.
    expect(registered.filter((n) => n.startsWith('stocktake-part-')).length).toBeGreaterThanOrEqual(2);
    expect(sql.some((q) => q.startsWith('INSERT INTO "__stocktake_staging_'))).toBe(true);
    expect(inventory.relations.map((r) => `${r.fromTable}.${r.fromColumn}->${r.toTable}.${r.toColumn}`)).toContain(
      'stocktake_warmup_items.order_id->stocktake_warmup_orders.order_id',
    );
    const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE NOT temporary`);
    expect(n).toBe(0);
  });

  it('stops when its signal fires midway and leaves no table behind', async () => {
    const stop = new AbortController();
    let queries = 0;
    const spy = Object.create(engine, {
      query: {
        value: (q: string) => {
          // Stop once the first table is in and being profiled.
          if (++queries === 12) stop.abort();
          return engine.query(q);
        },
      },
    }) as DuckDbNodeEngine;
    await expect(warmUpInventory(spy, undefined, stop.signal)).rejects.toMatchObject({ name: 'AbortError' });
    const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE NOT temporary`);
    expect(n).toBe(0);
  });

  it('is the same export every time (seeded)', () => {
    const a = warmUpSources();
    const b = warmUpSources();
    expect(a.map((s) => s.size)).toEqual(b.map((s) => s.size));
    // Over one 1 MiB stream chunk, so the cutter sees more than one chunk and cuts more than one part.
    expect(a[1].size).toBeGreaterThan(1024 * 1024);
  });
});
