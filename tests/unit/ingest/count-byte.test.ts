import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countByte } from '../../../src/core/ingest/count-byte.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

function naive(bytes: Uint8Array, b: number, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (bytes[i] === b) n++;
  return n;
}

describe('countByte', () => {
  it('agrees with a byte-by-byte count for every byte value, offset, range and view alignment', () => {
    const rand = mulberry32(11);
    // Few distinct values so every value appears in runs, next to its neighbours and alone.
    const buf = new Uint8Array(4099);
    for (let i = 0; i < buf.length; i++) buf[i] = rand() < 0.5 ? [0, 10, 34, 127, 128, 255][Math.floor(rand() * 6)] : Math.floor(rand() * 256);
    for (const shift of [0, 1, 2, 3]) {
      const view = buf.subarray(shift);
      for (const b of [0, 1, 10, 34, 127, 128, 254, 255]) {
        for (let t = 0; t < 40; t++) {
          const from = Math.floor(rand() * view.length);
          const to = from + Math.floor(rand() * (view.length - from + 1));
          expect(countByte(view, b, from, to)).toBe(naive(view, b, from, to));
        }
        expect(countByte(view, b)).toBe(naive(view, b, 0, view.length));
      }
    }
  });

  it('counts the newlines and quotes of a real export', () => {
    const bytes = new Uint8Array(readFileSync(resolve(process.cwd(), '../shared/data/olist/olist_order_reviews_dataset.csv')));
    for (const b of [10, 34, 44]) expect(countByte(bytes, b)).toBe(naive(bytes, b, 0, bytes.length));
  });
});
