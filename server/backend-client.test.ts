// The browser's backend client (src/lib/backend-client.ts) and the catalog-sync bookkeeping
// (src/core/snapshot/catalog-sync.ts) against the real server on loopback: every failure maps to its
// BackendError code, and two browsers syncing the catalog of a seeded shop export (profiled by the
// same inventory code the app runs) end with the documented conflict and nothing lost.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildInventory } from '../src/core/inventory/build-inventory.ts';
import { sourceFromBytes } from '../src/core/ingest/source.ts';
import {
  afterPull,
  afterPush,
  buildCatalogItems,
  chunkRecords,
  EMPTY_SYNC_STATE,
  hashValue,
  planPush,
  type CatalogItem,
  type CatalogSyncState,
} from '../src/core/snapshot/catalog-sync.ts';
import type { Inventory } from '../src/core/types.ts';
import { DuckDbNodeEngine } from '../src/engine/duckdb-node.ts';
import {
  BackendError,
  deleteSnapshot,
  fetchSnapshot,
  getHealth,
  listConflicts,
  listSnapshots,
  pullCatalog,
  pushCatalog,
  uploadSnapshot,
  type BackendConfig,
} from '../src/lib/backend-client.ts';
import { checkBaseUrl, summarizePulled } from '../src/state/backend-model.ts';
import { mulberry32 } from '../src/core/util/random.ts';
import { generateExport } from '../tests/fixtures/generate-export.ts';
import { readConfig } from './config.ts';
import { startServer, type RunningServer } from './serve.ts';

const TOKEN = 'client-test-token-0123456789';
const dataDir = mkdtempSync(join(tmpdir(), 'stocktake-client-'));
let server: RunningServer;
let cfg: BackendConfig;
let inventory: Inventory;

beforeAll(async () => {
  server = await startServer(
    readConfig({ PORT: '0', DATA_DIR: dataDir, STOCKTAKE_WRITE_TOKEN: TOKEN, STOCKTAKE_MAX_SNAPSHOT_BYTES: '100000', STOCKTAKE_WRITES_PER_MINUTE: '100000' }, dataDir),
    { log: () => undefined },
  );
  cfg = { baseUrl: server.url, token: TOKEN };
  const { files } = generateExport({ seed: 42, scale: 1 });
  const engine = await DuckDbNodeEngine.create();
  try {
    inventory = (await buildInventory(Object.entries(files).map(([name, text]) => sourceFromBytes(name, new TextEncoder().encode(text))), engine)).inventory;
  } finally {
    engine.close();
  }
});

afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'no error';
  } catch (e) {
    expect(e).toBeInstanceOf(BackendError);
    return (e as BackendError).code;
  }
}

describe('backend client', () => {
  it('uploads, fetches, lists and deletes a snapshot', async () => {
    const rand = mulberry32(5);
    const bytes = Uint8Array.from({ length: 50_000 }, () => Math.floor(rand() * 256));
    const health = await getHealth(cfg);
    expect(health.ok).toBe(true);
    // A view into a larger buffer uploads only its own bytes.
    const padded = new Uint8Array(60_000);
    padded.set(bytes, 5_000);
    const up = await uploadSnapshot(cfg, padded.subarray(5_000, 55_000), { expiresInDays: 3 });
    expect(up.bytes).toBe(50_000);
    expect(await fetchSnapshot({ baseUrl: server.url }, up.id)).toEqual(bytes);
    expect((await listSnapshots(cfg)).map((s) => s.id)).toContain(up.id);
    expect((await getHealth(cfg)).snapshots).toBe(health.snapshots + 1);
    await deleteSnapshot(cfg, up.id);
    expect(await codeOf(fetchSnapshot(cfg, up.id))).toBe('BACKEND_NOT_FOUND');
  });

  it('maps every failure to a BackendError code with the server message', async () => {
    expect(await codeOf(uploadSnapshot({ baseUrl: server.url }, Uint8Array.of(1)))).toBe('BACKEND_AUTH');
    expect(await codeOf(uploadSnapshot({ baseUrl: server.url, token: 'wrong-token-wrong-token' }, Uint8Array.of(1)))).toBe('BACKEND_AUTH');
    expect(await codeOf(listSnapshots({ baseUrl: server.url, token: 'wrong-token-wrong-token' }))).toBe('BACKEND_AUTH');
    expect(await codeOf(uploadSnapshot(cfg, new Uint8Array(100_001)))).toBe('BACKEND_TOO_LARGE');
    const tooBig = await uploadSnapshot(cfg, new Uint8Array(100_001)).catch((e: BackendError) => e);
    expect((tooBig as BackendError).status).toBe(413);
    expect((tooBig as BackendError).message).toContain('97.7 KiB');
    expect(await codeOf(fetchSnapshot(cfg, 'AAAAAAAAAAAAAAAAAAAAAA'))).toBe('BACKEND_NOT_FOUND');
    expect(await codeOf(uploadSnapshot(cfg, Uint8Array.of(1), { expiresInDays: 999 }))).toBe('BACKEND_BAD_RESPONSE');

    // Nothing listening: unreachable.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await codeOf(getHealth({ baseUrl: deadUrl }))).toBe('BACKEND_UNREACHABLE');

    // Something that is not a Stocktake backend: a bad response, not a crash.
    const other = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>hello</html>');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      expect(await codeOf(getHealth({ baseUrl: `http://127.0.0.1:${(other.address() as AddressInfo).port}` }))).toBe('BACKEND_BAD_RESPONSE');
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });

  it('reports rate limiting with the server Retry-After', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stocktake-client-rl-'));
    const s = await startServer(readConfig({ PORT: '0', DATA_DIR: dir, STOCKTAKE_WRITE_TOKEN: TOKEN, STOCKTAKE_WRITES_PER_MINUTE: '2' }, dir), { log: () => undefined });
    try {
      const c = { baseUrl: s.url, token: TOKEN };
      await uploadSnapshot(c, Uint8Array.of(1));
      await uploadSnapshot(c, Uint8Array.of(2));
      const e = (await uploadSnapshot(c, Uint8Array.of(3)).catch((x: unknown) => x)) as BackendError;
      expect(e.code).toBe('BACKEND_RATE_LIMITED');
      expect(e.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(e.retryAfterSeconds).toBeLessThanOrEqual(30);
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks backend addresses', () => {
    expect(checkBaseUrl('  ')).toEqual({ ok: true, baseUrl: '' });
    expect(checkBaseUrl('http://localhost:8787/')).toEqual({ ok: true, baseUrl: 'http://localhost:8787' });
    expect(checkBaseUrl('https://example.com/stocktake/')).toEqual({ ok: true, baseUrl: 'https://example.com/stocktake' });
    expect(checkBaseUrl('ftp://example.com')).toEqual({ ok: false, reason: 'scheme' });
    expect(checkBaseUrl('localhost:8787')).toEqual({ ok: false, reason: 'scheme' });
    expect(checkBaseUrl('not a url')).toEqual({ ok: false, reason: 'invalid' });
    expect(checkBaseUrl('http://user:pw@example.com')).toEqual({ ok: false, reason: 'path' });
  });
});

describe('catalog sync of a profiled export', () => {
  it('turns the catalog into records without raw values', () => {
    const items = buildCatalogItems(inventory);
    const id = inventory.import.id;
    expect(items.length).toBe(1 + inventory.tables.length + inventory.columns.length + inventory.relations.length);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    expect(items.map((i) => i.key)).toContain(`${id}/table/orders`);
    expect(items.map((i) => i.key)).toContain(`${id}/column/users.email`);
    expect(items.filter((i) => i.kind === 'relation').length).toBeGreaterThan(0);
    const columns = items.filter((i) => i.kind === 'column').map((i) => i.value as Record<string, unknown>);
    expect(columns.every((c) => !('samples' in c) && !('topValues' in c))).toBe(true);
    const pii = columns.filter((c) => c.pii);
    expect(pii.map((c) => `${c.table}.${c.name}`)).toContain('users.email');
    expect(pii.every((c) => c.min === null && c.max === null)).toBe(true);
    // No sample value of a PII column appears anywhere in what is sent.
    const sent = JSON.stringify(items);
    const email = inventory.columns.find((c) => c.table === 'users' && c.name === 'email')!;
    expect(email.samples.length).toBeGreaterThan(0);
    for (const v of email.samples) if (v.length > 3) expect(sent).not.toContain(v);
    // Chunks stay under the byte budget and keep every record once, in order.
    const records = planPush(items, EMPTY_SYNC_STATE, 1);
    const chunks = chunkRecords(records, 16 * 1024, 50);
    expect(chunks.flat()).toEqual(records);
    expect(chunks.every((c) => c.length <= 50 && (c.length === 1 || new TextEncoder().encode(JSON.stringify(c)).byteLength <= 16 * 1024 + c.length))).toBe(true);
  });

  it('syncs two browsers: unchanged records never conflict, the later edit wins, the loser is kept', async () => {
    const ws = 'shop-team';
    const itemsA = buildCatalogItems(inventory);
    const sync = async (clientId: string, items: CatalogItem[], state: CatalogSyncState, now: number) => {
      const records = planPush(items, state, now);
      let s = state;
      const conflicts = [];
      let applied = 0;
      for (const chunk of chunkRecords(records, 64 * 1024, 200)) {
        const res = await pushCatalog(cfg, ws, clientId, chunk);
        applied += res.applied.length;
        conflicts.push(...res.conflicts);
        s = afterPush(s, chunk, res);
      }
      const pulled = await pullCatalog(cfg, ws, s.since);
      return { state: afterPull(s, pulled), pushed: records.length, applied, conflicts, pulled };
    };

    // Browser A sends the whole catalog (more than one pull page of 1000 records is not needed: the pages are followed anyway).
    const a1 = await sync('browser-a', itemsA, EMPTY_SYNC_STATE, 1_000);
    expect(a1.pushed).toBe(itemsA.length);
    expect(a1.applied).toBe(itemsA.length);
    expect(a1.conflicts).toEqual([]);
    expect(a1.pulled.records.length).toBe(itemsA.length);
    expect(a1.state.since).toBe(itemsA.length);
    // Nothing changed: nothing to send.
    expect(planPush(itemsA, a1.state, 1_500)).toEqual([]);

    // Browser B profiled the same export but its orders table differs (a re-import with one more row),
    // and it never synced. Its identical records are acknowledged, the edited one is a concurrent edit.
    const ordersKey = `${inventory.import.id}/table/orders`;
    const itemsB = itemsA.map((it) => (it.key === ordersKey ? { ...it, value: { ...(it.value as object), rowCount: 999_999 } } : it));
    const b1 = await sync('browser-b', itemsB, EMPTY_SYNC_STATE, 2_000);
    expect(b1.pushed).toBe(itemsB.length);
    expect(b1.applied).toBe(itemsB.length);
    expect(b1.conflicts).toHaveLength(1);
    const c = b1.conflicts[0];
    expect(c.key).toBe(ordersKey);
    expect(c.winner).toEqual({ clientId: 'browser-b', updatedAt: 2_000, version: itemsA.length + 1 });
    expect(c.loser.clientId).toBe('browser-a');
    expect(c.loser.updatedAt).toBe(1_000);
    expect(hashValue(c.loser.value)).toBe(hashValue(itemsA.find((i) => i.key === ordersKey)!.value));

    // A edits a column (from the version it saw) at t=1_800, earlier than B's edit but not concurrent: applied.
    const colKey = `${inventory.import.id}/column/orders.status`;
    const itemsA2 = itemsA.map((it) => (it.key === colKey ? { ...it, value: { ...(it.value as object), semanticReason: 'edited by A' } } : it));
    const a2 = await sync('browser-a', itemsA2, a1.state, 1_800);
    expect(a2.pushed).toBe(1);
    expect(a2.conflicts).toEqual([]);
    expect(a2.pulled.records.map((r) => r.key)).toEqual([ordersKey, colKey]);
    expect(summarizePulled(a2.pulled.records)).toEqual({ byKind: { import: 0, table: 1, column: 1, relation: 0, other: 0 }, clients: ['browser-a', 'browser-b'] });

    // A pushes its old orders value again only if it changes locally; B's next sync sees A's column edit.
    expect(planPush(itemsA2, a2.state, 3_000)).toEqual([]);
    const b2 = await sync('browser-b', itemsB, b1.state, 3_000);
    expect(b2.pushed).toBe(0);
    expect(b2.pulled.records.map((r) => [r.key, r.clientId])).toEqual([[colKey, 'browser-a']]);

    const listed = await listConflicts(cfg, ws);
    expect(listed.map((x) => [x.key, x.winner.clientId, x.loser.clientId])).toEqual([[ordersKey, 'browser-b', 'browser-a']]);
  });
});
