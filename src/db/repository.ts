// Repository functions over the Dexie database: the only code that reads or writes it.
// Each import is written in one transaction, so a failure leaves what was stored before untouched.
import Dexie from 'dexie';
import { StocktakeError } from '../core/errors.ts';
import { decidePulledSave, type PulledSaveDecision } from '../core/snapshot/catalog-sync.ts';
import type { ColumnProfile, ForeignKey, ImportRecord, Inventory, TableProfile } from '../core/types.ts';
import { StocktakeDb, type AnalysisRecord, type ModelRecord, type RunRecord, type TableDataRecord } from './schema.ts';

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

/**
 * Stores a catalog pulled from the backend's sync, by the rules of `decidePulledSave`: the check
 * and the write are one transaction, so nothing is half-written and no concurrent import slips in
 * between. An update replaces the import's tables, columns and relations whole. Like a snapshot's
 * saved copy it stores no rows (no tableData), which the views needing rows report as "import the
 * files again". Returns what was done.
 */
export async function savePulledInventory(inv: Inventory, db = getDb()): Promise<PulledSaveDecision> {
  try {
    return await db.transaction('rw', [db.imports, db.tableProfiles, db.columns, db.relations, db.tableData], async () => {
      const id = inv.import.id;
      const record = await db.imports.get(id);
      const hasRows = record ? (await db.tableData.where('importId').equals(id).count()) > 0 : false;
      const decision = decidePulledSave(record && { record, hasRows }, inv.import.pulled?.version ?? 0);
      if (decision.action !== 'add' && decision.action !== 'update') return decision;
      await db.tableProfiles.where('importId').equals(id).delete();
      await db.columns.where('importId').equals(id).delete();
      await db.relations.where('importId').equals(id).delete();
      await db.imports.put(inv.import);
      await db.tableProfiles.bulkPut(inv.tables);
      await db.columns.bulkPut(inv.columns);
      await db.relations.bulkAdd(inv.relations.map((r) => ({ ...r })));
      return decision;
    });
  } catch (e) {
    toStorageError(e);
  }
}

/** Deletes an import and everything recorded for it, in one transaction. */
export async function deleteImport(importId: string, db = getDb()): Promise<void> {
  await db.transaction('rw', [db.imports, db.tableProfiles, db.columns, db.relations, db.tableData, db.models, db.analyses, db.runs], async () => {
    await db.imports.delete(importId);
    await db.runs.where('importId').equals(importId).delete();
    await db.models.where('importId').equals(importId).delete();
    await db.analyses.where('importId').equals(importId).delete();
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

/** Stores the compressed copies of an import's tables in one transaction (all or none). */
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

/** Stores a trained model as the next version for its (import, table, target). */
export async function saveModel(model: Omit<ModelRecord, 'id' | 'version'>, db = getDb()): Promise<ModelRecord> {
  try {
    return await db.transaction('rw', db.models, async () => {
      const prev = await db.models.where('[importId+table+target]').equals([model.importId, model.table, model.target]).toArray();
      const record: ModelRecord = { ...model, version: prev.reduce((v, m) => Math.max(v, m.version), 0) + 1 };
      record.id = await db.models.add(record);
      return record;
    });
  } catch (e) {
    toStorageError(e);
  }
}

/** What a finished training run hands over for storing (the tagging worker's outcome). */
export interface TrainedModel {
  classes: string[];
  metrics: ModelRecord['metrics'];
  dataFingerprint: string;
  createdAt: number;
  onnx: Uint8Array;
}

/** Stores a classifier just trained for (import, table, text columns, target) as its next version. */
export function saveTrainedModel(
  scope: Pick<ModelRecord, 'importId' | 'table' | 'textColumns' | 'target'>,
  outcome: TrainedModel,
  details: object,
  db = getDb(),
): Promise<ModelRecord> {
  const { classes, metrics, dataFingerprint, createdAt, onnx } = outcome;
  return saveModel({ ...scope, classes, metrics: { ...metrics }, dataFingerprint, createdAt, onnx, details: details as Record<string, unknown> }, db);
}

export function listModels(importId?: string, db = getDb()): Promise<ModelRecord[]> {
  return (importId ? db.models.where('importId').equals(importId) : db.models.toCollection()).reverse().sortBy('createdAt');
}

/** A stored model without its ONNX bytes (their size instead), for lists. */
export type ModelSummary = Omit<ModelRecord, 'onnx'> & { bytes: number };

/**
 * Stored models without their bytes, newest first. Records are visited one at a time with a cursor
 * and only the fields of the summary are kept, so listing never holds every model's bytes at once
 * (no schema change: the bytes stay in the record, which `getModel` reads when a model is run).
 */
export async function listModelSummaries(importId?: string, db = getDb()): Promise<ModelSummary[]> {
  const out: ModelSummary[] = [];
  await (importId ? db.models.where('importId').equals(importId) : db.models.toCollection()).each((m) => {
    const { onnx, ...rest } = m;
    out.push({ ...rest, bytes: onnx?.byteLength ?? 0 });
  });
  return out.sort((a, b) => b.createdAt - a.createdAt || (b.id ?? 0) - (a.id ?? 0));
}

export function getModel(id: number, db = getDb()): Promise<ModelRecord | undefined> {
  return db.models.get(id);
}

export async function deleteModel(id: number, db = getDb()): Promise<void> {
  await db.models.delete(id);
}

/** Keeps the latest result of one analysis kind for an import (replaces the previous one). */
export async function saveAnalysis(importId: string, kind: string, value: unknown, db = getDb()): Promise<void> {
  try {
    await db.analyses.put({ importId, kind, createdAt: Date.now(), value });
  } catch (e) {
    toStorageError(e);
  }
}

export async function getAnalysis<T>(importId: string, kind: string, db = getDb()): Promise<(AnalysisRecord & { value: T }) | undefined> {
  return (await db.analyses.get([importId, kind])) as (AnalysisRecord & { value: T }) | undefined;
}

/** Stores tuning runs (one trial each); a run with the same id is replaced. */
export async function saveRuns(runs: RunRecord[], db = getDb()): Promise<void> {
  try {
    await db.transaction('rw', db.runs, () => db.runs.bulkPut(runs));
  } catch (e) {
    toStorageError(e);
  }
}

/** Stores one tuning run. */
export function saveRun(run: RunRecord, db = getDb()): Promise<void> {
  return saveRuns([run], db);
}

/** An import's runs, optionally of one model, oldest first (the order they ran in). */
export async function listRuns(importId: string, model?: string, db = getDb()): Promise<RunRecord[]> {
  const rows = model === undefined ? await db.runs.where('importId').equals(importId).toArray() : await db.runs.where('[importId+model]').equals([importId, model]).toArray();
  return rows.sort((a, b) => a.createdAt - b.createdAt || (a.searchId < b.searchId ? -1 : a.searchId > b.searchId ? 1 : a.index - b.index));
}

export function getRun(id: string, db = getDb()): Promise<RunRecord | undefined> {
  return db.runs.get(id);
}

/** Deletes the runs of one import's model (clearing its history in the Runs view). */
export async function deleteRuns(importId: string, model: string, db = getDb()): Promise<void> {
  await db.runs.where('[importId+model]').equals([importId, model]).delete();
}
