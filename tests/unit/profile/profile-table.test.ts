// profileTable on the seeded shop export through native DuckDB, checked against the planted defects,
// plus a 2,000-column table and independent SQL recomputations of the statistics.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileTable, type TableStats } from '../../../src/core/profile/profile-table.ts';
import type { ColumnProfile } from '../../../src/core/types.ts';
import { QUANTILE_LEVELS } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { generateExport, type ShopTable } from '../../fixtures/generate-export.ts';

const { files, expected } = generateExport({ seed: 42, scale: 1 });
const tableNames = Object.keys(expected.tables) as ShopTable[];
let engine: DuckDbNodeEngine;
const stats = {} as Record<ShopTable, TableStats>;
const progress: [number, number][] = [];

function column(ref: string): ColumnProfile {
  const [table, name] = ref.split('.') as [ShopTable, string];
  const c = stats[table].columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${ref}`);
  return c;
}

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  const enc = new TextEncoder();
  for (const t of tableNames) {
    const file = expected.tables[t].file;
    await engine.registerBuffer(file, enc.encode(files[file]));
    await engine.query(`CREATE TABLE ${t} AS SELECT * FROM read_csv('${file}')`);
    stats[t] = await profileTable(engine, t, { importId: 'fixture', onColumns: (done, total) => progress.push([done, total]) });
  }
});
afterAll(() => engine.close());

describe('profileTable on the seeded shop export', () => {
  it('counts rows and profiles every column in order', () => {
    for (const t of tableNames) {
      expect(stats[t].rowCount, t).toBe(expected.tables[t].rows);
      expect(stats[t].columns.map((c) => c.name)).toEqual(expected.tables[t].columns);
      expect(stats[t].columns.map((c) => c.index)).toEqual(expected.tables[t].columns.map((_, i) => i));
    }
    expect(progress).toContainEqual([7, 7]);
  });

  it('finds exactly the planted nulls, blanks and placeholders', () => {
    for (const t of tableNames) {
      for (const c of stats[t].columns) {
        const ref = `${t}.${c.name}` as const;
        expect(c.nullCount, ref).toBe(expected.nulls[ref] ?? 0);
        expect(c.emptyCount, ref).toBe(expected.blanks[ref] ?? 0);
        const want = expected.placeholders[ref] ?? {};
        expect(Object.fromEntries(c.placeholders.map((p) => [p.value, p.count])), ref).toEqual(want);
      }
    }
  });

  it('flags exactly the planted personal-data columns and masks their samples', () => {
    for (const t of tableNames) {
      for (const c of stats[t].columns) {
        const ref = `${t}.${c.name}` as const;
        expect(c.pii?.kind ?? null, ref).toBe(expected.pii[ref] ?? null);
      }
    }
    const idCard = column('users.id_card');
    // Every sampled value is in the table, so the valid share is the planted one.
    expect(idCard.pii!.sampled).toBe(expected.piiValues.validCnIds + expected.piiValues.invalidCnIds);
    expect(idCard.pii!.matched).toBe(expected.piiValues.validCnIds);
    expect(column('users.email').pii!.sampled).toBe(expected.piiValues.emails);
    expect(column('users.phone').pii!.matched).toBe(expected.piiValues.phones);
    for (const s of column('users.id_card').samples) expect(s).toMatch(/^\d{4}\*{10}[\dX*]{4}$/);
    for (const s of column('users.email').samples) expect(s).toMatch(/^.\*\*\*@/);
    for (const s of column('users.phone').samples) expect(s).toMatch(/\d{4}$/), expect(s).toContain('*');
    expect(column('users.city').pii).toBeNull();
  });

  it('chooses keys, composite keys and counts duplicate rows', () => {
    for (const t of tableNames) {
      const e = expected.tables[t];
      expect(stats[t].duplicateRows, t).toBe(e.duplicateRows);
      expect(stats[t].primaryKey, t).toBe(e.primaryKey);
      if (e.primaryKey) expect(stats[t].keyCandidates[0]).toEqual([e.primaryKey]);
      if (e.compositeKey) {
        expect(stats[t].keyCandidates.some((k) => k.length === 1), t).toBe(false);
        expect(stats[t].keyCandidates[0]).toEqual(e.compositeKey);
      }
    }
    expect(column('reviews.review_id').isUnique).toBe(false);
    expect(stats.reviews.keyCandidates).toEqual([]);
    expect(column('users.id').isUnique).toBe(true);
  });

  it('infers semantic types of the shop columns', () => {
    const want: Record<string, string> = {
      'users.id': 'id',
      'users.name': 'person_name',
      'users.email': 'email',
      'users.phone': 'phone',
      'users.city': 'city',
      'users.signup_at': 'timestamp',
      'products.product_id': 'id',
      'products.title': 'title',
      'products.brand': 'category',
      'products.category': 'category',
      'products.price': 'price',
      'products.color': 'category',
      'orders.status': 'category',
      'orders.purchased_at': 'timestamp',
      'orders.total': 'price',
      'order_items.quantity': 'quantity',
      'order_items.unit_price': 'price',
      'reviews.score': 'rating',
      'reviews.text': 'text',
    };
    for (const [ref, type] of Object.entries(want)) expect(column(ref).semanticType, ref).toBe(type);
  });

  it('matches independent SQL for min, max, mean, distinct and top values', async () => {
    const price = column('products.price');
    const [r] = await engine.query<{ lo: number; hi: number; m: number; s: number; neg: number; d: number }>(
      `SELECT min(price) lo, max(price) hi, avg(price) m, stddev_samp(price) s, count_if(price < 0)::INTEGER neg, count(DISTINCT price)::INTEGER d FROM products`,
    );
    expect(Number(price.min)).toBe(r.lo);
    expect(Number(price.max)).toBe(r.hi);
    expect(price.mean).toBeCloseTo(r.m, 9);
    expect(price.std).toBeCloseTo(r.s, 9);
    expect(r.neg).toBe(expected.defects.negativePrices.productIds.length);
    expect(Math.abs(price.distinct - r.d) / r.d).toBeLessThan(0.1);
    // Quantiles: monotone, exact ends; the table is smaller than the sample, so they are exact.
    expect(price.quantiles).toHaveLength(QUANTILE_LEVELS.length);
    expect(price.quantiles![0]).toBe(r.lo);
    expect(price.quantiles!.at(-1)).toBe(r.hi);
    const [{ med }] = await engine.query<{ med: number }>(`SELECT quantile_cont(price, 0.5) med FROM products`);
    expect(price.quantiles![QUANTILE_LEVELS.indexOf(0.5)]).toBeCloseTo(med, 9);
    const status = column('orders.status');
    const top = await engine.query<{ v: string; n: number }>(`SELECT status v, count(*)::INTEGER n FROM orders GROUP BY 1 ORDER BY n DESC, v`);
    expect(status.topValues).toEqual(top.map((t) => ({ value: t.v, count: t.n })));
    const qty = column('order_items.quantity');
    expect(Number(qty.max)).toBe(expected.defects.quantityOutliers.quantity);
  });

  it('builds histograms whose counts add up to the non-null rows, log-scaled for wide ranges', () => {
    for (const t of tableNames) {
      for (const c of stats[t].columns) {
        if (!c.histogram) continue;
        const total = c.histogram.counts.reduce((a, b) => a + b, 0);
        expect(total, `${t}.${c.name}`).toBe(c.rowCount - c.nullCount);
        expect(c.histogram.edges).toHaveLength(c.histogram.counts.length + 1);
      }
    }
    // Scores 1..5 get one bin per value.
    const score = column('reviews.score');
    expect(score.histogram!.edges).toEqual([1, 2, 3, 4, 5, 6]);
    expect(column('orders.purchased_at').histogram!.kind).toBe('date');
    // Quantities 1..500 span less than 3 orders of magnitude; order totals with ×1000 outliers do not matter here.
    expect(column('order_items.quantity').histogram!.log).toBeUndefined();
  });

  it('counts placeholders per spelling both on grouped values (few distinct) and row by row (many distinct)', async () => {
    // `status` has 4 distinct values besides its placeholders (grouped with the top values); `code` is
    // nearly unique (no top values), so its placeholders are counted row by row.
    const rows = Array.from({ length: 1000 }, (_, k) => {
      const status = k < 3 ? 'N/A' : k < 5 ? ' null ' : k < 6 ? '未知' : ['paid', 'shipped', 'done', 'open'][k % 4];
      const code = k < 2 ? 'n/a' : k < 3 ? '-' : `c${k}`;
      return `(${k}, '${status}', '${code}')`;
    });
    await engine.query(`CREATE TABLE ph_mix AS SELECT * FROM (VALUES ${rows.join(', ')}) t(id, status, code)`);
    const mix = await profileTable(engine, 'ph_mix', { importId: 'fixture' });
    const byName = (n: string) => mix.columns.find((c) => c.name === n)!;
    expect(byName('status').topValues.length).toBeGreaterThan(0);
    expect(byName('status').placeholders).toEqual([{ value: 'N/A', count: 3 }, { value: 'null', count: 2 }, { value: '未知', count: 1 }]);
    expect(byName('code').topValues).toEqual([]);
    expect(byName('code').placeholders).toEqual([{ value: 'n/a', count: 2 }, { value: '-', count: 1 }]);
  });

  it('counts each bin exactly: scores per value, prices in (edge, next edge], dates likewise', async () => {
    const score = column('reviews.score');
    const perScore = await engine.query<{ v: number; n: number }>(`SELECT score::INTEGER v, count(*)::INTEGER n FROM reviews WHERE score IS NOT NULL GROUP BY 1 ORDER BY 1`);
    expect(score.histogram!.counts).toEqual([1, 2, 3, 4, 5].map((v) => perScore.find((r) => r.v === v)?.n ?? 0));
    for (const [ref, value] of [
      ['order_items.unit_price', 'unit_price::DOUBLE'],
      ['orders.purchased_at', 'epoch_ms(purchased_at::TIMESTAMP)::DOUBLE'],
    ] as const) {
      const h = column(ref).histogram!;
      const table = ref.split('.')[0];
      // Independent recount: the first bin is closed at the minimum, every other is (edge, next edge].
      const cases = h.counts.map((_, k) => `count_if(x ${k === 0 ? '>=' : '>'} ${h.edges[k]} AND x <= ${h.edges[k + 1]})::INTEGER AS b${k}`);
      const [row] = await engine.query<Record<string, number>>(`SELECT ${cases.join(', ')} FROM (SELECT ${value} AS x FROM ${table})`);
      expect(h.counts, ref).toEqual(h.counts.map((_, k) => row[`b${k}`]));
    }
  });

  it('summarises value shapes and lengths', () => {
    const pid = column('products.product_id');
    expect(pid.patterns).toEqual([{ value: 'A9', count: expected.tables.products.rows }]);
    expect(pid.length).toEqual({ min: 5, max: 5, mean: 5 });
    const signup = column('users.signup_at');
    expect(Object.fromEntries(signup.patterns.map((p) => [p.value, p.count]))).toEqual({
      '9-9-9 9:9:9': expected.defects.mixedDates.formats['YYYY-MM-DD HH:MM:SS'],
      '9/9/9': expected.defects.mixedDates.formats['YYYY/MM/DD'] + expected.defects.mixedDates.formats['DD/MM/YYYY'],
    });
    expect(column('users.city').patterns.map((p) => p.value)).toContain('汉');
  });
});

describe('profileTable on wide and large tables', () => {
  it('profiles a 2,000-column table', async () => {
    const cols = Array.from({ length: 2000 }, (_, j) =>
      j % 3 === 0 ? `(i * ${j + 1}) % 97 AS c${j}` : j % 3 === 1 ? `'v' || ((i + ${j}) % 13) AS c${j}` : `CASE WHEN i % 7 = 0 THEN NULL ELSE i * 1.5 END AS c${j}`,
    );
    await engine.query(`CREATE TABLE wide AS SELECT ${cols.join(', ')} FROM range(300) r(i)`);
    const batches: number[] = [];
    const s = await profileTable(engine, 'wide', { importId: 'w', onColumns: (done) => batches.push(done) });
    expect(s.columns).toHaveLength(2000);
    expect(batches.at(-1)).toBe(2000);
    expect(batches.length).toBeGreaterThan(1);
    expect(s.columns[2].nullCount).toBe(Math.ceil(300 / 7));
    expect(s.columns[1].distinct).toBe(13);
    expect(s.columns[1999].name).toBe('c1999');
  });

  it('stops between queries when aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(profileTable(engine, 'users', { importId: 'x', signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
