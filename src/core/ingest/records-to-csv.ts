// Converts JSON, JSON Lines and Parquet records to CSV bytes. DuckDB-WASM 1.32 has no json or parquet
// extension built in and cannot fetch one offline, so every format reaches the engine as CSV; the
// engine still infers column types, and nested values arrive as JSON text.
import { parquetReadObjects } from 'hyparquet';
import { StocktakeError } from '../errors.ts';

type JsonRecord = Record<string, unknown>;

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value === '' ? '""' : quoteIfNeeded(value);
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return quoteIfNeeded(Array.from(value, (b) => b.toString(16).padStart(2, '0')).join(''));
  return quoteIfNeeded(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

function quoteIfNeeded(s: string): string {
  return /[",\r\n]/.test(s) || s !== s.trim() ? '"' + s.replaceAll('"', '""') + '"' : s;
}

/** RFC 4180 CSV of `records` with the union of their keys (first-seen order) as the header. */
export function recordsToCsv(records: JsonRecord[]): Uint8Array {
  const keys = new Map<string, number>();
  for (const r of records) for (const k of Object.keys(r)) if (!keys.has(k)) keys.set(k, keys.size);
  const header = [...keys.keys()];
  const lines = [header.map((h) => quoteIfNeeded(h)).join(',')];
  for (const r of records) lines.push(header.map((h) => cellText(r[h])).join(','));
  return new TextEncoder().encode(lines.join('\n') + '\n');
}

function asRecord(value: unknown, file: string, line?: number): JsonRecord {
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as JsonRecord;
  throw new StocktakeError('PARSE_ERROR', `${file}${line ? ` line ${line}` : ''}: expected a JSON object per record, found ${Array.isArray(value) ? 'an array' : typeof value}.`, file, line);
}

/** Parses a JSON array of objects (or `{ "<name>": [ … ] }` with one array) into records. */
export function parseJsonArray(text: string, file: string): JsonRecord[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new StocktakeError('PARSE_ERROR', `${file} is not valid JSON: ${(e as Error).message}`, file);
  }
  if (!Array.isArray(value) && value && typeof value === 'object') {
    const arrays = Object.values(value).filter(Array.isArray);
    if (arrays.length === 1) value = arrays[0];
  }
  if (!Array.isArray(value)) throw new StocktakeError('PARSE_ERROR', `${file}: expected a JSON array of records.`, file);
  return value.map((v) => asRecord(v, file));
}

/** Parses JSON Lines, one object per non-empty line; the first bad line is named in the error. */
export function parseJsonLines(text: string, file: string): JsonRecord[] {
  const out: JsonRecord[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    const s = raw.trim();
    if (!s) continue;
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch (e) {
      throw new StocktakeError('PARSE_ERROR', `${file} line ${line} is not valid JSON: ${(e as Error).message}`, file, line);
    }
    out.push(asRecord(value, file, line));
  }
  return out;
}

/** Reads every row of a Parquet file (pure JS, hyparquet) into records. */
export async function parseParquet(bytes: Uint8Array, file: string): Promise<JsonRecord[]> {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  try {
    return (await parquetReadObjects({ file: buffer })) as JsonRecord[];
  } catch (e) {
    throw new StocktakeError('PARSE_ERROR', `${file} could not be read as Parquet: ${(e as Error).message}`, file);
  }
}
