// The backend started for real on loopback (port 0, a temporary DATA_DIR) and driven with fetch: auth,
// limits, ids, sync conflicts, restart, expiry, CORS and security headers. The clock is a variable the
// test moves, so expiry and rate limits are checked without sleeping.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../src/core/util/random.ts';
import type { PullResult, PushResult, SnapshotInfo, StoredConflict } from '../src/core/snapshot/sync-types.ts';
import { APP_CSP } from './app.ts';
import { ConfigError, readConfig } from './config.ts';
import { startServer, type RunningServer } from './serve.ts';

const TOKEN = 'test-write-token-0123456789abcdef';
const DAY = 86_400_000;
const dirs: string[] = [];
let clock = Date.UTC(2026, 0, 1);
const servers: RunningServer[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'stocktake-server-'));
  dirs.push(d);
  return d;
}

async function start(env: Record<string, string> = {}, dataDir = tempDir()): Promise<RunningServer & { dataDir: string }> {
  const options = readConfig({ PORT: '0', DATA_DIR: dataDir, STOCKTAKE_WRITE_TOKEN: TOKEN, STOCKTAKE_WRITES_PER_MINUTE: '100000', ...env }, dataDir);
  const s = await startServer(options, { now: () => clock, log: () => undefined });
  servers.push(s);
  return { ...s, dataDir };
}

const auth = (token = TOKEN) => ({ Authorization: `Bearer ${token}` });
const octet = { 'Content-Type': 'application/octet-stream' };

function randomBytes(n: number, seed: number): Uint8Array<ArrayBuffer> {
  const rand = mulberry32(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

async function store(s: RunningServer, bytes: Uint8Array<ArrayBuffer>, query = ''): Promise<Response> {
  return fetch(`${s.url}/api/snapshots${query}`, { method: 'POST', headers: { ...auth(), ...octet }, body: bytes });
}

async function push(s: RunningServer, ws: string, body: unknown): Promise<Response> {
  return fetch(`${s.url}/api/sync/${ws}/push`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

beforeEach(() => {
  clock = Date.UTC(2026, 0, 1);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('snapshots', () => {
  it('answers /healthz with the version and the number of snapshots', async () => {
    const s = await start();
    const before = await (await fetch(`${s.url}/healthz`)).json();
    expect(before).toEqual({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/), snapshots: 0 });
    expect((await store(s, randomBytes(100, 1))).status).toBe(201);
    expect((await (await fetch(`${s.url}/healthz`)).json()).snapshots).toBe(1);
  });

  it('refuses writes and listings without the write token or with a wrong one', async () => {
    const s = await start();
    const body = randomBytes(64, 2);
    const none = await fetch(`${s.url}/api/snapshots`, { method: 'POST', headers: octet, body });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: 'unauthorized', message: expect.stringContaining('Authorization') });
    const wrong = await fetch(`${s.url}/api/snapshots`, { method: 'POST', headers: { ...auth('not-the-token-at-all-000'), ...octet }, body });
    expect(wrong.status).toBe(401);
    expect((await wrong.json()).message).toMatch(/wrong/);
    expect((await fetch(`${s.url}/api/snapshots`)).status).toBe(401);
    expect((await fetch(`${s.url}/api/snapshots/AAAAAAAAAAAAAAAAAAAAAA`, { method: 'DELETE' })).status).toBe(401);
    expect((await fetch(`${s.url}/api/sync/w/push`, { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await fetch(`${s.url}/api/sync/w/pull?since=0`, { headers: auth('wrong-token-wrong-token') })).status).toBe(401);
    expect((await fetch(`${s.url}/healthz`)).ok).toBe(true);
    expect((await (await fetch(`${s.url}/healthz`)).json()).snapshots).toBe(0);
  });

  it('stores opaque bytes and gives them back unchanged; lists and deletes own snapshots', async () => {
    const s = await start();
    const bytes = randomBytes(300_000, 3);
    const res = await store(s, bytes, '?expiresInDays=7');
    expect(res.status).toBe(201);
    const made = (await res.json()) as { id: string; expiresAt: number; bytes: number };
    expect(made).toEqual({ id: expect.stringMatching(/^[A-Za-z0-9_-]{22}$/), expiresAt: clock + 7 * DAY, bytes: bytes.byteLength });

    const got = await fetch(`${s.url}/api/snapshots/${made.id}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(bytes);

    const list = (await (await fetch(`${s.url}/api/snapshots`, { headers: auth() })).json()) as SnapshotInfo[];
    expect(list).toEqual([{ id: made.id, bytes: bytes.byteLength, createdAt: clock, expiresAt: clock + 7 * DAY }]);

    expect((await fetch(`${s.url}/api/snapshots/${made.id}`, { method: 'DELETE', headers: auth() })).status).toBe(204);
    const gone = await fetch(`${s.url}/api/snapshots/${made.id}`);
    expect(gone.status).toBe(404);
    expect(await gone.json()).toEqual({ error: 'not-found', message: expect.stringContaining('No such snapshot') });
    expect((await fetch(`${s.url}/api/snapshots/${made.id}`, { method: 'DELETE', headers: auth() })).status).toBe(404);
  });

  it('refuses oversize snapshots (declared or streamed) and bad requests with clear JSON errors', async () => {
    const s = await start({ STOCKTAKE_MAX_SNAPSHOT_BYTES: String(64 * 1024) });
    expect((await store(s, randomBytes(64 * 1024, 4))).status).toBe(201); // exactly the limit is fine

    const big = await store(s, randomBytes(64 * 1024 + 1, 5));
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ error: 'too-large', message: expect.stringContaining('64 KiB') });

    // Chunked upload without Content-Length: refused while streaming.
    const chunks = [randomBytes(40_000, 6), randomBytes(40_000, 7)];
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        const c = chunks.shift();
        if (c) ctrl.enqueue(c);
        else ctrl.close();
      },
    });
    const streamed = await fetch(`${s.url}/api/snapshots`, { method: 'POST', headers: { ...auth(), ...octet }, body: stream, duplex: 'half' } as RequestInit);
    expect(streamed.status).toBe(413);
    expect((await streamed.json()).error).toBe('too-large');

    const empty = await store(s, new Uint8Array(0));
    expect(empty.status).toBe(400);
    expect((await empty.json()).message).toMatch(/empty/);

    const json = await fetch(`${s.url}/api/snapshots`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
    expect((await json.json()).message).toContain('application/octet-stream');

    for (const q of ['0', '366', '1.5', 'abc']) {
      const r = await store(s, randomBytes(10, 8), `?expiresInDays=${q}`);
      expect(r.status).toBe(400);
      expect((await r.json()).message).toContain('expiresInDays');
    }
    expect((await fetch(`${s.url}/api/snapshots/not-an-id`)).status).toBe(404);
  });

  it('gives 128-bit random ids: 22 base64url characters, unique across 1000 stores, no sequence', async () => {
    const s = await start();
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const r = await store(s, Uint8Array.of(i & 255, i >> 8));
      ids.push(((await r.json()) as { id: string }).id);
    }
    expect(ids.every((id) => /^[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(1000);
    const raw = ids.map((id) => Buffer.from(id, 'base64url'));
    expect(raw.every((b) => b.length === 16)).toBe(true);
    // Every one of the 128 bits is set in about half of the ids (a counter or a timestamp would fix
    // most bits): binomial(1000, 0.5) stays within 0.4–0.6 with overwhelming probability.
    for (let bit = 0; bit < 128; bit++) {
      const ones = raw.reduce((n, b) => n + ((b[bit >> 3] >> (bit & 7)) & 1), 0);
      expect(ones / 1000).toBeGreaterThan(0.4);
      expect(ones / 1000).toBeLessThan(0.6);
    }
    // Consecutive ids share no structure: about 64 of 128 bits differ between neighbours.
    let diff = 0;
    for (let i = 1; i < raw.length; i++) for (let j = 0; j < 16; j++) diff += popcount(raw[i][j] ^ raw[i - 1][j]);
    expect(diff / 999).toBeGreaterThan(60);
    expect(diff / 999).toBeLessThan(68);
    expect([...ids].sort()).not.toEqual(ids);
  });

  it('expires snapshots: 404 after expiresAt, and the expired row is gone', async () => {
    const s = await start();
    const short = (await (await store(s, randomBytes(10, 9), '?expiresInDays=1')).json()) as { id: string; expiresAt: number };
    const long = (await (await store(s, randomBytes(10, 10))).json()) as { id: string; expiresAt: number };
    expect(long.expiresAt).toBe(clock + 30 * DAY);
    clock += DAY - 1;
    expect((await fetch(`${s.url}/api/snapshots/${short.id}`)).status).toBe(200);
    clock += 1;
    expect((await fetch(`${s.url}/api/snapshots/${short.id}`)).status).toBe(404);
    expect((await fetch(`${s.url}/api/snapshots/${long.id}`)).status).toBe(200);
    const list = (await (await fetch(`${s.url}/api/snapshots`, { headers: auth() })).json()) as SnapshotInfo[];
    expect(list.map((x) => x.id)).toEqual([long.id]);
    expect((await (await fetch(`${s.url}/healthz`)).json()).snapshots).toBe(1);
  });
});

describe('limits', () => {
  it('rate limits writes per token with 429 and Retry-After, and refills with time', async () => {
    const s = await start({ STOCKTAKE_WRITES_PER_MINUTE: '3' });
    for (let i = 0; i < 3; i++) expect((await store(s, randomBytes(8, i))).status).toBe(201);
    const r = await store(s, randomBytes(8, 99));
    expect(r.status).toBe(429);
    expect(Number(r.headers.get('retry-after'))).toBe(20); // one token refills in 60 s / 3
    expect((await r.json()).error).toBe('rate-limited');
    clock += 20_000;
    expect((await store(s, randomBytes(8, 100))).status).toBe(201);
    expect((await store(s, randomBytes(8, 101))).status).toBe(429);
  });

  it('rate limits per address before checking the token, so tokens cannot be guessed quickly', async () => {
    const s = await start({ STOCKTAKE_WRITES_PER_MINUTE: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await fetch(`${s.url}/api/snapshots`, { method: 'POST', headers: { ...auth(`guess-${i}-0000000000000`), ...octet }, body: 'x' });
      statuses.push(r.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });

  it('refuses oversize, malformed and wrongly shaped sync pushes, naming the problem', async () => {
    const s = await start({ STOCKTAKE_MAX_JSON_BYTES: '4096' });
    const big = await push(s, 'w', { clientId: 'a', records: [{ key: 'k', baseVersion: 0, updatedAt: 1, value: 'x'.repeat(5000) }] });
    expect(big.status).toBe(413);
    expect((await big.json()).message).toContain('4 KiB');

    const bad = await fetch(`${s.url}/api/sync/w/push`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{"clientId": "a", "records": [' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/^Malformed JSON/);

    const cases: [unknown, string][] = [
      [[1, 2], 'JSON object'],
      [{ records: [] }, 'clientId'],
      [{ clientId: 'a', records: {} }, 'records must be an array'],
      [{ clientId: 'a', records: [{ key: '', baseVersion: 0, updatedAt: 1, value: 1 }] }, 'records[0].key'],
      [{ clientId: 'a', records: [{ key: 'k', baseVersion: -1, updatedAt: 1, value: 1 }] }, 'records[0].baseVersion'],
      [{ clientId: 'a', records: [{ key: 'k', baseVersion: 0, updatedAt: 1, value: 1 }, { key: 'j', baseVersion: 0, updatedAt: 'now', value: 1 }] }, 'records[1].updatedAt'],
      [{ clientId: 'a', records: [{ key: 'k', baseVersion: 0, updatedAt: 1 }] }, 'records[0].value is missing'],
      [{ clientId: 'a', records: [{ key: 'k', baseVersion: 0, updatedAt: 1, value: 1 }, { key: 'k', baseVersion: 0, updatedAt: 1, value: 2 }] }, 'appears twice'],
    ];
    for (const [body, words] of cases) {
      const r = await push(s, 'w', body);
      expect(r.status).toBe(400);
      expect((await r.json()).message).toContain(words);
    }
    const ws = await push(s, 'no%20spaces', { clientId: 'a', records: [] });
    expect(ws.status).toBe(400);
    const since = await fetch(`${s.url}/api/sync/w/pull?since=-1`, { headers: auth() });
    expect(since.status).toBe(400);
    expect((await since.json()).message).toContain('since');
    // Nothing was written by the refused pushes.
    expect(((await (await fetch(`${s.url}/api/sync/w/pull?since=0`, { headers: auth() })).json()) as PullResult).records).toEqual([]);
  });
});

describe('catalog sync', () => {
  it('resolves a conflict between two clients by the documented rule and keeps the loser', async () => {
    const s = await start();
    const pull = async (since: number) => (await (await fetch(`${s.url}/api/sync/shop/pull?since=${since}`, { headers: auth() })).json()) as PullResult;

    // Client A creates two records; client B pulls them.
    const a1 = (await (await push(s, 'shop', { clientId: 'client-a', records: [
      { key: 'imp1/table/orders', baseVersion: 0, updatedAt: 1000, value: { rows: 10 } },
      { key: 'imp1/table/items', baseVersion: 0, updatedAt: 1000, value: { rows: 20 } },
    ] })).json()) as PushResult;
    expect(a1).toEqual({ applied: [{ key: 'imp1/table/orders', version: 1 }, { key: 'imp1/table/items', version: 2 }], conflicts: [], serverVersion: 2 });
    const seenByB = await pull(0);
    expect(seenByB.records.map((r) => [r.key, r.version, r.clientId])).toEqual([['imp1/table/orders', 1, 'client-a'], ['imp1/table/items', 2, 'client-a']]);

    // Both edit `orders` from version 1. A pushes first (t=3000), then B (t=2000, older): A wins, B's value is kept as the loser.
    const a2 = (await (await push(s, 'shop', { clientId: 'client-a', records: [{ key: 'imp1/table/orders', baseVersion: 1, updatedAt: 3000, value: { rows: 11 } }] })).json()) as PushResult;
    expect(a2).toEqual({ applied: [{ key: 'imp1/table/orders', version: 3 }], conflicts: [], serverVersion: 3 });
    const b1 = (await (await push(s, 'shop', { clientId: 'client-b', records: [
      { key: 'imp1/table/orders', baseVersion: 1, updatedAt: 2000, value: { rows: 12 } },
      { key: 'imp1/table/items', baseVersion: 2, updatedAt: 2000, value: { rows: 21 } },
    ] })).json()) as PushResult;
    expect(b1.applied).toEqual([{ key: 'imp1/table/items', version: 4 }]);
    expect(b1.conflicts).toEqual([
      { key: 'imp1/table/orders', winner: { clientId: 'client-a', updatedAt: 3000, version: 3 }, loser: { clientId: 'client-b', updatedAt: 2000, value: { rows: 12 } } },
    ]);

    // Equal times: the larger clientId wins, and this time the incoming write replaces the held one.
    const z = (await (await push(s, 'shop', { clientId: 'client-z', records: [{ key: 'imp1/table/orders', baseVersion: 1, updatedAt: 3000, value: { rows: 13 } }] })).json()) as PushResult;
    expect(z.applied).toEqual([{ key: 'imp1/table/orders', version: 5 }]);
    expect(z.conflicts).toEqual([
      { key: 'imp1/table/orders', winner: { clientId: 'client-z', updatedAt: 3000, version: 5 }, loser: { clientId: 'client-a', updatedAt: 3000, value: { rows: 11 } } },
    ]);

    const after = await pull(3);
    expect(after).toEqual({
      records: [
        { key: 'imp1/table/items', version: 4, value: { rows: 21 }, updatedAt: 2000, clientId: 'client-b' },
        { key: 'imp1/table/orders', version: 5, value: { rows: 13 }, updatedAt: 3000, clientId: 'client-z' },
      ],
      serverVersion: 5,
      hasMore: false,
    });
    const listed = (await (await fetch(`${s.url}/api/sync/shop/conflicts`, { headers: auth() })).json()) as StoredConflict[];
    expect(listed.map((c) => [c.key, c.winner.clientId, c.loser.clientId, c.loser.value])).toEqual([
      ['imp1/table/orders', 'client-z', 'client-a', { rows: 11 }],
      ['imp1/table/orders', 'client-a', 'client-b', { rows: 12 }],
    ]);
    expect(listed.every((c) => c.createdAt === clock)).toBe(true);
    // Other workspaces are separate.
    expect(((await (await fetch(`${s.url}/api/sync/other/pull?since=0`, { headers: auth() })).json()) as PullResult).serverVersion).toBe(0);
  });

  it('ends in the same value whichever of two concurrent pushes arrives first', async () => {
    const s = await start();
    const edits = [
      { clientId: 'north', records: [{ key: 'k', baseVersion: 0, updatedAt: 500, value: 'north' }] },
      { clientId: 'south', records: [{ key: 'k', baseVersion: 0, updatedAt: 500, value: 'south' }] },
    ];
    const finals: unknown[] = [];
    for (const [ws, order] of [['one', [0, 1]], ['two', [1, 0]]] as const) {
      for (const i of order) await push(s, ws, edits[i]);
      const pulled = (await (await fetch(`${s.url}/api/sync/${ws}/pull?since=0`, { headers: auth() })).json()) as PullResult;
      finals.push(pulled.records[0].value);
      const conflicts = (await (await fetch(`${s.url}/api/sync/${ws}/conflicts`, { headers: auth() })).json()) as StoredConflict[];
      expect(conflicts.map((c) => c.loser.value)).toEqual(['north']);
    }
    expect(finals).toEqual(['south', 'south']); // same time: 'south' > 'north'
  });
});

describe('restart, CORS and headers', () => {
  it('keeps snapshots, sync records, conflicts and the generated token across a restart', async () => {
    const dataDir = tempDir();
    const first = await startServer(readConfig({ PORT: '0', DATA_DIR: dataDir }, dataDir), { now: () => clock, log: () => undefined });
    const token = first.generatedToken!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bytes = randomBytes(5000, 11);
    const made = (await (await fetch(`${first.url}/api/snapshots`, { method: 'POST', headers: { ...auth(token), ...octet }, body: bytes })).json()) as { id: string };
    const h = { ...auth(token), 'Content-Type': 'application/json' };
    await fetch(`${first.url}/api/sync/ws/push`, { method: 'POST', headers: h, body: JSON.stringify({ clientId: 'a', records: [{ key: 'k', baseVersion: 0, updatedAt: 2, value: [1, 2] }] }) });
    await fetch(`${first.url}/api/sync/ws/push`, { method: 'POST', headers: h, body: JSON.stringify({ clientId: 'b', records: [{ key: 'k', baseVersion: 0, updatedAt: 1, value: [3] }] }) });
    await first.close();
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();

    const logged: string[] = [];
    const second = await startServer(readConfig({ PORT: '0', DATA_DIR: dataDir }, dataDir), { now: () => clock, log: (l) => logged.push(l) });
    servers.push(second);
    expect(second.generatedToken).toBeUndefined();
    expect(logged).toEqual([]); // printed once, on the first start only
    expect(new Uint8Array(await (await fetch(`${second.url}/api/snapshots/${made.id}`)).arrayBuffer())).toEqual(bytes);
    const list = (await (await fetch(`${second.url}/api/snapshots`, { headers: auth(token) })).json()) as SnapshotInfo[];
    expect(list.map((x) => x.id)).toEqual([made.id]);
    const pulled = (await (await fetch(`${second.url}/api/sync/ws/pull?since=0`, { headers: auth(token) })).json()) as PullResult;
    expect(pulled.records).toEqual([{ key: 'k', version: 1, value: [1, 2], updatedAt: 2, clientId: 'a' }]);
    const conflicts = (await (await fetch(`${second.url}/api/sync/ws/conflicts`, { headers: auth(token) })).json()) as StoredConflict[];
    expect(conflicts.map((c) => c.loser.value)).toEqual([[3]]);
  });

  it('starts again after the server process was killed, with the data written before', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: '0', DATA_DIR: dataDir, STOCKTAKE_WRITE_TOKEN: TOKEN, STOCKTAKE_STATIC_DIR: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}`)));
    });
    const bytes = randomBytes(2000, 13);
    const made = (await (await fetch(`${url}/api/snapshots`, { method: 'POST', headers: { ...auth(), ...octet }, body: bytes })).json()) as { id: string };

    // While it runs, a second server on the same DATA_DIR is refused with a clear message.
    await expect(start({}, dataDir)).rejects.toThrow(/in use by another Stocktake server/);

    child.kill('SIGKILL'); // no graceful close: the lock directory and the WAL stay behind
    await exited;
    const again = await start({}, dataDir);
    expect(new Uint8Array(await (await fetch(`${again.url}/api/snapshots/${made.id}`)).arrayBuffer())).toEqual(bytes);
  });

  it('allows CORS only from the configured origins', async () => {
    const s = await start({ STOCKTAKE_ALLOWED_ORIGINS: 'https://stocktake.example.com, http://localhost:5173' });
    const evil = await fetch(`${s.url}/healthz`, { headers: { Origin: 'https://evil.example.net' } });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const evilPre = await fetch(`${s.url}/api/snapshots`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example.net', 'Access-Control-Request-Method': 'POST' } });
    expect(evilPre.headers.get('access-control-allow-origin')).toBeNull();

    const good = await fetch(`${s.url}/healthz`, { headers: { Origin: 'https://stocktake.example.com' } });
    expect(good.headers.get('access-control-allow-origin')).toBe('https://stocktake.example.com');
    const pre = await fetch(`${s.url}/api/snapshots`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
  });

  it('sends security headers on the API and the static app, and serves the app at /s/<id>', async () => {
    const staticDir = tempDir();
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stocktake</title><div id="app"></div>');
    mkdirSync(join(staticDir, 'assets'));
    writeFileSync(join(staticDir, 'assets', 'index-abc.js'), 'console.log(1)');
    const s = await start({ STOCKTAKE_STATIC_DIR: staticDir });

    for (const path of ['/healthz', '/api/snapshots/AAAAAAAAAAAAAAAAAAAAAA', '/api/nothing']) {
      const r = await fetch(`${s.url}${path}`);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    }
    const id = ((await (await store(s, randomBytes(10, 12))).json()) as { id: string }).id;
    for (const path of ['/', `/s/${id}`, '/assets/index-abc.js']) {
      const r = await fetch(`${s.url}${path}`);
      expect(r.status).toBe(200);
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('content-security-policy')).toBe(APP_CSP);
      expect(r.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(r.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      if (path !== '/assets/index-abc.js') expect(await r.text()).toContain('<div id="app">');
    }
    expect(APP_CSP).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(APP_CSP).toContain("connect-src 'self'");
    expect((await fetch(`${s.url}/assets/../../etc/passwd`)).status).toBe(404);
  });

  it('stops with a clear message on a bad setting', () => {
    expect(() => readConfig({ PORT: 'eighty' })).toThrow(new ConfigError('PORT must be an integer from 0 to 65535, got "eighty"'));
    expect(() => readConfig({ STOCKTAKE_WRITE_TOKEN: 'short' })).toThrow(/at least 16 characters/);
    expect(() => readConfig({ STOCKTAKE_ALLOWED_ORIGINS: 'http://localhost:5173/' })).toThrow(/did you mean "http:\/\/localhost:5173"/);
    expect(() => readConfig({ STOCKTAKE_MAX_SNAPSHOT_BYTES: '-1' })).toThrow(/STOCKTAKE_MAX_SNAPSHOT_BYTES/);
    const d = readConfig({}, '/nonexistent-cwd');
    expect(d).toMatchObject({ port: 8787, host: '127.0.0.1', dataDir: '/nonexistent-cwd/.stocktake-data', maxSnapshotBytes: 20 * 1024 * 1024, maxJsonBytes: 2 * 1024 * 1024, defaultExpiryDays: 30 });
    expect(d.allowedOrigins).toEqual(['http://localhost:5173', 'http://localhost:4173']);
  });
});

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}
