import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CsvPartCutter } from '../../../src/core/ingest/csv-parts.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Feeds `bytes` to a cutter in chunks of `chunk` bytes (a File's stream gives 64 KiB pieces). */
function cut(bytes: Uint8Array, partBytes: number, header = true, chunk = 7): Uint8Array[] {
  const cutter = new CsvPartCutter(partBytes, '"', header);
  const out: Uint8Array[] = [];
  for (let at = 0; at < bytes.byteLength; at += chunk) {
    const part = cutter.push(bytes.subarray(at, at + chunk));
    if (part) out.push(part);
  }
  const last = cutter.finish();
  if (last) out.push(last);
  return out;
}

async function partsOf(bytes: Uint8Array, partBytes: number, header = true, chunk = 7): Promise<string[]> {
  return cut(bytes, partBytes, header, chunk).map((p) => dec.decode(p));
}

/** The parts joined back, each later part's repeated header dropped. */
function rejoin(parts: string[], header: string): string {
  return parts.map((p, i) => (i === 0 ? p : p.slice(header.length))).join('');
}

describe('CsvPartCutter', () => {
  it('keeps a small file whole', async () => {
    expect(await partsOf(enc.encode('a,b\n1,2\n'), 1024)).toEqual(['a,b\n1,2\n']);
  });

  it('cuts only after newlines outside quoted fields and repeats the header in every part', async () => {
    const header = 'id,review\n';
    const text = header + Array.from({ length: 200 }, (_, i) => `${i},"line one\nline ""two"", ${i}\nthree"\n`).join('');
    const parts = await partsOf(enc.encode(text), 100);
    expect(parts.length).toBeGreaterThan(10);
    expect(rejoin(parts, header)).toBe(text);
    for (const p of parts.slice(1)) expect(p).toMatch(/^id,review\n\d+,"line one\n/);
    for (const p of parts) expect(p.endsWith('three"\n')).toBe(true);
  });

  it('repeats nothing when the file has no header, and keeps a last record without a newline', async () => {
    const text = Array.from({ length: 50 }, (_, i) => `${i},x`).join('\n');
    const parts = await partsOf(enc.encode(text), 40, false);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.join('')).toBe(text);
  });

  it('cuts the real Olist reviews (quoted multi-line comments) into parts holding whole records', async () => {
    const bytes = new Uint8Array(readFileSync('../shared/data/olist/olist_order_reviews_dataset.csv'));
    const header = dec.decode(bytes.subarray(0, bytes.indexOf(10) + 1));
    const parts = await partsOf(bytes, 200 * 1024, true, 65536);
    expect(parts.length).toBeGreaterThan(3);
    expect(rejoin(parts, header)).toBe(dec.decode(bytes));
    for (const part of parts.slice(1)) {
      // Review ids are 32 hex characters in quotes at the start of each record.
      expect(part.slice(header.length)).toMatch(/^"?[0-9a-f]{32}"?,/);
      expect((part.match(/"/g) ?? []).length % 2).toBe(0);
    }
  });

  it('reads on past the part size while a quoted field stays open', async () => {
    const text = 'a,b\n1,"' + 'long\n'.repeat(40) + '"\n2,y\n';
    const parts = await partsOf(enc.encode(text), 16);
    // The first part holds the header and the whole long record (never the header alone: the
    // engine takes column types from the first part).
    expect(parts[0].startsWith('a,b\n1,"' + 'long\n'.repeat(40) + '"\n')).toBe(true);
    expect(rejoin(parts, 'a,b\n')).toBe(text);
  });

  it('never hands out a view of the input: each part owns its buffer (the engine may take it)', () => {
    const bytes = enc.encode('a,b\n' + '1,2\n'.repeat(100));
    for (const p of cut(bytes, 64, true, 1 << 20)) {
      expect(p.buffer).not.toBe(bytes.buffer);
      structuredClone(p.buffer, { transfer: [p.buffer as ArrayBuffer] });
    }
    expect(bytes.byteLength).toBe(404);
  });
});
