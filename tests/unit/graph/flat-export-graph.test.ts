// A flat export (UCI Online Retail: one row per invoice line, no product table) still yields the business
// layer: products by StockCode labelled by description, buyers segmented by country, co-purchases by
// invoice; counts checked against independent SQL.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSourcesFromArgs } from '../../../src/cli/sources.ts';
import { buildGraph } from '../../../src/core/graph/build-graph.ts';
import type { KnowledgeGraph } from '../../../src/core/graph/types.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

const dir = resolve(process.cwd(), '../shared/data/uci-online-retail');
const T = 'OnlineRetail_head10k';
let engine: DuckDbNodeEngine;
let graph: KnowledgeGraph;

async function count(sql: string): Promise<number> {
  const [row] = await engine.query<{ n: number }>(sql);
  return Number(row.n);
}

beforeAll(async () => {
  if (!existsSync(dir)) throw new Error(`Shared data missing: ${dir}`);
  engine = await DuckDbNodeEngine.create();
  const { inventory } = await buildInventory(loadSourcesFromArgs([dir]), engine);
  graph = await buildGraph(engine, inventory, { maxUsers: 50, topK: 1_000_000 });
}, 120_000);
afterAll(() => engine?.close());

describe('graph of a flat export', () => {
  it('has one product per stock code, labelled by its description', async () => {
    const products = graph.nodes.filter((n) => n.type === 'product');
    expect(products).toHaveLength(await count(`SELECT count(DISTINCT StockCode) AS n FROM ${T}`));
    const [row] = await engine.query<{ k: string; d: string }>(
      `SELECT CAST(StockCode AS VARCHAR) AS k, min(Description) AS d FROM ${T} WHERE Description IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 1`,
    );
    expect(products.find((p) => p.id === `product:${row.k}`)!.label).toBe(row.d);
  });

  it('segments buyers by country and weights purchases by lines with a customer', async () => {
    const users = graph.nodes.filter((n) => n.type === 'user');
    expect(users.map((u) => u.label).sort()).toEqual(
      (await engine.query<{ c: string }>(`SELECT DISTINCT Country AS c FROM ${T} WHERE CustomerID IS NOT NULL`)).map((r) => `Country: ${r.c}`).sort(),
    );
    const total = graph.links.filter((l) => l.type === 'purchased').reduce((s, l) => s + (l.weight ?? 0), 0);
    expect(total).toBe(await count(`SELECT count(*) AS n FROM ${T} WHERE CustomerID IS NOT NULL`));
  });

  it('links every pair of stock codes sharing an invoice, weighted by shared invoices', async () => {
    const pairs = graph.links.filter((l) => l.type === 'co_purchased');
    expect(pairs).toHaveLength(await count(
      `WITH d AS (SELECT DISTINCT InvoiceNo AS o, CAST(StockCode AS VARCHAR) AS p FROM ${T})
       SELECT count(*) AS n FROM (SELECT x.p, y.p FROM d x JOIN d y ON x.o = y.o AND x.p < y.p GROUP BY 1, 2)`,
    ));
    const heaviest = pairs.reduce((a, b) => ((b.weight ?? 0) > (a.weight ?? 0) ? b : a));
    expect(heaviest.weight).toBe(await count(
      `SELECT count(DISTINCT a.InvoiceNo) AS n FROM ${T} a JOIN ${T} b ON a.InvoiceNo = b.InvoiceNo
       WHERE CAST(a.StockCode AS VARCHAR) = '${heaviest.source.slice(8)}' AND CAST(b.StockCode AS VARCHAR) = '${heaviest.target.slice(8)}'`,
    ));
  });
});
