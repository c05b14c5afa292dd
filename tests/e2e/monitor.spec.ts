// End to end: import two generated versions of one shop export under the same dataset name, open
// Monitoring on the second, see each planted change as an alert, open a timeline, save a threshold.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateVersions } from '../fixtures/generate-versions.ts';

const { v1, v2, planted } = generateVersions({ seed: 11, rows: 5000 });
const root = mkdtempSync(join(tmpdir(), 'stocktake-monitor-e2e-'));
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes one version's files to its own folder and returns their paths. */
function writeVersion(name: string, files: Record<string, string>): string[] {
  const dir = join(root, name);
  mkdirSync(dir);
  return Object.entries(files).map(([file, text]) => {
    writeFileSync(join(dir, file), text);
    return join(dir, file);
  });
}

async function importVersion(page: Page, paths: string[]): Promise<void> {
  await page.getByTestId('nav-imports').click();
  await expect(page).toHaveURL(/#\/$/);
  await page.getByTestId('dataset-name').fill('shop');
  await page.getByTestId('file-input').setInputFiles(paths);
  // The finished import opens its catalog.
  await expect(page).toHaveURL(/#\/import\//, { timeout: 90_000 });
  await expect(page.getByTestId('table-link-orders')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('table-link-reviews')).toBeVisible();
}

test('monitor: two versions, planted alerts, a timeline, a saved threshold', async ({ page }) => {
  // Two imports start DuckDB-WASM twice: ~30 s on an idle 2-core machine, more when it is shared.
  test.setTimeout(240_000);
  await page.goto('/');
  await importVersion(page, writeVersion('v1', v1));
  const firstUrl = page.url();
  await importVersion(page, writeVersion('v2', v2));
  expect(page.url()).not.toBe(firstUrl);

  await page.getByTestId('nav-monitor').click();
  await expect(page.getByTestId('monitor-view')).toBeVisible();
  // The previous import is picked by itself: the first one, under the same name.
  await expect(page.getByTestId('previous-select').locator('option').first()).toHaveText(/shop/);
  await expect(page.getByTestId('table-diff-orders')).toBeVisible();

  // Schema drift and per-column verdicts on the changes page.
  await expect(page.getByTestId(`schema-orders-${planted.droppedColumn.column}`)).toHaveAttribute('data-status', 'removed');
  await expect(page.getByTestId(`schema-orders-${planted.retypedColumn.column}`)).toHaveAttribute('data-status', 'retyped');
  await expect(page.getByTestId('verdict-orders-price-wasserstein_norm')).toHaveAttribute('data-verdict', 'error');
  await expect(page.getByTestId('verdict-orders-customer_email-null_rate_h')).toHaveAttribute('data-verdict', 'error');
  await expect(page.getByTestId('appeared-orders-category')).toContainText(planted.appearedCategory.value);
  await expect(page.getByTestId('vanished-orders-category')).toContainText(planted.vanishedCategory.value);
  await expect(page.getByTestId('verdict-reviews--stale_days')).toHaveAttribute('data-verdict', 'error');

  // The alerts page lists each planted change with its severity.
  await page.getByTestId('tab-alerts').click();
  await expect(page.getByTestId('alerts-view')).toBeVisible();
  const alert = (kind: string, table: string, column = '') => page.getByTestId(`alert-${kind}-${table}-${column}`);
  await expect(alert('column_removed', 'orders', planted.droppedColumn.column)).toHaveAttribute('data-severity', 'error');
  await expect(alert('column_retyped', 'orders', planted.retypedColumn.column)).toHaveAttribute('data-severity', 'error');
  await expect(alert('category_appeared', 'orders', 'category')).toContainText(`"${planted.appearedCategory.value}"`);
  await expect(alert('category_vanished', 'orders', 'category')).toContainText(`"${planted.vanishedCategory.value}"`);
  await expect(alert('wasserstein_norm', 'orders', 'price')).toHaveAttribute('data-severity', 'error');
  await expect(alert('null_rate_h', 'orders', planted.nullJump.column)).toHaveAttribute('data-severity', 'error');
  await expect(alert('stale_days', 'reviews')).toHaveAttribute('data-severity', 'error');

  // A timeline of the price shift: one point per later import, both thresholds drawn.
  await page.getByTestId('alert-timeline-wasserstein_norm-orders-price').click();
  const panel = page.getByTestId('timeline-panel');
  await expect(panel).toHaveAttribute('data-metric', 'wasserstein_norm');
  await expect(panel.getByTestId('timeline-dot')).toHaveCount(1);
  await expect(panel.getByTestId('timeline-warn')).toHaveCount(1);
  await expect(panel.getByTestId('timeline-error')).toHaveCount(1);

  // Raising the price thresholds above the shift turns its verdict to ok, and the choice is kept.
  await page.getByTestId('tab-monitor').click();
  await page.getByTestId('thresholds-orders-price').click();
  await page.getByTestId('threshold-wasserstein-warn').fill('5');
  await page.getByTestId('threshold-wasserstein-error').fill('10');
  await page.getByTestId('threshold-save').click();
  await expect(page.getByTestId('verdict-orders-price-wasserstein_norm')).toHaveAttribute('data-verdict', 'ok');
  await page.reload();
  await expect(page.getByTestId('verdict-orders-price-wasserstein_norm')).toHaveAttribute('data-verdict', 'ok');
  await expect(page.getByTestId('verdict-orders-customer_email-null_rate_h')).toHaveAttribute('data-verdict', 'error');
});
