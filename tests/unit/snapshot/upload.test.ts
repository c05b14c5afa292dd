// The encrypted upload end to end in Node: a snapshot of the seeded shop export is encrypted, stored on
// the real backend (started on loopback with a temporary DATA_DIR) through the app's backend client,
// fetched back and opened. The server only ever holds the ciphertext; the key stays with the link.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../../server/config.ts';
import { startServer, type RunningServer } from '../../../server/serve.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { decryptSnapshot, encryptSnapshot } from '../../../src/core/snapshot/encrypt.ts';
import { parseSnapshotBytes, serializeSnapshot } from '../../../src/core/snapshot/link.ts';
import { buildSnapshot, SnapshotError, type Snapshot } from '../../../src/core/snapshot/snapshot.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { fetchSnapshot, uploadSnapshot, type BackendConfig } from '../../../src/lib/backend-client.ts';
import { generateExport } from '../../fixtures/generate-export.ts';

const TOKEN = 'upload-test-token-0123456789abcdef';
let server: RunningServer;
let dataDir: string;
let snap: Snapshot;

beforeAll(async () => {
  const engine = await DuckDbNodeEngine.create();
  try {
    const { files } = generateExport({ seed: 7, scale: 1 });
    const sources = Object.entries(files).map(([name, text]) => sourceFromBytes(name, new TextEncoder().encode(text)));
    const { inventory } = await buildInventory(sources, engine);
    snap = buildSnapshot({ inventory }, { appVersion: '0.1.0', includeSamples: true, now: Date.UTC(2026, 10, 23) });
  } finally {
    engine.close();
  }
  dataDir = mkdtempSync(join(tmpdir(), 'stocktake-upload-'));
  server = await startServer(readConfig({ PORT: '0', DATA_DIR: dataDir, STOCKTAKE_WRITE_TOKEN: TOKEN }, dataDir), { log: () => undefined });
}, 120_000);

afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('encrypted upload through the backend', () => {
  it('stores only ciphertext and opens again with the key from the link', async () => {
    const cfg: BackendConfig = { baseUrl: server.url, token: TOKEN };
    const plain = serializeSnapshot(snap);
    const { cipher, key } = await encryptSnapshot(plain);
    const stored = await uploadSnapshot(cfg, cipher, { expiresInDays: 7 });
    expect(stored.bytes).toBe(cipher.length);
    expect(stored.id).toMatch(/^[A-Za-z0-9_-]{16,}$/);

    // A reader needs no token: the id is the capability, the key never left this side.
    const fetched = await fetchSnapshot({ baseUrl: server.url }, stored.id);
    expect(fetched).toEqual(cipher);
    const name = new TextEncoder().encode(snap.source.name);
    expect(Buffer.from(fetched).includes(Buffer.from(name))).toBe(false);

    const opened = parseSnapshotBytes(await decryptSnapshot(fetched, key));
    expect(opened).toEqual(snap);

    const other = await encryptSnapshot(plain);
    await expect(decryptSnapshot(fetched, other.key)).rejects.toBeInstanceOf(SnapshotError);
  });
});
