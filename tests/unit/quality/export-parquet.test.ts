// Parquet export in JavaScript: DuckDB types map to Parquet types, and a file written from engine rows
// reads back in native DuckDB with the same values, nulls and column types.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toParquetType, writeParquetBytes, type TypedColumn } from '../../../src/core/quality/export-parquet.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

let engine: DuckDbNodeEngine;
const dir = mkdtempSync(join(tmpdir(), 'stocktake-parquet-'));
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('toParquetType', () => {
  it.each([
    ['BOOLEAN', 'BOOLEAN'], ['INTEGER', 'INT32'], ['SMALLINT', 'INT32'], ['BIGINT', 'INT64'], ['DOUBLE', 'DOUBLE'],
    ['DECIMAL(10,2)', 'DOUBLE'], ['TIMESTAMP', 'TIMESTAMP'], ['DATE', 'STRING'], ['VARCHAR', 'STRING'], ['INTERVAL', 'STRING'],
  ])('%s → %s', (duck, parquet) => expect(toParquetType(duck)).toBe(parquet));
});

describe('writeParquetBytes', () => {
  it('round-trips engine rows through native DuckDB, nulls and formula-like text included', async () => {
    await engine.query(`CREATE TABLE src AS SELECT * FROM (VALUES
      (1, 9007199254740993::BIGINT, 19.99::DECIMAL(10,2), true, TIMESTAMP '2018-01-02 03:04:05', DATE '2018-01-02', '=HYPERLINK("x")'),
      (2, NULL, NULL, NULL, NULL, NULL, NULL),
      (3, -5, 0.5, false, TIMESTAMP '2017-12-31 23:59:59', DATE '2017-12-31', '<img src=x onerror=alert(1)>')
    ) t(id, big, price, flag, ts, d, name)`);
    const cols = await engine.query<{ column_name: string; column_type: string }>('SELECT column_name, column_type FROM (DESCRIBE src)');
    const columns: TypedColumn[] = cols.map((c) => ({ name: c.column_name, type: c.column_type }));
    const rows = await engine.query('SELECT * FROM src ORDER BY id');
    const path = join(dir, 'out.parquet');
    writeFileSync(path, writeParquetBytes(columns, rows));

    const types = await engine.query<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${path}'))`);
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      id: 'INTEGER', big: 'BIGINT', price: 'DOUBLE', flag: 'BOOLEAN', ts: 'TIMESTAMP', d: 'VARCHAR', name: 'VARCHAR',
    });
    const back = await engine.query(`SELECT id, CAST(big AS VARCHAR) AS big, price, flag, strftime(ts, '%Y-%m-%d %H:%M:%S') AS ts, d, name FROM read_parquet('${path}') ORDER BY id`);
    expect(back).toEqual([
      { id: 1, big: '9007199254740993', price: 19.99, flag: true, ts: '2018-01-02 03:04:05', d: '2018-01-02', name: '=HYPERLINK("x")' },
      { id: 2, big: null, price: null, flag: null, ts: null, d: null, name: null },
      { id: 3, big: '-5', price: 0.5, flag: false, ts: '2017-12-31 23:59:59', d: '2017-12-31', name: '<img src=x onerror=alert(1)>' },
    ]);
  });

  it('writes a table with no rows', async () => {
    const path = join(dir, 'empty.parquet');
    writeFileSync(path, writeParquetBytes([{ name: 'a', type: 'INTEGER' }, { name: 'b', type: 'VARCHAR' }], []));
    const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM read_parquet('${path}')`);
    expect(n).toBe(0);
  });
});
