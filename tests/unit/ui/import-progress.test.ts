// Per-file progress folded from a realistic event sequence: bytes, rows, rate, ETA and stage.
import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../../src/core/types.ts';
import { applyProgressEvent, createFileRows, etaSeconds, fileFraction, readRate } from '../../../src/state/import-progress.ts';

const MB = 1024 * 1024;

describe('import progress', () => {
  it('measures rate and ETA from timestamped read events and ends at done with rows', () => {
    const rows = createFileRows([
      { path: 'olist/orders.csv', bytes: 40 * MB },
      { path: 'olist/items.csv', bytes: 10 * MB },
    ]);
    const feed: [number, ProgressEvent][] = [
      [1000, { kind: 'read', file: 'olist/orders.csv', bytes: 0, total: 40 * MB }],
      [2000, { kind: 'read', file: 'olist/orders.csv', bytes: 10 * MB, total: 40 * MB }],
      [3000, { kind: 'read', file: 'olist/orders.csv', bytes: 20 * MB, total: 40 * MB }],
    ];
    for (const [at, e] of feed) applyProgressEvent(rows, e, at);
    const orders = rows[0];
    expect(orders.stage).toBe('reading');
    expect(orders.bytesRead).toBe(20 * MB);
    // 20 MB in the 2 s between the first and latest event: 10 MB/s, 20 MB left → 2 s.
    expect(readRate(orders)).toBe(10 * MB);
    expect(etaSeconds(orders)).toBe(2);
    expect(fileFraction(orders)).toBe(0.25);
    expect(rows[1].stage).toBe('queued');
    expect(readRate(rows[1])).toBeNull();
    expect(etaSeconds(rows[1])).toBeNull();

    applyProgressEvent(rows, { kind: 'load', file: 'olist/orders.csv', table: 'orders' }, 4000);
    expect(orders.stage).toBe('loading');
    expect(orders.bytesRead).toBe(40 * MB);
    expect(etaSeconds(orders)).toBe(0);
    applyProgressEvent(rows, { kind: 'profile', file: 'olist/orders.csv', table: 'orders', rows: 0, done: 4, total: 8 }, 4500);
    expect(orders.stage).toBe('profiling');
    expect(fileFraction(orders)).toBe(0.75);
    applyProgressEvent(rows, { kind: 'file-done', file: 'olist/orders.csv', tables: ['orders'], rows: 8135 }, 5000);
    expect(orders).toMatchObject({ stage: 'done', rows: 8135, tables: ['orders'] });
    expect(fileFraction(orders)).toBe(1);
  });

  it('adds rows for files found inside a zip and keeps each file’s errors', () => {
    const rows = createFileRows([{ path: 'shop.zip', bytes: 5 * MB }]);
    applyProgressEvent(rows, { kind: 'read', file: 'shop.zip/users.csv', bytes: MB, total: 2 * MB }, 10);
    const issue = { severity: 'error' as const, code: 'EMPTY_FILE', file: 'shop.zip/empty.csv', message: 'shop.zip/empty.csv is empty' };
    applyProgressEvent(rows, { kind: 'file-error', file: 'shop.zip/empty.csv', issue }, 20);
    const warning = { severity: 'warning' as const, code: 'RAGGED_ROWS', file: 'shop.zip/users.csv', message: 'line 7 has 3 fields', line: 7 };
    applyProgressEvent(rows, { kind: 'file-error', file: 'shop.zip/users.csv', issue: warning }, 30);
    expect(rows.map((r) => [r.file, r.stage])).toEqual([
      ['shop.zip', 'queued'],
      ['shop.zip/users.csv', 'reading'],
      ['shop.zip/empty.csv', 'error'],
    ]);
    expect(rows[2].issues).toEqual([issue]);
    expect(rows[1].issues).toEqual([warning]);
    expect(applyProgressEvent(rows, { kind: 'relations', done: 0, total: 1 }, 40)).toBeNull();
  });

  it('adds up the sheets of a workbook', () => {
    const rows = createFileRows([{ path: 'book.xlsx', bytes: 1000 }]);
    applyProgressEvent(rows, { kind: 'file-done', file: 'book.xlsx', tables: ['book.orders'], rows: 120 }, 1);
    applyProgressEvent(rows, { kind: 'file-done', file: 'book.xlsx', tables: ['book.users'], rows: 30 }, 2);
    expect(rows[0]).toMatchObject({ stage: 'done', rows: 150, tables: ['book.orders', 'book.users'] });
  });
});
