// Every supported format through prepareSources and into native DuckDB with buildLoadSql.
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { buildXlsx, collect, columnsOf, issuesOf, loadTable, rowsOf, tablesOf, writeParquet } from './helpers.ts';

let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

const src = (path: string, text: string) => sourceFromBytes(path, strToU8(text));

describe('text formats', () => {
  it('reads a semicolon CSV whose quoted fields hold delimiters, quotes and newlines', async () => {
    const text =
      'order_id;note;amount\n' +
      '1;"a; b";10,5\n' +
      '2;"line one\nline two";7\n' +
      '3;"she said ""hi""";3\n';
    const [res] = await collect([src('shop/orders.csv', text)]);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const t = res.table;
    expect(t).toMatchObject({ table: 'orders', file: 'shop/orders.csv', format: 'csv', encoding: 'utf-8', reader: 'csv', rows: 3 });
    expect(t.csv).toMatchObject({ delimiter: ';', quote: '"', header: true, columns: 3, raggedRows: 0 });
    expect(t.warnings).toEqual([]);
    await loadTable(engine, t);
    expect((await columnsOf(engine, 'orders')).map((c) => c.name)).toEqual(['order_id', 'note', 'amount']);
    const rows = await rowsOf(engine, 'orders', 'order_id');
    expect(rows.map((r) => r.note)).toEqual(['a; b', 'line one\nline two', 'she said "hi"']);
    expect(rows.map((r) => r.amount)).toEqual(['10,5', '7', '3']);
  });

  it('reads TSV by extension and by tab-dominant content', async () => {
    const text = 'sku\tname\tprice\nA-1\tMug, blue\t4.5\nB-2\tPlate\t3\n';
    const results = await collect([src('items.tsv', text), src('export.txt', text)]);
    const [a, b] = tablesOf(results);
    expect(a).toMatchObject({ table: 'items', format: 'tsv', reader: 'csv', rows: 2 });
    expect(b).toMatchObject({ table: 'export', format: 'tsv', reader: 'csv', rows: 2 });
    expect(a.csv?.delimiter).toBe('\t');
    await loadTable(engine, a);
    expect(await rowsOf(engine, 'items', 'sku')).toEqual([
      { sku: 'A-1', name: 'Mug, blue', price: 4.5 },
      { sku: 'B-2', name: 'Plate', price: 3 },
    ]);
  });

  it('reads a JSON array and JSON Lines', async () => {
    const array = JSON.stringify([
      { id: 1, city: 'São Paulo', tags: ['a'] },
      { id: 2, city: '上海', tags: [] },
    ]);
    const lines = '{"id":1,"ok":true}\n{"id":2,"ok":false}\n{"id":3,"ok":null}\n';
    const results = await collect([src('cities.json', array), src('events.jsonl', lines), src('events2.json', lines)]);
    const [a, b, c] = tablesOf(results);
    // JSON reaches the engine as CSV (DuckDB-WASM has no json extension offline); nested values as JSON text.
    expect(a).toMatchObject({ table: 'cities', format: 'json', reader: 'csv' });
    expect(b).toMatchObject({ table: 'events', format: 'jsonl', reader: 'csv' });
    expect(c).toMatchObject({ table: 'events2', format: 'jsonl', reader: 'csv' });
    await loadTable(engine, a);
    expect(await rowsOf(engine, 'cities', 'id')).toEqual([
      { id: 1, city: 'São Paulo', tags: '["a"]' },
      { id: 2, city: '上海', tags: '[]' },
    ]);
    await loadTable(engine, b);
    expect(await rowsOf(engine, 'events', 'id')).toEqual([
      { id: 1, ok: true },
      { id: 2, ok: false },
      { id: 3, ok: null },
    ]);
  });

  it('tells a headerless CSV from one with a header', async () => {
    const noHeader = '1,2268318,pv,1511544070\n1,2333346,buy,1511561733\n2,2576651,pv,1511572885\n';
    const [t] = tablesOf(await collect([src('behaviour.csv', noHeader)]));
    expect(t.csv?.header).toBe(false);
    expect(t.rows).toBe(3);
    await loadTable(engine, t);
    expect((await columnsOf(engine, 'behaviour')).map((c) => c.name)).toEqual(['column0', 'column1', 'column2', 'column3']);
    expect((await rowsOf(engine, 'behaviour')).length).toBe(3);
  });
});

describe('parquet', () => {
  it('reads Parquet in JavaScript and hands the engine CSV', async () => {
    const bytes = await writeParquet(engine, "SELECT range AS id, 'sku-' || range AS sku, range * 1.5 AS price FROM range(5)");
    const results = await collect([sourceFromBytes('data/products.parquet', bytes), sourceFromBytes('products-no-ext', bytes)]);
    const [a, b] = tablesOf(results);
    expect(a).toMatchObject({ table: 'products', format: 'parquet', encoding: 'binary', reader: 'csv', bytes: bytes.byteLength });
    expect(b).toMatchObject({ table: 'products-no-ext', format: 'parquet' });
    await loadTable(engine, a);
    const rows = await rowsOf(engine, 'products', 'id');
    expect(rows.map((r) => r.sku)).toEqual(['sku-0', 'sku-1', 'sku-2', 'sku-3', 'sku-4']);
    expect(rows.map((r) => Number(r.price))).toEqual([0, 1.5, 3, 4.5, 6]);
  });
});

describe('xlsx', () => {
  const shared = ['order_id', 'customer', 'amount', 'paid', 'created', 'Tom &amp; Jerry', 'a &lt; b', '张三', 'note'];
  // Row 3 has a gap at B; row 4 skips C and D; a rich-text inline string; a formula string; an
  // error cell; a date (style 1 = numFmt 14) and a date-time (style 2 = custom yyyy-mm-dd hh:mm).
  const orders =
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>8</v></c></row>' +
    '<row r="2"><c r="A2"><v>1001</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>19.9</v></c><c r="D2" t="b"><v>1</v></c><c r="E2" s="1"><v>45356</v></c><c r="F2" t="inlineStr"><is><r><t>multi</t></r><r><t xml:space="preserve"> run, "quoted"</t></r></is></c></row>' +
    '<row r="3"><c r="A3"><v>1002</v></c><c r="C3"><v>5</v></c><c r="D3" t="b"><v>0</v></c><c r="E3" s="2"><v>45356.5</v></c><c r="F3" t="str"><v>line1&#10;line2</v></c></row>' +
    '<row r="5"><c r="A5"><v>1003</v></c><c r="B5" t="s"><v>7</v></c><c r="E5" s="1"><v>45357</v></c><c r="F5" t="e"><v>#N/A</v></c></row>';
  const refunds =
    '<row r="1"><c r="B1" t="inlineStr"><is><t>order_id</t></is></c><c r="C1" t="inlineStr"><is><t>reason</t></is></c></row>' +
    '<row r="2"><c r="B2"><v>1002</v></c><c r="C2" t="s"><v>6</v></c></row>';

  it('turns each non-empty sheet into a CSV table named stem.sheet', async () => {
    const bytes = buildXlsx(
      [
        { name: 'Orders', rowsXml: orders },
        { name: 'Refunds &amp; Returns', rowsXml: refunds },
        { name: 'Empty', rowsXml: '<row r="1"/>' },
      ],
      shared,
    );
    const results = await collect([sourceFromBytes('reports/book.xlsx', bytes)]);
    expect(issuesOf(results)).toEqual([]);
    const [a, b, ...rest] = tablesOf(results);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ table: 'book.Orders', sheet: 'Orders', file: 'reports/book.xlsx', format: 'xlsx', reader: 'csv', encoding: 'utf-8', rows: 3, bytes: bytes.byteLength });
    expect(b).toMatchObject({ table: 'book.Refunds & Returns', sheet: 'Refunds & Returns', rows: 1 });
    expect(a.csv).toMatchObject({ delimiter: ',', header: true, columns: 6 });
    expect(new TextDecoder().decode(a.data.kind === 'bytes' ? a.data.bytes : new Uint8Array())).toBe(
      'order_id,customer,amount,paid,created,note\n' +
        '1001,Tom & Jerry,19.9,true,2024-03-05,"multi run, ""quoted"""\n' +
        '1002,,5,false,2024-03-05 12:00:00,"line1\nline2"\n' +
        '1003,张三,,,2024-03-06,\n',
    );
    await loadTable(engine, a);
    const cols = await columnsOf(engine, 'book.Orders');
    expect(cols.map((c) => c.name)).toEqual(['order_id', 'customer', 'amount', 'paid', 'created', 'note']);
    expect(cols.find((c) => c.name === 'paid')?.type).toBe('BOOLEAN');
    const rows = await rowsOf(engine, 'book.Orders', 'order_id');
    expect(rows.map((r) => r.customer)).toEqual(['Tom & Jerry', null, '张三']);
    expect(rows.map((r) => r.paid)).toEqual([true, false, null]);
    await loadTable(engine, b);
    expect(await rowsOf(engine, 'book.Refunds & Returns')).toEqual([{ order_id: 1002, reason: 'a < b' }]);
  });

  it('reads rich-text shared strings without their phonetic runs', async () => {
    const sharedXml =
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>name</t></si>' +
      '<si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si><si><t/></si></sst>';
    const rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row><row r="3"><c r="A3" t="s"><v>2</v></c></row><row r="4"><c r="A4"><v>7</v></c></row>';
    const [t] = tablesOf(await collect([sourceFromBytes('rich.xlsx', buildXlsx([{ name: 'S', rowsXml: rows }], [], { sharedXml }))]));
    expect(new TextDecoder().decode(t.data.kind === 'bytes' ? t.data.bytes : undefined)).toBe('name\nBold and plain\n7\n');
  });
});

describe('zip', () => {
  it('expands folders and one nested zip, skipping macOS metadata and documents with warnings', async () => {
    const inner = zipSync({ 'deep.csv': strToU8('k,v\n1,x\n2,y\n') });
    const zip = zipSync({
      'shop/orders.csv': strToU8('id,total\n1,9.5\n2,3\n3,4\n'),
      'shop/sub/items.tsv': strToU8('id\tsku\n1\tA\n'),
      'shop/README.md': strToU8('# notes'),
      'shop/.DS_Store': new Uint8Array([0, 0, 0, 1]),
      '__MACOSX/shop/._orders.csv': new Uint8Array([0, 5, 22, 7]),
      'shop/inner.zip': inner,
      'shop/': new Uint8Array(0),
    });
    const results = await collect([sourceFromBytes('export.zip', zip)]);
    const tables = tablesOf(results);
    expect(tables.map((t) => [t.table, t.file, t.format])).toEqual([
      ['deep', 'export.zip/shop/inner.zip/deep.csv', 'csv'],
      ['orders', 'export.zip/shop/orders.csv', 'csv'],
      ['items', 'export.zip/shop/sub/items.tsv', 'tsv'],
    ]);
    const issues = issuesOf(results);
    expect(issues.map((i) => [i.severity, i.code, i.file])).toEqual([
      ['warning', 'UNSUPPORTED_FORMAT', 'export.zip/shop/README.md'],
      ['warning', 'UNSUPPORTED_FORMAT', 'export.zip/shop/.DS_Store'],
      ['warning', 'UNSUPPORTED_FORMAT', 'export.zip/__MACOSX/shop/._orders.csv'],
    ]);
    await loadTable(engine, tables[1]);
    expect(await rowsOf(engine, 'orders', 'id')).toEqual([
      { id: 1, total: 9.5 },
      { id: 2, total: 3 },
      { id: 3, total: 4 },
    ]);
  });

  it('gives repeated stems unique table names, case-insensitively', async () => {
    const results = await collect([
      src('a/orders.csv', 'x\n1\n'),
      src('b/Orders.csv', 'x\n2\n'),
      src('c/orders.json', '[{"x":3}]'),
    ]);
    expect(tablesOf(results).map((t) => t.table)).toEqual(['orders', 'Orders_2', 'orders_3']);
  });
});
