// The merge rule and the rate limiter on their own: every ordering case of the documented rule, and
// token-bucket arithmetic on a clock the test sets.
import { describe, expect, it } from 'vitest';
import { checkPushRequest } from '../src/core/snapshot/sync-types.ts';
import { formatBytes, RateLimiter } from './limits.ts';
import { decideMerge, isLaterWrite } from './sync.ts';

describe('decideMerge', () => {
  const held = { clientId: 'm', updatedAt: 100, version: 7, valueJson: '{"rows":1}' };
  const v = '{"rows":2}';

  it('applies new keys and edits of the held version whatever their time', () => {
    expect(decideMerge(undefined, { clientId: 'a', updatedAt: 1, baseVersion: 0, valueJson: v })).toEqual({ kind: 'apply' });
    expect(decideMerge(undefined, { clientId: 'a', updatedAt: 1, baseVersion: 3, valueJson: v })).toEqual({ kind: 'apply' });
    expect(decideMerge(held, { clientId: 'a', updatedAt: 1, baseVersion: 7, valueJson: v })).toEqual({ kind: 'apply' });
  });

  it('never conflicts when the pushed value is the held one', () => {
    expect(decideMerge(held, { clientId: 'z', updatedAt: 999, baseVersion: 0, valueJson: held.valueJson })).toEqual({ kind: 'unchanged' });
    expect(decideMerge(held, { clientId: 'a', updatedAt: 1, baseVersion: 7, valueJson: held.valueJson })).toEqual({ kind: 'unchanged' });
  });

  it('decides concurrent edits by later updatedAt, then larger clientId', () => {
    const cases: [string, number, 'incoming-wins' | 'current-wins'][] = [
      ['a', 101, 'incoming-wins'],
      ['z', 99, 'current-wins'],
      ['n', 100, 'incoming-wins'], // 'n' > 'm'
      ['l', 100, 'current-wins'],
      ['m', 100, 'current-wins'], // same time and client: the held write stays
      ['M', 100, 'current-wins'], // code-unit order: 'M' < 'm'
    ];
    for (const [clientId, updatedAt, kind] of cases) {
      expect(decideMerge(held, { clientId, updatedAt, baseVersion: 6, valueJson: v }).kind, `${clientId}@${updatedAt}`).toBe(kind);
      expect(decideMerge(held, { clientId, updatedAt, baseVersion: 8, valueJson: v }).kind).toBe(kind);
    }
  });

  it('is an order: exactly one of two different writes is the later', () => {
    const writes = [{ clientId: 'a', updatedAt: 1 }, { clientId: 'b', updatedAt: 1 }, { clientId: 'a', updatedAt: 2 }, { clientId: 'c', updatedAt: 0 }];
    for (const x of writes) {
      for (const y of writes) {
        if (x === y) expect(isLaterWrite(x, y)).toBe(false);
        else expect(isLaterWrite(x, y) !== isLaterWrite(y, x)).toBe(true);
      }
    }
  });
});

describe('RateLimiter', () => {
  it('allows a burst of one minute, then refills continuously', () => {
    const rl = new RateLimiter({ perMinute: 6 });
    const t0 = 1_000_000;
    for (let i = 0; i < 6; i++) expect(rl.take('k', t0)).toEqual({ ok: true });
    expect(rl.take('k', t0)).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(rl.take('other', t0)).toEqual({ ok: true }); // buckets are per key
    expect(rl.take('k', t0 + 9_999)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(rl.take('k', t0 + 10_000)).toEqual({ ok: true });
    expect(rl.take('k', t0 + 10_000)).toEqual({ ok: false, retryAfterSeconds: 10 });
  });

  it('forgets only buckets that are full again', () => {
    const rl = new RateLimiter({ perMinute: 60 });
    rl.take('a', 0);
    for (let i = 0; i < 60; i++) rl.take('b', 0);
    rl.prune(1_000);
    expect(rl.size).toBe(1); // 'a' refilled its one token in a second; 'b' needs a minute
    rl.prune(60_000);
    expect(rl.size).toBe(0);
  });
});

describe('checkPushRequest and formatBytes', () => {
  it('accepts a well-formed push with any JSON values', () => {
    const body = { clientId: 'c1', records: [{ key: 'i/table/t', baseVersion: 0, updatedAt: 5, value: null }, { key: 'i/column/t.c', baseVersion: 2, updatedAt: 5, value: { a: [1] } }] };
    expect(checkPushRequest(body)).toEqual({ ok: true, value: body });
  });

  it('formats limits for error messages', () => {
    expect([formatBytes(300), formatBytes(4096), formatBytes(20 * 1024 * 1024), formatBytes(1536 * 1024)]).toEqual(['300 B', '4 KiB', '20 MiB', '1.5 MiB']);
  });
});
