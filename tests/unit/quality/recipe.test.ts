// Fix recipes on the planted export: the suggested recipe removes the planted defects through views,
// leaves every other cell and the original tables as they were; previews, undo, reorder and JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ident } from '../../../src/core/engine/sql-engine.ts';
import { runQualityChecks } from '../../../src/core/quality/checks.ts';
import { applyRecipe, cleanViewName, compileRecipe, createRecipe, moveStep, parseRecipe, previewStep, recipeToSql, removeStep, serializeRecipe, type CleaningLog, type Recipe } from '../../../src/core/quality/recipe.ts';
import { suggestRecipe } from '../../../src/core/quality/suggest-recipe.ts';
import type { QualityReport } from '../../../src/core/quality/types.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadCsvTables, profileLoaded } from './load-tables.ts';
import { generatePlantedExport } from './planted-export.ts';

const fx = generatePlantedExport();
let engine: DuckDbNodeEngine;
let inv: Inventory;
let report: QualityReport;
let recipe: Recipe;
let log: CleaningLog;
let tables: string[];
let columns: Record<string, string[]>;
const originalChecksums = new Map<string, string>();

async function checksum(relation: string): Promise<string> {
  return JSON.stringify(await engine.query(`SELECT count(*) AS n, sum(hash(COLUMNS(*)) % 1000003) FROM ${ident(relation)}`));
}

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  inv = await loadCsvTables(engine, fx.files);
  tables = inv.tables.map((t) => t.name);
  columns = Object.fromEntries(tables.map((t) => [t, inv.columns.filter((c) => c.table === t).map((c) => c.name)]));
  for (const t of tables) originalChecksums.set(t, await checksum(t));
  report = await runQualityChecks(engine, inv, { now: fx.now });
  recipe = suggestRecipe(report);
  log = await applyRecipe(engine, recipe, tables, { columns, now: fx.now });
}, 60_000);
afterAll(() => engine.close());

describe('the suggested recipe', () => {
  it('removes every planted defect that has a mechanical fix', async () => {
    const cleanInv = await profileLoaded(engine, tables.map(cleanViewName));
    const after = await runQualityChecks(engine, cleanInv, { now: fx.now });
    const left = after.issues.map((i) => i.id.replace(/clean_/g, ''));
    // Nulls stay nulls and a product's two titles need a person to choose: those are not auto-fixed.
    const fixable = Object.keys(fx.expected).filter((id) => !id.startsWith('completeness:null:') && !id.includes('several-values'));
    expect(fixable.length).toBeGreaterThan(20);
    for (const id of fixable) expect(left, id).not.toContain(id);
    const unexpected = after.issues.filter((i) => i.severity !== 'info' && i.dimension !== 'timeliness' && i.code !== 'null' && !i.code.startsWith('several-values'));
    expect(unexpected.map((i) => `${i.id} ${i.count}`)).toEqual([]);
  });

  it('drops exactly the planted duplicate and orphan rows', () => {
    const rows = Object.fromEntries(log.views.filter((v) => v.view.startsWith('clean_')).map((v) => [v.table, v.rowsBefore - v.rowsAfter]));
    // reviews: two duplicate ids and one review of an order that does not exist (quarantined).
    expect(rows).toEqual({ customers: 0, products: 0, orders: 0, order_items: 2, reviews: 3, visits: 3 });
  });

  it('leaves every cell of untouched columns as it was', async () => {
    for (const t of tables) {
      const touched = new Set(recipe.steps.filter((s) => s.table === t && 'column' in s && s.kind !== 'drop-orphans').map((s) => (s as { column: string }).column));
      const untouched = columns[t].filter((c) => !touched.has(c)).map(ident).join(', ');
      const extra = await engine.query(`SELECT ${untouched} FROM ${ident(cleanViewName(t))} EXCEPT ALL SELECT ${untouched} FROM ${ident(t)}`);
      expect(extra, t).toEqual([]);
      if (!recipe.steps.some((s) => s.table === t)) expect(await checksum(cleanViewName(t))).toBe(originalChecksums.get(t));
    }
    // customers has only column steps: same rows, and untouched columns have identical checksums.
    const keep = columns.customers.filter((c) => !recipe.steps.some((s) => s.table === 'customers' && 'column' in s && s.column === c)).map(ident).join(', ');
    const a = await engine.query(`SELECT count(*) AS n, sum(hash(${keep}) % 1000003) AS h FROM customers`);
    const b = await engine.query(`SELECT count(*) AS n, sum(hash(${keep}) % 1000003) AS h FROM clean_customers`);
    expect(b).toEqual(a);
  });

  it('never modifies the original tables', async () => {
    for (const t of tables) expect(await checksum(t)).toBe(originalChecksums.get(t));
  });

  it('logs each step with the cells or rows it changed', () => {
    expect(log.steps).toHaveLength(recipe.steps.length);
    const merge = log.steps.find((s) => s.kind === 'merge-cluster' && s.column === 'category')!;
    expect(merge.cellsChanged).toBe(fx.expected['consistency:spellings:products.category']);
    const neg = log.steps.find((s) => s.kind === 'set-null-where' && s.table === 'order_items' && s.column === 'price')!;
    expect(neg.cellsChanged).toBe(2);
    const orphans = log.steps.find((s) => s.kind === 'drop-orphans' && s.table === 'order_items')!;
    expect(orphans.rowsBefore - orphans.rowsAfter).toBe(2);
    expect(orphans.samples.map((r) => r.product_id).sort()).toEqual(['p-missing', 'p-missing2']);
  });

  it('quarantines orphans in their own view', async () => {
    const q = await engine.query<{ product_id: string }>(`SELECT product_id FROM quarantine_order_items ORDER BY 1`);
    expect(q.map((r) => r.product_id)).toEqual(['p-missing', 'p-missing2']);
  });
});

describe('recipe editing', () => {
  const steps = () => createRecipe([
    { kind: 'trim', table: 'customers', column: 'city' },
    { kind: 'null-placeholders', table: 'customers', column: 'city', values: [], blank: true },
    { kind: 'normalize-case', table: 'customers', column: 'city', mode: 'upper' },
  ]);

  it('previews a step against the steps before it', async () => {
    const r = steps();
    // After trimming, the two blank cities are '' and become NULL.
    expect((await previewStep(engine, r, 1)).cellsChanged).toBe(2);
    // Upper-casing changes every non-null city.
    const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM customers WHERE trim(city) <> ''`);
    expect((await previewStep(engine, r, 2)).cellsChanged).toBe(Number(n));
  });

  it('undo removes a step and reorder changes what a step sees', async () => {
    const r = steps();
    // Without the trim, blanks are still caught by the whitespace pattern.
    expect((await previewStep(engine, removeStep(r, 0), 0)).cellsChanged).toBe(2);
    const moved = moveStep(r, 2, 0);
    expect(moved.steps.map((s) => s.kind)).toEqual(['normalize-case', 'trim', 'null-placeholders']);
    expect(r.steps[0].kind).toBe('trim');
  });

  it('round-trips through JSON with a version and compiles to view SQL', () => {
    const json = serializeRecipe(recipe);
    expect(JSON.parse(json).version).toBe(1);
    expect(parseRecipe(json)).toEqual(recipe);
    expect(() => parseRecipe('{"format":"stocktake-recipe","version":99,"steps":[]}')).toThrow(/newer/);
    const sql = recipeToSql(recipe, tables, columns);
    expect(sql).toContain('CREATE OR REPLACE VIEW "clean_orders" AS');
    expect(compileRecipe(createRecipe(), ['visits'])[0].sql).toBe('CREATE OR REPLACE VIEW "clean_visits" AS WITH s0 AS (SELECT * FROM "visits") SELECT * FROM s0');
  });

  it('fills nulls with the median, mode or a constant', async () => {
    const r = createRecipe([
      { kind: 'fill', table: 'customers', column: 'email', method: 'constant', value: 'unknown@example.com' },
      { kind: 'fill', table: 'orders', column: 'delivered_at', method: 'median' },
    ]);
    expect((await previewStep(engine, r, 0)).cellsChanged).toBe(3);
    expect((await previewStep(engine, r, 1)).cellsChanged).toBe(fx.expected['completeness:null:orders.delivered_at']);
  });
});

describe('relabel-rows (accepted mislabel fixes)', () => {
  // Rows 0..5 in insertion order (the table's rowid); rows 4 and 5 are full duplicates.
  beforeAll(async () => {
    await engine.query(`CREATE OR REPLACE TABLE relabel_items AS SELECT * FROM (VALUES
      (1, 'shoes ', 'a'), (2, 'bags', 'b'), (3, 'shoes', 'c'), (4, 'hats', 'd'), (5, 'bags', 'e'), (5, 'bags', 'e')) t(id, category, title)`);
  });
  const relabel = { kind: 'relabel-rows', table: 'relabel_items', column: 'category', fixes: [{ row: 1, to: 'shoes' }, { row: 3, to: 'bags' }, { row: 4, to: 'shoes' }] } as const;

  it('sets the label on exactly the fixed rows, by original rowid, after earlier steps', async () => {
    const r = createRecipe([{ kind: 'trim', table: 'relabel_items', column: 'category' }, { ...relabel, fixes: [...relabel.fixes] }]);
    const p = await previewStep(engine, r, 1);
    expect(p.cellsChanged).toBe(3);
    expect(p.rowsAfter).toBe(6);
    expect(p.samples.map((s) => `${s.before}->${s.after}`).sort()).toEqual(['bags->shoes', 'bags->shoes', 'hats->bags']);
    const [view] = compileRecipe(r, ['relabel_items']);
    expect(view.sql).toContain(`CASE WHEN "__stocktake_row" IN (1, 4) THEN 'shoes' WHEN "__stocktake_row" IN (3) THEN 'bags' ELSE "category" END`);
    await engine.query(view.sql);
    const rows = await engine.query<{ id: number; category: string }>(`SELECT * FROM clean_relabel_items ORDER BY id, title`);
    // The hidden row column stays out of the clean view; the trim of row 0 still applies.
    expect(Object.keys(rows[0])).toEqual(['id', 'category', 'title']);
    expect(rows.map((x) => x.category)).toEqual(['shoes', 'shoes', 'shoes', 'bags', 'shoes', 'bags']);
    const orig = await engine.query<{ category: string }>(`SELECT category FROM relabel_items ORDER BY rowid`);
    expect(orig.map((x) => x.category)).toEqual(['shoes ', 'bags', 'shoes', 'hats', 'bags', 'bags']);
  });

  it('keeps duplicate removal working beside the hidden row column', async () => {
    const r = createRecipe([{ kind: 'drop-duplicate-rows', table: 'relabel_items' }, { ...relabel, fixes: [...relabel.fixes] }]);
    const p = await previewStep(engine, r, 0);
    expect([p.rowsBefore, p.rowsAfter]).toEqual([6, 5]);
    expect(p.samples).toEqual([{ id: 5, category: 'bags', title: 'e' }]);
    // Row 4 survives deduplication (the first of the pair) and is relabelled; row 5 is gone.
    expect((await previewStep(engine, r, 1)).cellsChanged).toBe(3);
    await engine.query(compileRecipe(r, ['relabel_items'])[0].sql);
    const rows = await engine.query<{ id: number; category: string }>(`SELECT id, category FROM clean_relabel_items ORDER BY id`);
    expect(rows.map((x) => `${x.id}:${x.category}`)).toEqual(['1:shoes ', '2:shoes', '3:shoes', '4:bags', '5:shoes']);
  });
});
