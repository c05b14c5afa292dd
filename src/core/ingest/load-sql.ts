// The SQL that loads a prepared table into DuckDB: a strict first read, and a lenient retry for when
// the strict one throws. Options are limited to those DuckDB 1.4 (DuckDB-WASM 1.32) knows.
import { ident, literal } from '../engine/sql-engine.ts';
import type { PreparedTable } from './prepare.ts';

/** One registered file, or the record-aligned parts of one CSV (each with the header) read as one. */
type VirtualFiles = string | string[];

function fileArg(files: VirtualFiles): string {
  return typeof files === 'string' ? literal(files) : `[${files.map(literal).join(', ')}]`;
}

/** The CSV dialect prepare sniffed (see PreparedTable.csv). */
export type CsvDialect = NonNullable<PreparedTable['csv']>;

function readCsvCall(csv: CsvDialect | undefined, virtualFile: VirtualFiles, lenient: boolean, extra: string[] = []): string {
  const d = csv ?? { delimiter: ',', quote: '"', header: true };
  const opts = [
    `delim=${literal(d.delimiter)}`,
    `quote=${literal(d.quote)}`,
    // RFC 4180: a quote inside a quoted field is doubled.
    `escape=${literal(d.quote)}`,
    `header=${d.header ? 'true' : 'false'}`,
    ...extra,
  ];
  // Rows with too few or too many fields were found by the ingest scan: pad instead of failing.
  // Long rows add `columnN` columns past the header, which the warning explains.
  // DuckDB 1.4's parallel reader refuses null_padding when quoted fields hold newlines, so it is off.
  if (lenient || (csv?.raggedRows ?? 0) > 0) opts.push('null_padding=true', 'parallel=false');
  if (lenient) {
    // Types from the whole file (not the first 20,480 rows), rows that still cannot be read skipped,
    // and room for very long text fields.
    opts.push('sample_size=-1', 'ignore_errors=true', 'strict_mode=false', 'max_line_size=67108864');
  }
  return `read_csv(${fileArg(virtualFile)}, ${opts.join(', ')})`;
}

/**
 * Loads one group of a large CSV's record-aligned parts (each with the header) into `table`: CREATE
 * with sniffed types for the first group; for later ones an INSERT that reads them with the table's
 * own column types (`columns`), so a value that does not fit fails the load instead of being cast.
 */
export function buildPartsLoadSql(table: string, csv: CsvDialect, files: string[], columns?: { name: string; type: string }[]): string {
  if (!columns) return `CREATE TABLE ${ident(table)} AS SELECT * FROM ${readCsvCall(csv, files, false)}`;
  const struct = `{${columns.map((c) => `${literal(c.name)}: ${literal(c.type)}`).join(', ')}}`;
  return `INSERT INTO ${ident(table)} SELECT * FROM ${readCsvCall(csv, files, false, ['auto_detect=false', `columns=${struct}`])}`;
}

function readJsonCall(t: PreparedTable, virtualFile: string, lenient: boolean): string {
  const format = t.format === 'jsonl' ? 'newline_delimited' : 'auto';
  const opts = [`format=${literal(format)}`];
  if (lenient) opts.push('sample_size=-1', 'ignore_errors=true', 'maximum_object_size=268435456');
  return `read_json(${literal(virtualFile)}, ${opts.join(', ')})`;
}

/**
 * `CREATE TABLE "<table>" AS SELECT * FROM read_…('<virtualFile>', …)` for a prepared table whose
 * bytes (or source file) the caller registered under `virtualFile`. CSV gets the sniffed dialect
 * spelled out, so the engine only infers column types.
 */
export function buildLoadSql(table: PreparedTable, virtualFile: string): string {
  return `CREATE TABLE ${ident(table.table)} AS SELECT * FROM ${readCall(table, virtualFile, false)}`;
}

/**
 * A more lenient load to retry with after `buildLoadSql` threw (type conversion past the sample,
 * ragged or over-long rows, malformed JSON records); null when there is nothing more lenient to try
 * (Parquet). It may drop unreadable rows, so the caller records a warning with the first error.
 */
export function buildLoadSqlFallback(table: PreparedTable, virtualFile: string): string | null {
  if (table.reader === 'parquet') return null;
  return `CREATE TABLE ${ident(table.table)} AS SELECT * FROM ${readCall(table, virtualFile, true)}`;
}

function readCall(t: PreparedTable, virtualFile: string, lenient: boolean): string {
  switch (t.reader) {
    case 'csv':
      return readCsvCall(t.csv, virtualFile, lenient);
    case 'json':
      return readJsonCall(t, virtualFile, lenient);
    case 'parquet':
      return `read_parquet(${literal(virtualFile)})`;
  }
}
