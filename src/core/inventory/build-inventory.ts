// Builds an import's inventory: prepare files → load each into the SQL engine → profile → infer
// foreign keys. The single path used by the browser worker and the CLI alike.
import { ident } from '../engine/sql-engine.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import { isAbortError, throwIfAborted } from '../errors.ts';
import { buildLoadSql, buildLoadSqlFallback, prepareSources, type PartSink, type PreparedTable } from '../ingest/prepare.ts';
import { buildPartsLoadSql, type CsvDialect } from '../ingest/load-sql.ts';
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
  /** Parts are loaded into the engine a group of about this many bytes at a time (default 96 MiB). */
  groupBytes?: number;
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
 * Loads a large CSV's record-aligned parts (each a CSV with the header) while prepare is still
 * reading and validating the file: parts are registered as they come and loaded a group at a time,
 * each group as one list of files in one statement (DuckDB-WASM reads a list about as fast as one
 * buffer; one statement per part was 1.5× slower), then dropped. Neither the page nor the engine
 * holds the whole file: at most a group (`groupBytes`) beside the table. When a group does not load
 * (a cut inside a record, a value that does not fit the first group's types), the rest of the parts
 * are skipped and `finish` says null: the caller reads the file whole, strictly then leniently.
 */
class StagingSink implements PartSink {
  private names: string[] = [];
  private groupSize = 0;
  private table: string | null = null;
  private columns: { name: string; type: string }[] | undefined;
  private failed = false;
  private csv: CsvDialect | null = null;
  private next = 0;

  constructor(
    private readonly engine: SqlEngine,
    private readonly groupBytes: number,
  ) {}

  async add(part: Uint8Array, csv: CsvDialect): Promise<void> {
    if (this.failed) return;
    this.csv = csv;
    const name = `stocktake-part-${this.next++}.csv`;
    // Measured first: registering hands the buffer over (it reads as empty afterwards).
    this.groupSize += part.byteLength;
    await this.engine.registerBuffer(name, part);
    this.names.push(name);
    if (this.groupSize >= this.groupBytes) await this.loadGroup(csv);
  }

  async finish(): Promise<string | null> {
    if (this.names.length > 0 && this.csv) await this.loadGroup(this.csv);
    const table = this.failed ? null : this.table;
    if (this.failed) await this.discard();
    this.reset();
    return table;
  }

  async discard(): Promise<void> {
    await this.dropParts();
    if (this.table) await this.engine.query(`DROP TABLE IF EXISTS ${ident(this.table)}`).catch(() => undefined);
    this.reset();
  }

  private async loadGroup(csv: CsvDialect): Promise<void> {
    const table = this.table ?? `__stocktake_staging_${this.next}`;
    try {
      await this.engine.query(buildPartsLoadSql(table, csv, this.names, this.columns));
      if (!this.table) {
        this.table = table;
        this.columns = (await this.engine.query<{ column_name: string; column_type: string }>(`DESCRIBE ${ident(table)}`)).map((c) => ({ name: c.column_name, type: c.column_type }));
      }
    } catch (e) {
      if (isAbortError(e)) throw e;
      this.failed = true;
    } finally {
      await this.dropParts();
    }
  }

  private async dropParts(): Promise<void> {
    for (const name of this.names) await this.engine.dropFile(name).catch(() => undefined);
    this.names = [];
    this.groupSize = 0;
  }

  private reset(): void {
    this.names = [];
    this.groupSize = 0;
    this.table = null;
    this.columns = undefined;
    this.failed = false;
    this.csv = null;
  }
}

async function loadTable(engine: SqlEngine, t: PreparedTable, vfile: string, issues: ImportIssue[], memoryBudget: number): Promise<'memory' | 'file-handle' | 'parts'> {
  let loadPath: 'memory' | 'file-handle' = 'memory';
  if (t.data.kind === 'staged' && t.data.table) {
    await engine.query(`DROP TABLE IF EXISTS ${ident(t.table)}`);
    await engine.query(`ALTER TABLE ${ident(t.data.table)} RENAME TO ${ident(t.table)}`);
    return 'parts';
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

  // Parts of a large CSV are loaded while prepare validates it; none outlives the import.
  const sink = new StagingSink(engine, options.groupBytes ?? 96 * 1024 * 1024);
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
        const loaded = await loadTable(engine, t, vfile, tableIssues, options.memoryBudget ?? 512 * 1024 * 1024);
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
    await sink.discard();
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
