// similar_to from title text: on a seeded catalogue of planted product families (variants of one
// product differ in size, colour or pack), neighbours come only from the own family, every titled
// product finds one, and the graph carries the links with score and provenance; no title column
// (as in Olist) means no links and a note on the product table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../src/core/graph/build-graph.ts';
import { findSimilarProducts } from '../../../src/core/graph/similar-products.ts';
import type { KnowledgeGraph } from '../../../src/core/graph/types.ts';
import { sourceFromBytes } from '../../../src/core/ingest/source.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { mulberry32, randomInt, shuffleInPlace } from '../../../src/core/util/random.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

const FAMILIES = [
  'Stainless steel electric kettle', 'Cordless hammer drill with battery', 'Organic cotton crew neck t-shirt',
  'Ceramic non-stick frying pan', 'Wireless noise cancelling headphones', 'Waterproof hiking boots leather',
  'Bamboo cutting board set', 'Memory foam bed pillow', 'Mechanical gaming keyboard backlit',
  'Stainless insulated water bottle', 'Garden hose with spray nozzle', 'Wooden building blocks for toddlers',
];
const VARIANTS = ['1.5 L', '1.7 L', 'black', 'white', 'red', 'large', 'small', 'pack of 2', 'XL', '2024 edition'];

/** 12 families × 8 seeded variants each, shuffled; family[i] is the answer key. */
function generateTitles(seed: number): { titles: string[]; family: number[] } {
  const rand = mulberry32(seed);
  const rows: { title: string; family: number }[] = [];
  FAMILIES.forEach((base, f) => {
    const picks = shuffleInPlace([...VARIANTS], rand).slice(0, 8);
    for (const v of picks) rows.push({ title: `${base} ${v}`, family: f });
  });
  shuffleInPlace(rows, rand);
  return { titles: rows.map((r) => r.title), family: rows.map((r) => r.family) };
}

describe('findSimilarProducts', () => {
  const { titles, family } = generateTitles(7);
  const pairs = findSimilarProducts(titles);

  it('links only products of the same planted family, and every product to at least one', () => {
    expect(pairs.length).toBeGreaterThan(0);
    for (const p of pairs) {
      expect(family[p.a], `${titles[p.a]} ~ ${titles[p.b]}`).toBe(family[p.b]);
      expect(p.a).toBeLessThan(p.b);
      expect(p.score).toBeGreaterThanOrEqual(0.5);
      expect(p.score).toBeLessThanOrEqual(1);
    }
    const linked = new Set(pairs.flatMap((p) => [p.a, p.b]));
    expect(linked.size).toBe(titles.length);
  });

  it('keeps at most top-k per product (a pair stays when either side ranks it) and is deterministic', () => {
    const k1 = findSimilarProducts(titles, { topK: 1 });
    // With k = 1 each product contributes at most one pair.
    expect(k1.length).toBeLessThanOrEqual(titles.length);
    expect(findSimilarProducts(titles)).toEqual(pairs);
    // Scores are the cosine of the pair, whichever order the titles come in.
    const reversed = [...titles].reverse();
    const back = findSimilarProducts(reversed).map((p) => ({ a: titles.length - 1 - p.b, b: titles.length - 1 - p.a, score: p.score }));
    expect(new Map(back.map((p) => [`${p.a}|${p.b}`, p.score]))).toEqual(new Map(pairs.map((p) => [`${p.a}|${p.b}`, p.score])));
  });

  it('scores identical titles 1 and gives missing or empty titles no links', () => {
    const got = findSimilarProducts(['Red ceramic mug 350 ml', null, '', 'Red ceramic mug 350 ml', 'Blue denim jacket']);
    expect(got).toEqual([{ a: 0, b: 3, score: 1 }]);
  });
});

function csv(header: string[], rows: (string | number)[][]): Uint8Array {
  return new TextEncoder().encode([header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n');
}

describe('buildGraph similar_to', () => {
  const { titles, family } = generateTitles(11);
  const rand = mulberry32(3);
  const ids = titles.map((_, i) => `P${String(i).padStart(3, '0')}`);
  const lines = Array.from({ length: 300 }, (_, i) => [`O${Math.floor(i / 2)}`, i, ids[randomInt(rand, ids.length)], `S${randomInt(rand, 5)}`]);
  let engine: DuckDbNodeEngine;
  let withTitles: KnowledgeGraph;
  let withoutTitles: KnowledgeGraph;

  beforeAll(async () => {
    engine = await DuckDbNodeEngine.create();
    const items = sourceFromBytes('shop/order_items.csv', csv(['order_id', 'order_item_id', 'product_id', 'seller_id'], lines));
    const inv = (await buildInventory([sourceFromBytes('shop/products.csv', csv(['product_id', 'product_title', 'product_category'], titles.map((t, i) => [ids[i], t, `c${family[i] % 3}`]))), items], engine)).inventory;
    withTitles = await buildGraph(engine, inv);
    const engine2 = await DuckDbNodeEngine.create();
    try {
      const items2 = sourceFromBytes('shop/order_items.csv', csv(['order_id', 'order_item_id', 'product_id', 'seller_id'], lines));
      const inv2 = (await buildInventory([sourceFromBytes('shop/products.csv', csv(['product_id', 'product_name_length', 'product_category'], titles.map((t, i) => [ids[i], t.length, `c${family[i] % 3}`]))), items2], engine2)).inventory;
      withoutTitles = await buildGraph(engine2, inv2);
    } finally {
      engine2.close();
    }
  });
  afterAll(() => engine?.close());

  it('adds the title neighbours as similar_to links with score and provenance', () => {
    const similar = withTitles.links.filter((l) => l.type === 'similar_to');
    const expected = findSimilarProducts(titles).map((p) => `product:${ids[p.a]}|product:${ids[p.b]}|${p.score}`);
    const index = new Map(ids.map((id, i) => [`product:${id}`, i]));
    const got = similar.map((l) => `${l.source}|${l.target}|${l.weight}`);
    expect(new Set(got)).toEqual(new Set(expected));
    for (const l of similar) {
      expect(family[index.get(l.source)!]).toBe(family[index.get(l.target)!]);
      expect(l.score).toBe(l.weight);
      expect(l.provenance).toMatchObject({ table: 'products', column: 'product_title' });
      expect(l.provenance.model).toMatch(/3-gram TF-IDF cosine/);
      expect(l.provenance.rule).toMatch(/top 5 per product/);
    }
    expect(withTitles.nodes.find((n) => n.id === 'table:products')!.similarTo).toBe(`${similar.length} links from product_title`);
  });

  it('builds none without a title column and says so on the product table', () => {
    expect(withoutTitles.nodes.some((n) => n.type === 'product')).toBe(true);
    expect(withoutTitles.links.filter((l) => l.type === 'similar_to')).toHaveLength(0);
    expect(withoutTitles.nodes.find((n) => n.id === 'table:products')!.similarTo).toMatch(/no title column/);
  });
});
