// Inventory worker: builds an import's inventory off the main thread with DuckDB-WASM.
import { expose } from 'comlink';
import { buildInventory } from '../src/core/inventory/build-inventory.ts';
import { sourceFromBlob } from '../src/core/ingest/source.ts';
import type { Inventory, ProgressHandler } from '../src/core/types.ts';
import { DuckDbWasmEngine } from '../src/engine/duckdb-wasm.ts';

let engine: Promise<DuckDbWasmEngine> | null = null;

/** One lazy engine per worker; a failed start is forgotten so the next call can retry. */
function getEngine(): Promise<DuckDbWasmEngine> {
  if (!engine) {
    engine = DuckDbWasmEngine.create();
    engine.catch(() => (engine = null));
  }
  return engine;
}

const api = {
  async buildInventory(name: string, files: { path: string; file: File }[], onProgress: ProgressHandler): Promise<Inventory> {
    const db = await getEngine();
    const { inventory } = await buildInventory(
      files.map((f) => sourceFromBlob(f.path, f.file)),
      db,
      { name, onProgress },
    );
    return inventory;
  },
  async describeEngine(): Promise<string> {
    return (await getEngine()).label;
  },
};

export type InventoryApi = typeof api;
expose(api);
