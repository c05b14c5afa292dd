import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findCsvSliceEnds } from '../../../src/core/ingest/csv-slices.ts';

const enc = new TextEncoder();
const dec = new TextDecoder();

function slices(bytes: Uint8Array, ends: number[]): string[] {
  let start = 0;
  return ends.map((end) => {
    const s = dec.decode(bytes.subarray(start, end));
    start = end;
    return s;
  });
}

describe('findCsvSliceEnds', () => {
  it('keeps a small file whole', () => {
    const bytes = enc.encode('a,b\n1,2\n');
    expect(findCsvSliceEnds(bytes, 1024)).toEqual([bytes.length]);
  });

  it('cuts only after newlines outside quoted fields', () => {
    const text = 'id,review\n' + Array.from({ length: 200 }, (_, i) => `${i},"line one\nline ""two"", ${i}\nthree"\n`).join('');
    const bytes = enc.encode(text);
    const ends = findCsvSliceEnds(bytes, 100);
    expect(ends.length).toBeGreaterThan(10);
    expect(ends.at(-1)).toBe(bytes.length);
    const parts = slices(bytes, ends);
    expect(parts.join('')).toBe(text);
    // Every slice after the header slice starts on a record: `<digits>,"`.
    for (const p of parts.slice(1)) expect(p).toMatch(/^\d+,"line one\n/);
  });

  it('cuts the real Olist reviews (quoted multi-line comments) into slices holding whole records', () => {
    const bytes = new Uint8Array(readFileSync('../shared/data/olist/olist_order_reviews_dataset.csv'));
    const ends = findCsvSliceEnds(bytes, 200 * 1024);
    expect(ends.length).toBeGreaterThan(3);
    for (const part of slices(bytes, ends).slice(1)) {
      // Review ids are 32 hex characters in quotes at the start of each record.
      expect(part).toMatch(/^"?[0-9a-f]{32}"?,/);
      expect((part.match(/"/g) ?? []).length % 2).toBe(0);
    }
  });

  it('gives up cutting (one slice) when no newline closes a record after the target', () => {
    const bytes = enc.encode('a,b\n"open quote never closed\nmore\nmore\n');
    expect(findCsvSliceEnds(bytes, 8)).toEqual([bytes.length]);
  });
});
