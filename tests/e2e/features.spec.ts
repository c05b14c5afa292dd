// End to end: the Features view on a small seeded shop export (customers with a person key, orders,
// order items, products, reviews): build at a cut-off, the dictionary's rows and null rates, the item
// count checked against the generated files, a redundant-pair quality flag, the importance chart, and
// review sentiment tags stored as the Tagging view stores them feeding sentiment share.
import { expect, test } from '@playwright/test';
import { mulberry32 } from '../../src/core/util/random.ts';
import { buildSentimentTags } from '../../src/state/tag-extras-model.ts';
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

  // Sentiment tags as a Sentiment run stores them (the fixture's reviews have no text to train on, so a
  // seeded stand-in for the model, right 85% of the time, gives P(positive)); row i = data row i of reviews.csv.
  const importId = decodeURIComponent(/#\/import\/([^/]+)\/features/.exec(page.url())![1]);
  const scores = shop.files['reviews.csv'].trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
  const rand = mulberry32(3);
  const tags = buildSentimentTags('reviews', 'review_id', scores.map((_, i) => i), scores.map((sc) => ((sc >= 4) !== rand() < 0.15 ? 0.8 : 0.3)), { modelId: 5, version: 2 }, Date.now());
  await page.evaluate(
    ({ importId, tags }) =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open('stocktake');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('analyses', 'readwrite');
          tx.objectStore('analyses').put({ importId, kind: 'tags', createdAt: Date.now(), value: tags });
          tx.oncomplete = () => (open.result.close(), done());
          tx.onerror = () => fail(tx.error);
        };
      }),
    { importId, tags },
  );

  await page.getByTestId('features-cutoff').fill(CUTOFF);
  await page.getByTestId('features-target').selectOption('repeat:90');
  await page.getByTestId('features-build').click();

  await expect(page.getByTestId('features-cutoff-used')).toHaveText(CUTOFF, { timeout: 90_000 });
  await expect(page.getByTestId('features-key-used')).toContainText('customer_unique_id');
  await expect(page.getByTestId('features-tab-item_features')).toContainText(`${items.size} rows`);
  await expect(page.getByTestId('features-tags-sentiment')).toHaveText(`Sentiment from model 5 v2 (reviews.review_id), ${scores.length} reviews.`);
  await expect(page.getByTestId('features-tags-attributes')).toContainText('No attribute tags');

  const dict = page.getByTestId('features-table-item_features').getByTestId('features-dictionary');
  for (const name of ['orders_30d', 'price_mean', 'discount_mean', 'freight_share', 'brand', 'review_score_mean', 'sentiment_positive_share', 'days_since_last_sale']) {
    await expect(dict.getByTestId(`features-row-${name}`)).toBeVisible();
  }
  // orders and buyers within a window are near-identical when most people buy once: a redundant pair.
  await expect(dict.getByTestId('features-row-orders_7d').getByTestId('features-flag-redundant')).toBeVisible();
  await expect(dict.getByTestId('features-row-item_id')).toContainText('0.0%');

  await page.getByTestId('features-tab-user_profiles').click();
  await expect(page.getByTestId('features-table-user_profiles').getByTestId('features-row-top_category_1')).toBeVisible();
  await expect(page.getByTestId('features-importance-chart').locator('rect')).not.toHaveCount(0);
});
