// The store on its own: expiry purge, one open handle per DATA_DIR, and the schema version recorded.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Store, StoreLockedError } from './store.ts';

const dir = mkdtempSync(join(tmpdir(), 'stocktake-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Store', () => {
  it('purges expired snapshots on the timer path and refuses a second handle on the same directory', () => {
    const store = new Store(dir);
    try {
      expect(() => new Store(dir)).toThrow(StoreLockedError);
      const data = Uint8Array.of(1, 2, 3);
      for (const [id, expiresAt] of [['a', 100], ['b', 200], ['c', 300]] as const) {
        expect(store.insertSnapshot({ id, owner: 'o', data, createdAt: 0, expiresAt })).toBe(true);
      }
      expect(store.insertSnapshot({ id: 'a', owner: 'o', data, createdAt: 0, expiresAt: 999 })).toBe(false); // ids are never reused
      expect(store.countSnapshots(150)).toBe(2);
      expect(store.purgeExpired(200)).toBe(2); // expiresAt ≤ now is expired
      expect(store.listSnapshots('o', 0).map((s) => s.id)).toEqual(['c']);
      expect(store.listSnapshots('someone-else', 0)).toEqual([]);
      expect(store.deleteSnapshot('c', 'someone-else')).toBe(false);
      expect(store.getSnapshotData('c', 299)).toEqual(data);
    } finally {
      store.close();
    }
    // Closed cleanly: it opens again, with the data and without running the migrations twice.
    const again = new Store(dir);
    try {
      expect(again.countSnapshots(0)).toBe(1);
    } finally {
      again.close();
    }
  });
});
