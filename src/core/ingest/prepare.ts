// The ingest layer's entry point: expands zips, sniffs format and encoding, transcodes to UTF-8 in a
// streaming pass, scans CSV structure, and yields one prepared table (or one issue) per file or sheet.
import { unzipSync, type UnzipFileInfo } from 'fflate';
import { isAbortError, StocktakeError, throwIfAborted, type ErrorCode } from '../errors.ts';
import type { FileFormat, ImportIssue, ProgressHandler, TextEncoding } from '../types.ts';
import { concatBytes } from './concat-bytes.ts';
import { CsvPartCutter } from './csv-parts.ts';
import { CsvScanner, sniffCsv, type CsvScan, type SniffedCsv } from './csv-dialect.ts';
import { detectContainer, detectTextFormat, explainSkip, extensionOf, stemOf } from './detect-format.ts';
import {
  countNewlines,
  detectBom,
  detectBomlessUtf16,
  findInvalidUtf8,
  hasNulByte,
  isPlausibleChinese,
  tallyCjk,
  Utf8Validator,
} from './encoding.ts';
import { sourceFromBytes, type SourceFile } from './source.ts';
import { parseJsonArray, parseJsonLines, parseParquet, recordsToCsv } from './records-to-csv.ts';
import { isXlsxEntries, readXlsxSheets } from './xlsx.ts';

export { buildLoadSql, buildLoadSqlFallback } from './load-sql.ts';
import type { CsvDialect } from './load-sql.ts';

/** One table ready for the engine: its bytes (or file), the reader to use and what ingest noticed. */
export interface PreparedTable {
  /** Unique, readable table name: file stem, `stem.sheet` for XLSX, `_2`… when a stem repeats. */
  table: string;
  /** Source path inside the import (zip entries as `archive.zip/dir/name.csv`). */
  file: string;
  sheet?: string;
  format: FileFormat;
  encoding: TextEncoding;
  /** Size of the source file (the whole workbook for XLSX sheets). */
  bytes: number;
  reader: 'csv' | 'json' | 'parquet';
  /**
   * Bytes for the engine: UTF-8 text (BOM stripped, transcoded) or raw Parquet. `staged` for a plain
   * UTF-8 CSV over `options.streamBytes` when a `partSink` was given: the table the sink loaded its
   * record-aligned parts into while the file was validated, or null when the engine could not load
   * them (its `source` is kept for a whole-file read). `source` for plain UTF-8 over
   * `options.memoryBudget`, which the engine may read by handle, and for large JSON.
   */
  data:
    | { kind: 'bytes'; bytes: Uint8Array }
    | { kind: 'staged'; table: string | null; source: SourceFile }
    | { kind: 'source'; source: SourceFile };
  /** The sniffed dialect for CSV/TSV/XLSX, plus what the full scan found. */
  csv?: {
    delimiter: string;
    quote: string;
    header: boolean;
    /** Fields in the first record. */
    columns?: number;
    /** Records whose field count differs from the first record's (loaded with null padding). */
    raggedRows?: number;
  };
  /** Data rows counted by the ingest scan (CSV, TSV, XLSX); the engine's count should match. */
  rows?: number;
  warnings: ImportIssue[];
}

export interface PrepareOptions {
  signal?: AbortSignal;
  onProgress?: ProgressHandler;
  /**
   * Files above this are not read into one buffer (64 MiB): text is validated in a streaming pass,
   * and a plain UTF-8 CSV is cut into record-aligned parts of `partBytes` in the same pass.
   */
  streamBytes?: number;
  /** Size of those parts (32 MiB). */
  partBytes?: number;
  /** Takes the parts as they are cut; without one, large files are handed over as `source`. */
  partSink?: PartSink;
  /** Plain UTF-8 files above this are handed over as `source`, not read, for the engine to read by handle (512 MiB). */
  memoryBudget?: number;
  /** Files above this are refused with TOO_LARGE before anything is read (1 GiB). */
  maxFileBytes?: number;
  /** CSV/TSV headers with more fields than this are refused with TOO_MANY_COLUMNS (1000). */
  maxColumns?: number;
  /**
   * CSV/TSV files up to this size get the JS record scan (row count, ragged rows with their line) in the
   * read pass (64 MiB). Above it the scan would cost more than DuckDB's own strict read, which already
   * fails on ragged rows with the line; the lenient retry then loads them and the caller warns.
   */
  scanBytesLimit?: number;
}

export type PrepareResult = { ok: true; table: PreparedTable } | { ok: false; issue: ImportIssue };

const HEAD_BYTES = 64 * 1024;
const CHUNK_BYTES = 1 << 20;
const MIB = 1024 * 1024;
/**
 * Valid multi-byte UTF-8 (bytes beyond one per character) seen before a bad byte that makes it a
 * damaged UTF-8 file rather than GB18030: GBK text almost never forms four valid UTF-8 characters
 * in a row, while UTF-8 read as GB18030 often decodes to plausible-looking CJK mojibake.
 */
const UTF8_EVIDENCE = 8;

interface Context {
  signal?: AbortSignal;
  onProgress?: ProgressHandler;
  streamBytes: number;
  partBytes: number;
  partSink?: PartSink;
  memoryBudget: number;
  maxFileBytes: number;
  maxColumns: number;
  scanBytesLimit: number;
  /** Lower-cased table names already given out: DuckDB identifiers are case-insensitive. */
  usedNames: Set<string>;
}

/**
 * Expands zips, sniffs format and encoding, transcodes to UTF-8 in a streaming pass, and yields one
 * result per table or per failed file. Never throws for bad input (only AbortError).
 */
export async function* prepareSources(files: SourceFile[], options: PrepareOptions = {}): AsyncGenerator<PrepareResult> {
  const ctx: Context = {
    signal: options.signal,
    onProgress: options.onProgress,
    streamBytes: options.streamBytes ?? 64 * MIB,
    partBytes: options.partBytes ?? 32 * MIB,
    partSink: options.partSink,
    memoryBudget: options.memoryBudget ?? 512 * MIB,
    scanBytesLimit: options.scanBytesLimit ?? 64 * MIB,
    maxFileBytes: options.maxFileBytes ?? 1024 * MIB,
    maxColumns: options.maxColumns ?? 1000,
    usedNames: new Set(),
  };
  for (const file of files) {
    throwIfAborted(ctx.signal);
    yield* prepareFile(file, ctx, 0);
  }
}

function fail(severity: 'error' | 'warning', code: ErrorCode, file: string, message: string, line?: number): PrepareResult {
  const issue: ImportIssue = { severity, code, file, message };
  if (line !== undefined) issue.line = line;
  return { ok: false, issue };
}

function formatBytes(n: number): string {
  if (n >= MIB) return `${(n / MIB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

function claimName(ctx: Context, base: string): string {
  const clean = base.trim() || 'table';
  let name = clean;
  for (let i = 2; ctx.usedNames.has(name.toLowerCase()); i++) name = `${clean}_${i}`;
  ctx.usedNames.add(name.toLowerCase());
  return name;
}

/** One file (or zip entry): every failure inside becomes a result, except cancellation. */
async function* prepareFile(src: SourceFile, ctx: Context, depth: number): AsyncGenerator<PrepareResult> {
  try {
    yield* prepareFileUnsafe(src, ctx, depth);
  } catch (e) {
    if (isAbortError(e)) throw e;
    yield fail('error', 'PARSE_ERROR', src.path, `${src.path}: could not be read: ${(e as Error).message}`);
  }
}

async function* prepareFileUnsafe(src: SourceFile, ctx: Context, depth: number): AsyncGenerator<PrepareResult> {
  const path = src.path;
  const skip = explainSkip(path);
  if (skip) {
    yield fail('warning', 'UNSUPPORTED_FORMAT', path, `${path}: ${skip}`);
    return;
  }
  if (src.size > ctx.maxFileBytes) {
    yield fail('error', 'TOO_LARGE', path, `${path} is ${formatBytes(src.size)}, over the ${formatBytes(ctx.maxFileBytes)} limit per file.`);
    return;
  }
  if (src.size === 0) {
    yield fail('error', 'EMPTY_FILE', path, `${path} is empty (0 bytes).`);
    return;
  }
  const ext = extensionOf(path);
  // Small files are read once; larger ones are streamed, so the page never holds their bytes whole.
  const whole = src.size <= ctx.streamBytes ? await src.bytes() : null;
  throwIfAborted(ctx.signal);
  const head = whole ? whole.subarray(0, HEAD_BYTES) : await readHead(src, HEAD_BYTES);
  const container = detectContainer(head);

  if (container === 'zip' || ext === 'zip' || ext === 'xlsx') {
    const bytes = whole ?? (await src.bytes());
    yield* prepareArchive(src, bytes, ctx, depth, ext);
    return;
  }
  if (container === 'parquet' || ext === 'parquet') {
    if (container !== 'parquet') {
      yield fail('error', 'PARSE_ERROR', path, `${path} is named .parquet but does not start with the Parquet magic bytes (PAR1).`);
      return;
    }
    reportRead(ctx, path, src.size, src.size);
    let csvBytes: Uint8Array;
    try {
      csvBytes = recordsToCsv(await parseParquet(whole ?? (await src.bytes()), path));
    } catch (e) {
      if (!(e instanceof StocktakeError)) throw e;
      yield fail('error', e.code, path, e.message);
      return;
    }
    const table: PreparedTable = {
      table: claimName(ctx, stemOf(path)),
      file: path,
      format: 'parquet',
      encoding: 'binary',
      bytes: src.size,
      reader: 'csv',
      csv: { delimiter: ',', quote: '"', header: true },
      data: { kind: 'bytes', bytes: csvBytes },
      warnings: [],
    };
    yield { ok: true, table };
    return;
  }
  yield* prepareText(src, ctx, whole, head, ext);
}

/** A zip of data files (one nested level expanded) or an XLSX workbook. */
async function* prepareArchive(src: SourceFile, bytes: Uint8Array, ctx: Context, depth: number, ext: string): AsyncGenerator<PrepareResult> {
  const path = src.path;
  const skipped: PrepareResult[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes, {
      filter: (f: UnzipFileInfo) => {
        if (f.name.endsWith('/')) return false;
        const entryPath = `${path}/${f.name}`;
        const skip = explainSkip(entryPath);
        if (skip && !f.name.startsWith('xl/') && !f.name.startsWith('docProps/') && !f.name.startsWith('_rels/') && f.name !== '[Content_Types].xml') {
          skipped.push(fail('warning', 'UNSUPPORTED_FORMAT', entryPath, `${entryPath}: ${skip}`));
          return false;
        }
        if (f.originalSize > ctx.maxFileBytes) {
          skipped.push(fail('error', 'TOO_LARGE', entryPath, `${entryPath} unpacks to ${formatBytes(f.originalSize)}, over the ${formatBytes(ctx.maxFileBytes)} limit per file.`));
          return false;
        }
        return true;
      },
    });
  } catch (e) {
    const what = ext === 'xlsx' ? 'Excel workbook' : 'zip archive';
    yield fail('error', 'BAD_ZIP', path, `${path} is not a readable ${what} (truncated or corrupt: ${(e as Error).message}).`);
    return;
  }
  reportRead(ctx, path, src.size, src.size);
  const names = Object.keys(entries);
  if (isXlsxEntries(names)) {
    yield* prepareWorkbook(src, entries, ctx);
    return;
  }
  // The zip filter saw workbook parts as dotless xml: only report the skips for a real zip.
  yield* skipped;
  if (names.length === 0 && skipped.length === 0) {
    yield fail('error', 'EMPTY_FILE', path, `${path} holds no files.`);
    return;
  }
  if (depth >= 2) {
    yield fail('warning', 'UNSUPPORTED_FORMAT', path, `${path}: zip nested more than one level deep, skipped.`);
    return;
  }
  for (const name of names.sort()) {
    throwIfAborted(ctx.signal);
    const entry = sourceFromBytes(`${path}/${name}`, entries[name]);
    delete entries[name]; // let each entry's bytes go once its table is prepared
    yield* prepareFile(entry, ctx, depth + 1);
  }
}

async function* prepareWorkbook(src: SourceFile, entries: Record<string, Uint8Array>, ctx: Context): AsyncGenerator<PrepareResult> {
  let sheets;
  try {
    sheets = readXlsxSheets(entries);
  } catch (e) {
    yield fail('error', 'PARSE_ERROR', src.path, `${src.path}: unreadable Excel workbook: ${(e as Error).message}`);
    return;
  }
  if (sheets.length === 0) {
    yield fail('error', 'EMPTY_FILE', src.path, `${src.path}: every sheet of the workbook is empty.`);
    return;
  }
  const stem = stemOf(src.path);
  for (const sheet of sheets) {
    throwIfAborted(ctx.signal);
    const text = new TextDecoder().decode(sheet.csv.subarray(0, HEAD_BYTES), { stream: true });
    const sniffed = sniffCsv(text, sheet.csv.byteLength <= HEAD_BYTES, false);
    const label = `${src.path} [${sheet.name}]`;
    const warnings = checkHeader(label, src.path, { ...sniffed, delimiter: ',' });
    if (sheet.columns > ctx.maxColumns) {
      yield fail('error', 'TOO_MANY_COLUMNS', src.path, `${label} has ${sheet.columns} columns, over the limit of ${ctx.maxColumns}.`, 1);
      continue;
    }
    const table: PreparedTable = {
      table: claimName(ctx, `${stem}.${sheet.name}`),
      file: src.path,
      sheet: sheet.name,
      format: 'xlsx',
      encoding: 'utf-8',
      bytes: src.size,
      reader: 'csv',
      data: { kind: 'bytes', bytes: sheet.csv },
      csv: { delimiter: ',', quote: '"', header: sniffed.header, columns: sheet.columns, raggedRows: 0 },
      rows: sheet.rows - (sniffed.header ? 1 : 0),
      warnings,
    };
    yield { ok: true, table };
  }
}

/** Duplicate or empty header names: the engine renames them (`id_1`, `column3`), so the user is told. */
function checkHeader(label: string, file: string, sniffed: SniffedCsv): ImportIssue[] {
  if (!sniffed.header) return [];
  const warnings: ImportIssue[] = [];
  const seen = new Map<string, number>();
  const empties: number[] = [];
  sniffed.firstRecord.forEach((raw, i) => {
    const name = raw.trim();
    if (name === '') empties.push(i + 1);
    else seen.set(name.toLowerCase(), (seen.get(name.toLowerCase()) ?? 0) + 1);
  });
  const dupes = [...seen].filter(([, n]) => n > 1).map(([name, n]) => `"${name}" ×${n}`);
  if (dupes.length > 0) {
    warnings.push({
      severity: 'warning',
      code: 'DUPLICATE_HEADER',
      file,
      line: 1,
      message: `${label}: duplicate column names in the header (${dupes.join(', ')}); later ones get a suffix such as _1.`,
    });
  }
  if (empties.length > 0) {
    warnings.push({
      severity: 'warning',
      code: 'EMPTY_HEADER',
      file,
      line: 1,
      message: `${label}: column${empties.length > 1 ? 's' : ''} ${empties.join(', ')} ha${empties.length > 1 ? 've' : 's'} no name in the header; named columnN by position (0-based).`,
    });
  }
  return warnings;
}

/** CSV, TSV, JSON or JSON Lines in any supported encoding. */
async function* prepareText(src: SourceFile, ctx: Context, whole: Uint8Array | null, head: Uint8Array, ext: string): AsyncGenerator<PrepareResult> {
  const path = src.path;
  const bom = detectBom(head);
  const bomless16 = bom ? null : detectBomlessUtf16(head);
  if (!bom && !bomless16 && hasNulByte(head)) {
    yield fail('error', 'BINARY_FILE', path, `${path} looks binary (it contains NUL bytes), not a text or Parquet data file.`);
    return;
  }
  const declared: TextEncoding | null = bom?.encoding ?? bomless16;
  const bomLength = bom?.length ?? 0;
  const isComplete = head.byteLength >= src.size;
  const sniffHead = decodeHead(head.subarray(bomLength), declared);
  const headText = sniffHead.text;
  if (headText.trim() === '' && isComplete) {
    yield fail('error', 'EMPTY_FILE', path, `${path} holds no data (only whitespace${bomLength ? ' and a byte-order mark' : ''}).`);
    return;
  }

  let format = detectTextFormat(headText, ext);
  let sniffed: SniffedCsv | null = null;
  if (format === 'csv' || format === 'tsv') {
    sniffed = sniffCsv(headText, isComplete, format === 'tsv');
    format = sniffed.delimiter === '\t' ? 'tsv' : 'csv';
    // Without a data extension, only regular multi-column text counts as a table.
    const isDataExt = ext === 'csv' || ext === 'tsv' || ext === 'tab';
    if (!isDataExt && (sniffed.columns < 2 || sniffed.consistency < 0.8)) format = null;
  }
  if (format === null) {
    const severity = ext === 'txt' ? 'warning' : 'error';
    yield fail(severity, 'UNSUPPORTED_FORMAT', path, `${path}: not a recognised table (CSV, TSV, JSON, JSON Lines, Parquet, XLSX or zip)${severity === 'warning' ? ', skipped' : ''}.`);
    return;
  }
  if (sniffed && sniffed.columns > ctx.maxColumns) {
    yield fail('error', 'TOO_MANY_COLUMNS', path, `${path} has ${sniffed.columns} columns in its first line, over the limit of ${ctx.maxColumns}.`, 1);
    return;
  }

  const makeScanner =
    sniffed && src.size <= ctx.scanBytesLimit ? () => new CsvScanner(sniffed.delimiter, sniffed.quote, sniffed.header) : null;
  // Plain UTF-8 is handed over as read (or by handle); anything else is re-encoded into new chunks.
  const keepsOutput = (enc: TextEncoding) => enc !== 'utf-8' && !(enc === 'utf-8-bom' && whole);
  // A head that is not UTF-8 but decodes as Chinese GB18030 skips the doomed UTF-8 pass.
  let encoding: TextEncoding = declared ?? (sniffHead.isGb18030 ? 'gb18030' : 'utf-8');
  // A large plain UTF-8 CSV within the memory budget is cut into parts as it is validated.
  const makeCutter =
    sniffed && !whole && ctx.partSink && src.size <= ctx.memoryBudget
      ? () => ({
          cutter: new CsvPartCutter(ctx.partBytes, sniffed.quote, sniffed.header),
          csv: { delimiter: sniffed.delimiter, quote: sniffed.quote, header: sniffed.header, columns: sniffed.columns },
        })
      : null;
  let pass = await runTextPass(src, whole, encoding, bomLength, keepsOutput(encoding), makeScanner, ctx, makeCutter);
  let utf8Failure: TextPassFailure | null = null;
  if (!pass.ok && encoding === 'utf-8') {
    utf8Failure = pass;
    if (pass.multibyteBefore < UTF8_EVIDENCE) {
      const retry = await runTextPass(src, whole, 'gb18030', 0, true, makeScanner, ctx);
      if (retry.ok) {
        encoding = 'gb18030';
        pass = retry;
      }
    }
  } else if (!pass.ok && encoding === 'gb18030') {
    // The head read as Chinese but the rest is not GB18030: it may still be UTF-8, else say where it breaks.
    const asUtf8 = await runTextPass(src, whole, 'utf-8', 0, false, makeScanner, ctx);
    if (asUtf8.ok) {
      encoding = 'utf-8';
      pass = asUtf8;
    } else {
      utf8Failure = asUtf8;
    }
  }
  if (!pass.ok) {
    const at = utf8Failure ?? pass;
    yield fail(
      'error',
      'INVALID_UTF8',
      path,
      `${path} is not valid UTF-8: first bad byte at line ${at.line}, byte offset ${at.offset}. Re-save it as UTF-8 (GB18030 Chinese is also read).`,
      at.line,
    );
    return;
  }
  const scan = pass.scan;

  let data: PreparedTable['data'];
  if (pass.output) data = { kind: 'bytes', bytes: pass.output };
  else if (pass.staged) data = { kind: 'staged', table: pass.staged.table, source: src };
  else if (whole) data = { kind: 'bytes', bytes: bomLength ? whole.subarray(bomLength) : whole };
  else data = { kind: 'source', source: src };

  const warnings: ImportIssue[] = [];
  if (sniffed) warnings.push(...checkHeader(path, path, sniffed));
  if (scan && sniffed && scan.raggedRows > 0) warnings.push(raggedWarning(path, sniffed, scan));
  if (encoding === 'gb18030') {
    warnings.push({ severity: 'warning', code: 'ENCODING_GUESSED', file: path, message: `${path} is not UTF-8; read as GB18030 (Chinese) and converted.` });
  }
  if (bomless16) {
    warnings.push({ severity: 'warning', code: 'ENCODING_GUESSED', file: path, message: `${path} has no byte-order mark; read as ${bomless16.toUpperCase()} from its NUL-byte pattern.` });
  }

  if (format === 'json' || format === 'jsonl') {
    // JSON reaches the engine as CSV (see records-to-csv.ts).
    try {
      const utf8 = data.kind === 'bytes' ? data.bytes : await data.source.bytes();
      const text = new TextDecoder().decode(utf8);
      const records = format === 'json' ? parseJsonArray(text, path) : parseJsonLines(text, path);
      data = { kind: 'bytes', bytes: recordsToCsv(records) };
    } catch (e) {
      if (!(e instanceof StocktakeError)) throw e;
      yield fail('error', e.code, path, e.message, e.line);
      return;
    }
  }
  const isJson = format === 'json' || format === 'jsonl';
  const table: PreparedTable = {
    table: claimName(ctx, stemOf(path)),
    file: path,
    format,
    encoding,
    bytes: src.size,
    reader: 'csv',
    data,
    warnings,
  };
  if (isJson) table.csv = { delimiter: ',', quote: '"', header: true };
  if (sniffed) {
    table.csv = { delimiter: sniffed.delimiter, quote: sniffed.quote, header: sniffed.header, columns: sniffed.columns, raggedRows: scan?.raggedRows ?? 0 };
    if (scan) table.rows = scan.rows;
  }
  yield { ok: true, table };
}

function raggedWarning(path: string, sniffed: SniffedCsv, scan: CsvScan): ImportIssue {
  const rows = scan.raggedRows === 1 ? '1 row has' : `${scan.raggedRows} rows have`;
  const longer = scan.maxFields > sniffed.columns ? ` Rows longer than the first add columns after it (up to ${scan.maxFields}).` : '';
  return {
    severity: 'warning',
    code: 'RAGGED_ROWS',
    file: path,
    line: scan.firstRaggedLine,
    message: `${path}: ${rows} a different number of fields than the first line (${sniffed.columns}); the first is at line ${scan.firstRaggedLine} with ${scan.firstRaggedFields} fields. Missing fields are read as NULL.${longer}`,
  };
}

/** One `read` progress event; callers space them to about 20 per file. */
function reportRead(ctx: Context, file: string, bytes: number, total: number): void {
  ctx.onProgress?.({ kind: 'read', file, bytes, total });
}

/** The first `n` bytes of a large file, without reading the rest. */
async function readHead(src: SourceFile, n: number): Promise<Uint8Array> {
  const reader = src.stream().getReader();
  const parts: Uint8Array[] = [];
  let got = 0;
  try {
    while (got < n) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      got += value.byteLength;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return concatBytes(parts).subarray(0, n);
}

/** The head as text for sniffing, and whether it is (non-UTF-8) GB18030 Chinese. */
function decodeHead(head: Uint8Array, declared: TextEncoding | null): { text: string; isGb18030: boolean } {
  if (declared) {
    const label = declared === 'utf-8-bom' ? 'utf-8' : declared;
    return { text: new TextDecoder(label).decode(head, { stream: true }), isGb18030: false };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true }), isGb18030: false };
  } catch {
    // Lots of valid UTF-8 before the bad byte: a damaged UTF-8 file, not another encoding.
    const bad = findInvalidUtf8(head, false);
    const before = bad > 0 ? head.subarray(0, bad) : head.subarray(0, 0);
    const multibyte = before.byteLength - new TextDecoder('utf-8').decode(before).length;
    if (multibyte < UTF8_EVIDENCE) {
      try {
        const text = new TextDecoder('gb18030', { fatal: true }).decode(head, { stream: true });
        const tally = { nonAscii: 0, cjk: 0 };
        tallyCjk(text, tally);
        if (isPlausibleChinese(tally)) return { text, isGb18030: true };
      } catch {
        // not GB18030 either: sniff from a lossy decode; the full pass reports the bad byte
      }
    }
    return { text: new TextDecoder('utf-8').decode(head, { stream: true }), isGb18030: false };
  }
}

interface TextPassFailure {
  ok: false;
  /** 0-based byte offset of the first bad byte in the file (UTF-8 passes), -1 when unknown. */
  offset: number;
  /** 1-based line of that byte. */
  line: number;
  /** Valid multi-byte UTF-8 bytes seen before it (evidence the file really is UTF-8). */
  multibyteBefore: number;
}

/** `staged`: what `ctx.partSink` made of the parts, when the pass cut the file. */
type TextPassResult = { ok: true; output: Uint8Array | null; staged: { table: string | null } | null; scan: CsvScan | undefined } | TextPassFailure;

type MakeCutter = (() => { cutter: CsvPartCutter; csv: CsvDialect }) | null;

/**
 * Where the parts of a large CSV go as they are cut: the engine, which loads them in groups as they
 * come, so neither the page nor the engine ever holds the whole file.
 */
export interface PartSink {
  /** Takes one part (and its buffer), read with the file's dialect. */
  add(part: Uint8Array, csv: CsvDialect): Promise<void>;
  /** Every part is in: the table they were loaded into, or null when the engine could not load them. */
  finish(): Promise<string | null>;
  /** Drops whatever was added or loaded: the file turned out not to be UTF-8, or the import stopped. */
  discard(): Promise<void>;
}

/** The file's chunks: slices of the bytes already read, or its stream. */
async function* iterateChunks(src: SourceFile, whole: Uint8Array | null, signal: AbortSignal | undefined): AsyncGenerator<Uint8Array> {
  if (whole) {
    for (let i = 0; i < whole.byteLength; i += CHUNK_BYTES) {
      throwIfAborted(signal);
      yield whole.subarray(i, i + CHUNK_BYTES);
    }
    return;
  }
  const reader = src.stream().getReader();
  let finished = false;
  try {
    for (;;) {
      throwIfAborted(signal);
      const { done, value } = await reader.read();
      if (done) {
        finished = true;
        return;
      }
      yield value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
  }
}

/**
 * One streaming pass over a text file: validates (UTF-8) or decodes (UTF-16, GB18030) chunk by
 * chunk, re-encodes to UTF-8 chunks when `keepOutput`, feeds the CSV scanner and reports progress.
 * Output chunks are concatenated once at the end; no string ever holds more than one chunk.
 */
async function runTextPass(
  src: SourceFile,
  whole: Uint8Array | null,
  encoding: TextEncoding,
  skipBytes: number,
  keepOutput: boolean,
  makeScanner: (() => CsvScanner) | null,
  ctx: Context,
  makeCutter: MakeCutter = null,
): Promise<TextPassResult> {
  let result: TextPassResult | null = null;
  try {
    result = await textPass(src, whole, encoding, skipBytes, keepOutput, makeScanner, ctx, makeCutter);
    return result;
  } finally {
    // What the sink took of a file that failed (or of a stopped import) is not left in the engine.
    if (!result?.ok && makeCutter) await ctx.partSink?.discard();
  }
}

async function textPass(
  src: SourceFile,
  whole: Uint8Array | null,
  encoding: TextEncoding,
  skipBytes: number,
  keepOutput: boolean,
  makeScanner: (() => CsvScanner) | null,
  ctx: Context,
  /** Cuts plain UTF-8 into record-aligned parts for `ctx.partSink` as it is validated (see csv-parts.ts). */
  makeCutter: MakeCutter,
): Promise<TextPassResult> {
  const isUtf8 = encoding === 'utf-8' || encoding === 'utf-8-bom';
  const isGb = encoding === 'gb18030';
  // UTF-16 has no invalid bytes worth refusing a file for (a lone surrogate becomes U+FFFD).
  // UTF-8 is only validated (no strings built); other encodings are decoded and re-encoded.
  const validator = isUtf8 ? new Utf8Validator() : null;
  const decoder = isUtf8 ? null : new TextDecoder(encoding, { fatal: isGb, ignoreBOM: true });
  const encoder = new TextEncoder();
  const scanner = makeScanner?.() ?? null;
  const sink = ctx.partSink;
  const cutting = isUtf8 && skipBytes === 0 && sink ? (makeCutter?.() ?? null) : null;
  const tally = { nonAscii: 0, cjk: 0 };
  const output: Uint8Array[] = [];
  const total = src.size;
  const step = Math.max(CHUNK_BYTES, Math.ceil(total / 20));
  let nextReport = step;
  let read = 0;
  let newlines = 0;
  let multibyte = 0;
  let tail: Uint8Array = new Uint8Array(0);
  let reported = 0;
  let skip = skipBytes;

  const failAt = (chunk: Uint8Array, isEnd: boolean): TextPassFailure => {
    if (!isUtf8) return { ok: false, offset: -1, line: 0, multibyteBefore: 0 };
    // Re-scan the previous chunk's last bytes with this one: the bad sequence may straddle them.
    const joined = concatBytes([tail, chunk]);
    let at = findInvalidUtf8(joined, isEnd);
    if (at === -1) at = joined.byteLength;
    const start = read - chunk.byteLength - tail.byteLength;
    const before = joined.subarray(tail.byteLength, Math.max(tail.byteLength, at));
    const line = newlines + countNewlines(before) + 1;
    const validBefore = multibyte + (before.byteLength - new TextDecoder('utf-8').decode(before).length);
    return { ok: false, offset: start + at, line, multibyteBefore: validBefore };
  };

  for await (let chunk of iterateChunks(src, whole, ctx.signal)) {
    read += chunk.byteLength;
    if (skip > 0) {
      const cut = Math.min(skip, chunk.byteLength);
      chunk = chunk.subarray(cut);
      skip -= cut;
    }
    let out: Uint8Array;
    if (validator) {
      if (!validator.push(chunk)) return failAt(chunk, false);
      out = chunk;
      const part = cutting?.cutter.push(chunk);
      if (part) await sink!.add(part, cutting!.csv);
      multibyte = validator.multibyte;
      newlines += countNewlines(chunk);
      tail = chunk.subarray(Math.max(0, chunk.byteLength - 3));
    } else {
      let text: string;
      try {
        text = decoder!.decode(chunk, { stream: true });
      } catch {
        return failAt(chunk, false);
      }
      if (isGb) tallyCjk(text, tally);
      out = encoder.encode(text);
    }
    scanner?.push(out);
    if (keepOutput && out.byteLength > 0) output.push(out);
    if (read >= nextReport) {
      reportRead(ctx, src.path, read, total);
      reported = read;
      nextReport = read + step;
    }
  }
  let last = '';
  if (validator) {
    if (!validator.finish()) return failAt(new Uint8Array(0), true);
  } else {
    try {
      last = decoder!.decode();
    } catch {
      return failAt(new Uint8Array(0), true);
    }
  }
  if (last) {
    if (isGb) tallyCjk(last, tally);
    const out = encoder.encode(last);
    scanner?.push(out);
    if (keepOutput) output.push(out);
  }
  // Everything decoded, but mostly as rare symbols: Latin-1 or another code page, not Chinese.
  if (isGb && tally.nonAscii > 0 && !isPlausibleChinese(tally)) return { ok: false, offset: -1, line: 0, multibyteBefore: 0 };
  if (reported < read) reportRead(ctx, src.path, read, total);
  let staged: { table: string | null } | null = null;
  if (cutting) {
    const lastPart = cutting.cutter.finish();
    if (lastPart) await sink!.add(lastPart, cutting.csv);
    staged = { table: await sink!.finish() };
  }
  return { ok: true, output: keepOutput ? concatBytes(output) : null, staged, scan: scanner?.finish() };
}
