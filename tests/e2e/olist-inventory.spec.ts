// End to end: drop the nine real Olist tables into the built app, see the inventory, switch language,
// and reopen it offline from the service worker's cache and IndexedDB.
import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDbNodeEngine } from '../../src/engine/duckdb-node.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');
const files = readdirSync(olistDir).filter((f) => f.endsWith('.csv')).sort();

/** Row counts from native DuckDB: an independent reader of the same files. */
async function countRows(): Promise<Record<string, number>> {
  const engine = await DuckDbNodeEngine.create();
  try {
    const out: Record<string, number> = {};
    for (const f of files) {
      const [row] = await engine.query<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM read_csv('${join(olistDir, f)}')`);
      out[f.replace(/\.csv$/, '')] = row.n;
    }
    return out;
  } finally {
    engine.close();
  }
}

test('olist: nine tables, exact row counts, the product foreign key, language switch, offline reload', async ({ page, context }) => {
  expect(files).toHaveLength(9);
  const expected = await countRows();

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => join(olistDir, f)));

  // The import finishes and opens the catalog of the new import.
  for (const [table, rows] of Object.entries(expected)) {
    const link = page.getByTestId(`table-link-${table}`);
    await expect(link).toBeVisible({ timeout: 90_000 });
    await expect(page.getByTestId(`table-rows-${table}`)).toHaveText(rows.toLocaleString('en-US'));
  }

  await page.getByTestId('nav-relations').click();
  await expect(
    page.getByTestId('fk-olist_order_items_dataset.product_id->olist_products_dataset.product_id'),
  ).toBeVisible();

  // Language: switch to the other one and back; the choice survives a reload.
  const before = await page.locator('html').getAttribute('lang');
  await page.getByTestId('lang-toggle').click();
  const after = await page.locator('html').getAttribute('lang');
  expect(after).not.toBe(before);
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', after!);

  // Offline: once the service worker has cached the app, a reload without network still shows it.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  await context.setOffline(true);
  await page.reload();
  await expect(
    page.getByTestId('fk-olist_order_items_dataset.product_id->olist_products_dataset.product_id'),
  ).toBeVisible();
  await context.setOffline(false);
});
