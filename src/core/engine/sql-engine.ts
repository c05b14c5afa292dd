// The one contract between src/core and a SQL engine: DuckDB-WASM in the browser worker, native DuckDB
// in the CLI and tests. Core builds SQL and reads plain rows; it never imports an engine.

/** A row as plain JS values: BIGINT → number (or string past 2^53), DATE/TIMESTAMP → ISO string, DECIMAL → number. */
export type Row = Record<string, unknown>;

export interface SqlEngine {
  /** Human-readable engine name and build, e.g. `duckdb-wasm 1.32 coi (2 threads)`. */
  readonly label: string;
  /** Runs one statement and returns its rows. Throws an Error with DuckDB's message on failure. */
  query<T extends Row = Row>(sql: string): Promise<T[]>;
  /** Makes UTF-8 (or binary Parquet) bytes readable by SQL under `name`. Takes ownership of `bytes`. */
  registerBuffer(name: string, bytes: Uint8Array): Promise<void>;
  /**
   * Makes a large file readable without copying it into memory, when the engine can
   * (browser `File` through a file handle). Returns false when unsupported, and the caller copies.
   */
  registerFile?(name: string, file: Blob): Promise<boolean>;
  /**
   * Runs `COPY (<select>) TO … (FORMAT csv, HEADER <header>)` and returns the CSV bytes; engines
   * that cannot write files leave it out.
   */
  copyCsv?(select: string, header: boolean): Promise<Uint8Array>;
  /** Forgets a registered buffer or file. */
  dropFile(name: string): Promise<void>;
}

/** Quotes an identifier for DuckDB. */
export function ident(name: string): string {
  return '"' + name.replaceAll('"', '""') + '"';
}

/** Quotes a string literal for DuckDB. */
export function literal(value: string): string {
  return "'" + value.replaceAll("'", "''") + "'";
}
