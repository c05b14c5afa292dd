// Data worker: owns DuckDB-WASM. Builds an import's inventory off the main thread, keeps a local
// compressed copy of its tables in IndexedDB, and reloads a stored import's tables for later views.
import { expose } from 'comlink';
import { ident } from '../src/core/engine/sql-engine.ts';
import { StocktakeError } from '../src/core/errors.ts';
import { buildInventory } from '../src/core/inventory/build-inventory.ts';
import { sourceFromBlob } from '../src/core/ingest/source.ts';
import { buildTagJobSql, type TagJob } from '../src/core/tagging/plan-tag-jobs.ts';
import type { Inventory, ProgressHandler } from '../src/core/types.ts';
import { listTableData, saveTableData } from '../src/db/repository.ts';
import { DuckDbWasmEngine } from '../src/engine/duckdb-wasm.ts';

let engine: Promise<DuckDbWasmEngine> | null = null;
/** The import whose tables are loaded in the engine now (table names are only unique per import). */
let loadedImport: string | null = null;
let loadedTables: string[] = [];

/** One lazy engine per worker; a failed start is forgotten so the next call can retry. */
function getEngine(): Promise<DuckDbWasmEngine> {
  if (!engine) {
    engine = DuckDbWasmEngine.create();
    engine.catch(() => (engine = null));
  }
  return engine;
}

async function dropLoaded(db: DuckDbWasmEngine): Promise<void> {
  for (const t of loadedTables) await db.query(`DROP TABLE IF EXISTS ${ident(t)}`);
  loadedTables = [];
  loadedImport = null;
}

const api = {
  async buildInventory(name: string, files: { path: string; file: File }[], onProgress: ProgressHandler): Promise<Inventory> {
    const db = await getEngine();
    await dropLoaded(db);
    const { inventory, tableNames } = await buildInventory(
      files.map((f) => sourceFromBlob(f.path, f.file)),
      db,
      { name, onProgress },
    );
    loadedImport = inventory.import.id;
    loadedTables = tableNames;
    return inventory;
  },

  /** Saves compressed copies of the loaded import's tables; run after the catalog is stored. */
  async persistTables(importId: string): Promise<number> {
    const db = await getEngine();
    if (loadedImport !== importId) return 0;
    const records = [];
    for (const table of loadedTables) {
      const csvGzip = await db.exportCsvGzip(table);
      records.push({ importId, table, csvGzip, bytes: csvGzip.byteLength });
    }
    await saveTableData(records);
    return records.reduce((n, r) => n + r.bytes, 0);
  },

  /**
   * Makes a stored import's tables queryable again (after a reload, or when another import was
   * loaded). Returns the table names, or an empty list when no local copy was kept.
   */
  async ensureImportLoaded(importId: string): Promise<string[]> {
    const db = await getEngine();
    if (loadedImport === importId) return loadedTables;
    const records = await listTableData(importId);
    if (records.length === 0) return [];
    await dropLoaded(db);
    for (const r of records) {
      const file = `stored-${importId}-${loadedTables.length}.csv.gz`;
      await db.registerBuffer(file, r.csvGzip);
      await db.query(`CREATE TABLE ${ident(r.table)} AS SELECT * FROM read_csv('${file}', header=true, sample_size=-1)`);
      await db.dropFile(file);
      loadedTables.push(r.table);
    }
    loadedImport = importId;
    return loadedTables;
  },

  /**
   * Reads one tagging job's rows of a stored import in file order: `rows[i]` is the 0-based data row
   * of the file, `texts[c][i]` text column c and `labels[i]` the target (null when missing).
   */
  async readTagRows(importId: string, job: TagJob): Promise<TagRows> {
    const tables = await api.ensureImportLoaded(importId);
    if (!tables.includes(job.table)) {
      throw new StocktakeError('NO_TABLES', `The rows of “${job.table}” are not stored on this machine; import the files again.`);
    }
    const db = await getEngine();
    const result = await db.query<Record<string, unknown>>(buildTagJobSql(job));
    const asText = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return {
      rows: result.map((r) => Number(r.row)),
      texts: job.text.map((_, i) => result.map((r) => asText(r[`t${i}`]))),
      labels: result.map((r) => asText(r.y)),
    };
  },

  async describeEngine(): Promise<string> {
    return (await getEngine()).label;
  },
};

/** A tagging job's rows as read by `readTagRows`. */
export interface TagRows {
  rows: number[];
  texts: (string | null)[][];
  labels: (string | null)[];
}

export type InventoryApi = typeof api;
expose(api);
