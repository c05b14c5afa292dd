// Export of cleaned tables: RFC 4180 CSV with formula-injection escaping, and Parquet through the
// engine's COPY (Node writes a file; the browser reads the file back from DuckDB-WASM).
import { ident, literal } from '../engine/sql-engine.ts';
import type { Row, SqlEngine } from '../engine/sql-engine.ts';

// Spreadsheet apps run cells starting with these as formulas (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: text starting like a formula gets a leading `'`; quoted when it holds `,` `"` CR or LF. */
export function escapeCsvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    // Numbers are data, not text: -5 stays -5 so the column still reads back as numbers.
    s = String(value);
  } else {
    s = typeof value === 'object' ? JSON.stringify(value) : String(value);
    if (FORMULA_START.test(s)) s = "'" + s;
  }
  return /[",\r\n]/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

/** Rows as CSV text with a header line, CRLF line ends (RFC 4180). */
export function exportCsv(columns: string[], rows: Row[]): string {
  const lines = [columns.map(escapeCsvCell).join(',')];
  for (const r of rows) lines.push(columns.map((c) => escapeCsvCell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** A table or view as CSV text (read whole: exports are bounded by the engine's memory anyway). */
export async function exportRelationCsv(engine: SqlEngine, relation: string): Promise<string> {
  const cols = await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${ident(relation)})`);
  const rows = await engine.query(`SELECT * FROM ${ident(relation)}`);
  return exportCsv(cols.map((c) => c.column_name), rows);
}

/** The COPY statement writing a table or view to a Parquet file. */
export function exportParquetSql(relation: string, path: string): string {
  return `COPY (SELECT * FROM ${ident(relation)}) TO ${literal(path)} (FORMAT parquet)`;
}

export async function exportParquet(engine: SqlEngine, relation: string, path: string): Promise<void> {
  await engine.query(exportParquetSql(relation, path));
}
