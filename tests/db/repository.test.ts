// Dexie repository on fake-indexeddb: an import is written atomically, read back whole, deleted
// whole, and a failed write leaves the previously stored catalog untouched.
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { StocktakeDb } from '../../src/db/schema.ts';
import { deleteImport, listImports, loadInventory, saveInventory, useDb, getSetting, putSetting } from '../../src/db/repository.ts';
import { buildInventory } from '../../src/core/inventory/build-inventory.ts';
import { sourceFromBytes } from '../../src/core/ingest/source.ts';
import { DuckDbNodeEngine } from '../../src/engine/duckdb-node.ts';
import { generateExport } from '../fixtures/generate-export.ts';
import type { Inventory } from '../../src/core/types.ts';

let db: StocktakeDb;
let seq = 0;

async function fixtureInventory(name: string): Promise<Inventory> {
  const { files } = generateExport({ seed: 7 });
  const engine = await DuckDbNodeEngine.create();
  try {
    const sources = Object.entries(files).map(([path, text]) => sourceFromBytes(`${name}/${path}`, new TextEncoder().encode(text)));
    return (await buildInventory(sources, engine, { name })).inventory;
  } finally {
    engine.close();
  }
}

beforeEach(() => {
  db = new StocktakeDb(`test-${++seq}`);
  useDb(db);
});

describe('repository', () => {
  it('stores an inventory and reads the same records back', async () => {
    const inv = await fixtureInventory('shop');
    await saveInventory(inv);
    const back = await loadInventory(inv.import.id);
    expect(back?.import).toEqual(inv.import);
    expect(back?.tables.map((t) => t.name).sort()).toEqual(inv.tables.map((t) => t.name).sort());
    expect(back?.columns).toHaveLength(inv.columns.length);
    expect(back?.relations).toHaveLength(inv.relations.length);
    expect((await listImports()).map((i) => i.id)).toEqual([inv.import.id]);
  });

  it('leaves stored imports untouched when a write fails half way', async () => {
    const first = await fixtureInventory('first');
    await saveInventory(first);
    const second = await fixtureInventory('second');
    // A column record without its key path makes bulkPut fail after the import row was written.
    const broken = { ...second, columns: [...second.columns, { ...second.columns[0], name: undefined as unknown as string }] };
    await expect(saveInventory(broken)).rejects.toMatchObject({ code: 'STORAGE_ERROR' });
    expect((await listImports()).map((i) => i.id)).toEqual([first.import.id]);
    expect(await db.columns.where('importId').equals(second.import.id).count()).toBe(0);
    expect((await loadInventory(first.import.id))?.columns).toHaveLength(first.columns.length);
  });

  it('deletes an import with all its tables, columns and relations', async () => {
    const a = await fixtureInventory('a');
    const b = await fixtureInventory('b');
    await saveInventory(a);
    await saveInventory(b);
    await deleteImport(a.import.id);
    expect(await loadInventory(a.import.id)).toBeUndefined();
    expect(await db.columns.where('importId').equals(a.import.id).count()).toBe(0);
    expect(await db.relations.where('importId').equals(a.import.id).count()).toBe(0);
    expect((await loadInventory(b.import.id))?.tables).toHaveLength(b.tables.length);
  });

  it('remembers settings', async () => {
    expect(await getSetting('locale', 'en')).toBe('en');
    await putSetting('locale', 'zh');
    expect(await getSetting('locale', 'en')).toBe('zh');
  });
});
