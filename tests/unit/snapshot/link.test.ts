// Share links: base64url, the `#s=` hash round trip, compaction under a budget with its report, typed
// errors for cut-off and damaged links, and the real Olist inventory fitting in 8 KB of URL.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSourcesFromArgs } from '../../../src/cli/sources.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import {
  decodeSnapshotHash,
  encodeSnapshotHash,
  fitSnapshotLink,
  fromBase64Url,
  LINK_BUDGET,
  mergeHistogramBins,
  parseSnapshotBytes,
  serializeSnapshot,
  toBase64Url,
} from '../../../src/core/snapshot/link.ts';
import { compactEdges, expandEdges } from '../../../src/core/snapshot/numbers.ts';
import { buildSnapshot, SnapshotError, type Snapshot } from '../../../src/core/snapshot/snapshot.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');
const BASE = 'https://stocktake.example.org/';
let engine: DuckDbNodeEngine;
let olist: Inventory;

beforeAll(async () => {
  if (!existsSync(olistDir)) throw new Error(`Shared data missing: ${olistDir}`);
  engine = await DuckDbNodeEngine.create();
  olist = (await buildInventory(loadSourcesFromArgs([olistDir]), engine)).inventory;
}, 120_000);
afterAll(() => engine?.close());

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    return (e as SnapshotError).code;
  }
  return 'none';
}

describe('base64url', () => {
  it('round-trips seeded random bytes of every length remainder, with only URL-safe characters', () => {
    const rand = mulberry32(3);
    for (const n of [0, 1, 2, 3, 4, 5, 255, 1000, 1001, 1002]) {
      const bytes = Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
      const text = toBase64Url(bytes);
      expect(text).toMatch(/^[A-Za-z0-9_-]*$/);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
  });

  it('refuses characters outside the alphabet and impossible lengths', () => {
    expect(codeOf(() => fromBase64Url('abc$'))).toBe('LINK_CORRUPT');
    expect(codeOf(() => fromBase64Url('abcde'))).toBe('LINK_CORRUPT');
  });
});

describe('histogram edges', () => {
  it('stores evenly spaced edges as two ends and spreads them back (linear and log)', () => {
    const lin = [0, 2.5, 5, 7.5, 10];
    expect(compactEdges(lin, false)).toEqual([0, 10]);
    expect(expandEdges([0, 10], 4, false)).toEqual(lin);
    const log = [1, 10, 100, 1000];
    expect(compactEdges(log, true)).toEqual([1, 1000]);
    expandEdges([1, 1000], 3, true).forEach((e, i) => expect(e).toBeCloseTo(log[i], 9));
    expect(compactEdges([0, 1, 5, 6], false)).toEqual([0, 1, 5, 6]);
  });

  it('merges bins keeping the total count and the outer edges', () => {
    const h = { kind: 'number' as const, edges: [0, 24], counts: Array.from({ length: 24 }, (_, i) => i) };
    const m = mergeHistogramBins(h, 6);
    expect(m.counts).toHaveLength(6);
    expect(m.counts.reduce((a, b) => a + b, 0)).toBe(h.counts.reduce((a, b) => a + b, 0));
    expect(expandEdges(m.edges, 6, false)).toEqual([0, 4, 8, 12, 16, 20, 24]);
  });
});

describe('links of the Olist inventory', () => {
  let snap: Snapshot;
  beforeAll(() => {
    snap = buildSnapshot({ inventory: olist }, { appVersion: '0.1.0', now: Date.UTC(2026, 10, 23) });
  });

  it('round-trips the whole snapshot through the hash unchanged (no budget)', () => {
    const hash = encodeSnapshotHash(snap);
    expect(hash.startsWith('s=')).toBe(true);
    expect(decodeSnapshotHash(`#${hash}`)).toEqual(snap);
    // The hash parameter may sit beside others.
    expect(decodeSnapshotHash(`#x=1&${hash}`).source.name).toBe('olist');
  });

  it(`fits in ${LINK_BUDGET} characters of URL, keeping every table, column, key and relation`, () => {
    const fit = fitSnapshotLink(snap, BASE);
    console.log(`Olist snapshot link: ${fit.length} characters (${fit.length - BASE.length - 3} of payload; full snapshot ${encodeSnapshotHash(snap).length}); trimmed: ${fit.trimmed.join('; ') || 'nothing'}`);
    expect(fit.fits).toBe(true);
    expect(fit.length).toBeLessThanOrEqual(8192);
    expect(fit.url.length).toBe(fit.length);
    const back = decodeSnapshotHash(new URL(fit.url).hash);
    expect(back.redaction.trimmed).toEqual(fit.trimmed);
    expect(back.tables.map((t) => t.name)).toEqual(snap.tables.map((t) => t.name));
    for (const t of snap.tables) {
      const bt = back.tables.find((x) => x.name === t.name)!;
      expect(bt.rowCount).toBe(t.rowCount);
      expect(bt.primaryKey).toBe(t.primaryKey);
      expect(bt.keyCandidates).toEqual(t.keyCandidates);
      expect(bt.columns.map((c) => [c.name, c.semanticType, c.nullCount, c.distinct])).toEqual(t.columns.map((c) => [c.name, c.semanticType, c.nullCount, c.distinct]));
      // Histograms that survive keep every row they counted.
      for (const c of bt.columns) {
        const orig = t.columns.find((x) => x.name === c.name)!;
        if (c.histogram && orig.histogram) {
          expect(c.histogram.counts.reduce((a, b) => a + b, 0)).toBe(orig.histogram.counts.reduce((a, b) => a + b, 0));
          expect(c.histogram.edges).toHaveLength(c.histogram.counts.length + 1);
        }
      }
    }
    expect(back.relations).toHaveLength(olist.relations.length);
    expect(back.graph!.links).toHaveLength(olist.relations.length);
  });

  it('trims nothing when the budget is generous, and says so when even full trimming cannot fit', () => {
    const roomy = fitSnapshotLink(snap, BASE, 1_000_000);
    expect(roomy.fits).toBe(true);
    expect(roomy.trimmed).toEqual([]);
    const tiny = fitSnapshotLink(snap, BASE, 1000);
    expect(tiny.fits).toBe(false);
    expect(tiny.length).toBeGreaterThan(1000);
    expect(tiny.trimmed).toContain('histograms');
  });

  it('gives LINK_CORRUPT for a cut-off or altered link and SNAPSHOT_INVALID for a valid stream of garbage', () => {
    const hash = encodeSnapshotHash(snap);
    expect(codeOf(() => decodeSnapshotHash('#'))).toBe('LINK_CORRUPT');
    expect(codeOf(() => decodeSnapshotHash('#s='))).toBe('LINK_CORRUPT');
    expect(codeOf(() => decodeSnapshotHash(`#${hash.slice(0, Math.floor(hash.length / 2))}`))).toBe('LINK_CORRUPT');
    const bytes = serializeSnapshot(snap);
    const altered = bytes.slice();
    altered[Math.floor(altered.length / 2)] ^= 0xff;
    expect(['LINK_CORRUPT', 'SNAPSHOT_INVALID']).toContain(codeOf(() => parseSnapshotBytes(altered)));
    expect(codeOf(() => decodeSnapshotHash(`#s=${toBase64Url(new TextEncoder().encode('not deflate at all'))}`))).toBe('LINK_CORRUPT');
    const notSnapshot = serializeSnapshot({ format: 'other' } as unknown as Snapshot);
    expect(codeOf(() => parseSnapshotBytes(notSnapshot))).toBe('SNAPSHOT_INVALID');
  });
});
