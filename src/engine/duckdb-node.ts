// Native DuckDB (@duckdb/node-api) behind the SqlEngine contract: the CLI's engine, the tests' engine
// and the benchmark's baseline. The only module that imports @duckdb/node-api.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { Row, SqlEngine } from '../core/engine/sql-engine.ts';

/** Converts DuckDB's JS values to the plain rows the core expects. */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toPlain(v);
    return out;
  }
  return value;
}

export class DuckDbNodeEngine implements SqlEngine {
  readonly label: string;
  private readonly dir = mkdtempSync(join(tmpdir(), 'stocktake-'));
  private readonly files = new Map<string, string>();
  private copies = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
    version: string,
    threads: number,
  ) {
    this.label = `duckdb native ${version} (${threads} threads)`;
  }

  static async create(options: { threads?: number } = {}): Promise<DuckDbNodeEngine> {
    const threads = options.threads ?? 2;
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    const conn = await instance.connect();
    const version = (await conn.runAndReadAll('select version() as v')).getRowObjectsJS()[0].v as string;
    return new DuckDbNodeEngine(instance, conn, version, threads);
  }

  async query<T extends Row = Row>(sql: string): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(this.rewritePaths(sql));
    return reader.getRowObjectsJS().map((r) => toPlain(r) as T);
  }

  /** Native DuckDB reads files from disk, so buffers are written to a private temp folder. */
  async registerBuffer(name: string, bytes: Uint8Array): Promise<void> {
    const path = join(this.dir, `${this.files.size}-${name.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(path, bytes);
    this.files.set(name, path);
  }

  /** Registers a file already on disk under a virtual name without copying it. */
  registerPath(name: string, path: string): void {
    this.files.set(name, path);
  }

  async copyCsv(select: string, header: boolean): Promise<Uint8Array> {
    const path = join(this.dir, `copy-${this.copies++}.csv`);
    try {
      await this.conn.run(`COPY (${this.rewritePaths(select)}) TO '${path.replaceAll("'", "''")}' (FORMAT csv, HEADER ${header})`);
      return new Uint8Array(readFileSync(path));
    } finally {
      rmSync(path, { force: true });
    }
  }

  async dropFile(name: string): Promise<void> {
    const path = this.files.get(name);
    if (path?.startsWith(this.dir)) rmSync(path, { force: true });
    this.files.delete(name);
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** Maps registered virtual names inside string literals to real paths. */
  private rewritePaths(sql: string): string {
    let out = sql;
    for (const [name, path] of this.files) {
      out = out.replaceAll(`'${name.replaceAll("'", "''")}'`, `'${path.replaceAll("'", "''")}'`);
    }
    return out;
  }
}
