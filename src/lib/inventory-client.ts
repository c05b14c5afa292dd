// Main-thread bridge to the inventory worker: one import job at a time per worker; cancelling
// terminates the worker (DuckDB included) and the next job starts a fresh one lazily.
import { proxy, wrap, type Remote } from 'comlink';
import type { Inventory, ProgressEvent } from '../core/types.ts';
import type { TagJob } from '../core/tagging/plan-tag-jobs.ts';
import type { InventoryApi, TagRows } from '../../workers/inventory.worker.ts';
import type { CleanedExport, QualityProgress } from '../../workers/inventory.worker.ts';
import type { Recipe, StepPreview } from '../core/quality/recipe.ts';
import type { QualityRule, RuleResult } from '../core/quality/suggest-rules.ts';
import type { QualityReport } from '../core/quality/types.ts';
import type { InteractionSpec, LoadReport } from '../core/recsys/detect-interactions.ts';
import type { InteractionLog } from '../core/recsys/interactions.ts';
import type { KnowledgeGraph } from '../core/graph/types.ts';
import type { FeatureRequest, FeatureView, FeatureViewProgress } from '../core/features/feature-view.ts';
import type { FeatureTagRecord } from '../core/features/tag-inputs.ts';

export type { TagRows };
export type { CleanedExport, QualityProgress };

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

/** Runs every quality check over a stored import in the data worker. */
export function runQuality(importId: string, inventory: Inventory, onProgress: (p: QualityProgress) => void = () => {}): Promise<QualityReport> {
  return getApi().runQuality(importId, inventory, proxy(onProgress));
}

/** Counts what step `index` of `recipe` changes, before it is kept. */
export function previewRecipeStep(importId: string, recipe: Recipe, index: number): Promise<StepPreview> {
  return getApi().previewRecipeStep(importId, recipe, index);
}

/** One table cleaned by the recipe, as CSV or Parquet bytes, with its cleaning log. */
export function exportCleaned(importId: string, recipe: Recipe, table: string, format: 'csv' | 'parquet'): Promise<CleanedExport> {
  return getApi().exportCleaned(importId, recipe, table, format);
}

/** Runs a rule suite over a stored import. */
export function runRules(importId: string, rules: QualityRule[]): Promise<RuleResult[]> {
  return getApi().runRules(importId, rules);
}

/** Builds the knowledge graph of a stored import in the data worker. */
export function buildGraph(importId: string, inventory: Inventory): Promise<KnowledgeGraph> {
  return getApi().buildGraph(importId, inventory);
}

/** Reads a stored import's interaction log (typed arrays, transferred) as described by `spec`. */
export function loadInteractionLog(importId: string, inventory: Inventory, spec: InteractionSpec): Promise<{ log: InteractionLog; report: LoadReport }> {
  return getApi().loadInteractions(importId, inventory, spec);
}

/** A feature build in the data worker; cancelling terminates the worker (a new one starts lazily). */
export interface FeatureJob {
  result: Promise<FeatureView>;
  cancel(): void;
}

/**
 * Builds the feature tables of a stored import as of `request.cutoff`, with dictionary and quality;
 * `tags` (the import's stored tags) feed sentiment share, attribute tags and tagged brands.
 */
export function startFeatureBuild(importId: string, inventory: Inventory, request: FeatureRequest, onProgress: (p: FeatureViewProgress) => void, tags: readonly FeatureTagRecord[] = []): FeatureJob {
  let reject: (e: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  const run = getApi().buildFeatures(importId, inventory, request, [...tags], proxy(onProgress));
  return {
    result: Promise.race([run, cancelled]),
    cancel() {
      resetWorker();
      reject(new DOMException('Feature build cancelled', 'AbortError'));
    },
  };
}

/** One built feature table as CSV or Parquet bytes. */
export function exportFeatureTable(importId: string, table: string, format: 'csv' | 'parquet'): Promise<{ bytes: Uint8Array; rows: number }> {
  return getApi().exportFeatureTable(importId, table, format);
}
