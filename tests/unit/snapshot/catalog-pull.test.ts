// Pulled catalog records back into inventories, on the seeded shop export (planted PII) profiled by
// native DuckDB: the push path's records, passed through JSON and given server versions, come back as
// the original inventory less what push leaves out; incomplete and malformed groups are refused with
// a typed error naming what is missing; the save rules of a pulled import, table-driven.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import {
  afterPull,
  buildCatalogItems,
  CatalogSyncError,
  decidePulledSave,
  EMPTY_SYNC_STATE,
  inventoriesFromRecords,
  planPush,
  type PulledImport,
} from '../../../src/core/snapshot/catalog-sync.ts';
import type { ServerRecord } from '../../../src/core/snapshot/sync-types.ts';
import type { ColumnProfile, ImportRecord, Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { generateExport, type ExpectedExport } from '../../fixtures/generate-export.ts';

let engine: DuckDbNodeEngine;
let shop: Inventory;
let shopExpected: ExpectedExport;
let other: Inventory;

async function profile(seed: number, name: string): Promise<{ inventory: Inventory; expected: ExpectedExport }> {
  const { files, expected } = generateExport({ seed, scale: 1 });
  const sources = Object.entries(files).map(([path, text]) => sourceFromBytes(path, new TextEncoder().encode(text)));
  return { inventory: (await buildInventory(sources, engine, { name })).inventory, expected };
}

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  const a = await profile(42, 'shop');
  shop = a.inventory;
  shopExpected = a.expected;
  other = (await profile(7, 'other shop')).inventory;
}, 120_000);
afterAll(() => engine.close());

/**
 * What a workspace holds after `clientId` pushed the inventories through the existing push path
 * (buildCatalogItems → planPush), each value passed through JSON as the server stores it, with
 * server versions counting up from `firstVersion` in push order.
 */
function serverRecords(invs: Inventory[], clientId: string, firstVersion = 1, at = Date.UTC(2026, 10, 23)): ServerRecord[] {
  let version = firstVersion;
  return invs.flatMap((inv) =>
    planPush(buildCatalogItems(inv), EMPTY_SYNC_STATE, at).map((r) => ({
      key: r.key,
      version: version++,
      value: JSON.parse(JSON.stringify(r.value)) as unknown,
      updatedAt: r.updatedAt,
      clientId,
    })),
  );
}

/** The inventory as push sends it: no samples or top values, and no min/max of PII columns. */
function withoutWhatPushLeavesOut(inv: Inventory): Inventory {
  return {
    ...inv,
    columns: inv.columns.map((c): ColumnProfile => ({ ...c, samples: [], topValues: [], ...(c.pii ? { min: null, max: null } : {}) })),
  };
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const columnKey = (c: ColumnProfile) => `${c.table}.${c.name}`;

/** Order-free comparison form: pulled inventories come back in server order, not profiling order. */
function normalize(inv: Inventory) {
  return {
    import: inv.import,
    tables: [...inv.tables].sort(byName),
    columns: [...inv.columns].sort((a, b) => (columnKey(a) < columnKey(b) ? -1 : 1)),
    relations: [...inv.relations].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  };
}

function okOf(p: PulledImport | undefined): Inventory {
  if (!p?.ok) throw new Error(`expected a rebuilt import, got ${p ? p.error.message : 'nothing'}`);
  return p.inventory;
}

function errorOf(p: PulledImport | undefined): CatalogSyncError {
  if (!p || p.ok) throw new Error('expected a refused import');
  return p.error;
}

describe('inventoriesFromRecords', () => {
  it('rebuilds the pushed inventory: the original less samples, top values and PII min/max', () => {
    const records = serverRecords([shop], 'web-a');
    const pulled = inventoriesFromRecords(records, 'team');
    expect(pulled).toHaveLength(1);
    const back = okOf(pulled[0]);
    const newest = records[records.length - 1];
    expect(back.import.pulled).toEqual({ workspace: 'team', version: newest.version, clientId: 'web-a', updatedAt: newest.updatedAt });
    const { pulled: _origin, ...imp } = back.import;
    expect(normalize({ ...back, import: imp as ImportRecord })).toEqual(normalize(withoutWhatPushLeavesOut(shop)));
    // The planted PII columns really lost their raw extremes, and every sample is gone.
    const piiCols = Object.keys(shopExpected.pii);
    expect(piiCols.length).toBeGreaterThan(0);
    for (const ref of piiCols) {
      const c = back.columns.find((x) => columnKey(x) === ref);
      expect(c?.pii, ref).not.toBeNull();
      expect([c?.min, c?.max], ref).toEqual([null, null]);
    }
    expect(back.columns.every((c) => c.samples.length === 0 && c.topValues.length === 0)).toBe(true);
    expect(back.tables.map((t) => t.name).sort()).toEqual(Object.keys(shopExpected.tables).sort());
    expect(back.relations.length).toBe(shop.relations.length);
  });

  it('groups by import id, newest first, and leaves keys this app did not make alone', () => {
    const records = [
      ...serverRecords([shop], 'web-a', 1),
      { key: 'notes/readme', version: 500, value: 'hello', updatedAt: 1, clientId: 'cli' },
      ...serverRecords([other], 'web-b', 1000),
    ];
    const pulled = inventoriesFromRecords(records, 'team');
    expect(pulled.map((p) => p.importId)).toEqual([other.import.id, shop.import.id]);
    expect(okOf(pulled[0]).import.pulled?.clientId).toBe('web-b');
    expect(pulled[1].records).toBe(buildCatalogItems(shop).length);
  });

  it('takes the newest import record when a renamed import left its old key behind', () => {
    const records = serverRecords([shop], 'web-a');
    const renamed = { ...shop, import: { ...shop.import, name: 'shop renamed' } };
    const again = serverRecords([renamed], 'web-a', records.length + 1).filter((r) => r.key.includes('/import/'));
    const back = okOf(inventoriesFromRecords([...records, ...again], 'team')[0]);
    expect(back.import.name).toBe('shop renamed');
    expect(back.import.pulled?.version).toBe(again[0].version);
  });

  it('refuses a group whose table record is missing, naming the table', () => {
    const records = serverRecords([shop], 'web-a').filter((r) => r.key !== `${shop.import.id}/table/users`);
    const err = errorOf(inventoriesFromRecords(records, 'team')[0]);
    expect(err).toBeInstanceOf(CatalogSyncError);
    expect(err.code).toBe('SYNC_RECORDS_INVALID');
    expect(err.problem).toBe('incomplete');
    expect(err.importId).toBe(shop.import.id);
    expect(err.message).toContain('columns of table "users" whose table record is missing');
    expect(err.message).toContain(`${shop.tables.length - 1} of the ${shop.tables.length} tables`);
  });

  it('refuses a group without its import record, or with a column short', () => {
    const all = serverRecords([shop], 'web-a');
    const noImport = errorOf(inventoriesFromRecords(all.filter((r) => !r.key.includes('/import/')), 'team')[0]);
    expect(noImport.problem).toBe('incomplete');
    expect(noImport.message).toContain('no import record');
    const orders = shop.tables.find((t) => t.name === 'orders');
    const oneColumnShort = all.filter((r) => r.key !== `${shop.import.id}/column/orders.${shop.columns.find((c) => c.table === 'orders')?.name}`);
    const short = errorOf(inventoriesFromRecords(oneColumnShort, 'team')[0]);
    expect(short.message).toContain(`${(orders?.columnCount ?? 0) - 1} of the ${orders?.columnCount} columns of table "orders"`);
  });

  it('refuses malformed records: a value that does not fit its key, or no object at all', () => {
    const all = serverRecords([shop], 'web-a');
    const i = all.findIndex((r) => r.key.includes('/column/'));
    const wrongImport = all.map((r, j) => (j === i ? { ...r, value: { ...(r.value as object), importId: 'someone-else' } } : r));
    const err = errorOf(inventoriesFromRecords(wrongImport, 'team')[0]);
    expect(err.problem).toBe('malformed');
    expect(err.message).toContain(all[i].key);
    expect(err.message).toContain('someone-else');
    const notObject = all.map((r) => (r.key.includes('/table/') ? { ...r, value: 42 } : r));
    expect(errorOf(inventoriesFromRecords(notObject, 'team')[0]).message).toMatch(/record .*\/table\/.* is not an object/);
  });

  it('a saved pulled import pushes nothing back once the pull was remembered', () => {
    const records = serverRecords([shop], 'web-a');
    const back = okOf(inventoriesFromRecords(records, 'team')[0]);
    const state = afterPull(EMPTY_SYNC_STATE, { records, serverVersion: records.length, hasMore: false });
    expect(planPush(buildCatalogItems(back), state, Date.now())).toEqual([]);
  });
});

describe('decidePulledSave', () => {
  const base = { id: 'x', name: 'x', createdAt: 1, files: [], tableCount: 0, rowCount: 0, bytes: 0, status: 'complete', issues: [], engine: 'e', durationMs: 0 } satisfies ImportRecord;
  const pulledAt = (version: number): ImportRecord => ({ ...base, pulled: { workspace: 'team', version, clientId: 'web-a', updatedAt: 1 } });
  const cases: [string, Parameters<typeof decidePulledSave>[0], number, ReturnType<typeof decidePulledSave>][] = [
    ['new id', undefined, 5, { action: 'add' }],
    ['pulled before, newer now', { record: pulledAt(5), hasRows: false }, 9, { action: 'update', from: 5 }],
    ['pulled before, same version', { record: pulledAt(5), hasRows: false }, 5, { action: 'unchanged', version: 5 }],
    ['pulled before, older version', { record: pulledAt(5), hasRows: false }, 3, { action: 'unchanged', version: 5 }],
    ['local with rows', { record: base, hasRows: true }, 9, { action: 'keep-local', reason: 'has-rows' }],
    ['local rows win over a pulled marker', { record: pulledAt(5), hasRows: true }, 9, { action: 'keep-local', reason: 'has-rows' }],
    ['profiled here, rows not kept', { record: base, hasRows: false }, 9, { action: 'keep-local', reason: 'profiled-here' }],
  ];
  it.each(cases)('%s', (_name, local, version, want) => {
    expect(decidePulledSave(local, version)).toEqual(want);
  });
});
