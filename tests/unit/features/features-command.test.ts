// `stocktake features`: one CSV and one Parquet file per feature table plus features.json in the
// contract's shape, on the real Olist export; a bad cut-off fails with a typed error and leaves no
// output folder (nothing half-written).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runFeaturesCommand } from '../../../src/cli/commands/features.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

const olist = resolve(process.cwd(), '../shared/data/olist');
const root = mkdtempSync(join(tmpdir(), 'stocktake-features-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface FeaturesJson {
  cutoff: string;
  keyUsed: string;
  tables: {
    name: string;
    entity: string;
    key: string;
    rows: number;
    cutoff: string;
    columns: { name: string; description: string; descriptionZh: string; sql: string; nullRate: number; distinct: number }[];
    quality: { target?: { importance: { features: unknown[] } }; redundantPairs: unknown[] } | null;
  }[];
}

describe('runFeaturesCommand', () => {
  it('writes CSV + Parquet per table and features.json with the contract fields', async () => {
    const out = join(root, 'olist-features');
    expect(existsSync(olist)).toBe(true);
    expect(await runFeaturesCommand([olist, '--out', out, '--cutoff', '2018-03-01', '--target', 'repeat:90'])).toBe(0);
    const doc = JSON.parse(readFileSync(join(out, 'features.json'), 'utf8')) as FeaturesJson;
    expect(doc.cutoff).toBe('2018-03-01');
    expect(doc.keyUsed).toMatch(/customer_unique_id/);
    expect(doc.tables.map((t) => [t.name, t.entity, t.key])).toEqual([
      ['item_features', 'item', 'item_id'],
      ['user_profiles', 'user', 'user_id'],
      ['user_category_affinity', 'user_category', 'user_id,category'],
    ]);
    expect(readdirSync(out).sort()).toEqual(['features.json', ...doc.tables.flatMap((t) => [`${t.name}.csv`, `${t.name}.parquet`])].sort());
    const engine = await DuckDbNodeEngine.create();
    try {
      for (const t of doc.tables) {
        expect(t.cutoff).toBe('2018-03-01');
        expect(t.rows).toBeGreaterThan(1000);
        for (const c of t.columns) {
          expect(Object.keys(c)).toEqual(expect.arrayContaining(['name', 'description', 'sql', 'nullRate']));
          expect(c.nullRate).toBeGreaterThanOrEqual(0);
          expect(c.nullRate).toBeLessThanOrEqual(1);
        }
        const csv = join(out, `${t.name}.csv`);
        const pq = join(out, `${t.name}.parquet`);
        const [a] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM read_csv('${csv}', header = true)`);
        const [b] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${pq}')`);
        expect(a.n).toBe(t.rows);
        expect(b.n).toBe(t.rows);
        const cols = await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet('${pq}'))`);
        expect(cols.map((c) => c.column_name)).toEqual(t.columns.map((c) => c.name));
        // The dictionary's null rate is the file's.
        const first = t.columns.find((c) => c.nullRate > 0);
        if (first) {
          const [n] = await engine.query<{ z: number }>(`SELECT count(*) FILTER (WHERE "${first.name}" IS NULL) / count(*) AS z FROM read_parquet('${pq}')`);
          expect(n.z).toBeCloseTo(first.nullRate, 12);
        }
      }
    } finally {
      engine.close();
    }
    const users = doc.tables.find((t) => t.name === 'user_profiles')!;
    expect(users.quality?.target?.importance.features.length).toBeGreaterThan(5);
  }, 120_000);

  it('fails on a cut-off outside the span and writes nothing', async () => {
    const out = join(root, 'bad');
    await expect(runFeaturesCommand([olist, '--out', out, '--cutoff', '2001-01-01'])).rejects.toThrow(/CUTOFF_OUT_OF_SPAN/);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(root).filter((f) => f.includes('partial'))).toEqual([]);
    await expect(runFeaturesCommand([olist])).rejects.toThrow(/--out DIR is required/);
  }, 120_000);
});
