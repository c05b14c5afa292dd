// The inventory's data model: what an import, its tables, columns and relations look like once profiled.
// Every field is plain JSON (no classes, no bigint) so records cross worker boundaries, live in
// IndexedDB and are written by the CLI unchanged.

/** Tabular formats Stocktake reads. XLSX sheets become one table each. */
export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet' | 'xlsx';

/** Text encodings detected on input; everything is transcoded to UTF-8 before the engine sees it. */
export type TextEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gb18030' | 'binary';

/** How the bytes reached the engine: copied into memory, or read through a file handle (large files). */
export type LoadPath = 'memory' | 'file-handle';

/** A problem met while reading or profiling one file. Errors mean the file produced no table. */
export interface ImportIssue {
  severity: 'error' | 'warning';
  /** Stable machine code, e.g. `EMPTY_FILE`, `BINARY_FILE`, `RAGGED_ROWS`; see core/errors.ts. */
  code: string;
  /** The file (path inside the import) the issue is about. */
  file: string;
  message: string;
  /** 1-based line in the source file, where that makes sense. */
  line?: number;
}

export interface ImportRecord {
  id: string;
  /** Dataset name: the folder or zip name, or the first file's stem. */
  name: string;
  createdAt: number;
  files: { path: string; bytes: number }[];
  tableCount: number;
  rowCount: number;
  bytes: number;
  /** `partial` when at least one file failed but others were profiled. */
  status: 'complete' | 'partial' | 'failed';
  issues: ImportIssue[];
  /** Which engine build profiled it, e.g. `duckdb-wasm coi` or `duckdb native 1.4`. */
  engine: string;
  durationMs: number;
  /**
   * Set on a catalog pulled from the backend's sync: where it came from and the server version it
   * was at, so a later pull replaces it only with a newer one. Like a snapshot's saved copy it has
   * no rows on this machine (no tableData records). Never pushed back (see buildCatalogItems).
   */
  pulled?: PulledOrigin;
}

/** Where a pulled catalog came from: the workspace, the newest server version among its records, who wrote it and when. */
export interface PulledOrigin {
  workspace: string;
  version: number;
  clientId: string;
  updatedAt: number;
}

export interface TableProfile {
  importId: string;
  /** Table name, unique within the import (file stem, or `stem.sheet` for XLSX). */
  name: string;
  /** Path of the source file inside the import. */
  file: string;
  sheet?: string;
  format: FileFormat;
  encoding: TextEncoding;
  bytes: number;
  rowCount: number;
  columnCount: number;
  loadPath: LoadPath;
  /** Column sets that are unique and non-null over all rows (single columns first). */
  keyCandidates: string[][];
  /** The key chosen as primary (first single-column candidate whose name looks like an id). */
  primaryKey?: string;
  issues: ImportIssue[];
  /** Rows fully duplicated (all columns equal), counted exactly. */
  duplicateRows: number;
}

export type PhysicalType =
  | 'integer'
  | 'decimal'
  | 'double'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'varchar'
  | 'blob'
  | 'list'
  | 'struct'
  | 'other';

export type SemanticType =
  | 'id'
  | 'price'
  | 'quantity'
  | 'rating'
  | 'percentage'
  | 'category'
  | 'title'
  | 'text'
  | 'timestamp'
  | 'date'
  | 'boolean'
  | 'email'
  | 'phone'
  | 'address'
  | 'city'
  | 'state'
  | 'zip'
  | 'country'
  | 'url'
  | 'ip'
  | 'person_name'
  | 'latitude'
  | 'longitude'
  | 'measure'
  | 'number'
  | 'code'
  | 'json'
  | 'unknown';

export type PiiKind = 'email' | 'phone' | 'cn_id' | 'bank_card' | 'ip' | 'person_name' | 'address';

export interface PiiFinding {
  kind: PiiKind;
  /** 0..1: share of sampled non-null values that match, adjusted by name evidence. */
  confidence: number;
  /** Human-readable why, e.g. "98% of 500 sampled values are valid emails". */
  reason: string;
  matched: number;
  sampled: number;
}

export interface Histogram {
  kind: 'number' | 'date';
  /** Bin edges, length = counts.length + 1. Dates as epoch milliseconds. */
  edges: number[];
  counts: number[];
  /** Values plotted on a log10 scale because they span orders of magnitude. */
  log?: boolean;
}

export interface ValueCount {
  value: string;
  count: number;
}

export interface ColumnProfile {
  importId: string;
  table: string;
  name: string;
  /** 0-based position in the table. */
  index: number;
  /** The engine's type name, e.g. `BIGINT`, `VARCHAR`, `TIMESTAMP`. */
  engineType: string;
  physicalType: PhysicalType;
  semanticType: SemanticType;
  /** Why the semantic type was chosen, for the UI tooltip. */
  semanticReason: string;
  rowCount: number;
  nullCount: number;
  /** Empty or whitespace-only strings. */
  emptyCount: number;
  /** Placeholder values that mean "missing" ("N/A", "null", "-", "0000-00-00" …), counted per value. */
  placeholders: ValueCount[];
  /** Approximate distinct count (HyperLogLog in the engine). */
  distinct: number;
  /** True when every non-null value is distinct (exact) and there are no nulls. */
  isUnique: boolean;
  /** Min and max as display strings (numbers, dates or text), null when the column is all null. */
  min: string | null;
  max: string | null;
  mean: number | null;
  std: number | null;
  /** Quantiles at QUANTILE_LEVELS for numbers; epoch ms for dates; null otherwise. */
  quantiles: number[] | null;
  histogram: Histogram | null;
  topValues: ValueCount[];
  /** String length of non-null values (of the text form for non-text columns). */
  length: { min: number; max: number; mean: number } | null;
  /** Shape summary: letters → `A`/`a`, digits → `9`, CJK → `汉`, runs collapsed (`Aa-9`). */
  patterns: ValueCount[];
  /** Up to 10 sample values; masked when `pii` is set. */
  samples: string[];
  pii: PiiFinding | null;
}

/** Quantile levels stored for every numeric and date column (monitoring reuses them as a sketch). */
export const QUANTILE_LEVELS: readonly number[] = [
  0, 0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99, 1,
];

export interface ForeignKey {
  importId: string;
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
  /** Share of the child's distinct non-null values found in the parent key (0..1). */
  coverage: number;
  /** Child rows whose non-null value has no parent. */
  orphanRows: number;
  /** Distinct child values with no parent. */
  orphanValues: number;
  /** Child rows with a non-null value. */
  childRows: number;
  /** 0..1 similarity of the column names, used only to break ties. */
  nameScore: number;
}

/** Everything one import produces; the CLI writes it as JSON and the app stores it in one transaction. */
export interface Inventory {
  import: ImportRecord;
  tables: TableProfile[];
  columns: ColumnProfile[];
  relations: ForeignKey[];
}

/** Progress of a long job, reported through a callback (comlink `proxy` across workers). */
export type ProgressEvent =
  | { kind: 'read'; file: string; bytes: number; total: number }
  | { kind: 'load'; file: string; table: string }
  | { kind: 'profile'; file: string; table: string; rows: number; done: number; total: number }
  | { kind: 'file-done'; file: string; tables: string[]; rows: number }
  | { kind: 'file-error'; file: string; issue: ImportIssue }
  | { kind: 'relations'; done: number; total: number }
  | { kind: 'done'; importId: string };

export type ProgressHandler = (event: ProgressEvent) => void;
