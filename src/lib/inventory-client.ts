// Main-thread bridge to the inventory worker: one import job at a time per worker; cancelling
// terminates the worker (DuckDB included) and the next job starts a fresh one lazily.
import { proxy, wrap, type Remote } from 'comlink';
import type { Inventory, ProgressEvent } from '../core/types.ts';
import type { TagJob } from '../core/tagging/plan-tag-jobs.ts';
import type { InventoryApi, TagRows } from '../../workers/inventory.worker.ts';

export type { TagRows };

/** A file picked or dropped by the user, with its path inside the folder or drop (`dir/a.csv`). */
export interface PickedFile {
  path: string;
  file: File;
}

export interface ImportJob {
  /** Resolves with the profiled inventory; rejects with AbortError on cancel. */
  result: Promise<Inventory>;
  cancel(): void;
}

let worker: Worker | null = null;
let api: Remote<InventoryApi> | null = null;

function getApi(): Remote<InventoryApi> {
  if (!api) {
    worker = new Worker(new URL('../../workers/inventory.worker.ts', import.meta.url), { type: 'module', name: 'inventory' });
    api = wrap<InventoryApi>(worker);
  }
  return api;
}

function resetWorker(): void {
  worker?.terminate();
  worker = null;
  api = null;
}

/** Starts profiling `files` as one import named `name`, reporting progress as it goes. */
export function startImport(name: string, files: PickedFile[], onProgress: (e: ProgressEvent) => void): ImportJob {
  let reject: (e: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  const run = getApi().buildInventory(
    name,
    files.map((f) => ({ path: f.path, file: f.file })),
    proxy(onProgress),
  );
  return {
    result: Promise.race([run, cancelled]),
    cancel() {
      resetWorker();
      reject(new DOMException('Import cancelled', 'AbortError'));
    },
  };
}

/** Describes the engine the worker will use (bundle, threads, memory budget) for the UI. */
export function describeEngine(): Promise<string> {
  return getApi().describeEngine();
}

/** Keeps a local compressed copy of the just-built import's tables (for later views after a reload). */
export function persistTables(importId: string): Promise<number> {
  return getApi().persistTables(importId);
}

/** Loads a stored import's tables into the data worker's engine; [] when no local copy exists. */
export function ensureImportLoaded(importId: string): Promise<string[]> {
  return getApi().ensureImportLoaded(importId);
}

/** Reads one tagging job's texts and labels (with their file rows) from a stored import. */
export function readTagRows(importId: string, job: TagJob): Promise<TagRows> {
  return getApi().readTagRows(importId, job);
}
