// End to end: import a small export (600 real Chinese reviews and the first 4,000 UCI Online Retail
// rows, written to a temp dir), run a short classifier search in the tuning worker, see the runs in
// the table and the chart, promote the best (a model with provenance under Models); then a
// recommender search that is cancelled with its finished runs kept, and one promoted as a config.
import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCnReviews, sampleSeeded, SHARED_DATA } from '../unit/tagging/shared-data.ts';

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function writeExport(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'stocktake-runs-'));
  const reviews = sampleSeeded(readCnReviews(), 600, 5);
  const lines = ['cat,review', ...reviews.map((r) => [r.cat, r.review.slice(0, 300)].map(csvField).join(','))];
  writeFileSync(join(dir, 'reviews.csv'), lines.join('\n') + '\n');
  const retail = readFileSync(resolve(SHARED_DATA, 'uci-online-retail/OnlineRetail_head10k.csv'), 'utf8').split('\n').slice(0, 4001).join('\n') + '\n';
  writeFileSync(join(dir, 'retail.csv'), retail);
  return [join(dir, 'reviews.csv'), join(dir, 'retail.csv')];
}

test('runs: tune a classifier, see the runs, promote the best; cancel and promote a recommender', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(writeExport());
  await expect(page.getByTestId('table-link-reviews')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('table-link-retail')).toBeVisible();

  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('runs-view')).toBeVisible();
  const model = page.getByTestId('runs-model');
  await model.selectOption('reviews: review → cat');
  await expect(page.getByTestId('runs-empty')).toBeVisible();
  await page.getByTestId('runs-budget').fill('12');
  await page.getByTestId('runs-start').click();
  await expect(page.getByTestId('runs-progress')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('runs-summary')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('runs-status')).toHaveAttribute('data-status', 'done');

  // Every trial is a row; the default is one of them, and a best full-budget run is marked.
  const rows = page.getByTestId('runs-table').getByTestId('runs-row');
  const n = await rows.count();
  expect(n).toBeGreaterThanOrEqual(1);
  await expect(page.getByTestId('runs-table').getByText('default')).toHaveCount(1);
  await expect(page.getByTestId('runs-table').locator('tr.best')).toHaveCount(1);
  await expect(page.getByTestId('runs-scatter').locator('circle')).toHaveCount(n);
  await expect(page.getByTestId('runs-summary')).toContainText('Held-out');

  // Sorting by the metric puts the highest score first.
  await page.getByTestId('runs-sort-score').click();
  const scores = (await page.getByTestId('runs-score').allTextContents()).map(Number).filter((x) => !Number.isNaN(x));
  expect(scores).toEqual([...scores].sort((a, b) => b - a));

  await page.getByTestId('runs-promote').click();
  await expect(page.getByTestId('runs-promoted')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('runs-promoted')).toContainText('version 1');

  // The promoted classifier is a stored model, with the run it came from in its details.
  const provenance = await page.evaluate(
    () =>
      new Promise<{ run: string; metric: string } | null>((done, fail) => {
        const open = indexedDB.open('stocktake');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const req = open.result.transaction('models').objectStore('models').getAll();
          req.onsuccess = () => {
            open.result.close();
            const m = (req.result as { details: { provenance?: { run: string; metric: string } } }[])[0];
            done(m?.details.provenance ?? null);
          };
        };
      }),
  );
  expect(provenance?.metric).toBe('macroF1');
  expect(provenance?.run).toMatch(/reviews: review → cat\/.+#\d+$/);
  await page.getByTestId('nav-models').click();
  await expect(page.getByTestId('model-reviews.cat.v1')).toBeVisible();

  // A recommender: a long search cancelled after a few trials keeps those runs.
  await page.getByTestId('nav-runs').click();
  await model.selectOption('item-knn');
  await page.getByTestId('runs-budget').fill('300');
  await page.getByTestId('runs-start').click();
  await expect(async () => expect(await rows.count()).toBeGreaterThanOrEqual(3)).toPass({ timeout: 60_000 });
  await page.getByTestId('runs-cancel').click();
  await expect(page.getByTestId('runs-cancelled')).toBeVisible();
  const kept = await rows.count();
  expect(kept).toBeGreaterThanOrEqual(3);

  // A short one runs to the end; its best configuration is kept for the recommender.
  await page.getByTestId('runs-budget').fill('4');
  await page.getByTestId('runs-start').click();
  await expect(page.getByTestId('runs-summary')).toBeVisible({ timeout: 60_000 });
  expect(await rows.count()).toBeGreaterThan(kept);
  await page.getByTestId('runs-promote').click();
  await expect(page.getByTestId('runs-promoted')).toContainText('kept as the chosen one');
});
