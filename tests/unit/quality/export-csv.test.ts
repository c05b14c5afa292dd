// CSV export: formula injection escaped, HTML kept as inert text, RFC 4180 quoting, read back intact.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeCsvCell, exportCsv, exportParquet, exportRelationCsv } from '../../../src/core/quality/export-csv.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

let engine: DuckDbNodeEngine;
const dir = mkdtempSync(join(tmpdir(), 'stocktake-export-'));
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => {
  engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('escapeCsvCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
    ['<img src=x onerror=alert(1)>', '<img src=x onerror=alert(1)>'],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['plain', 'plain'],
  ])('%j → %j', (input, out) => expect(escapeCsvCell(input)).toBe(out));

  it('keeps numbers numeric and nulls empty', () => {
    expect(escapeCsvCell(-5)).toBe('-5');
    expect(escapeCsvCell(null)).toBe('');
  });
});

describe('exported files', () => {
  it('a malicious table reads back as the escaped text, CRLF lines, no cell a formula', async () => {
    await engine.query(`CREATE TABLE evil AS SELECT * FROM (VALUES (1, '=HYPERLINK("http://evil.example","click")'), (2, '<img src=x onerror=alert(1)>'), (3, 'ok, fine')) t(id, title)`);
    const csv = await exportRelationCsv(engine, 'evil');
    expect(csv.split('\r\n')[0]).toBe('id,title');
    const path = join(dir, 'evil.csv');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, csv);
    const back = await engine.query<{ id: number; title: string }>(`SELECT * FROM read_csv('${path}', header = true, all_varchar = true) ORDER BY id`);
    expect(back.map((r) => r.title)).toEqual([`'=HYPERLINK("http://evil.example","click")`, '<img src=x onerror=alert(1)>', 'ok, fine']);
    for (const r of back) expect(r.title).not.toMatch(/^[=+\-@]/);
  });

  it('writes Parquet through the engine', async () => {
    const path = join(dir, 'evil.parquet');
    await exportParquet(engine, 'evil', path);
    expect(readFileSync(path).subarray(0, 4).toString()).toBe('PAR1');
    const rows = await engine.query(`SELECT count(*) AS n FROM read_parquet('${path}')`);
    expect(rows[0].n).toBe(3);
  });

  it('builds CSV from plain rows', () => {
    expect(exportCsv(['a', 'b'], [{ a: 1, b: '=1' }, { a: null, b: 'x"y' }])).toBe(`a,b\r\n1,'=1\r\n,"x""y"\r\n`);
  });
});
