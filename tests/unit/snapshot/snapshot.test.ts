// Snapshots of the seeded shop export (planted PII) built through the real inventory, quality and rule
// paths on native DuckDB: no raw value of a PII column anywhere in the envelope, samples only when
// asked, and restoreSnapshot as the one door (round trip, a version 0 upgrade, typed refusals).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { runQualityChecks } from '../../../src/core/quality/checks.ts';
import { suggestRules } from '../../../src/core/quality/suggest-rules.ts';
import type { QualityReport } from '../../../src/core/quality/types.ts';
import {
  buildSnapshot,
  restoreSnapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  snapshotToInventory,
  SnapshotError,
  type Snapshot,
} from '../../../src/core/snapshot/snapshot.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { generateExport } from '../../fixtures/generate-export.ts';

const { files, expected } = generateExport({ seed: 42, scale: 1 });
let engine: DuckDbNodeEngine;
let inventory: Inventory;
let report: QualityReport;

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  const sources = Object.entries(files).map(([name, text]) => sourceFromBytes(name, new TextEncoder().encode(text)));
  inventory = (await buildInventory(sources, engine)).inventory;
  report = await runQualityChecks(engine, inventory, { now: Date.UTC(2030, 0, 1) });
}, 120_000);
afterAll(() => engine.close());

/**
 * Every distinct raw value of a column, less placeholders ("null", "N/A": spellings of missing, not
 * personal data) and values of 3 characters or fewer (which could match by accident).
 */
async function rawValues(table: string, column: string): Promise<string[]> {
  const placeholders = new Set(inventory.columns.find((c) => c.table === table && c.name === column)!.placeholders.map((p) => p.value.trim()));
  const rows = await engine.query<{ v: string }>(`SELECT DISTINCT CAST("${column}" AS VARCHAR) v FROM "${table}" WHERE "${column}" IS NOT NULL`);
  return rows.map((r) => r.v.trim()).filter((v) => v.length > 3 && !placeholders.has(v));
}

function buildFull(includeSamples: boolean): Snapshot {
  const rules = suggestRules(inventory);
  return buildSnapshot(
    {
      inventory,
      quality: report,
      rules: { rules, dismissed: ['x'] },
      models: [{ table: 'reviews', target: 'rating', textColumns: ['text'], version: 2, classes: ['1', '5'], metrics: { accuracy: 0.8, macroF1: 0.7 }, createdAt: 5 }],
      tags: [
        { table: 'products', column: 'title', kind: 'brand', normalized: 'apple' },
        { table: 'products', column: 'title', kind: 'brand', normalized: 'apple' },
        { table: 'products', column: 'title', kind: 'color', normalized: 'red' },
      ],
    },
    { appVersion: '0.1.0', includeSamples, now: Date.UTC(2026, 10, 1) },
  );
}

describe('buildSnapshot', () => {
  it('finds the planted PII columns and carries none of their raw values, samples on or off', async () => {
    const piiRefs = Object.keys(expected.pii).sort();
    expect(piiRefs.length).toBeGreaterThan(0);
    for (const includeSamples of [false, true]) {
      const snap = buildFull(includeSamples);
      expect(snap.redaction.piiColumns).toEqual(expect.arrayContaining(piiRefs));
      const text = JSON.stringify(snap);
      for (const ref of snap.redaction.piiColumns) {
        const [table, column] = ref.split('.');
        const values = await rawValues(table, column);
        expect(values.length, ref).toBeGreaterThan(0);
        const leaked = values.filter((v) => text.includes(JSON.stringify(v).slice(1, -1)));
        expect(leaked, `${ref} leaked`).toEqual([]);
        const col = snap.tables.find((t) => t.name === table)!.columns.find((c) => c.name === column)!;
        expect(col).toMatchObject({ samples: [], topValues: [], min: null, max: null, quantiles: null, histogram: null });
        expect(col.pii?.kind).toBeDefined();
        // Shapes stay: they say what the values look like without any of them.
        expect(col.patterns.length).toBeGreaterThan(0);
      }
    }
  });

  it('keeps raw samples of other columns only when asked; quality issues never carry sample rows', () => {
    const without = buildFull(false);
    const withSamples = buildFull(true);
    const all = (s: Snapshot) => s.tables.flatMap((t) => t.columns);
    expect(all(without).every((c) => c.samples.length === 0)).toBe(true);
    expect(all(withSamples).filter((c) => !c.pii).some((c) => c.samples.length > 0)).toBe(true);
    expect(withSamples.redaction.includeSamples).toBe(true);
    const issue = withSamples.quality!.issues[0] as unknown as Record<string, unknown>;
    expect(issue.samples).toBeUndefined();
    expect(issue.clusters).toBeUndefined();
  });

  it('holds the catalog, quality summary, rules, model and tag summaries and the schema graph', () => {
    const snap = buildFull(false);
    expect(snap.format).toBe(SNAPSHOT_FORMAT);
    expect(snap.version).toBe(SNAPSHOT_VERSION);
    expect(snap.tables.map((t) => t.name)).toEqual([...inventory.tables.map((t) => t.name)].sort());
    for (const t of snap.tables) expect(t.columns.map((c) => c.index)).toEqual(t.columns.map((_, i) => i));
    expect(snap.relations).toHaveLength(inventory.relations.length);
    expect(snap.quality!.score).toBe(report.score);
    expect(snap.quality!.issues).toHaveLength(report.issues.length);
    const counts = snap.quality!.counts;
    expect(counts.error + counts.warning + counts.info).toBe(report.issues.length);
    expect(snap.rules!.rules.length).toBe(suggestRules(inventory).length);
    expect(snap.rules!.dismissed).toBe(1);
    // Rules of PII columns lose value lists and ranges.
    for (const r of snap.rules!.rules.filter((r) => snap.redaction.piiColumns.includes(`${r.table}.${r.column}`))) {
      expect(r.params?.values).toBeUndefined();
    }
    expect(snap.models![0]).toMatchObject({ target: 'rating', accuracy: 0.8, macroF1: 0.7, classes: ['1', '5'] });
    expect(snap.tags).toEqual([
      { table: 'products', column: 'title', kind: 'brand', count: 2, top: [{ value: 'apple', count: 2 }] },
      { table: 'products', column: 'title', kind: 'color', count: 1, top: [{ value: 'red', count: 1 }] },
    ]);
    expect(snap.graph!.nodes).toHaveLength(snap.tables.length);
    expect(snap.graph!.links).toHaveLength(snap.relations.length);
  });
});

describe('restoreSnapshot', () => {
  it('round-trips through JSON to the same snapshot, and back to an inventory under a new id', () => {
    const snap = buildFull(false);
    const restored = restoreSnapshot(JSON.parse(JSON.stringify(snap)));
    expect(restored).toEqual(snap);
    const inv = snapshotToInventory(restored, 'snap-1');
    expect(inv.import.id).toBe('snap-1');
    expect(inv.columns).toHaveLength(inventory.columns.length);
    expect(inv.columns.every((c) => c.importId === 'snap-1')).toBe(true);
    expect(inv.relations.map((r) => `${r.fromTable}.${r.fromColumn}`).sort()).toEqual(inventory.relations.map((r) => `${r.fromTable}.${r.fromColumn}`).sort());
  });

  it('upgrades a version 0 envelope (flat inventory, `created`) to the current version', () => {
    const v0 = {
      format: SNAPSHOT_FORMAT,
      version: 0,
      created: 1700000000000,
      import: { ...inventory.import },
      tables: inventory.tables,
      columns: inventory.columns,
      relations: inventory.relations,
    };
    const s = restoreSnapshot(JSON.parse(JSON.stringify(v0)));
    expect(s.version).toBe(SNAPSHOT_VERSION);
    expect(s.createdAt).toBe(1700000000000);
    expect(s.source.name).toBe(inventory.import.name);
    const users = s.tables.find((t) => t.name === 'users')!;
    expect(users.columns.map((c) => c.name)).toEqual(inventory.columns.filter((c) => c.table === 'users').sort((a, b) => a.index - b.index).map((c) => c.name));
    expect(s.graph!.links).toHaveLength(inventory.relations.length);
  });

  it('refuses garbage, other formats and newer versions with typed errors', () => {
    const code = (input: unknown): string => {
      try {
        restoreSnapshot(input);
      } catch (e) {
        expect(e).toBeInstanceOf(SnapshotError);
        return (e as SnapshotError).code;
      }
      return 'none';
    };
    const good = JSON.parse(JSON.stringify(buildFull(false)));
    expect(code(null)).toBe('SNAPSHOT_INVALID');
    expect(code('hello')).toBe('SNAPSHOT_INVALID');
    expect(code([1, 2])).toBe('SNAPSHOT_INVALID');
    expect(code({ format: 'stocktake-rules', version: 1, rules: [] })).toBe('SNAPSHOT_INVALID');
    expect(code({ ...good, version: 'one' })).toBe('SNAPSHOT_INVALID');
    expect(code({ ...good, version: -1 })).toBe('SNAPSHOT_INVALID');
    expect(code({ ...good, version: SNAPSHOT_VERSION + 1 })).toBe('SNAPSHOT_TOO_NEW');
    expect(code({ ...good, tables: 'none' })).toBe('SNAPSHOT_INVALID');
    expect(code({ ...good, tables: [{ name: 'x', rowCount: 1, columns: [{ name: 'a' }] }] })).toBe('SNAPSHOT_INVALID');
    expect(code(good)).toBe('none');
  });
});
