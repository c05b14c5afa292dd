// Bad input: each becomes one specific issue naming the file, and the other files still come through.
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLoadSql, buildLoadSqlFallback } from '../../../src/core/ingest/prepare.ts';
import { sourceFromBytes, type SourceFile } from '../../../src/core/ingest/source.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { buildXlsx, collect, columnsOf, issuesOf, loadTable, rowsOf, tablesOf } from './helpers.ts';

let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

const src = (path: string, text: string) => sourceFromBytes(path, strToU8(text));
const good = () => src('good.csv', 'id,name\n1,a\n2,b\n');

describe('refused files', () => {
  it('reports each bad file with its own code and still yields the good one', async () => {
    const zip = zipSync({ 'a.csv': strToU8('x\n1\n'.repeat(200)) });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const results = await collect([
      sourceFromBytes('empty.csv', new Uint8Array(0)),
      src('blank.csv', '\n  \r\n'),
      sourceFromBytes('dump.csv', new Uint8Array([0x69, 0x64, 0x0a, 0x31, 0x00, 0x02, 0x0a])),
      sourceFromBytes('broken.zip', zip.subarray(0, zip.byteLength - 30)),
      sourceFromBytes('fake.xlsx', strToU8('not a workbook at all')),
      src('wide.csv', Array.from({ length: 1001 }, (_, i) => `c${i}`).join(',') + '\n' + '1,'.repeat(1000) + '1\n'),
      src('notes.dat', 'just some prose without any delimiter\nsecond line\n'),
      src('README.md', '# Export'),
      sourceFromBytes('logo.png', png),
      src('fake.parquet', 'id\n1\n'),
      good(),
    ]);
    expect(issuesOf(results).map((i) => [i.file, i.severity, i.code, i.line])).toEqual([
      ['empty.csv', 'error', 'EMPTY_FILE', undefined],
      ['blank.csv', 'error', 'EMPTY_FILE', undefined],
      ['dump.csv', 'error', 'BINARY_FILE', undefined],
      ['broken.zip', 'error', 'BAD_ZIP', undefined],
      ['fake.xlsx', 'error', 'BAD_ZIP', undefined],
      ['wide.csv', 'error', 'TOO_MANY_COLUMNS', 1],
      ['notes.dat', 'error', 'UNSUPPORTED_FORMAT', undefined],
      ['README.md', 'warning', 'UNSUPPORTED_FORMAT', undefined],
      ['logo.png', 'warning', 'UNSUPPORTED_FORMAT', undefined],
      ['fake.parquet', 'error', 'PARSE_ERROR', undefined],
    ]);
    for (const issue of issuesOf(results)) expect(issue.message).toContain(issue.file);
    expect(issuesOf(results).find((i) => i.code === 'TOO_MANY_COLUMNS')?.message).toContain('1001 columns');
    expect(tablesOf(results).map((t) => t.table)).toEqual(['good']);
  });

  it('refuses a file over maxFileBytes from its size, without reading it', async () => {
    const huge: SourceFile = {
      path: 'huge.csv',
      size: 3 * 1024 ** 3,
      bytes: () => Promise.reject(new Error('must not be read')),
      stream: () => {
        throw new Error('must not be streamed');
      },
    };
    const results = await collect([huge, good()]);
    expect(issuesOf(results)).toEqual([
      { severity: 'error', code: 'TOO_LARGE', file: 'huge.csv', message: 'huge.csv is 3072.0 MiB, over the 1024.0 MiB limit per file.' },
    ]);
    expect(tablesOf(results).length).toBe(1);
  });

  it('refuses a zip entry that unpacks past maxFileBytes and keeps its siblings', async () => {
    const zip = zipSync({ 'big.csv': strToU8('id\n' + '1\n'.repeat(5000)), 'small.csv': strToU8('id\n1\n') });
    const results = await collect([sourceFromBytes('z.zip', zip)], { maxFileBytes: 1000 });
    expect(issuesOf(results).map((i) => [i.code, i.file])).toEqual([['TOO_LARGE', 'z.zip/big.csv']]);
    expect(tablesOf(results).map((t) => t.file)).toEqual(['z.zip/small.csv']);
  });

  it('stops with an AbortError when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(collect([good()], { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('damaged but loadable tables', () => {
  it('loads ragged rows with null padding and warns with the first ragged line', async () => {
    const text = 'a,b,c\n1,"two\nlines",3\n4,5\n\n6,7,8,9\n10,11,12\n';
    const [t] = tablesOf(await collect([src('ragged.csv', text)]));
    expect(t.rows).toBe(4);
    expect(t.csv?.raggedRows).toBe(2);
    expect(t.warnings).toEqual([
      {
        severity: 'warning',
        code: 'RAGGED_ROWS',
        file: 'ragged.csv',
        line: 4,
        message:
          'ragged.csv: 2 rows have a different number of fields than the first line (3); the first is at line 4 with 2 fields. Missing fields are read as NULL. Rows longer than the first add columns after it (up to 4).',
      },
    ]);
    await loadTable(engine, t);
    expect(await rowsOf(engine, 'ragged', 'a')).toEqual([
      { a: 1, b: 'two\nlines', c: 3, column3: null },
      { a: 4, b: '5', c: null, column3: null },
      { a: 6, b: '7', c: 8, column3: 9 },
      { a: 10, b: '11', c: 12, column3: null },
    ]);
  });

  it('warns about duplicate and empty header names; the engine renames them', async () => {
    const [t] = tablesOf(await collect([src('dupes.csv', 'id,ID,,name\n1,2,3,x\n')]));
    expect(t.warnings.map((w) => [w.code, w.line])).toEqual([
      ['DUPLICATE_HEADER', 1],
      ['EMPTY_HEADER', 1],
    ]);
    expect(t.warnings[0].message).toContain('"id" ×2');
    expect(t.warnings[1].message).toContain('column 3 has no name');
    await loadTable(engine, t);
    expect((await columnsOf(engine, 'dupes')).length).toBe(4);
    expect((await rowsOf(engine, 'dupes')).length).toBe(1);
  });

  it('falls back to a lenient read when a value past the type sample breaks the strict load', async () => {
    const text = 'id,qty\n' + Array.from({ length: 30000 }, (_, i) => `${i},${i % 9}`).join('\n') + '\n30000,twelve\n';
    const [t] = tablesOf(await collect([src('late-text.csv', text)]));
    expect(t.rows).toBe(30001);
    await expect(loadTable(engine, t)).rejects.toThrow(/Could not convert|Conversion Error|convert/i);
    await loadTable(engine, t, buildLoadSqlFallback);
    const [{ n, texts }] = await engine.query<{ n: number; texts: number }>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE qty = 'twelve') AS texts FROM "late-text"`,
    );
    expect([n, texts]).toEqual([30001, 1]);
  });

  it('has no fallback for Parquet, and spells out the CSV dialect in SQL', async () => {
    const tsv = tablesOf(await collect([src('x.tsv', "it's\tb\n1\t2\n")]))[0];
    expect(buildLoadSql(tsv, 'v.csv')).toBe(
      `CREATE TABLE "x" AS SELECT * FROM read_csv('v.csv', delim='\t', quote='"', escape='"', header=true)`,
    );
    expect(buildLoadSqlFallback({ ...tsv, reader: 'parquet', format: 'parquet' }, 'v.parquet')).toBeNull();
  });

  it('reports an empty workbook and a workbook whose sheets are all blank', async () => {
    const blank = buildXlsx([{ name: 'S', rowsXml: '<row r="1"><c r="A1"/></row>' }], []);
    const results = await collect([sourceFromBytes('blank.xlsx', blank)]);
    expect(issuesOf(results).map((i) => [i.code, i.file])).toEqual([['EMPTY_FILE', 'blank.xlsx']]);
  });
});
