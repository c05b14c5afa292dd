// Parquet export written in JavaScript (hyparquet-writer): DuckDB-WASM runs offline without its parquet
// extension, so `COPY … (FORMAT parquet)` is not available in the browser; rows read back from the
// engine are typed from the engine's column types and written here instead.
import { parquetWriteBuffer, type BasicType, type ColumnSource } from 'hyparquet-writer';
import type { Row } from '../engine/sql-engine.ts';

/** A column of the relation being written: its name and DuckDB type (as DESCRIBE prints it). */
export interface TypedColumn {
  name: string;
  type: string;
}

/** The Parquet type a DuckDB column is written as; text for everything without a lossless match. */
export function toParquetType(duckType: string): BasicType {
  const t = duckType.toUpperCase();
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t === 'TINYINT' || t === 'SMALLINT' || t === 'INTEGER' || t === 'UTINYINT' || t === 'USMALLINT') return 'INT32';
  if (t === 'BIGINT' || t === 'UINTEGER') return 'INT64';
  if (t === 'FLOAT' || t === 'DOUBLE' || t.startsWith('DECIMAL')) return 'DOUBLE';
  if (t === 'TIMESTAMP' || t === 'TIMESTAMP_MS' || t === 'TIMESTAMP WITH TIME ZONE') return 'TIMESTAMP';
  return 'STRING';
}

function convert(value: unknown, type: BasicType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'BOOLEAN':
      return Boolean(value);
    case 'INT32':
    case 'DOUBLE':
      return Number(value);
    case 'INT64':
      // Engines hand large integers over as text or bigint; INT64 wants bigint.
      return typeof value === 'bigint' ? value : BigInt(typeof value === 'number' ? Math.trunc(value) : String(value));
    case 'TIMESTAMP':
      return value instanceof Date ? value : new Date(String(value).replace(' ', 'T') + (/[zZ]|[+-]\d\d:?\d\d$/.test(String(value)) ? '' : 'Z'));
    default:
      return value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

/** The column sources hyparquet-writer takes, one per column, typed from `columns`. */
export function buildParquetColumns(columns: TypedColumn[], rows: Row[]): ColumnSource[] {
  return columns.map((c) => {
    const type = toParquetType(c.type);
    // Engines hand dates over as midnight timestamps; a DATE column is written as its `YYYY-MM-DD` text.
    const isDate = c.type.toUpperCase() === 'DATE';
    const data = rows.map((r) => {
      const v = convert(r[c.name], type);
      return isDate && typeof v === 'string' ? v.slice(0, 10) : v;
    });
    return { name: c.name, type, data } as ColumnSource;
  });
}

/** Rows as a Parquet file (snappy-compressed, statistics on). */
export function writeParquetBytes(columns: TypedColumn[], rows: Row[]): Uint8Array {
  return new Uint8Array(parquetWriteBuffer({ columnData: buildParquetColumns(columns, rows) }));
}
