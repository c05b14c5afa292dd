// Foreign-key inference on all nine real Olist tables and on the seeded shop export with planted
// orphans; orphan counts are recomputed independently with SQL anti-joins.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileTable } from '../../../src/core/profile/profile-table.ts';
import { inferForeignKeys } from '../../../src/core/relations/infer-foreign-keys.ts';
import type { ColumnProfile, ForeignKey, TableProfile } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { generateExport } from '../../fixtures/generate-export.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');
let engine: DuckDbNodeEngine;
beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
});
afterAll(() => engine.close());

/** Profiles loaded tables into the shape buildInventory hands to inferForeignKeys. */
async function profileAll(names: string[], prefix = ''): Promise<{ tables: TableProfile[]; columns: ColumnProfile[] }> {
  const tables: TableProfile[] = [];
  const columns: ColumnProfile[] = [];
  for (const name of names) {
    const s = await profileTable(engine, prefix + name, { importId: 't' });
    tables.push({
      importId: 't', name: prefix + name, file: `${name}.csv`, format: 'csv', encoding: 'utf-8', bytes: 0, rowCount: s.rowCount,
      columnCount: s.columns.length, loadPath: 'memory', keyCandidates: s.keyCandidates, primaryKey: s.primaryKey, issues: [], duplicateRows: s.duplicateRows,
    });
    columns.push(...s.columns);
  }
  return { tables, columns };
}

/** Orphan rows and distinct orphan values by an independent anti-join. */
async function countOrphans(fk: ForeignKey): Promise<{ rows: number; values: number; childRows: number }> {
  const [r] = await engine.query<{ rows: number; values: number; child_rows: number }>(
    `SELECT count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM "${fk.toTable}" p WHERE p."${fk.toColumn}" = c."${fk.fromColumn}"))::INTEGER AS rows,
            count(DISTINCT c."${fk.fromColumn}") FILTER (WHERE NOT EXISTS (SELECT 1 FROM "${fk.toTable}" p WHERE p."${fk.toColumn}" = c."${fk.fromColumn}"))::INTEGER AS values,
            count(*)::INTEGER AS child_rows
     FROM "${fk.fromTable}" c WHERE c."${fk.fromColumn}" IS NOT NULL`,
  );
  return { rows: r.rows, values: r.values, childRows: r.child_rows };
}

describe('inferForeignKeys on Olist (real data)', () => {
  let fks: ForeignKey[];
  let columns: ColumnProfile[];
  beforeAll(async () => {
    if (!existsSync(olistDir)) throw new Error(`Olist data missing at ${olistDir}`);
    const files = readdirSync(olistDir).filter((f) => f.endsWith('.csv'));
    expect(files).toHaveLength(9);
    const names = files.map((f) => f.replace('.csv', ''));
    for (const f of files) await engine.query(`CREATE TABLE "${f.replace('.csv', '')}" AS SELECT * FROM read_csv('${join(olistDir, f)}')`);
    const profiled = await profileAll(names);
    columns = profiled.columns;
    fks = await inferForeignKeys(engine, profiled.tables, profiled.columns, { importId: 't' });
  });

  it.each([
    ['olist_order_items_dataset', 'order_id', 'olist_orders_dataset', 'order_id'],
    ['olist_order_items_dataset', 'product_id', 'olist_products_dataset', 'product_id'],
    ['olist_order_items_dataset', 'seller_id', 'olist_sellers_dataset', 'seller_id'],
    ['olist_orders_dataset', 'customer_id', 'olist_customers_dataset', 'customer_id'],
    ['olist_order_payments_dataset', 'order_id', 'olist_orders_dataset', 'order_id'],
    ['olist_order_reviews_dataset', 'order_id', 'olist_orders_dataset', 'order_id'],
  ])('%s.%s → %s.%s with exact orphan counts', async (fromTable, fromColumn, toTable, toColumn) => {
    const fk = fks.find((f) => f.fromTable === fromTable && f.fromColumn === fromColumn);
    expect(fk).toMatchObject({ toTable, toColumn });
    const o = await countOrphans(fk!);
    expect(fk!.orphanRows).toBe(o.rows);
    expect(fk!.orphanValues).toBe(o.values);
    expect(fk!.childRows).toBe(o.childRows);
    expect(o.rows).toBe(0); // the Olist subset is consistent: a reported orphan would be a bug
    expect(fk!.coverage).toBe(1);
  });

  it('invents nothing: every FK joins an id or category column to a key, never numbers to the translation table', () => {
    for (const fk of fks) {
      const child = columns.find((c) => c.table === fk.fromTable && c.name === fk.fromColumn)!;
      if (fk.toTable === 'product_category_name_translation') expect(child.physicalType).toBe('varchar');
      expect(fk.coverage).toBeGreaterThanOrEqual(0.9);
      expect(['id', 'category', 'code']).toContain(child.semanticType);
    }
    // One parent per child column, and the customers key does not point back at orders.
    const keys = fks.map((f) => `${f.fromTable}.${f.fromColumn}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(fks.some((f) => f.fromTable === 'olist_customers_dataset')).toBe(false);
    expect(fks.some((f) => f.fromTable === 'olist_geolocation_dataset')).toBe(false);
  });
});

describe('inferForeignKeys on the seeded shop export', () => {
  const { files, expected } = generateExport({ seed: 42 });
  let fks: ForeignKey[];
  let profiled: { tables: TableProfile[]; columns: ColumnProfile[] };
  beforeAll(async () => {
    const enc = new TextEncoder();
    const names = Object.keys(expected.tables);
    for (const name of names) {
      const file = expected.tables[name as keyof typeof expected.tables].file;
      await engine.registerBuffer(`shop-${file}`, enc.encode(files[file]));
      await engine.query(`CREATE TABLE "shop_${name}" AS SELECT * FROM read_csv('shop-${file}')`);
    }
    // Tables are prefixed to live beside Olist; rename back so names match the answer key.
    for (const name of names) await engine.query(`ALTER TABLE "shop_${name}" RENAME TO "${name}"`);
    profiled = await profileAll(names);
    fks = await inferForeignKeys(engine, profiled.tables, profiled.columns, { importId: 'shop' });
  });

  it('finds exactly the planted foreign keys with their orphans', async () => {
    const got = fks.map((f) => ({
      fromTable: f.fromTable, fromColumn: f.fromColumn, toTable: f.toTable, toColumn: f.toColumn,
      childRows: f.childRows, orphanRows: f.orphanRows, orphanValues: f.orphanValues,
    }));
    const key = (f: { fromTable: string; fromColumn: string }) => `${f.fromTable}.${f.fromColumn}`;
    expect([...got].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected.foreignKeys].sort((a, b) => key(a).localeCompare(key(b))));
    const items = fks.find((f) => f.fromTable === 'order_items' && f.fromColumn === 'product_id')!;
    const o = await countOrphans(items);
    expect(items.orphanRows).toBe(o.rows);
    expect(items.orphanValues).toBe(o.values);
    expect(items.orphanRows).toBe(expected.defects.orphanItems.rows);
    expect(items.coverage).toBeCloseTo(1 - o.values / (await engine.query<{ d: number }>(`SELECT count(DISTINCT product_id)::INTEGER d FROM order_items`))[0].d, 12);
  });

  it('honours minCoverage', async () => {
    const strict = await inferForeignKeys(engine, profiled.tables, profiled.columns, { importId: 'shop', minCoverage: 0.999 });
    expect(strict).toHaveLength(expected.foreignKeys.length - 1);
    expect(strict.some((f) => f.fromTable === 'order_items' && f.fromColumn === 'product_id')).toBe(false);
  });
});
