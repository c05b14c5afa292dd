// End to end: the Graph view on the real Olist tables. The schema layer shows the nine tables; a
// category found by search lists its products; a product lists its sellers and co-purchased products,
// every set checked against native DuckDB reading the same files; the big products graph is drawn by the
// render worker, and hover and click hit-test it.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDbNodeEngine } from '../../src/engine/duckdb-node.ts';
import { parseXml, type XmlElement } from '../unit/graph/xml-check.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');
const files = readdirSync(olistDir).filter((f) => f.endsWith('.csv')).sort();
const csv = (name: string) => `read_csv('${join(olistDir, name)}')`;

async function queryWith<T>(sql: string): Promise<T[]> {
  const engine = await DuckDbNodeEngine.create();
  try {
    return (await engine.query(sql)) as T[];
  } finally {
    engine.close();
  }
}

/** Clicks a button that starts one download and returns the file's bytes. */
async function download(page: Page, testId: string): Promise<{ name: string; bytes: Buffer }> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'stocktake-graph-')), d.suggestedFilename());
  await d.saveAs(path);
  return { name: d.suggestedFilename(), bytes: readFileSync(path) };
}

const countElements = (el: XmlElement, name: string): number => (el.name === name ? 1 : 0) + el.children.reduce((n, c) => n + countElements(c, name), 0);

test('graph on olist: nine tables, category → products → sellers and co-purchased products', async ({ page }) => {
  test.setTimeout(90_000);
  expect(files).toHaveLength(9);
  const products = csv('olist_products_dataset.csv');
  const items = csv('olist_order_items_dataset.csv');
  // The most frequent category, and in it the product with the most co-purchase partners (at most 10,
  // so the graph's top-10 keeps every pair of it), ties by id.
  const [{ category, n: categoryProducts }] = await queryWith<{ category: string; n: bigint }>(
    `SELECT product_category_name AS category, count(DISTINCT product_id) AS n FROM ${products}
     WHERE product_category_name IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`,
  );
  const partnersSql = `WITH b AS (SELECT DISTINCT order_id, product_id FROM ${items}),
    pairs AS (SELECT DISTINCT x.product_id AS p, y.product_id AS q FROM b x JOIN b y ON x.order_id = y.order_id AND x.product_id <> y.product_id)`;
  const [chosen] = await queryWith<{ p: string; k: bigint }>(
    `${partnersSql} SELECT p, count(*) AS k FROM pairs JOIN ${products} pr ON pr.product_id = p
     WHERE pr.product_category_name = '${category}' GROUP BY p HAVING count(*) <= 10 ORDER BY k DESC, p LIMIT 1`,
  );
  expect(chosen, 'a co-purchased product in the top category').toBeDefined();
  const partners = (await queryWith<{ q: string }>(`${partnersSql} SELECT q FROM pairs WHERE p = '${chosen.p}' ORDER BY q`)).map((r) => r.q);
  const [{ n: productCount }] = await queryWith<{ n: bigint }>(`SELECT count(DISTINCT product_id) AS n FROM ${products}`);
  const sellers = (await queryWith<{ s: string }>(`SELECT DISTINCT seller_id AS s FROM ${items} WHERE product_id = '${chosen.p}' ORDER BY 1`)).map((r) => r.s);
  expect(partners.length).toBeGreaterThan(0);
  expect(sellers.length).toBeGreaterThan(0);

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => join(olistDir, f)));
  await expect(page.getByTestId('table-link-olist_order_reviews_dataset')).toBeVisible({ timeout: 60_000 });

  await page.getByTestId('nav-graph').click();
  await expect(page.getByTestId('graph-view')).toBeVisible();
  // Schema layer: the nine tables, laid out and drawn.
  await expect(page.getByTestId('graph-count-table')).toHaveText('9', { timeout: 30_000 });
  await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-nodes', '9');

  // Search the category by its value and open it: its products are listed.
  await page.getByTestId('graph-search').fill(category);
  await page.getByTestId(`graph-result-category:${category}`).click();
  const details = page.getByTestId('graph-details');
  await expect(details).toHaveAttribute('data-node-id', `category:${category}`);
  await expect(page.getByTestId('graph-neighbour-count-belongs_to')).toHaveText(String(Number(categoryProducts)));
  await page.getByTestId('graph-expand').click();
  await expect(page.getByTestId('graph-count-product')).toHaveText(String(Number(categoryProducts)));

  // Pick the product (filtered by id among the category's products) and check its sellers and partners.
  await page.getByTestId('graph-neighbour-filter').fill(chosen.p);
  await page.getByTestId(`graph-neighbour-belongs_to-product:${chosen.p}`).click();
  await expect(details).toHaveAttribute('data-node-id', `product:${chosen.p}`);
  await expect(page.getByTestId('graph-neighbour-count-sold_by')).toHaveText(String(sellers.length));
  for (const s of sellers) await expect(page.getByTestId(`graph-neighbour-sold_by-seller:${s}`)).toBeVisible();
  await expect(page.getByTestId('graph-neighbour-count-co_purchased')).toHaveText(String(partners.length));
  for (const q of partners) await expect(page.getByTestId(`graph-neighbour-co_purchased-product:${q}`)).toBeVisible();

  // A co-purchased product opens in turn, and lists the chosen product back.
  await page.getByTestId(`graph-neighbour-co_purchased-product:${partners[0]}`).click();
  await expect(details).toHaveAttribute('data-node-id', `product:${partners[0]}`);
  await expect(page.getByTestId(`graph-neighbour-co_purchased-product:${chosen.p}`)).toBeVisible();

  // Exports of the whole graph: GraphML parses with every node and edge, JSON-LD has schema.org types.
  const stats = page.getByTestId('graph-stats');
  const totalNodes = Number(await stats.getAttribute('data-nodes'));
  const totalLinks = Number(await stats.getAttribute('data-links'));
  const graphml = await download(page, 'graph-export-graphml');
  const { root } = parseXml(graphml.bytes.toString('utf8'));
  expect(countElements(root, 'node')).toBe(totalNodes);
  expect(countElements(root, 'edge')).toBe(totalLinks);
  const jsonld = JSON.parse((await download(page, 'graph-export-jsonld')).bytes.toString('utf8')) as { '@graph': { '@type': string }[] };
  const types = new Set(jsonld['@graph'].map((x) => x['@type']));
  for (const type of ['Dataset', 'Product', 'CategoryCode', 'Organization']) expect(types).toContain(type);
  expect(jsonld['@graph'].filter((x) => x['@type'] === 'Product')).toHaveLength(Number(productCount));

  // The products table opens into the business layer: a big graph, laid out in the worker and drawn
  // through the cached bitmap; wheel zoom redraws the detail once the view rests; PNG of the canvas.
  await page.getByTestId('graph-reset').click();
  await expect(page.getByTestId('graph-canvas')).toHaveAttribute('data-nodes', '9');
  await page.getByTestId('graph-search').fill('olist_products_dataset');
  await page.getByTestId('graph-result-table:olist_products_dataset').click();
  await page.getByTestId('graph-expand').click();
  await expect(page.getByTestId('graph-count-product')).toHaveText(String(Number(productCount)));
  const canvas = page.getByTestId('graph-canvas');
  await expect(canvas).not.toHaveAttribute('data-nodes', '9', { timeout: 30_000 });
  await expect(page.getByTestId('graph-layout-progress')).toHaveCount(0);
  const drawn = Number(await canvas.getAttribute('data-drawn'));
  test.info().annotations.push({
    type: 'timing',
    description: `graph build ${await stats.getAttribute('data-build-ms')} ms; layout of ${await canvas.getAttribute('data-nodes')} nodes ${await stats.getAttribute('data-layout-ms')} ms`,
  });
  // The render worker's image of the whole layout is on screen.
  await expect(canvas).toHaveAttribute('data-ready', 'whole');
  const box = (await canvas.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  await expect.poll(async () => Number(await canvas.getAttribute('data-drawn'))).toBeGreaterThan(drawn);

  // Hover and click on the big graph (grid hit-testing): the first grid point over a node shows its
  // card, and a click there opens that node's details.
  const hoverCard = page.getByTestId('graph-hover');
  let hit: { x: number; y: number; label: string } | undefined;
  for (let gy = 1; gy < 12 && !hit; gy++) {
    for (let gx = 1; gx < 16 && !hit; gx++) {
      const x = box.x + (gx * box.width) / 16;
      const y = box.y + (gy * box.height) / 12;
      await page.mouse.move(x, y);
      if ((await hoverCard.count()) > 0) hit = { x, y, label: (await hoverCard.locator('strong').textContent()) ?? '' };
    }
  }
  expect(hit, 'a node under some grid point').toBeDefined();
  expect(hit!.label.length).toBeGreaterThan(0);
  await page.mouse.click(hit!.x, hit!.y);
  await expect(page.getByTestId('graph-details-label')).toHaveText(hit!.label);
  const png = await download(page, 'graph-export-png');
  expect(png.name).toMatch(/\.png$/);
  expect(png.bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});
