// The graph of a small seeded shop export (products with title, brand, category and colour; sellers;
// customers; orders; order lines; reviews): every business node and link is checked against the answer
// key computed from the planted rows, not from SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/core/graph/build-graph.ts';
import { findBusinessRoles } from '../../../src/core/graph/find-business-roles.ts';
import { exportJsonLd } from '../../../src/core/graph/export.ts';
import type { KnowledgeGraph } from '../../../src/core/graph/types.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { mulberry32, randomInt } from '../../../src/core/util/random.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

const BRANDS = ['Acme', 'Globex', 'Initech', 'Umbrella Co'];
const CATEGORIES = ['garden', 'kitchen', 'toys', 'books', 'sports'];
const COLOURS = ['red', 'green', 'blue'];
const NOUNS = ['hose', 'kettle', 'robot', 'novel', 'racket', 'rake', 'pan', 'kite'];

interface Shop {
  products: { id: string; title: string; brand: string; category: string; colour: string }[];
  customers: { id: string; state: string }[];
  orders: { id: string; customer: string }[];
  lines: { order: string; product: string; seller: string }[];
  reviews: { id: string; order: string; score: number }[];
}

/** A seeded shop: 60 products, 8 sellers, 30 customers, 120 orders of 1-3 lines, a review on 2 of 3 orders. */
function generateShop(seed: number): Shop {
  const rand = mulberry32(seed);
  const products = Array.from({ length: 60 }, (_, i) => ({
    id: `P${String(i).padStart(4, '0')}`,
    title: `${BRANDS[i % 4]} ${NOUNS[randomInt(rand, NOUNS.length)]} model ${i}`,
    brand: BRANDS[i % 4],
    category: CATEGORIES[randomInt(rand, CATEGORIES.length)],
    colour: COLOURS[randomInt(rand, COLOURS.length)],
  }));
  const customers = Array.from({ length: 30 }, (_, i) => ({ id: `C${String(i).padStart(3, '0')}`, state: ['SP', 'RJ', 'MG'][i % 3] }));
  const orders = Array.from({ length: 120 }, (_, i) => ({ id: `O${String(i).padStart(4, '0')}`, customer: customers[randomInt(rand, 30)].id }));
  const lines: Shop['lines'] = [];
  const reviews: Shop['reviews'] = [];
  for (const o of orders) {
    const n = 1 + randomInt(rand, 3);
    for (let j = 0; j < n; j++) {
      // A skew so some pairs repeat and top-k has something to choose.
      const p = products[Math.floor(rand() * rand() * products.length)];
      lines.push({ order: o.id, product: p.id, seller: `S${randomInt(rand, 8)}` });
    }
    if (rand() < 0.67) reviews.push({ id: `R${reviews.length}`, order: o.id, score: 1 + randomInt(rand, 5) });
  }
  return { products, customers, orders, lines, reviews };
}

function csv(header: string[], rows: (string | number)[][]): Uint8Array {
  return new TextEncoder().encode([header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
}

const shop = generateShop(20261123);
let engine: DuckDbNodeEngine;
let inv: Inventory;
let graph: KnowledgeGraph;

beforeAll(async () => {
  engine = await DuckDbNodeEngine.create();
  const sellers = [...new Set(shop.lines.map((l) => l.seller))].sort();
  const sources = [
    sourceFromBytes('shop/products.csv', csv(['product_id', 'product_title', 'brand', 'product_category', 'colour'],
      shop.products.map((p) => [p.id, p.title, p.brand, p.category, p.colour]))),
    sourceFromBytes('shop/sellers.csv', csv(['seller_id', 'seller_city'], sellers.map((s, i) => [s, ['Lisbon', 'Porto'][i % 2]]))),
    sourceFromBytes('shop/customers.csv', csv(['customer_id', 'customer_state'], shop.customers.map((c) => [c.id, c.state]))),
    sourceFromBytes('shop/orders.csv', csv(['order_id', 'customer_id'], shop.orders.map((o) => [o.id, o.customer]))),
    sourceFromBytes('shop/order_items.csv', csv(['order_id', 'order_item_id', 'product_id', 'seller_id'],
      shop.lines.map((l, i) => [l.order, i, l.product, l.seller]))),
    sourceFromBytes('shop/reviews.csv', csv(['review_id', 'order_id', 'review_score'], shop.reviews.map((r) => [r.id, r.order, r.score]))),
  ];
  inv = (await buildInventory(sources, engine)).inventory;
  graph = await buildGraph(engine, inv, { maxUsers: 100, topK: 2 });
});
afterAll(() => engine?.close());

const linksOf = (type: string) => graph.links.filter((l) => l.type === type);
const key = (a: string, b: string) => `${a}|${b}`;

describe('roles of the planted shop', () => {
  it('finds products, their title, brand, category and colour attribute, lines, orders, users and reviews', () => {
    const roles = findBusinessRoles(inv, { maxUsers: 100 });
    expect(roles.product).toMatchObject({ table: 'products', key: 'product_id', title: 'product_title', brand: 'brand', category: 'product_category', attributes: ['colour'] });
    expect(roles.lines).toMatchObject({ table: 'order_items', order: 'order_id', product: 'product_id', seller: 'seller_id' });
    expect(roles.orders).toMatchObject({ table: 'orders', key: 'order_id', user: 'customer_id' });
    expect(roles.reviews).toMatchObject({ table: 'reviews', score: 'review_score', order: 'order_id' });
  });
});

describe('business layer of the planted shop', () => {
  it('labels products by title and links brand, category and colour', () => {
    const products = graph.nodes.filter((n) => n.type === 'product');
    expect(products.map((p) => p.label).sort()).toEqual(shop.products.map((p) => p.title).sort());
    const brandCounts = Object.fromEntries(BRANDS.map((b) => [b, shop.products.filter((p) => p.brand === b).length]));
    expect(Object.fromEntries(graph.nodes.filter((n) => n.type === 'brand').map((n) => [n.label, n.products]))).toEqual(brandCounts);
    expect(new Set(linksOf('has_brand').map((l) => key(l.source, l.target)))).toEqual(new Set(shop.products.map((p) => key(`product:${p.id}`, `brand:${p.brand}`))));
    expect(new Set(linksOf('belongs_to').map((l) => key(l.source, l.target)))).toEqual(new Set(shop.products.map((p) => key(`product:${p.id}`, `category:${p.category}`))));
    expect(new Set(linksOf('has_attribute').map((l) => key(l.source, l.target)))).toEqual(new Set(shop.products.map((p) => key(`product:${p.id}`, `attribute:colour=${p.colour}`))));
  });

  it('weights sold_by and purchased by lines, per individual customer', () => {
    const sold = new Map<string, number>();
    for (const l of shop.lines) sold.set(key(`product:${l.product}`, `seller:${l.seller}`), (sold.get(key(`product:${l.product}`, `seller:${l.seller}`)) ?? 0) + 1);
    expect(new Map(linksOf('sold_by').map((l) => [key(l.source, l.target), l.weight]))).toEqual(sold);
    const customerOf = new Map(shop.orders.map((o) => [o.id, o.customer]));
    const bought = new Map<string, number>();
    for (const l of shop.lines) {
      const k = key(`user:${customerOf.get(l.order)}`, `product:${l.product}`);
      bought.set(k, (bought.get(k) ?? 0) + 1);
    }
    expect(new Map(linksOf('purchased').map((l) => [key(l.source, l.target), l.weight]))).toEqual(bought);
    expect(graph.nodes.filter((n) => n.type === 'user').map((n) => n.id).sort()).toEqual(
      [...new Set(shop.orders.map((o) => `user:${o.customer}`))].sort(),
    );
  });

  it('keeps the top-2 co-purchase partners of every product', () => {
    const ordersOf = new Map<string, Set<string>>();
    for (const l of shop.lines) {
      if (!ordersOf.has(l.order)) ordersOf.set(l.order, new Set());
      ordersOf.get(l.order)!.add(l.product);
    }
    const w = new Map<string, number>();
    for (const items of ordersOf.values()) {
      const list = [...items].sort();
      for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) w.set(key(list[i], list[j]), (w.get(key(list[i], list[j])) ?? 0) + 1);
    }
    const partners = new Map<string, { other: string; w: number }[]>();
    for (const [k, n] of w) {
      const [a, b] = k.split('|');
      for (const [x, y] of [[a, b], [b, a]]) partners.set(x, [...(partners.get(x) ?? []), { other: y, w: n }]);
    }
    const expected = new Map<string, number>();
    for (const [x, list] of partners) {
      list.sort((m, n) => n.w - m.w || (m.other < n.other ? -1 : 1));
      for (const { other } of list.slice(0, 2)) expected.set(x < other ? key(`product:${x}`, `product:${other}`) : key(`product:${other}`, `product:${x}`), w.get(x < other ? key(x, other) : key(other, x))!);
    }
    expect(new Map(linksOf('co_purchased').map((l) => [key(l.source, l.target), l.weight]))).toEqual(expected);
    expect([...expected.values()].some((n) => n > 1)).toBe(true);
  });

  it('links each customer to the products of reviewed orders with the mean score', () => {
    const customerOf = new Map(shop.orders.map((o) => [o.id, o.customer]));
    const productsOf = new Map<string, Set<string>>();
    for (const l of shop.lines) productsOf.set(l.order, new Set([...(productsOf.get(l.order) ?? []), l.product]));
    const scores = new Map<string, number[]>();
    for (const r of shop.reviews) {
      for (const p of productsOf.get(r.order)!) {
        const k = key(`user:${customerOf.get(r.order)}`, `product:${p}`);
        scores.set(k, [...(scores.get(k) ?? []), r.score]);
      }
    }
    const got = new Map(linksOf('reviewed').map((l) => [key(l.source, l.target), [l.meanScore, l.reviews]]));
    expect(got.size).toBe(scores.size);
    for (const [k, s] of scores) {
      const [mean, n] = got.get(k)!;
      expect(mean).toBeCloseTo(s.reduce((a, b) => a + b, 0) / s.length, 10);
      expect(n).toBe(s.length);
    }
  });

  it('collapses customers into state segments under a small maxUsers', async () => {
    const g = await buildGraph(engine, inv, { maxUsers: 5 });
    const users = g.nodes.filter((n) => n.type === 'user');
    const stateOf = new Map(shop.customers.map((c) => [c.id, c.state]));
    const members = new Map<string, Set<string>>();
    for (const o of shop.orders) {
      const s = `user:segment:customer_state=${stateOf.get(o.customer)}`;
      members.set(s, new Set([...(members.get(s) ?? []), o.customer]));
    }
    expect(new Map(users.map((u) => [u.id, u.members]))).toEqual(new Map([...members].map(([k, v]) => [k, v.size])));
    expect(g.links.filter((l) => l.type === 'purchased').reduce((s, l) => s + (l.weight ?? 0), 0)).toBe(shop.lines.length);
  });

  it('exports Brand, Offer, Review and Product @types as JSON-LD', () => {
    const doc = JSON.parse(JSON.stringify(exportJsonLd(graph))) as { '@graph': Record<string, unknown>[] };
    const types = new Set(doc['@graph'].map((x) => x['@type']));
    for (const t of ['Product', 'Brand', 'Review', 'CategoryCode', 'PropertyValue', 'Organization', 'Person', 'Dataset']) expect(types.has(t), t).toBe(true);
    const offers = doc['@graph'].flatMap((x) => (x.offers as { '@type': string }[] | undefined) ?? []);
    expect(offers.length).toBe(linksOf('sold_by').length);
  });
});
