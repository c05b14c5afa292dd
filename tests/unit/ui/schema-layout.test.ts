// The schema diagram's layered layout: parents left, children one layer right of their deepest parent.
import { describe, expect, it } from 'vitest';
import type { ForeignKey } from '../../../src/core/types.ts';
import { BOX_WIDTH, assignLayers, layoutSchema } from '../../../src/features/relations/schema-layout.ts';

function fk(fromTable: string, fromColumn: string, toTable: string, toColumn: string): ForeignKey {
  return { importId: 'i', fromTable, fromColumn, toTable, toColumn, coverage: 1, orphanRows: 0, orphanValues: 0, childRows: 10, nameScore: 1 };
}

// The Olist shape: items → orders → customers, items → products, items → sellers, reviews/payments → orders.
const olist = [
  fk('order_items', 'order_id', 'orders', 'order_id'),
  fk('order_items', 'product_id', 'products', 'product_id'),
  fk('order_items', 'seller_id', 'sellers', 'seller_id'),
  fk('orders', 'customer_id', 'customers', 'customer_id'),
  fk('reviews', 'order_id', 'orders', 'order_id'),
  fk('payments', 'order_id', 'orders', 'order_id'),
];

describe('schema layout', () => {
  it('layers tables by their deepest parent', () => {
    const layers = assignLayers(['customers', 'order_items', 'orders', 'payments', 'products', 'reviews', 'sellers'], olist);
    expect(Object.fromEntries(layers)).toEqual({
      customers: 0,
      products: 0,
      sellers: 0,
      orders: 1,
      order_items: 2,
      payments: 2,
      reviews: 2,
    });
  });

  it('survives cycles and self references', () => {
    const layers = assignLayers(['a', 'b', 'emp'], [fk('a', 'b_id', 'b', 'id'), fk('b', 'a_id', 'a', 'id'), fk('emp', 'manager_id', 'emp', 'id')]);
    expect(layers.get('emp')).toBe(0);
    expect(new Set([layers.get('a'), layers.get('b')])).toEqual(new Set([0, 1]));
  });

  it('places boxes in columns and draws each arrow from the child column to the parent key', () => {
    const layout = layoutSchema(olist, { orders: 'order_id' });
    const box = Object.fromEntries(layout.boxes.map((b) => [b.table, b]));
    expect(box.customers.x).toBe(box.products.x);
    expect(box.orders.x).toBeGreaterThan(box.customers.x + BOX_WIDTH);
    expect(box.order_items.x).toBeGreaterThan(box.orders.x + BOX_WIDTH);
    expect(box.orders.columns).toEqual(['order_id', 'customer_id']);
    expect(box.order_items.columns).toEqual(['order_id', 'product_id', 'seller_id']);
    // Boxes in one layer do not overlap.
    const layer0 = layout.boxes.filter((b) => b.layer === 0).sort((a, b) => a.y - b.y);
    for (let i = 1; i < layer0.length; i++) expect(layer0[i].y).toBeGreaterThanOrEqual(layer0[i - 1].y + layer0[i - 1].height);
    expect(layout.edges).toHaveLength(6);
    const toOrders = layout.edges.find((e) => e.fk.fromTable === 'reviews')!;
    expect(toOrders.path.startsWith(`M${box.reviews.x},`)).toBe(true);
    expect(toOrders.path.includes(` ${box.orders.x + BOX_WIDTH},`)).toBe(true);
    expect(layout.width).toBeGreaterThanOrEqual(box.order_items.x + BOX_WIDTH);
    expect(layout.height).toBeGreaterThan(0);
  });
});
