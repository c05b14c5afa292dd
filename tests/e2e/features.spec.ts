// End to end: the Features view on a small seeded shop export (customers with a person key, orders,
// order items, products, reviews): build at a cut-off, the dictionary's rows and null rates, the item
// count checked against the generated files, a redundant-pair quality flag, and the importance chart.
import { expect, test } from '@playwright/test';
import { generateShopOrders } from '../fixtures/generate-shop-orders.ts';

const CUTOFF = '2021-07-01';

test('features: dictionary, quality flag and importance on a seeded shop', async ({ page }) => {
  test.setTimeout(120_000);
  const shop = generateShopOrders({ seed: 21, orders: 1500, withBrand: true, withListPrice: true });
  // Expected item rows, counted from the generated files: products sold strictly before the cut-off.
  const orderTime = new Map(shop.files['orders.csv'].trim().split('\n').slice(1).map((l) => { const f = l.split(','); return [f[0], f[3]]; }));
  const items = new Set(shop.files['order_items.csv'].trim().split('\n').slice(1).map((l) => l.split(',')).filter((f) => orderTime.get(f[0])! < CUTOFF).map((f) => f[2]));
  expect(items.size).toBeGreaterThan(20);

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(
    Object.entries(shop.files).map(([name, text]) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })),
  );
  await expect(page.getByTestId('table-link-order_items')).toBeVisible({ timeout: 60_000 });

  await page.getByTestId('nav-features').click();
  await expect(page.getByTestId('features-view')).toBeVisible();
  await page.getByTestId('features-cutoff').fill(CUTOFF);
  await page.getByTestId('features-target').selectOption('repeat:90');
  await page.getByTestId('features-build').click();

  await expect(page.getByTestId('features-cutoff-used')).toHaveText(CUTOFF, { timeout: 90_000 });
  await expect(page.getByTestId('features-key-used')).toContainText('customer_unique_id');
  await expect(page.getByTestId('features-tab-item_features')).toContainText(`${items.size} rows`);

  const dict = page.getByTestId('features-table-item_features').getByTestId('features-dictionary');
  for (const name of ['orders_30d', 'price_mean', 'discount_mean', 'freight_share', 'brand', 'review_score_mean', 'days_since_last_sale']) {
    await expect(dict.getByTestId(`features-row-${name}`)).toBeVisible();
  }
  // orders and buyers within a window are near-identical when most people buy once: a redundant pair.
  await expect(dict.getByTestId('features-row-orders_7d').getByTestId('features-flag-redundant')).toBeVisible();
  await expect(dict.getByTestId('features-row-item_id')).toContainText('0.0%');

  await page.getByTestId('features-tab-user_profiles').click();
  await expect(page.getByTestId('features-table-user_profiles').getByTestId('features-row-top_category_1')).toBeVisible();
  await expect(page.getByTestId('features-importance-chart').locator('rect')).not.toHaveCount(0);
});
