// End to end: the Recommendation-readiness view on the first 10,000 UCI Online Retail rows — the
// suggested user/item/time columns, the user/item/interaction counts checked against native DuckDB,
// and the baseline metrics table with the before/after-cleaning comparison.
import { expect, test } from '@playwright/test';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DuckDbNodeEngine } from '../../src/engine/duckdb-node.ts';

const csv = resolve(process.cwd(), '../shared/data/uci-online-retail/OnlineRetail_head10k.csv');

/** Users, items and interactions counted by native DuckDB, an independent reader of the same file. */
async function countInteractions(): Promise<{ users: number; items: number; interactions: number }> {
  const engine = await DuckDbNodeEngine.create();
  try {
    const [row] = await engine.query<{ users: number; items: number; n: number }>(
      `SELECT count(DISTINCT CustomerID) AS users, count(DISTINCT StockCode) AS items, count(*) AS n FROM read_csv('${csv}') WHERE CustomerID IS NOT NULL AND StockCode IS NOT NULL`,
    );
    return { users: Number(row.users), items: Number(row.items), interactions: Number(row.n) };
  } finally {
    engine.close();
  }
}

test('recs on UCI Online Retail: detected columns, exact counts, baseline metrics before and after cleaning', async ({ page }) => {
  test.setTimeout(90_000);
  expect(existsSync(csv), `${csv} is missing: the shared data set must be present`).toBe(true);
  const expected = await countInteractions();
  expect(expected.interactions).toBeGreaterThan(1000);

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(csv);
  await expect(page.getByTestId('table-link-OnlineRetail_head10k')).toBeVisible({ timeout: 60_000 });

  await page.getByTestId('nav-recs').click();
  await expect(page.getByTestId('recs-view')).toBeVisible();
  await expect(page.getByTestId('recs-spec-user')).toHaveValue('OnlineRetail_head10k.CustomerID');
  await expect(page.getByTestId('recs-spec-item')).toHaveValue('OnlineRetail_head10k.StockCode');
  await expect(page.getByTestId('recs-spec-time')).toHaveValue('OnlineRetail_head10k.InvoiceDate');

  // The analysis starts by itself when nothing is stored.
  await expect(page.getByTestId('recs-users')).toHaveText(expected.users.toLocaleString('en-US'), { timeout: 60_000 });
  await expect(page.getByTestId('recs-items')).toHaveText(expected.items.toLocaleString('en-US'));
  await expect(page.getByTestId('recs-interactions')).toHaveText(expected.interactions.toLocaleString('en-US'));

  const metrics = page.getByTestId('recs-metrics');
  await expect(metrics.locator('[data-model="popularity"][data-split="leave-last-out"][data-k="10"]')).toHaveCount(1);
  await expect(metrics.locator('[data-model="item-knn"][data-split="leave-last-out"][data-k="10"]')).toHaveCount(1);
  // Every metric cell is "mean [low, high]" with low ≤ mean ≤ high.
  const cell = await metrics.locator('[data-model="item-knn"][data-split="leave-last-out"][data-k="10"] td').nth(3).innerText();
  const [mean, low, high] = cell.match(/[\d.]+/g)!.map(Number);
  expect(low).toBeLessThanOrEqual(mean);
  expect(mean).toBeLessThanOrEqual(high);

  const cleaning = page.getByTestId('recs-cleaning');
  await expect(cleaning.locator('[data-testid="recs-cleaning-row"][data-model="popularity"]').first()).toBeVisible();
  await expect(cleaning.locator('[data-testid="recs-cleaning-row"][data-model="item-knn"]').first()).toBeVisible();
  for (const topic of ['size', 'cold', 'time', 'duplicates', 'suspicious']) await expect(page.getByTestId(`recs-verdict-${topic}`)).toBeVisible();
});
