// Repository functions over the Dexie database: the only code that reads or writes it.
// Each import is written in one transaction, so a failure leaves what was stored before untouched.
import Dexie from 'dexie';
import { StocktakeError } from '../core/errors.ts';
import type { ColumnProfile, ForeignKey, ImportRecord, Inventory, TableProfile } from '../core/types.ts';
import { StocktakeDb, type TableDataRecord } from './schema.ts';

let instance: StocktakeDb | null = null;

/** The app's database, opened lazily. Closing on `versionchange` lets a newer tab upgrade it. */
export function getDb(): StocktakeDb {
  if (!instance) {
    instance = new StocktakeDb();
    instance.on('versionchange', () => {
      instance?.close();
      instance = null;
      return false;
    });
  }
  return instance;
}

/** Replaces the database (tests use a fresh name per test with fake-indexeddb). */
export function useDb(db: StocktakeDb): void {
  instance = db;
}

function toStorageError(e: unknown): never {
  if (e instanceof Dexie.QuotaExceededError || (e instanceof Error && e.name === 'QuotaExceededError')) {
    throw new StocktakeError('STORAGE_ERROR', 'The browser is out of storage space for this site; nothing was saved. Delete old imports and try again.');
  }
  throw new StocktakeError('STORAGE_ERROR', `Could not save to the browser database: ${(e as Error).message}`);
}

/** Stores a whole inventory atomically: either every record lands or none does. */
export async function saveInventory(inv: Inventory, db = getDb()): Promise<void> {
  try {
    await db.transaction('rw', [db.imports, db.tableProfiles, db.columns, db.relations], async () => {
      await db.imports.put(inv.import);
      await db.tableProfiles.bulkPut(inv.tables);
      await db.columns.bulkPut(inv.columns);
      await db.relations.where('importId').equals(inv.import.id).delete();
      await db.relations.bulkAdd(inv.relations.map((r) => ({ ...r })));
    });
  } catch (e) {
    toStorageError(e);
  }
}

/** Deletes an import and everything recorded for it, in one transaction. */
export async function deleteImport(importId: string, db = getDb()): Promise<void> {
  await db.transaction('rw', [db.imports, db.tableProfiles, db.columns, db.relations, db.tableData], async () => {
    await db.imports.delete(importId);
    await db.tableData.where('importId').equals(importId).delete();
    await db.tableProfiles.where('importId').equals(importId).delete();
    await db.columns.where('importId').equals(importId).delete();
    await db.relations.where('importId').equals(importId).delete();
  });
}

export function listImports(db = getDb()): Promise<ImportRecord[]> {
  return db.imports.orderBy('createdAt').reverse().toArray();
}

export function getImport(importId: string, db = getDb()): Promise<ImportRecord | undefined> {
  return db.imports.get(importId);
}

export function listTables(importId: string, db = getDb()): Promise<TableProfile[]> {
  return db.tableProfiles.where('importId').equals(importId).sortBy('name');
}

export async function listColumns(importId: string, table: string, db = getDb()): Promise<ColumnProfile[]> {
  const cols = await db.columns.where('[importId+table]').equals([importId, table]).toArray();
  return cols.sort((a, b) => a.index - b.index);
}

export function listAllColumns(importId: string, db = getDb()): Promise<ColumnProfile[]> {
  return db.columns.where('importId').equals(importId).toArray();
}

export async function listRelations(importId: string, db = getDb()): Promise<ForeignKey[]> {
  const rows = await db.relations.where('importId').equals(importId).toArray();
  return rows.map(({ id: _id, ...fk }) => fk);
}

/** Reads a whole stored inventory back (snapshots, exports). */
export async function loadInventory(importId: string, db = getDb()): Promise<Inventory | undefined> {
  return db.transaction('r', [db.imports, db.tableProfiles, db.columns, db.relations], async () => {
    const imp = await db.imports.get(importId);
    if (!imp) return undefined;
    return {
      import: imp,
      tables: await listTables(importId, db),
      columns: await listAllColumns(importId, db),
      relations: await listRelations(importId, db),
    };
  });
}

export async function getSetting<T>(key: string, fallback: T, db = getDb()): Promise<T> {
  const row = await db.settings.get(key);
  return row === undefined ? fallback : (row.value as T);
}

export async function putSetting(key: string, value: unknown, db = getDb()): Promise<void> {
  await db.settings.put({ key, value });
}

/** Stores the Parquet copies of an import's tables in one transaction (all or none). */
export async function saveTableData(records: TableDataRecord[], db = getDb()): Promise<void> {
  try {
    await db.transaction('rw', db.tableData, async () => {
      await db.tableData.bulkPut(records);
    });
  } catch (e) {
    toStorageError(e);
  }
}

export function listTableData(importId: string, db = getDb()): Promise<TableDataRecord[]> {
  return db.tableData.where('importId').equals(importId).toArray();
}
