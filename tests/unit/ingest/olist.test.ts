// The real Olist export (9 CSVs from ../shared/data) prepared and loaded into native DuckDB: row
// counts checked against an independent RFC 4180 count of each file.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { CsvScanner } from '../../../src/core/ingest/csv-dialect.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { collect, countCsvRecords, issuesOf, loadTable, tablesOf } from './helpers.ts';

const dir = resolve(process.cwd(), '../shared/data/olist');

let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

describe('olist', () => {
  it('prepares and loads all 9 tables with the exact row counts', async () => {
    // Missing shared data must fail loudly, never skip.
    expect(statSync(dir).isDirectory()).toBe(true);
    const names = readdirSync(dir).filter((f) => f.endsWith('.csv')).sort();
    expect(names.length).toBe(9);
    const sources = names.map((f) => sourceFromBytes(`olist/${f}`, new Uint8Array(readFileSync(join(dir, f)))));
    const results = await collect(sources);
    expect(issuesOf(results)).toEqual([]);
    const tables = tablesOf(results);
    expect(tables.map((t) => t.table)).toEqual(names.map((f) => f.replace(/\.csv$/, '')));
    for (const t of tables) {
      const expected = countCsvRecords(readFileSync(join(dir, t.file.slice('olist/'.length)), 'utf8'));
      expect(t).toMatchObject({ format: 'csv', encoding: 'utf-8', reader: 'csv', warnings: [] });
      expect(t.csv).toMatchObject({ delimiter: ',', header: true, raggedRows: 0 });
      expect(t.rows, t.table).toBe(expected);
      await loadTable(engine, t);
      const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM "${t.table}"`);
      expect(n, t.table).toBe(expected);
    }
    const [{ n: orders }] = await engine.query<{ n: number }>('SELECT count(DISTINCT order_id) AS n FROM olist_orders_dataset');
    expect(orders).toBe(tables.find((t) => t.table === 'olist_orders_dataset')!.rows);
  });

  it('scans the same counts whatever the chunk boundaries (reviews hold quoted newlines)', () => {
    const bytes = new Uint8Array(readFileSync(join(dir, 'olist_order_reviews_dataset.csv')));
    const whole = new CsvScanner(',', '"', true);
    whole.push(bytes);
    const expected = whole.finish();
    expect(expected.lines).toBeGreaterThan(expected.rows + 1); // some records span lines
    for (const size of [1, 7, 4096]) {
      const s = new CsvScanner(',', '"', true);
      for (let i = 0; i < bytes.length; i += size) s.push(bytes.subarray(i, i + size));
      expect(s.finish()).toEqual(expected);
    }
  });
});
