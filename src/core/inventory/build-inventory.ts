// Builds an import's inventory: prepare files → load each into the SQL engine → profile → infer
// foreign keys. The single path used by the browser worker and the CLI alike.
import { ident } from '../engine/sql-engine.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import { isAbortError, throwIfAborted } from '../errors.ts';
import { findCsvSliceEnds } from '../ingest/csv-slices.ts';
import { buildAppendCsvSql } from '../ingest/load-sql.ts';
import { buildLoadSql, buildLoadSqlFallback, prepareSources, type PreparedTable } from '../ingest/prepare.ts';
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
  /** Files above this many bytes are read by handle when the engine can (default 512 MiB). */
  memoryBudget?: number;
  /** Files above this are refused with TOO_LARGE (default 1 GiB). */
  maxFileBytes?: number;
  /** CSV files above this skip the JS ragged-row scan; DuckDB's strict read catches them (default 64 MiB). */
  scanBytesLimit?: number;
  /**
   * In-memory CSV files above this load in slices of half of it, so the engine never holds the whole
   * file and the whole table at once (default 64 MiB).
   */
  slicedLoadBytes?: number;
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
 * Loads a large in-memory CSV slice by slice: the engine's heap then holds the table and one slice,
 * not the table and a copy of the whole file (the engine copies a registered buffer into its heap).
 * False, with nothing left behind, when a slice fails: the caller loads the file whole, which also
 * gives the usual strict-then-lenient reading and its warnings.
 */
async function loadCsvInSlices(engine: SqlEngine, t: PreparedTable, bytes: Uint8Array, vfile: string, sliceBytes: number): Promise<boolean> {
  const ends = findCsvSliceEnds(bytes, sliceBytes, t.csv?.quote);
  if (ends.length < 2) return false;
  let start = 0;
  try {
    for (let k = 0; k < ends.length; k++) {
      const name = `${vfile}.part${k}`;
      // A copy: the engine takes ownership of a registered buffer, and of a view it would take the whole file's.
      await engine.registerBuffer(name, bytes.slice(start, ends[k]));
      try {
        await engine.query(k === 0 ? buildLoadSql(t, name) : buildAppendCsvSql(t, name));
      } finally {
        await engine.dropFile(name);
      }
      start = ends[k];
    }
    return true;
  } catch {
    await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
    return false;
  }
}

/** Releases a buffer the engine was given (the `registerBuffer` contract), so the file's bytes are freed now. */
function releaseBuffer(bytes: Uint8Array): void {
  // Only a view of its whole buffer: a part of a larger one (a zip entry) may share it with other tables.
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
  }
}

async function loadTable(engine: SqlEngine, t: PreparedTable, vfile: string, issues: ImportIssue[], slicedLoadBytes: number): Promise<'memory' | 'file-handle' | 'sliced'> {
  let loadPath: 'memory' | 'file-handle' = 'memory';
  if (t.data.kind === 'bytes' && t.reader === 'csv' && t.data.bytes.byteLength > slicedLoadBytes) {
    await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
    if (await loadCsvInSlices(engine, t, t.data.bytes, vfile, slicedLoadBytes / 2)) {
      releaseBuffer(t.data.bytes);
      return 'sliced';
    }
  }
  if (t.data.kind === 'bytes') {
    await engine.registerBuffer(vfile, t.data.bytes);
  } else if (t.data.source.blob && engine.registerFile && (await engine.registerFile(vfile, t.data.source.blob))) {
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

  for await (const res of prepareSources(sources, {
    signal,
    onProgress,
    memoryBudget: options.memoryBudget,
    maxFileBytes: options.maxFileBytes,
    scanBytesLimit: options.scanBytesLimit,
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
      const loaded = await loadTable(engine, t, vfile, tableIssues, options.slicedLoadBytes ?? 64 * 1024 * 1024);
      const loadPath = loaded === 'sliced' ? 'memory' : loaded;
      // The rows now live in the engine's table: free the file's bytes before profiling (peak memory).
      if (loaded !== 'sliced') await engine.dropFile(vfile);
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
