// Builds an import's inventory: prepare files → load each into the SQL engine → profile → infer
// foreign keys. The single path used by the browser worker and the CLI alike.
import { ident } from '../engine/sql-engine.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import { isAbortError, throwIfAborted } from '../errors.ts';
import { buildLoadSql, buildLoadSqlFallback, prepareSources, type PartSink, type PreparedTable } from '../ingest/prepare.ts';
import type { SourceFile } from '../ingest/source.ts';
import { profileTable } from '../profile/profile-table.ts';
import { inferForeignKeys } from '../relations/infer-foreign-keys.ts';
import type { ImportIssue, ImportRecord, Inventory, ProgressHandler, TableProfile, ColumnProfile } from '../types.ts';

export interface BuildInventoryOptions {
  /** Dataset name; defaults to the common folder of the files or the first file's stem. */
  name?: string;
  importId?: string;
  signal?: AbortSignal;
  onProgress?: ProgressHandler;
  /**
   * Files above this are read by handle when the engine can (default 512 MiB); large CSVs within it
   * load in record-aligned parts (see `partBytes`).
   */
  memoryBudget?: number;
  /** Files above this are refused with TOO_LARGE (default 1 GiB). */
  maxFileBytes?: number;
  /** CSV files above this skip the JS ragged-row scan; DuckDB's strict read catches them (default 64 MiB). */
  scanBytesLimit?: number;
  /**
   * Files above this are streamed instead of read whole (default 64 MiB): a plain UTF-8 CSV then
   * reaches the engine as parts of about `partBytes` that end on record boundaries.
   */
  streamBytes?: number;
  /** Size of those parts (default 32 MiB). */
  partBytes?: number;
  now?: () => number;
}

export interface BuildInventoryResult {
  inventory: Inventory;
  /** Engine table name of each profiled table (same as TableProfile.name). */
  tableNames: string[];
}

/**
 * Guesses a dataset name from file paths: their shared top folder or zip name; else the prefix the
 * file stems share (`olist_orders…`, `olist_items…` → `olist`); else the first file's stem.
 */
export function guessDatasetName(paths: string[]): string {
  if (paths.length === 0) return '';
  const tops = new Set(paths.map((p) => (p.includes('/') ? p.split('/')[0] : '')));
  if (tops.size === 1 && !tops.has('')) return [...tops][0].replace(/\.zip$/i, '');
  const names = paths.map((p) => p.split('/').pop()!);
  const stems = names.map((n) => n.replace(/\.[^.]+$/, '') || n);
  if (stems.length > 1) {
    let prefix = stems[0];
    for (const s of stems) while (!s.startsWith(prefix)) prefix = prefix.slice(0, -1);
    const cut = prefix.replace(/[^_\-. ]*$/, '').replace(/[_\-. ]+$/, '');
    if (cut.length >= 3) return cut;
  }
  return stems[0];
}

function newId(): string {
  return globalThis.crypto.randomUUID();
}

/**
 * Hands the parts prepare cuts to the engine as they come (it takes each buffer), so the page holds
 * one part at a time, and remembers which are still registered so none outlives the import.
 */
class EnginePartSink implements PartSink {
  readonly live = new Set<string>();
  private next = 0;

  constructor(private readonly engine: SqlEngine) {}

  async add(part: Uint8Array): Promise<string> {
    const name = `stocktake-part-${this.next++}.csv`;
    await this.engine.registerBuffer(name, part);
    this.live.add(name);
    return name;
  }

  async discard(names: string[]): Promise<void> {
    for (const name of names) {
      if (!this.live.delete(name)) continue;
      await this.engine.dropFile(name).catch(() => undefined);
    }
  }
}

/**
 * Loads a large CSV from the record-aligned parts registered while it was validated (each a CSV with
 * the header), read as one list of files in a single statement: DuckDB-WASM reads that about as fast
 * as one buffer (one statement per part was seen 1.5× slower). False, with nothing left behind, when
 * the parts do not load (a cut inside a record, types that differ past the first part's sample): the
 * caller then reads the file whole, which also gives the usual strict-then-lenient reading.
 */
async function loadCsvParts(engine: SqlEngine, t: PreparedTable, names: string[], sink: EnginePartSink): Promise<boolean> {
  try {
    await engine.query(buildLoadSql(t, names));
    return true;
  } catch (e) {
    if (isAbortError(e)) throw e;
    await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
    return false;
  } finally {
    await sink.discard(names);
  }
}

async function loadTable(engine: SqlEngine, t: PreparedTable, vfile: string, issues: ImportIssue[], memoryBudget: number, sink: EnginePartSink): Promise<'memory' | 'file-handle' | 'parts'> {
  let loadPath: 'memory' | 'file-handle' = 'memory';
  if (t.data.kind === 'parts') {
    await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
    if (await loadCsvParts(engine, t, t.data.names, sink)) return 'parts';
  }
  if (t.data.kind === 'bytes') {
    await engine.registerBuffer(vfile, t.data.bytes);
  } else if (t.bytes > memoryBudget && t.data.source.blob && engine.registerFile && (await engine.registerFile(vfile, t.data.source.blob))) {
    loadPath = 'file-handle';
  } else {
    await engine.registerBuffer(vfile, await t.data.source.bytes());
  }
  await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
  try {
    await engine.query(buildLoadSql(t, vfile));
  } catch (e) {
    const fallback = buildLoadSqlFallback(t, vfile);
    if (!fallback) throw e;
    await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
    await engine.query(fallback);
    // DuckDB's first lines say what and where ("CSV Error on Line: 30002 / Original Line: … /
    // Expected Number of Columns: 3 Found: 2"); the rest is advice for DuckDB users.
    const detail = (e as Error).message.split('\n').slice(0, 3).join(' · ');
    const line = /Line: (\d+)/.exec(detail)?.[1];
    issues.push({
      severity: 'warning',
      code: /Expected Number of Columns/.test(detail) ? 'RAGGED_ROWS' : 'PARSE_ERROR',
      file: t.file,
      line: line ? Number(line) : undefined,
      message: `${t.file}: read leniently (rows padded or skipped) after a strict read failed: ${detail}`,
    });
  }
  return loadPath;
}

/**
 * Profiles every table in `sources` with `engine` and returns the inventory. Bad files become
 * error issues on the import (the others are still profiled); only cancellation throws.
 */
export async function buildInventory(
  sources: SourceFile[],
  engine: SqlEngine,
  options: BuildInventoryOptions = {},
): Promise<BuildInventoryResult> {
  const now = options.now ?? Date.now;
  const started = now();
  const importId = options.importId ?? newId();
  const { signal, onProgress } = options;
  const issues: ImportIssue[] = [];
  const tables: TableProfile[] = [];
  const columns: ColumnProfile[] = [];
  let fileIndex = 0;

  // Parts of a large CSV go to the engine while prepare validates it; none outlives the import.
  const sink = new EnginePartSink(engine);
  try {
    for await (const res of prepareSources(sources, {
      signal,
      onProgress,
      streamBytes: options.streamBytes,
      partBytes: options.partBytes,
      memoryBudget: options.memoryBudget,
      maxFileBytes: options.maxFileBytes,
      scanBytesLimit: options.scanBytesLimit,
      partSink: sink,
    })) {
      throwIfAborted(signal);
      if (!res.ok) {
        issues.push(res.issue);
        onProgress?.({ kind: 'file-error', file: res.issue.file, issue: res.issue });
        continue;
      }
      const t = res.table;
      const vfile = `stocktake-${fileIndex++}.${t.reader === 'parquet' ? 'parquet' : t.reader === 'json' ? 'json' : 'csv'}`;
      const tableIssues: ImportIssue[] = [...t.warnings];
      try {
        onProgress?.({ kind: 'load', file: t.file, table: t.table });
        const loaded = await loadTable(engine, t, vfile, tableIssues, options.memoryBudget ?? 512 * 1024 * 1024, sink);
        const loadPath = loaded === 'parts' ? 'memory' : loaded;
        // The rows now live in the engine's table: free the file's bytes before profiling (peak memory).
        if (loaded !== 'parts') await engine.dropFile(vfile);
        const stats = await profileTable(engine, t.table, {
          importId,
          signal,
          onColumns: (done, total) =>
            onProgress?.({ kind: 'profile', file: t.file, table: t.table, rows: 0, done, total }),
        });
        tables.push({
          importId,
          name: t.table,
          file: t.file,
          sheet: t.sheet,
          format: t.format,
          encoding: t.encoding,
          bytes: t.bytes,
          rowCount: stats.rowCount,
          columnCount: stats.columns.length,
          loadPath,
          keyCandidates: stats.keyCandidates,
          primaryKey: stats.primaryKey,
          issues: tableIssues,
          duplicateRows: stats.duplicateRows,
        });
        columns.push(...stats.columns);
        issues.push(...tableIssues);
        onProgress?.({ kind: 'file-done', file: t.file, tables: [t.table], rows: stats.rowCount });
      } catch (e) {
        if (isAbortError(e)) throw e;
        const issue: ImportIssue = {
          severity: 'error',
          code: 'PARSE_ERROR',
          file: t.file,
          message: `${t.file}: ${(e as Error).message.split('\n').slice(0, 3).join(' ')}`,
        };
        issues.push(...tableIssues, issue);
        onProgress?.({ kind: 'file-error', file: t.file, issue });
        await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`).catch(() => undefined);
      } finally {
        await engine.dropFile(vfile).catch(() => undefined);
      }
    }

  } finally {
    await sink.discard([...sink.live]);
  }

  throwIfAborted(signal);
  onProgress?.({ kind: 'relations', done: 0, total: 1 });
  const relations = tables.length > 1 ? await inferForeignKeys(engine, tables, columns, { importId, signal }) : [];
  onProgress?.({ kind: 'relations', done: 1, total: 1 });

  const hasErrors = issues.some((i) => i.severity === 'error');
  const record: ImportRecord = {
    id: importId,
    name: options.name ?? guessDatasetName(sources.map((s) => s.path)),
    createdAt: started,
    files: sources.map((s) => ({ path: s.path, bytes: s.size })),
    tableCount: tables.length,
    rowCount: tables.reduce((n, t) => n + t.rowCount, 0),
    bytes: sources.reduce((n, s) => n + s.size, 0),
    status: tables.length === 0 ? 'failed' : hasErrors ? 'partial' : 'complete',
    issues,
    engine: engine.label,
    durationMs: now() - started,
  };
  onProgress?.({ kind: 'done', importId });
  return { inventory: { import: record, tables, columns, relations }, tableNames: tables.map((t) => t.name) };
}
