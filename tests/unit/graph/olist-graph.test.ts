// The knowledge graph of the real Olist export: schema layer, business layer and the category →
// products → sellers / co-purchased path, every count checked against independent SQL; its GraphML and
// JSON-LD exports parsed back.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSourcesFromArgs } from '../../../src/cli/sources.ts';
import { buildGraph } from '../../../src/core/graph/build-graph.ts';
import { exportCsv, exportGraphMl, exportJsonLd } from '../../../src/core/graph/export.ts';
import { expandNeighbourhood, indexGraph, listNeighbours, searchNodes, type GraphIndex } from '../../../src/core/graph/neighbourhood.ts';
import type { KnowledgeGraph } from '../../../src/core/graph/types.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import type { Inventory } from '../../../src/core/types.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { parseXml } from './xml-check.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');
const P = 'olist_products_dataset';
const I = 'olist_order_items_dataset';
const O = 'olist_orders_dataset';
const C = 'olist_customers_dataset';

let engine: DuckDbNodeEngine;
let inv: Inventory;
let graph: KnowledgeGraph;
let index: GraphIndex;

/** One number from independent SQL. */
async function count(sql: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(sql);
  return Number(row.n);
}

async function column(sql: string): Promise<string[]> {
  return (await engine.query<{ v: string }>(sql)).map((r) => String(r.v)).sort();
}

beforeAll(async () => {
  if (!existsSync(olistDir)) throw new Error(`Shared data missing: ${olistDir}`);
  engine = await DuckDbNodeEngine.create();
  inv = (await buildInventory(loadSourcesFromArgs([olistDir]), engine)).inventory;
  // topK large enough that no co-purchase pair is cut, so counts match plain SQL.
  graph = await buildGraph(engine, inv, { topK: 1000 });
  index = indexGraph(graph);
}, 120_000);
afterAll(() => engine?.close());

describe('schema layer', () => {
  it('has the nine tables and a column node with has_column for every profiled column', () => {
    const tables = graph.nodes.filter((n) => n.type === 'table').map((n) => n.label).sort();
    expect(tables).toEqual(inv.tables.map((t) => t.name).sort());
    expect(tables).toHaveLength(9);
    expect(graph.nodes.filter((n) => n.type === 'column')).toHaveLength(inv.columns.length);
    expect(graph.links.filter((l) => l.type === 'has_column')).toHaveLength(inv.columns.length);
    const orders = graph.nodes.find((n) => n.id === `table:${O}`)!;
    expect(orders.rows).toBe(8135);
  });

  it('joins the two tables of each inferred foreign key with its coverage', () => {
    const refs = graph.links.filter((l) => l.type === 'references');
    const got = refs.map((l) => `${l.source}.${l.fromColumn} -> ${l.target}.${l.toColumn}`).sort();
    expect(got).toEqual([
      `table:${I}.order_id -> table:${O}.order_id`,
      `table:${I}.product_id -> table:${P}.product_id`,
      `table:${I}.seller_id -> table:olist_sellers_dataset.seller_id`,
      'table:olist_order_payments_dataset.order_id -> table:olist_orders_dataset.order_id',
      'table:olist_order_reviews_dataset.order_id -> table:olist_orders_dataset.order_id',
      `table:${O}.customer_id -> table:${C}.customer_id`,
      `table:${P}.product_category_name -> table:product_category_name_translation.product_category_name`,
    ].sort());
    for (const l of refs) {
      const fk = inv.relations.find((r) => `table:${r.fromTable}` === l.source && r.fromColumn === l.fromColumn)!;
      expect(l.coverage).toBe(fk.coverage);
      expect(l.provenance).toEqual({ table: fk.fromTable, column: fk.fromColumn, rule: 'fk.inferred' });
    }
  });
});

describe('business layer', () => {
  it('has one product node per product and one category node per distinct category, labelled in English', async () => {
    expect(graph.nodes.filter((n) => n.type === 'product')).toHaveLength(await count(`SELECT count(DISTINCT product_id) AS n FROM ${P}`));
    expect(graph.nodes.filter((n) => n.type === 'category')).toHaveLength(await count(`SELECT count(DISTINCT product_category_name) AS n FROM ${P}`));
    expect(graph.links.filter((l) => l.type === 'belongs_to')).toHaveLength(await count(`SELECT count(*) AS n FROM ${P} WHERE product_category_name IS NOT NULL`));
    const [tr] = await engine.query<{ k: string; v: string }>(
      `SELECT product_category_name AS k, product_category_name_english AS v FROM product_category_name_translation ORDER BY 1 LIMIT 1`,
    );
    expect(graph.nodes.find((n) => n.id === `category:${tr.k}`)!.label).toBe(tr.v);
  });

  it('weights sold_by and purchased by order lines, and collapses the buyers into state segments', async () => {
    const lines = await count(`SELECT count(*) AS n FROM ${I}`);
    const sum = (type: string) => graph.links.filter((l) => l.type === type).reduce((s, l) => s + (l.weight ?? 0), 0);
    expect(sum('sold_by')).toBe(lines);
    expect(sum('purchased')).toBe(lines);
    expect(graph.links.filter((l) => l.type === 'sold_by')).toHaveLength(await count(`SELECT count(*) AS n FROM (SELECT DISTINCT product_id, seller_id FROM ${I})`));
    const states = await column(`SELECT DISTINCT c.customer_state AS v FROM ${I} i JOIN ${O} o USING (order_id) JOIN ${C} c USING (customer_id)`);
    const users = graph.nodes.filter((n) => n.type === 'user');
    expect(users.map((u) => u.id).sort()).toEqual(states.map((s) => `user:segment:customer_state=${s}`).sort());
    expect(users.every((u) => u.isSegment === true)).toBe(true);
    const sp = users.find((u) => u.id === 'user:segment:customer_state=SP')!;
    expect(sp.members).toBe(await count(
      `SELECT count(DISTINCT c.customer_unique_id) AS n FROM ${I} i JOIN ${O} o USING (order_id) JOIN ${C} c USING (customer_id) WHERE c.customer_state = 'SP'`,
    ));
    expect(sp.provenance.column).toBe('customer_state');
  });

  it('keeps individual users (by customer_unique_id) when they fit under maxUsers', async () => {
    const small = await buildGraph(engine, inv, { maxUsers: 1_000_000, topK: 1 });
    const expected = await count(`SELECT count(DISTINCT c.customer_unique_id) AS n FROM ${I} i JOIN ${O} o USING (order_id) JOIN ${C} c USING (customer_id)`);
    const users = small.nodes.filter((n) => n.type === 'user');
    expect(users).toHaveLength(expected);
    expect(users.every((u) => u.isSegment === false)).toBe(true);
    // A person with two orders: their purchased links cover both orders' products.
    const [multi] = await engine.query<{ u: string; n: number }>(
      `SELECT c.customer_unique_id AS u, count(DISTINCT i.product_id) AS n FROM ${I} i JOIN ${O} o USING (order_id) JOIN ${C} c USING (customer_id)
       GROUP BY 1 HAVING count(DISTINCT o.order_id) > 1 ORDER BY 2 DESC, 1 LIMIT 1`,
    );
    const bought = small.links.filter((l) => l.type === 'purchased' && l.source === `user:${multi.u}`);
    expect(bought).toHaveLength(Number(multi.n));
  });

  it('links reviews through their order with the mean score', async () => {
    const reviewed = graph.links.filter((l) => l.type === 'reviewed');
    expect(reviewed.length).toBeGreaterThan(0);
    const link = reviewed.find((l) => l.source === 'user:segment:customer_state=RJ' && (l.reviews as number) > 1) ?? reviewed[0];
    const product = link.target.slice('product:'.length);
    const state = link.source.split('=')[1];
    const [row] = await engine.query<{ mean: number; n: number }>(
      `SELECT avg(r.review_score)::DOUBLE AS mean, count(*) AS n FROM olist_order_reviews_dataset r
       JOIN (SELECT DISTINCT i.order_id, i.product_id FROM ${I} i JOIN ${O} o USING (order_id) JOIN ${C} c USING (customer_id)
             WHERE c.customer_state = '${state}') f ON f.order_id = r.order_id
       WHERE f.product_id = '${product}'`,
    );
    expect(link.meanScore).toBeCloseTo(row.mean, 10);
    expect(link.reviews).toBe(Number(row.n));
  });

  it('records a provenance rule and source on every node and link', () => {
    const missing = [...graph.nodes, ...graph.links].filter((x) => !x.provenance.rule || !(x.provenance.table ?? x.provenance.model));
    expect(missing).toEqual([]);
    const ids = new Set(graph.nodes.map((n) => n.id));
    expect(ids.size).toBe(graph.nodes.length);
    expect(graph.links.every((l) => ids.has(l.source) && ids.has(l.target))).toBe(true);
  });

  it('builds no similar_to links (Olist products have no titles, only name lengths) and says so on the table', () => {
    expect(graph.links.filter((l) => l.type === 'similar_to')).toHaveLength(0);
    expect(graph.nodes.find((n) => n.id === `table:${P}`)!.similarTo).toMatch(/no title column/);
  });
});

describe('from a category to its products, their sellers and co-purchased products', () => {
  it('matches independent SQL at each step', async () => {
    const [top] = await engine.query<{ c: string }>(
      `SELECT p.product_category_name AS c FROM ${I} a JOIN ${I} b ON a.order_id = b.order_id AND a.product_id <> b.product_id
       JOIN ${P} p ON p.product_id = a.product_id GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    );
    const cat = `category:${top.c}`;
    const hit = searchNodes(graph, graph.nodes.find((n) => n.id === cat)!.label, { types: ['category'] })[0];
    expect(hit.id).toBe(cat);

    const products = listNeighbours(index, cat, 'belongs_to').map((n) => n.id.slice('product:'.length));
    expect(products).toEqual(await column(`SELECT product_id AS v FROM ${P} WHERE product_category_name = '${top.c}'`));

    const oneHop = expandNeighbourhood(index, [cat], 1, { linkTypes: ['belongs_to'] });
    expect(oneHop.size).toBe(products.length + 1);
    const sellers = new Set<string>();
    const partners = new Set<string>();
    for (const p of products) {
      for (const s of listNeighbours(index, `product:${p}`, 'sold_by')) sellers.add(s.id.slice('seller:'.length));
      for (const q of listNeighbours(index, `product:${p}`, 'co_purchased')) partners.add(q.id.slice('product:'.length));
    }
    expect([...sellers].sort()).toEqual(await column(
      `SELECT DISTINCT i.seller_id AS v FROM ${I} i JOIN ${P} p USING (product_id) WHERE p.product_category_name = '${top.c}'`,
    ));
    const expectedPartners = await column(
      `SELECT DISTINCT b.product_id AS v FROM ${I} a JOIN ${I} b ON a.order_id = b.order_id AND a.product_id <> b.product_id
       JOIN ${P} p ON p.product_id = a.product_id WHERE p.product_category_name = '${top.c}'`,
    );
    expect(expectedPartners.length).toBeGreaterThan(0);
    expect([...partners].sort()).toEqual(expectedPartners);

    // Two hops over the same link types reach exactly the union.
    const twoHops = expandNeighbourhood(index, [cat], 2, { linkTypes: ['belongs_to', 'sold_by', 'co_purchased'] });
    const inCategory = new Set(products);
    const reachedProducts = [...twoHops].filter((id) => id.startsWith('product:')).length;
    expect(reachedProducts).toBe(new Set([...inCategory, ...partners]).size);
    expect([...twoHops].filter((id) => id.startsWith('seller:')).length).toBe(sellers.size);
  });

  it('keeps exactly the pairs in either item’s top-k partners (weight desc, then id)', async () => {
    const k = 2;
    const g = await buildGraph(engine, inv, { topK: k });
    const pairs = await engine.query<{ a: string; b: string; w: number }>(
      `WITH d AS (SELECT DISTINCT order_id, product_id FROM ${I})
       SELECT x.product_id AS a, y.product_id AS b, count(*)::INTEGER AS w FROM d x JOIN d y ON x.order_id = y.order_id AND x.product_id < y.product_id GROUP BY 1, 2`,
    );
    const partnersOf = new Map<string, { other: string; w: number }[]>();
    for (const p of pairs) {
      for (const [x, y] of [[p.a, p.b], [p.b, p.a]]) {
        if (!partnersOf.has(x)) partnersOf.set(x, []);
        partnersOf.get(x)!.push({ other: y, w: p.w });
      }
    }
    const expected = new Set<string>();
    for (const [x, list] of partnersOf) {
      list.sort((m, n) => n.w - m.w || (m.other < n.other ? -1 : 1));
      for (const { other } of list.slice(0, k)) expected.add(x < other ? `${x}|${other}` : `${other}|${x}`);
    }
    const got = g.links.filter((l) => l.type === 'co_purchased').map((l) => `${l.source.slice(8)}|${l.target.slice(8)}`);
    expect(new Set(got)).toEqual(expected);
    expect(got.length).toBe(expected.size);
    expect(expected.size).toBeLessThan(pairs.length);
  });
});

describe('exports of the Olist graph', () => {
  it('GraphML parses as XML with one node and one edge element per node and link', () => {
    const doc = parseXml(exportGraphMl(graph));
    expect(doc.root.name).toBe('graphml');
    const g = doc.root.children.find((c) => c.name === 'graph')!;
    expect(g.children.filter((c) => c.name === 'node')).toHaveLength(graph.nodes.length);
    expect(g.children.filter((c) => c.name === 'edge')).toHaveLength(graph.links.length);
    const keys = doc.root.children.filter((c) => c.name === 'key').map((c) => c.attrs.id);
    const used = new Set(g.children.flatMap((c) => c.children.map((d) => d.attrs.key)));
    expect([...used].every((k) => keys.includes(k))).toBe(true);
  });

  it('JSON-LD parses and types products, offers, reviews and categories with schema.org', () => {
    const doc = JSON.parse(JSON.stringify(exportJsonLd(graph))) as { '@context': string; '@graph': Record<string, unknown>[] };
    expect(doc['@context']).toBe('https://schema.org/');
    const byType = (t: string) => doc['@graph'].filter((x) => x['@type'] === t);
    expect(byType('Product')).toHaveLength(graph.nodes.filter((n) => n.type === 'product').length);
    expect(byType('Review')).toHaveLength(graph.links.filter((l) => l.type === 'reviewed').length);
    expect(byType('CategoryCode')).toHaveLength(graph.nodes.filter((n) => n.type === 'category').length);
    expect(byType('Organization')).toHaveLength(graph.nodes.filter((n) => n.type === 'seller').length);
    const offers = byType('Product').flatMap((p) => (p.offers as { '@type': string }[] | undefined) ?? []);
    expect(offers).toHaveLength(graph.links.filter((l) => l.type === 'sold_by').length);
    expect(offers.every((o) => o['@type'] === 'Offer')).toBe(true);
  });

  it('CSV has a header and one record per node and per link', () => {
    const { nodes, edges } = exportCsv(graph);
    // No Olist value holds a quote or line break, so records are lines here.
    expect(nodes.split('\r\n').filter(Boolean)).toHaveLength(graph.nodes.length + 1);
    expect(edges.split('\r\n').filter(Boolean)).toHaveLength(graph.links.length + 1);
  });
});
