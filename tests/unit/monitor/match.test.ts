// Matching imports, tables and columns: names first, renames by profile similarity, user overrides.
import { describe, expect, it } from 'vitest';
import { computeColumnSimilarity, matchInventories, pickPreviousImport } from '../../../src/core/monitor/match.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { makeInventory, normals, profileValues } from './profile-helpers.ts';

const rand = mulberry32(42);
const n = 2000;
const ids = (offset: number) => Array.from({ length: n }, (_, i) => `o${offset + i}`);
const prices = () => normals(rand, n, 100, 15).map((x) => Math.round(x * 100) / 100);
const statuses = () => Array.from({ length: n }, () => ['delivered', 'shipped', 'canceled'][Math.floor(rand() * 3)]);
const cities = () => Array.from({ length: n }, () => ['sao paulo', 'rio', 'curitiba', 'recife', 'salvador'][Math.floor(rand() * 5)]);
const qty = () => Array.from({ length: n }, () => 1 + Math.floor(rand() * 4));

const old = makeInventory('shop', [
  {
    name: 'orders',
    primaryKey: 'order_id',
    columns: [
      profileValues('orders', 'order_id', ids(0), { semanticType: 'id' }),
      profileValues('orders', 'price', prices(), { semanticType: 'price' }),
      profileValues('orders', 'status', statuses()),
      profileValues('orders', 'City', cities()),
      profileValues('orders', 'qty', qty(), { semanticType: 'quantity' }),
      profileValues('orders', 'coupon', statuses()),
    ],
  },
  { name: 'sellers_2023', columns: [profileValues('sellers_2023', 'seller_id', ids(0), { semanticType: 'id' }), profileValues('sellers_2023', 'city', cities())] },
]);
const next = makeInventory(
  'shop',
  [
    {
      name: 'orders',
      primaryKey: 'order_id',
      columns: [
        profileValues('orders', 'order_id', ids(n), { semanticType: 'id' }),
        profileValues('orders', 'unit_price', prices(), { semanticType: 'price' }), // renamed
        profileValues('orders', 'status', statuses()),
        profileValues('orders', 'city', cities()), // case only
        profileValues('orders', 'qty', qty().map(String), { semanticType: 'quantity' }), // retyped
        profileValues('orders', 'channel', Array.from({ length: n }, () => (rand() < 0.5 ? 'web' : 'app'))), // added
        // coupon removed
      ],
    },
    { name: 'sellers_2024', columns: [profileValues('sellers_2024', 'seller_id', ids(5), { semanticType: 'id' }), profileValues('sellers_2024', 'city', cities())] },
  ],
  Date.UTC(2024, 1, 1),
);

describe('matchInventories', () => {
  const m = matchInventories(old, next);
  const orders = m.tables.find((t) => t.new === 'orders')!;

  it('pairs tables by name, and a dated table by similarity', () => {
    expect(m.tables.map((t) => [t.old, t.new, t.how])).toEqual([
      ['orders', 'orders', 'name'],
      ['sellers_2023', 'sellers_2024', 'similarity'],
    ]);
    expect(m.addedTables).toEqual([]);
    expect(m.removedTables).toEqual([]);
  });

  it('pairs columns by name, normalised name and profile; flags the retype; lists added and removed', () => {
    expect(orders.columns.map((c) => [c.old, c.new, c.how, c.retyped])).toEqual([
      ['order_id', 'order_id', 'name', false],
      ['price', 'unit_price', 'profile', false],
      ['status', 'status', 'name', false],
      ['City', 'city', 'normalised-name', false],
      ['qty', 'qty', 'name', true],
    ]);
    expect(orders.added).toEqual(['channel']);
    expect(orders.removed).toEqual(['coupon']);
    expect(orders.columns[1].similarity).toBeGreaterThan(0.85);
  });

  it('does not take an unrelated column for a rename', () => {
    const price = old.columns.find((c) => c.name === 'price')!;
    const channel = next.columns.find((c) => c.name === 'channel')!;
    expect(computeColumnSimilarity(price, channel)).toBeLessThan(0.5);
  });

  it('follows the user: forced pairs and forced "no counterpart"', () => {
    const o = matchInventories(old, next, { overrides: { columns: { orders: { channel: 'coupon', unit_price: null } } } }).tables[0];
    expect(o.columns.find((c) => c.new === 'channel')).toMatchObject({ old: 'coupon', how: 'override' });
    expect(o.columns.find((c) => c.new === 'unit_price')).toBeUndefined();
    expect(o.added).toEqual(['unit_price']);
    expect(o.removed).toEqual(['price']);
    const t = matchInventories(old, next, { overrides: { tables: { sellers_2024: null } } });
    expect(t.addedTables).toEqual(['sellers_2024']);
    expect(t.removedTables).toEqual(['sellers_2023']);
  });
});

describe('pickPreviousImport', () => {
  it('picks the latest import of the same dataset and ignores other datasets', () => {
    const other = makeInventory('reviews', [{ name: 'reviews', columns: [profileValues('reviews', 'text', ['a', 'b'])] }], Date.UTC(2024, 0, 20));
    const older = { ...old, import: { ...old.import, id: 'older', createdAt: Date.UTC(2023, 0, 1) } };
    expect(pickPreviousImport([older, other, old], next)?.inventory.import.id).toBe(old.import.id);
    expect(pickPreviousImport([other], next)).toBeNull();
  });
});
