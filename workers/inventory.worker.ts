// Data worker: owns DuckDB-WASM. Builds an import's inventory off the main thread, keeps a local
// compressed copy of its tables in IndexedDB, and reloads a stored import's tables for later views.
import { expose, transfer } from 'comlink';
import { ident } from '../src/core/engine/sql-engine.ts';
import { StocktakeError } from '../src/core/errors.ts';
import { buildInventory } from '../src/core/inventory/build-inventory.ts';
import { warmUpInventory } from '../src/core/inventory/warm-up.ts';
import { gzipTableCsv } from '../src/core/persist/table-copy.ts';
import { buildGraph } from '../src/core/graph/build-graph.ts';
import type { KnowledgeGraph } from '../src/core/graph/types.ts';
import { sourceFromBlob } from '../src/core/ingest/source.ts';
import { buildTagJobSql, type TagJob } from '../src/core/tagging/plan-tag-jobs.ts';
import { runQualityChecks } from '../src/core/quality/checks.ts';
import { loadInteractions, type InteractionSpec, type LoadReport } from '../src/core/recsys/detect-interactions.ts';
import type { InteractionLog } from '../src/core/recsys/interactions.ts';
import { buildFeatureView, exportFeatureRows, type FeatureRequest, type FeatureView, type FeatureViewProgress } from '../src/core/features/feature-view.ts';
import type { FeatureTagRecord } from '../src/core/features/tag-inputs.ts';
import { exportCsv } from '../src/core/quality/export-csv.ts';
import { writeParquetBytes, type TypedColumn } from '../src/core/quality/export-parquet.ts';
import { applyRecipe, cleanViewName, createRecipe, previewStep, type CleaningLog, type Recipe, type StepPreview } from '../src/core/quality/recipe.ts';
import { runRules, type QualityRule, type RuleResult } from '../src/core/quality/suggest-rules.ts';
import type { QualityReport } from '../src/core/quality/types.ts';
import type { Inventory, ProgressHandler } from '../src/core/types.ts';
import { listTableData, saveTableData } from '../src/db/repository.ts';
import { DuckDbWasmEngine } from '../src/engine/duckdb-wasm.ts';
import { keepErrorCodes } from '../src/lib/worker-errors.ts';

let engine: Promise<DuckDbWasmEngine> | null = null;
/** The import whose tables are loaded in the engine now (table names are only unique per import). */
let loadedImport: string | null = null;
let loadedTables: string[] = [];
/** The import whose feature tables the engine holds (they outlive a reload of other imports' tables). */
let featuresOf: string | null = null;

/** One lazy engine per worker; a failed start is forgotten so the next call can retry. */
function getEngine(): Promise<DuckDbWasmEngine> {
  if (!engine) {
    engine = DuckDbWasmEngine.create(warmUpInventory);
    engine.catch(() => (engine = null));
  }
  return engine;
}

/**
 * Runs `fn` after every earlier exclusive task: DuckDB-WASM breaks ("table index is out of bounds")
 * when an export of the tables and a read of their rows interleave, as they do when a view reads rows
 * right after an import while its local copy is still being written.
 */
let engineQueue: Promise<unknown> = Promise.resolve();
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = engineQueue.then(fn, fn);
  engineQueue = run.catch(() => undefined);
  return run;
}

async function dropLoaded(db: DuckDbWasmEngine): Promise<void> {
  for (const t of loadedTables) await db.query(`DROP TABLE IF EXISTS ${ident(t)}`);
  loadedTables = [];
  loadedImport = null;
}

/** Quality: the stored import's tables, loaded; a clear error when no local copy was kept. */
async function requireQualityTables(importId: string, load: (id: string) => Promise<string[]>): Promise<{ db: DuckDbWasmEngine; tables: string[] }> {
  const tables = await load(importId);
  if (tables.length === 0) throw new StocktakeError('NO_TABLES', 'The rows of this import are not stored on this machine; import the files again.');
  return { db: await getEngine(), tables: [...tables] };
}

/** Column names and DuckDB types of a table or view, in order. */
async function describeRelation(db: DuckDbWasmEngine, relation: string): Promise<TypedColumn[]> {
  const rows = await db.query<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${ident(relation)})`);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

async function describeColumnNames(db: DuckDbWasmEngine, tables: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables) out[t] = (await describeRelation(db, t)).map((c) => c.name);
  return out;
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
  persistTables: (importId: string): Promise<number> => exclusive(async () => {
    const db = await getEngine();
    if (loadedImport !== importId) return 0;
    const records = [];
    for (const table of loadedTables) {
      const csvGzip = await gzipTableCsv(db, table);
      records.push({ importId, table, csvGzip, bytes: csvGzip.byteLength });
    }
    await saveTableData(records);
    return records.reduce((n, r) => n + r.bytes, 0);
  }),

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
  readTagRows: (importId: string, job: TagJob): Promise<TagRows> => exclusive(async () => {
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
  }),

  /** Quality: every check over a stored import's tables (reloaded when needed); phases reported. */
  runQuality: (importId: string, inventory: Inventory, onProgress?: (p: QualityProgress) => void): Promise<QualityReport> => exclusive(async () => {
    onProgress?.({ phase: 'load' });
    const { db } = await requireQualityTables(importId, api.ensureImportLoaded);
    onProgress?.({ phase: 'check' });
    const report = await runQualityChecks(db, inventory);
    onProgress?.({ phase: 'done' });
    return report;
  }),

  /** Quality: what step `index` of `recipe` changes (cells or rows), given the steps before it. */
  previewRecipeStep: (importId: string, recipe: Recipe, index: number): Promise<StepPreview> => exclusive(async () => {
    const { db } = await requireQualityTables(importId, api.ensureImportLoaded);
    const step = recipe.steps[index];
    const columns = step ? (await describeRelation(db, step.table)).map((c) => c.name) : [];
    return previewStep(db, recipe, index, columns);
  }),

  /**
   * Quality: one table cleaned by the recipe's steps on it (as a view; the table is untouched), as CSV
   * (formula-injection escaped) or Parquet bytes, with the cleaning log of those steps.
   */
  exportCleaned: (importId: string, recipe: Recipe, table: string, format: 'csv' | 'parquet'): Promise<CleanedExport> => exclusive(async () => {
    const { db, tables } = await requireQualityTables(importId, api.ensureImportLoaded);
    if (!tables.includes(table)) throw new StocktakeError('BAD_ARGUMENT', `No table “${table}” in this import.`);
    const own = createRecipe(recipe.steps.filter((s) => s.table === table));
    const log = await applyRecipe(db, own, [table], { columns: await describeColumnNames(db, [table]) });
    const view = cleanViewName(table);
    const columns = await describeRelation(db, view);
    const rows = await db.query(`SELECT * FROM ${ident(view)}`);
    const bytes = format === 'csv' ? new TextEncoder().encode(exportCsv(columns.map((c) => c.name), rows)) : writeParquetBytes(columns, rows);
    return transfer({ bytes, log, rows: rows.length }, [bytes.buffer]);
  }),

  /** Quality: runs a rule suite over a stored import; a rule that cannot run fails with its reason. */
  runRules: (importId: string, rules: QualityRule[]): Promise<RuleResult[]> => exclusive(async () => {
    const { db } = await requireQualityTables(importId, api.ensureImportLoaded);
    return runRules(db, rules);
  }),

  /** Graph: the knowledge graph (schema and business layers) of a stored import, reloaded when needed. */
  buildGraph: (importId: string, inventory: Inventory): Promise<KnowledgeGraph> => exclusive(async () => {
    const { db } = await requireQualityTables(importId, api.ensureImportLoaded);
    return buildGraph(db, inventory);
  }),

  /**
   * Recs: a stored import's interaction log as described by `spec`, its typed arrays transferred (the
   * recs worker runs the diagnostics and models on it, so DuckDB stays free for other views).
   */
  loadInteractions: (importId: string, inventory: Inventory, spec: InteractionSpec): Promise<{ log: InteractionLog; report: LoadReport }> => exclusive(async () => {
    const { db } = await requireQualityTables(importId, api.ensureImportLoaded);
    const out = await loadInteractions(db, spec, inventory);
    const l = out.log;
    const buffers = [l.user.buffer, l.item.buffer, l.time.buffer, l.event.buffer, l.orphanItem.buffer, ...(l.quantity ? [l.quantity.buffer] : [])] as ArrayBuffer[];
    return transfer(out, buffers);
  }),

  /**
   * Features: builds item features, user profiles and user × category affinities of a stored import as
   * of a cut-off, with dictionary and quality (and drift, importance when asked); rows capped for display.
   * `tags` are the import's stored tags (numbered by the tables' rowid, as `readTagRows` numbers them):
   * review sentiment and product attribute / brand tags become small tag tables of the build.
   */
  buildFeatures: (importId: string, inventory: Inventory, request: FeatureRequest, tags: FeatureTagRecord[], onProgress?: (p: FeatureViewProgress) => void): Promise<FeatureView> => exclusive(async () => {
    onProgress?.({ kind: 'load' });
    const { db } = await requireQualityTables(importId, api.ensureImportLoaded);
    const view = await buildFeatureView(db, inventory, request, onProgress, tags);
    featuresOf = importId;
    return view;
  }),

  /** Features: one built feature table as CSV or Parquet bytes (the last build of this import). */
  exportFeatureTable: (importId: string, table: string, format: 'csv' | 'parquet'): Promise<{ bytes: Uint8Array; rows: number }> => exclusive(async () => {
    if (featuresOf !== importId) throw new StocktakeError('BAD_ARGUMENT', 'These features are no longer in the engine; build them again.');
    const db = await getEngine();
    const { columns, rows } = await exportFeatureRows(db, table);
    const bytes = format === 'csv' ? new TextEncoder().encode(exportCsv(columns.map((c) => c.name), rows)) : writeParquetBytes(columns, rows);
    return transfer({ bytes, rows: rows.length }, [bytes.buffer]);
  }),

  /** The engine's label, once its warm-up has finished or was stopped by real work. */
  async describeEngine(): Promise<string> {
    const db = await getEngine();
    await db.whenWarm();
    return db.label;
  },
};

/** A tagging job's rows as read by `readTagRows`. */
export interface TagRows {
  rows: number[];
  texts: (string | null)[][];
  labels: (string | null)[];
}

/** Phases of a quality run, for the view's progress line. */
export type QualityProgress = { phase: 'load' | 'check' | 'done' };

/** A cleaned table's bytes and the log of the steps that made it. */
export interface CleanedExport {
  bytes: Uint8Array;
  log: CleaningLog;
  rows: number;
}

export type InventoryApi = typeof api;
keepErrorCodes();
expose(api);
