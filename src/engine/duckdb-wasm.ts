// DuckDB-WASM behind the SqlEngine contract: the browser's tabular engine and the only module that
// imports @duckdb/duckdb-wasm. Runs inside the inventory worker; DuckDB's own worker is nested in it.
//
// Bundle choice (measured in ../shared/ENVIRONMENT.md): the threaded `coi` bundle when the page is
// cross-origin isolated (about as fast as native DuckDB with files copied in), else `eh`. `mvp` is
// never used (2x slower, and every browser we target has wasm exceptions).
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import coiWasm from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import coiPthread from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import { DataType, type Field, type Table } from 'apache-arrow';
import type { Row, SqlEngine } from '../core/engine/sql-engine.ts';
import { isAbortError, throwIfAborted } from '../core/errors.ts';

const MS_PER_DAY = 86_400_000;

/** Converts one Arrow value of `field` to the plain JS value the core expects (see Row). */
function toPlain(value: unknown, type: DataType): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isTimestamp(type) || DataType.isDate(type)) {
    // Arrow JS gives epoch milliseconds for dates and timestamps (bigint for some units).
    const ms = typeof value === 'bigint' ? Number(value) : (value as number);
    const scaled = DataType.isDate(type) && (type as { unit: number }).unit === 0 ? ms * MS_PER_DAY : ms;
    return new Date(scaled).toISOString();
  }
  if (DataType.isDecimal(type)) {
    const scale = (type as unknown as { scale: number }).scale;
    const raw = value as { valueOf(): unknown; toString(): string };
    const n = Number(typeof raw === 'bigint' ? raw : BigInt(raw.toString()));
    return n / 10 ** scale;
  }
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (DataType.isList(type)) {
    const child = (type as unknown as { children: Field[] }).children[0].type;
    return Array.from(value as Iterable<unknown>, (v) => toPlain(v, child));
  }
  if (DataType.isStruct(type)) {
    const out: Record<string, unknown> = {};
    const fields = (type as unknown as { children: Field[] }).children;
    const obj = value as Record<string, unknown>;
    for (const f of fields) out[f.name] = toPlain(obj[f.name], f.type);
    return out;
  }
  return value;
}

function tableToRows<T extends Row>(table: Table): T[] {
  const fields = table.schema.fields;
  const cols = fields.map((f) => table.getChild(f.name)!);
  const rows: T[] = new Array(table.numRows);
  for (let i = 0; i < table.numRows; i++) {
    const row: Row = {};
    for (let c = 0; c < fields.length; c++) row[fields[c].name] = toPlain(cols[c].get(i), fields[c].type);
    rows[i] = row as T;
  }
  return rows;
}

/** Extra warm-up work on the engine's warm-up table, stopped through `signal` when real work comes. */
export type WarmUp = (engine: SqlEngine, table: string, signal: AbortSignal) => Promise<unknown>;

export class DuckDbWasmEngine implements SqlEngine {
  private constructor(
    readonly label: string,
    private readonly db: duckdb.AsyncDuckDB,
    private readonly conn: duckdb.AsyncDuckDBConnection,
    private readonly worker: Worker,
    readonly threads: number,
  ) {}

  /** Files registered by handle: DuckDB runs on one thread while any is registered (see registerFile). */
  private readonly handles = new Set<string>();
  private warming: Promise<void> = Promise.resolve();
  private readonly stopWarmUp = new AbortController();

  /**
   * Starts DuckDB in a nested worker with the best bundle this context supports, and its warm-up in
   * the background. `warmUp`, when given, runs at the end of the engine's own warm-up, still on one
   * thread: the worker passes a profile and a small import through the real path
   * (src/core/inventory/warm-up.ts) so every query they run is compiled before the user's first file.
   */
  static async create(warmUp?: WarmUp): Promise<DuckDbWasmEngine> {
    const bundle = await duckdb.selectBundle({
      mvp: { mainModule: ehWasm, mainWorker: ehWorker },
      eh: { mainModule: ehWasm, mainWorker: ehWorker },
      coi: { mainModule: coiWasm, mainWorker: coiWorker, pthreadWorker: coiPthread },
    });
    const worker = new Worker(bundle.mainWorker!);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    const isCoi = bundle.mainModule === coiWasm;
    const threads = isCoi ? Math.max(1, Math.min(2, navigator.hardwareConcurrency || 1)) : 1;
    await db.open({ query: { castBigIntToDouble: false }, maximumThreads: threads });
    const conn = await db.connect();
    // Extensions would be fetched from the network: fail at once instead of hanging offline.
    await conn.query('SET autoinstall_known_extensions = false');
    await conn.query('SET autoload_known_extensions = false');
    const version = await db.getVersion();
    const engine = new DuckDbWasmEngine(`duckdb-wasm ${version} ${isCoi ? 'coi' : 'eh'} (${threads} thread${threads > 1 ? 's' : ''})`, db, conn, worker, threads);
    // Only a speed-up: an engine that cannot warm up still works. It runs in the background: the first
    // real call stops it (see claim), so a file dropped early does not wait for it.
    engine.warming = engine.warmUp(warmUp).catch((e) => {
      if (!isAbortError(e)) console.warn('engine warm-up failed', e);
    });
    return engine;
  }

  /** Resolves once the warm-up has run to its end or was stopped (the bench times imports on a warm engine). */
  whenWarm(): Promise<void> {
    return this.warming;
  }

  /** Stops the warm-up, if it still runs, and waits for its current query: real work has come. */
  private async claim(): Promise<void> {
    this.stopWarmUp.abort();
    await this.warming;
  }

  /**
   * Runs an import's work once (write and load a 300,000-row CSV, then `more` on that table) so the
   * engine's hot code is compiled before the first real import: Chromium compiles wasm lazily and tiers
   * hot functions up while they run; cold, the 1M-row benchmark import took ~1 s longer. On one
   * thread: compiled code is shared by all of DuckDB's threads, and memory grown by its other threads
   * is what trips the stale heap view (see refreshHeapViews). The engine starts while the user picks
   * files, and the first real call stops this after its current query (see claim).
   */
  private async warmUp(more?: WarmUp): Promise<void> {
    const file = 'stocktake-warmup.csv';
    const signal = this.stopWarmUp.signal;
    // The warm-up's own calls go around claim() (which would stop it).
    const own: SqlEngine = {
      label: this.label,
      query: (sql) => this.run(sql),
      registerBuffer: (name, bytes) => this.register(name, bytes),
      dropFile: async (name) => void (await this.db.dropFile(name)),
    };
    if (this.threads > 1) await this.conn.query('SET threads = 1');
    try {
      await this.conn.query(
        `COPY (SELECT range AS id, 'o' || (range * 7919 % 100003) AS code, (range % 997) / 7.0 AS price,
                TIMESTAMP '2024-01-01' + to_seconds(range) AS ts, CASE WHEN range % 3 = 0 THEN 'a "quoted", 值' END AS note,
                range % 2 = 0 AS flag FROM range(300000)) TO '${file}' (FORMAT csv, HEADER)`,
      );
      throwIfAborted(signal);
      await this.conn.query(`CREATE TEMP TABLE stocktake_warmup AS SELECT * FROM read_csv('${file}')`);
      await this.db.dropFile(file).catch(() => undefined);
      throwIfAborted(signal);
      await more?.(own, 'stocktake_warmup', signal);
    } finally {
      await this.conn.query('DROP TABLE IF EXISTS stocktake_warmup');
      await this.db.dropFile(file).catch(() => undefined);
      if (this.threads > 1) await this.conn.query(`SET threads = ${this.threads}`);
      await this.refreshHeapViews();
    }
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    await this.claim();
    return this.run<T>(sql);
  }

  async registerBuffer(name: string, bytes: Uint8Array): Promise<void> {
    await this.claim();
    await this.register(name, bytes);
  }

  private async run<T extends Row = Row>(sql: string): Promise<T[]> {
    const table = await this.conn.query(sql);
    await this.refreshHeapViews();
    return tableToRows<T>(table as unknown as Table);
  }

  private async register(name: string, bytes: Uint8Array): Promise<void> {
    await this.refreshHeapViews();
    await this.db.registerFileBuffer(name, bytes);
  }

  /**
   * Works around a DuckDB-WASM 1.32 race in the threaded bundle: its worker copies registered buffers
   * and query texts through a JS view of the wasm memory that only refreshes when a call passes a
   * string argument. When DuckDB's other threads grew the memory during a query, the next large
   * registration failed with "offset is out of bounds" (seen in a few of ~20 imports of a 170 MB CSV
   * while the warm-up still ran on two threads). Dropping a file that does not exist passes a string
   * and refreshes the view.
   */
  private async refreshHeapViews(): Promise<void> {
    if (this.threads > 1) await this.db.dropFile('stocktake-refresh-heap-views').catch(() => undefined);
  }

  /**
   * Reads a File through a handle without copying it. With several threads DuckDB-WASM 1.32 reads a
   * block at the 32 MB boundary as empty through a handle, so handle reads run single-threaded.
   */
  async registerFile(name: string, file: Blob): Promise<boolean> {
    if (!(file instanceof File)) return false;
    await this.claim();
    await this.db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    this.handles.add(name);
    if (this.threads > 1) await this.conn.query('SET threads = 1');
    return true;
  }

  async dropFile(name: string): Promise<void> {
    await this.claim();
    await this.db.dropFile(name);
    // Threads come back with the last handle gone (not on every drop: the warm-up stays on one thread).
    if (this.handles.delete(name) && this.handles.size === 0 && this.threads > 1) await this.conn.query(`SET threads = ${this.threads}`);
  }

  /** CSV written into DuckDB-WASM's in-memory file system, copied out and dropped. */
  async copyCsv(select: string, header: boolean): Promise<Uint8Array> {
    await this.claim();
    const name = `export-${crypto.randomUUID()}.csv`;
    await this.run(`COPY (${select}) TO '${name}' (FORMAT csv, HEADER ${header})`);
    try {
      return await this.db.copyFileToBuffer(name);
    } finally {
      await this.db.dropFile(name);
    }
  }

  async close(): Promise<void> {
    await this.claim();
    await this.conn.close();
    await this.db.terminate();
    this.worker.terminate();
  }
}
