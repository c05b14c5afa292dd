import { describe, expect, it } from 'vitest';
import type { ColumnProfile, Inventory } from '../../../src/core/types.ts';
import { buildTagJobSql, planTagJobs } from '../../../src/core/tagging/plan-tag-jobs.ts';
import { tagTable } from '../../../src/core/tagging/tag-table.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { readCnReviews, sampleSeeded } from './shared-data.ts';

const fast = { classifier: { dim: 16, epochs: 10, lr: 1 } };

describe('tagTable refusals and warnings', () => {
  it('explains why no model: empty target, one class, too many classes, no text', async () => {
    const texts = [['红色手机', '蓝色手机', '苹果']];
    expect(await tagTable({ texts, labels: [null, '', '  '] }, fast)).toMatchObject({ ok: false, code: 'EMPTY_TARGET' });
    expect(await tagTable({ texts, labels: ['a', 'a', null] }, fast)).toMatchObject({ ok: false, code: 'ONE_CLASS' });
    expect(await tagTable({ texts: [[null, '', ' ']], labels: ['a', 'b', 'a'] }, fast)).toMatchObject({ ok: false, code: 'NO_TEXT' });
    const many = Array.from({ length: 402 }, (_, i) => `c${Math.floor(i / 2)}`);
    expect(await tagTable({ texts: [many.map((c) => `item ${c}`)], labels: many }, fast)).toMatchObject({ ok: false, code: 'TOO_MANY_CLASSES' });
    // Only one value occurs twice: the singleton is dropped and one class is left.
    expect(await tagTable({ texts, labels: ['a', 'a', 'b'] }, fast)).toMatchObject({ ok: false, code: 'ONE_CLASS' });
  });

  it('trains on a tiny table but marks it unreliable, dropping single-row classes', async () => {
    const texts = [['红色连衣裙', '蓝色连衣裙', '白色衬衫', '黑色衬衫', '好吃的苹果', '新鲜苹果', '一本书']];
    const r = await tagTable({ texts, labels: ['衣服', '衣服', '衣服', '衣服', '水果', '水果', '书籍'] }, fast);
    if (!r.ok) throw new Error(r.reason);
    expect(r.classes).toEqual(['水果', '衣服']);
    expect(r.reliability).toBe('low');
    expect(r.rows).toEqual([0, 1, 2, 3, 4, 5]);
    expect(r.metrics.k).toBe(2);
    expect(r.warnings.join('\n')).toMatch(/one row only.*"书籍"/);
  });
});

describe('tagTable on real reviews', () => {
  it('reports out-of-fold metrics, suspects by input row and predictions for missing labels', async () => {
    const picked = sampleSeeded(readCnReviews().filter((r) => r.cat === '书籍' || r.cat === '水果' || r.cat === '酒店'), 600, 3);
    const truth = picked.map((r) => r.cat);
    const labels: (string | null)[] = [...truth];
    for (let i = 0; i < 600; i += 20) labels[i] = null; // 30 rows to predict
    labels[1] = labels[1] === '书籍' ? '酒店' : '书籍'; // one planted wrong label
    const r = await tagTable({ texts: [picked.map((p) => p.review)], labels }, { ...fast, finalModel: 'if-missing', minOdds: 2 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.classes).toEqual(['书籍', '水果', '酒店']);
    expect(r.rows).toHaveLength(570);
    expect(r.reliability).toBe('ok');
    expect(r.metrics.accuracy).toBeGreaterThan(0.85);
    expect(r.suspects.map((s) => s.row)).toContain(1);
    expect(r.suspects.find((s) => s.row === 1)).toMatchObject({ given: labels[1], suggested: truth[1] });
    expect(r.predictionsForMissing.map((p) => p.row)).toEqual(Array.from({ length: 30 }, (_, i) => i * 20));
    const correct = r.predictionsForMissing.filter((p) => p.label === truth[p.row]).length;
    expect(correct / 30).toBeGreaterThan(0.8);
    expect(r.model).not.toBeNull();
    expect(r.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);
  }, 30_000);
});

describe('planTagJobs and row order', () => {
  it('pairs text columns with 2–200-value category targets', () => {
    const col = (name: string, index: number, semanticType: ColumnProfile['semanticType'], distinct: number) =>
      ({ table: 'products', name, index, semanticType, distinct }) as ColumnProfile;
    const inventory = {
      tables: [{ name: 'products' }],
      columns: [col('title', 0, 'title', 900), col('cat', 1, 'category', 12), col('status', 2, 'category', 1), col('desc', 3, 'text', 800), col('sku', 4, 'category', 500)],
    } as unknown as Inventory;
    expect(planTagJobs(inventory)).toEqual([
      { table: 'products', text: ['title'], target: 'cat' },
      { table: 'products', text: ['desc'], target: 'cat' },
    ]);
  });

  it('reads rows in file order: rowid of a table created from a CSV is the 0-based data row', async () => {
    const engine = await DuckDbNodeEngine.create({ threads: 2 });
    try {
      // Enough rows for several row groups and parallel reading, with quoted multi-line fields.
      const lines = ['title,cat'];
      for (let i = 0; i < 150_000; i++) lines.push(i % 1000 === 0 ? `"line one ${i}\nline two",c${i % 7}` : `item ${i},c${i % 7}`);
      await engine.registerBuffer('rows.csv', new TextEncoder().encode(lines.join('\n')));
      await engine.query(`CREATE TABLE products AS SELECT * FROM read_csv('rows.csv', header = true)`);
      const rows = await engine.query<{ row: number; t0: string; y: string }>(buildTagJobSql({ table: 'products', text: ['title'], target: 'cat' }));
      expect(rows).toHaveLength(150_000);
      const bad = rows.findIndex((r, i) => Number(r.row) !== i || !r.t0.includes(` ${i}`) || r.y !== `c${i % 7}`);
      expect(bad).toBe(-1);
    } finally {
      engine.close();
    }
  });
});
