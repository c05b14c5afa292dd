// The whole inventory path on real and generated exports, through native DuckDB: the same code the
// browser worker runs with DuckDB-WASM.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { buildInventory, guessDatasetName } from '../../../src/core/inventory/build-inventory.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadSourcesFromArgs } from '../../../src/cli/sources.ts';
import { recordingEngine } from './recording-engine.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');

let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

describe('buildInventory on Olist', () => {
  let inv: Inventory;
  beforeAll(async () => {
    inv = (await buildInventory(loadSourcesFromArgs([olistDir]), engine)).inventory;
  });

  it('profiles all nine tables with the row counts an independent reader finds', async () => {
    const files = readdirSync(olistDir).filter((f) => f.endsWith('.csv'));
    expect(inv.tables).toHaveLength(9);
    expect(inv.import.name).toBe('olist');
    expect(inv.import.status).toBe('complete');
    for (const f of files) {
      const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER n FROM read_csv('${join(olistDir, f)}')`);
      expect(inv.tables.find((t) => t.name === f.replace('.csv', ''))?.rowCount, f).toBe(n);
    }
  });

  it('infers the product and order foreign keys with exact orphan counts', async () => {
    const fk = inv.relations.find((r) => r.fromTable === 'olist_order_items_dataset' && r.fromColumn === 'product_id');
    expect(fk).toMatchObject({ toTable: 'olist_products_dataset', toColumn: 'product_id' });
    const [{ orphans }] = await engine.query<{ orphans: number }>(
      `SELECT count(*)::INTEGER orphans FROM olist_order_items_dataset i WHERE NOT EXISTS (SELECT 1 FROM olist_products_dataset p WHERE p.product_id = i.product_id)`,
    );
    expect(fk!.orphanRows).toBe(orphans);
    expect(inv.relations.some((r) => r.fromTable === 'olist_orders_dataset' && r.fromColumn === 'customer_id' && r.toTable === 'olist_customers_dataset')).toBe(true);
  });

  it('profiles every column of every table', () => {
    for (const t of inv.tables) expect(inv.columns.filter((c) => c.table === t.name)).toHaveLength(t.columnCount);
  });
});

describe('buildInventory streaming large CSVs in record-aligned parts', () => {
  it('gives the same tables and column profiles as a whole-file load (reviews hold quoted newlines)', async () => {
    const files = ['olist_order_reviews_dataset.csv', 'olist_geolocation_dataset.csv', 'olist_orders_dataset.csv'];
    const sources = () => files.map((f) => sourceFromBytes(`olist/${f}`, new Uint8Array(readFileSync(join(olistDir, f)))));
    const whole = (await buildInventory(sources(), engine, { importId: 'whole' })).inventory;
    const { engine: spy, registered, sql } = recordingEngine(engine);
    // Streamed above 512 KiB in 256 KiB parts (gathered from 1 MiB stream chunks): 2–3 parts per file,
    // each its own group, so every file is one CREATE and one or two INSERTs with the table's types.
    const parts = (await buildInventory(sources(), spy, { importId: 'whole', streamBytes: 512 * 1024, partBytes: 256 * 1024, groupBytes: 256 * 1024 })).inventory;
    // Every file went in as parts, none whole (parts that failed would have fallen back to a whole load).
    expect(registered.every((n) => /^stocktake-part-\d+\.csv$/.test(n))).toBe(true);
    expect(registered.length).toBeGreaterThanOrEqual(files.length * 2);
    // Later groups were appended with the first group's column types.
    expect(sql.filter((q) => /^INSERT INTO "__stocktake_staging_\d+" .*auto_detect=false, columns=\{/.test(q)).length).toBeGreaterThanOrEqual(files.length);
    expect(parts.tables.map((t) => [t.name, t.rowCount, t.columnCount, t.primaryKey])).toEqual(whole.tables.map((t) => [t.name, t.rowCount, t.columnCount, t.primaryKey]));
    expect(parts.import.issues).toEqual(whole.import.issues);
    expect(parts.columns).toEqual(whole.columns);
  });

  it('falls back to a whole-file read when a later part does not fit the first part’s types, losing no row', async () => {
    const text = 'id,v\n' + Array.from({ length: 40_000 }, (_, i) => `${i},${i === 39_999 ? 'n/a-late' : i % 97}`).join('\n') + '\n';
    const { engine: spy, registered } = recordingEngine(engine);
    const { inventory } = await buildInventory([sourceFromBytes('late.csv', new TextEncoder().encode(text))], spy, { streamBytes: 64 * 1024, partBytes: 64 * 1024, groupBytes: 64 * 1024 });
    // Parts were tried first, then the file went in whole.
    expect(registered.some((n) => /^stocktake-part-/.test(n))).toBe(true);
    expect(registered.at(-1)).not.toMatch(/^stocktake-part-/);
    expect(inventory.tables[0].rowCount).toBe(40_000);
    expect(inventory.columns.find((c) => c.name === 'v')?.physicalType).toBe('varchar');
  });

  it('drops the parts and groups already handed to the engine when a bad byte turns up late in the file', async () => {
    const good = 'id,name\n' + Array.from({ length: 200_000 }, (_, i) => `${i},商品名称${i}`).join('\n') + '\n';
    const bytes = new Uint8Array([...new TextEncoder().encode(good), 0x39, 0x2c, 0xff, 0x0a]);
    const { engine: spy, registered, dropped } = recordingEngine(engine);
    const { inventory } = await buildInventory([sourceFromBytes('late-bad.csv', bytes)], spy, { streamBytes: 64 * 1024, partBytes: 64 * 1024, groupBytes: 64 * 1024 });
    expect(inventory.import.issues.map((i) => i.code)).toEqual(['INVALID_UTF8']);
    const parts = registered.filter((n) => n.startsWith('stocktake-part-'));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(dropped).toEqual(expect.arrayContaining(parts));
    // The groups already loaded went with them.
    const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER n FROM duckdb_tables() WHERE table_name LIKE '__stocktake_staging%'`);
    expect(n).toBe(0);
  });
});

describe('buildInventory with bad files beside good ones', () => {
  it('reports each bad file and still profiles the good ones', async () => {
    const enc = new TextEncoder();
    const good = readFileSync(join(olistDir, 'olist_sellers_dataset.csv'));
    const zip = zipSync({ 'shop/sellers.csv': new Uint8Array(good) });
    const sources = [
      sourceFromBytes('export/empty.csv', new Uint8Array(0)),
      sourceFromBytes('export/image.csv', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3])),
      sourceFromBytes('export/broken.zip', zip.subarray(0, zip.length / 2)),
      sourceFromBytes('export/ok.csv', enc.encode('a,b\n1,x\n2,y\n')),
    ];
    const { inventory } = await buildInventory(sources, engine);
    expect(inventory.import.status).toBe('partial');
    expect(inventory.tables.map((t) => t.name)).toEqual(['ok']);
    const codes = Object.fromEntries(inventory.import.issues.filter((i) => i.severity === 'error').map((i) => [i.file, i.code]));
    expect(codes).toEqual({ 'export/empty.csv': 'EMPTY_FILE', 'export/image.csv': 'BINARY_FILE', 'export/broken.zip': 'BAD_ZIP' });
    for (const i of inventory.import.issues) expect(i.message).toContain(i.file.split('/').pop()!);
  });
});

describe('ragged rows in a file too large for the JS scan', () => {
  it('are caught by the strict read and loaded by the lenient retry, with a warning naming the line', async () => {
    // Past DuckDB's 20,480-row sniffing sample, so the strict read (not the sniffer) meets the short row.
    let text = 'id,name,price\n';
    for (let i = 0; i < 30_000; i++) text += `${i},n${i},${i}.5\n`;
    text += '30000,short\n30001,y,1.0\n';
    const bytes = new TextEncoder().encode(text);
    const { inventory } = await buildInventory([sourceFromBytes('big/ragged.csv', bytes)], engine, { scanBytesLimit: 0 });
    const [table] = inventory.tables;
    expect(table.rowCount).toBe(30_002);
    const warning = table.issues.find((i) => i.code === 'RAGGED_ROWS');
    expect(warning).toMatchObject({ severity: 'warning', line: 30_002 });
    expect(warning?.message).toContain('big/ragged.csv');
    // With the scan (files under the limit), ingest finds the same line itself before the load.
    const scanned = (await buildInventory([sourceFromBytes('small/ragged.csv', bytes)], engine)).inventory;
    expect(scanned.tables[0].issues.find((i) => i.code === 'RAGGED_ROWS')?.line).toBe(30_002);
  });
});

describe('guessDatasetName', () => {
  it('uses the shared folder, else the first file stem', () => {
    expect(guessDatasetName(['olist/a.csv', 'olist/b.csv'])).toBe('olist');
    expect(guessDatasetName(['orders.csv', 'items.csv'])).toBe('orders');
    expect(guessDatasetName(['shop.zip'])).toBe('shop');
    expect(guessDatasetName(['olist_orders_dataset.csv', 'olist_items_dataset.csv'])).toBe('olist');
    expect(guessDatasetName(['a/x.csv', 'b/y.csv'])).toBe('x');
    expect(guessDatasetName([])).toBe('');
  });
});
