// Encodings: BOMs, UTF-16, GB18030/GBK without a BOM, invalid UTF-8 with its position, progress.
import { strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import type { ProgressEvent } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { bytesOf, collect, encodeGbk, encodeUtf16, issuesOf, loadTable, rowsOf, tablesOf } from './helpers.ts';

let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

const csv = 'id,城市,备注\n1,北京,"好评, 很快"\n2,上海,一般\n3,São Paulo,ok\n';
const utf8 = strToU8(csv);
const decode = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(b);

describe('byte-order marks', () => {
  it.each([
    ['utf-8-bom', new Uint8Array([0xef, 0xbb, 0xbf, ...utf8])],
    ['utf-16le', encodeUtf16(csv, 'le')],
    ['utf-16be', encodeUtf16(csv, 'be')],
  ] as const)('%s is stripped and transcoded to plain UTF-8', async (encoding, bytes) => {
    const [t] = tablesOf(await collect([sourceFromBytes(`cities-${encoding}.csv`, bytes)]));
    expect(t).toMatchObject({ encoding, format: 'csv', bytes: bytes.byteLength, rows: 3 });
    expect(decode(await bytesOf(t))).toBe(csv);
    await loadTable(engine, t);
    const rows = await rowsOf(engine, t.table, 'id');
    expect(rows.map((r) => r['城市'])).toEqual(['北京', '上海', 'São Paulo']);
    expect(rows[0]['备注']).toBe('好评, 很快');
  });
});

describe('Chinese without a BOM', () => {
  const chinese = 'id,城市,评价\n1,北京,很好很快\n2,上海,质量一般\n3,广州,物流太慢了\n';

  it('reads GBK bytes as GB18030 and transcodes them', async () => {
    const gbk = encodeGbk(chinese);
    expect(() => decode(gbk)).toThrow(); // really not UTF-8
    const [res] = await collect([sourceFromBytes('reviews.csv', gbk)]);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(res.table.encoding).toBe('gb18030');
    expect(res.table.warnings.map((w) => w.code)).toEqual(['ENCODING_GUESSED']);
    expect(decode(await bytesOf(res.table))).toBe(chinese);
    await loadTable(engine, res.table);
    expect((await rowsOf(engine, 'reviews', 'id')).map((r) => r['评价'])).toEqual(['很好很快', '质量一般', '物流太慢了']);
  });

  it('finds GBK past a long ASCII head (the UTF-8 pass fails late, then GB18030 is tried)', async () => {
    const ascii = 'id,name\n' + Array.from({ length: 20000 }, (_, i) => `${i},item${i}`).join('\n') + '\n';
    const bytes = new Uint8Array([...strToU8(ascii), ...encodeGbk('20000,北京烤鸭\n')]);
    const [t] = tablesOf(await collect([sourceFromBytes('late.csv', bytes)]));
    expect(t.encoding).toBe('gb18030');
    expect(t.rows).toBe(20001);
    expect(decode(await bytesOf(t)).endsWith('20000,北京烤鸭\n')).toBe(true);
  });
});

describe('invalid UTF-8', () => {
  it('names the line and byte offset of the first bad byte when the file is UTF-8 with damage', async () => {
    const good = 'id,city\n1,São Paulo\n2,Brasília\n'.repeat(10); // plenty of valid multi-byte UTF-8
    const prefix = strToU8(good + '21,Goi');
    const bytes = new Uint8Array([...prefix, 0xe2, 0x6e, 0x69, 0x61, 0x0a, ...strToU8('22,x\n')]); // Latin-1 â
    const results = await collect([sourceFromBytes('cities.csv', bytes)]);
    expect(issuesOf(results)).toEqual([
      {
        severity: 'error',
        code: 'INVALID_UTF8',
        file: 'cities.csv',
        line: good.split('\n').length,
        message: `cities.csv is not valid UTF-8: first bad byte at line 31, byte offset ${prefix.byteLength}. Re-save it as UTF-8 (GB18030 Chinese is also read).`,
      },
    ]);
  });

  it('refuses Latin-1 text that GB18030 cannot read either, and finds bad bytes across chunk edges', async () => {
    // The bad byte sits just past the first 1 MiB chunk, after a 3-byte character split by the edge.
    const filler = 'a'.repeat((1 << 20) - 2 - 9) + '\n';
    const bytes = new Uint8Array([...strToU8('id,name\n' + filler + '中'), ...strToU8(',caf'), 0xe9, ...strToU8(',x\n')]);
    const [issue] = issuesOf(await collect([sourceFromBytes('latin.csv', bytes)]));
    expect(issue).toMatchObject({ code: 'INVALID_UTF8', line: 3 });
    expect(issue.message).toContain(`byte offset ${bytes.byteLength - 4}`);
  });
});

describe('progress', () => {
  it('reports reads as chunks pass, at most ~20 per file, ending at the total', async () => {
    const text = 'id,v\n' + Array.from({ length: 400000 }, (_, i) => `${i},${i % 7}`).join('\n') + '\n';
    const bytes = strToU8(text);
    const events: ProgressEvent[] = [];
    const [t] = tablesOf(await collect([sourceFromBytes('big.csv', bytes)], { onProgress: (e) => events.push(e) }));
    expect(t.rows).toBe(400000);
    const reads = events.filter((e) => e.kind === 'read');
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.length).toBeLessThanOrEqual(21);
    expect(reads.at(-1)).toEqual({ kind: 'read', file: 'big.csv', bytes: bytes.byteLength, total: bytes.byteLength });
  });

  it('hands plain UTF-8 over the memory budget as its source, but transcodes UTF-16 into bytes', async () => {
    const plain = sourceFromBytes('plain.csv', utf8);
    const wide = sourceFromBytes('wide.csv', encodeUtf16(csv, 'le'));
    const [a, b] = tablesOf(await collect([plain, wide], { streamBytes: 16, memoryBudget: 16 }));
    expect(a.data).toEqual({ kind: 'source', source: plain });
    expect(a.rows).toBe(3);
    expect(b.data.kind).toBe('bytes');
    expect(decode(await bytesOf(b))).toBe(csv);
    await loadTable(engine, a);
    expect((await rowsOf(engine, 'plain', 'id')).length).toBe(3);
  });
});
