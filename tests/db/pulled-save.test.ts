// Saving pulled catalogs on fake-indexeddb: the seeded shop export profiled by native DuckDB, pushed
// through the push path and rebuilt by inventoriesFromRecords, is added as a catalog-only import (no
// rows), replaced only by a newer server version (stale tables and columns go), reported unchanged
// otherwise, never written over a local import with rows or one profiled here, and a failed update
// leaves the stored copy whole.
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../../src/core/ingest/source.ts';
import { buildInventory } from '../../src/core/inventory/build-inventory.ts';
import { buildCatalogItems, EMPTY_SYNC_STATE, inventoriesFromRecords, planPush } from '../../src/core/snapshot/catalog-sync.ts';
import type { ServerRecord } from '../../src/core/snapshot/sync-types.ts';
import type { Inventory } from '../../src/core/types.ts';
import { listTableData, loadInventory, saveInventory, savePulledInventory, saveTableData, useDb } from '../../src/db/repository.ts';
import { StocktakeDb } from '../../src/db/schema.ts';
import { DuckDbNodeEngine } from '../../src/engine/duckdb-node.ts';
import { generateExport } from '../fixtures/generate-export.ts';

let db: StocktakeDb;
let seq = 0;
let shop: Inventory;

beforeAll(async () => {
  const { files } = generateExport({ seed: 42, scale: 1 });
  const engine = await DuckDbNodeEngine.create();
  try {
    const sources = Object.entries(files).map(([path, text]) => sourceFromBytes(path, new TextEncoder().encode(text)));
    shop = (await buildInventory(sources, engine, { name: 'shop' })).inventory;
  } finally {
    engine.close();
  }
}, 120_000);
afterAll(() => db?.close());

beforeEach(() => {
  db = new StocktakeDb(`pulled-${++seq}`);
  useDb(db);
});

/** The inventory as another browser pushed it and this one pulled it, at server versions from `firstVersion`. */
function pulledCopy(inv: Inventory, firstVersion: number): Inventory {
  let version = firstVersion;
  const records: ServerRecord[] = planPush(buildCatalogItems(inv), EMPTY_SYNC_STATE, 1_700_000_000_000).map((r) => ({
    key: r.key,
    version: version++,
    value: JSON.parse(JSON.stringify(r.value)) as unknown,
    updatedAt: r.updatedAt,
    clientId: 'web-other',
  }));
  const [p] = inventoriesFromRecords(records, 'team');
  if (!p?.ok) throw new Error(p ? p.error.message : 'nothing pulled');
  return p.inventory;
}

/** The shop without its reviews table (and what hangs off it): a later state of the same import. */
function withoutReviews(inv: Inventory): Inventory {
  const tables = inv.tables.filter((t) => t.name !== 'reviews');
  return {
    import: { ...inv.import, tableCount: tables.length },
    tables,
    columns: inv.columns.filter((c) => c.table !== 'reviews'),
    relations: inv.relations.filter((r) => r.fromTable !== 'reviews' && r.toTable !== 'reviews'),
  };
}

describe('savePulledInventory', () => {
  it('adds a new import as catalog only: every record stored, no rows', async () => {
    const copy = pulledCopy(shop, 1);
    expect(await savePulledInventory(copy)).toEqual({ action: 'add' });
    const back = await loadInventory(shop.import.id);
    expect(back?.import).toEqual(copy.import);
    expect(back?.tables).toHaveLength(shop.tables.length);
    expect(back?.columns).toHaveLength(shop.columns.length);
    expect(back?.relations).toHaveLength(shop.relations.length);
    expect(await listTableData(shop.import.id)).toEqual([]);
  });

  it('replaces a pulled copy only with a newer version, dropping tables that are gone', async () => {
    const v1 = pulledCopy(shop, 1);
    await savePulledInventory(v1);
    const v1Version = v1.import.pulled?.version ?? 0;
    expect(await savePulledInventory(pulledCopy(shop, 1))).toEqual({ action: 'unchanged', version: v1Version });

    const later = pulledCopy(withoutReviews(shop), 1000);
    expect(await savePulledInventory(later)).toEqual({ action: 'update', from: v1Version });
    const back = await loadInventory(shop.import.id);
    expect(back?.tables.map((t) => t.name)).not.toContain('reviews');
    expect(back?.columns.filter((c) => c.table === 'reviews')).toEqual([]);
    expect(back?.columns).toHaveLength(later.columns.length);
    expect(back?.relations).toHaveLength(later.relations.length);
    expect(back?.import.pulled?.version).toBe(later.import.pulled?.version);

    // The older state pulled again (a stale server or an old pull) is not a downgrade.
    expect(await savePulledInventory(v1)).toEqual({ action: 'unchanged', version: later.import.pulled?.version });
    expect((await loadInventory(shop.import.id))?.tables).toHaveLength(later.tables.length);
  });

  it('never writes over a local import that has its rows here', async () => {
    await saveInventory(shop);
    await saveTableData([{ importId: shop.import.id, table: 'users', csvGzip: new Uint8Array([31, 139, 8, 0]), bytes: 4 }]);
    expect(await savePulledInventory(pulledCopy(withoutReviews(shop), 1000))).toEqual({ action: 'keep-local', reason: 'has-rows' });
    const back = await loadInventory(shop.import.id);
    expect(back?.import).toEqual(shop.import);
    expect(back?.tables).toHaveLength(shop.tables.length);
    expect(back?.columns.some((c) => c.samples.length > 0)).toBe(true);
  });

  it('never writes over an import profiled here, even without its rows', async () => {
    await saveInventory(shop);
    expect(await savePulledInventory(pulledCopy(shop, 1000))).toEqual({ action: 'keep-local', reason: 'profiled-here' });
    expect((await loadInventory(shop.import.id))?.import.pulled).toBeUndefined();
  });

  it('leaves the stored copy whole when an update fails half way', async () => {
    const v1 = pulledCopy(shop, 1);
    await savePulledInventory(v1);
    const later = pulledCopy(withoutReviews(shop), 1000);
    // A column without its key path makes bulkPut fail after the old records were deleted.
    const broken = { ...later, columns: [...later.columns, { ...later.columns[0], name: undefined as unknown as string }] };
    await expect(savePulledInventory(broken)).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    const back = await loadInventory(shop.import.id);
    expect(back?.import).toEqual(v1.import);
    expect(back?.tables).toHaveLength(shop.tables.length);
    expect(back?.columns).toHaveLength(shop.columns.length);
    expect(back?.relations).toHaveLength(shop.relations.length);
  });
});
