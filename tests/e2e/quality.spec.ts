// End to end: the Quality view on the real Olist tables (counts checked against native DuckDB, a fix
// previewed and kept, the cleaned table exported as CSV and read back), and malicious cell values that
// must stay text in the page and be escaped in the exported CSV.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDbNodeEngine } from '../../src/engine/duckdb-node.ts';

const olistDir = resolve(process.cwd(), '../shared/data/olist');
const files = readdirSync(olistDir).filter((f) => f.endsWith('.csv')).sort();
const reviewsCsv = join(olistDir, 'olist_order_reviews_dataset.csv');
const productsCsv = join(olistDir, 'olist_products_dataset.csv');

/** Runs one counting query with native DuckDB, an independent reader of the same files. */
async function countWith(sql: string): Promise<number> {
  const engine = await DuckDbNodeEngine.create();
  try {
    const [row] = await engine.query<{ n: number }>(sql);
    return Number(row.n);
  } finally {
    engine.close();
  }
}

/** Clicks a button that starts a download and returns the downloaded file's text. */
async function downloadText(page: Page, testId: string): Promise<{ name: string; path: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testId).click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'stocktake-e2e-')), download.suggestedFilename());
  await download.saveAs(path);
  return { name: download.suggestedFilename(), path, text: readFileSync(path, 'utf8') };
}

test('quality on olist: exact counts, a fix previewed and kept, the cleaned CSV exported and read back', async ({ page }) => {
  test.setTimeout(420_000);
  expect(files).toHaveLength(9);
  const nullCategories = await countWith(`SELECT count(*) AS n FROM read_csv('${productsCsv}') WHERE product_category_name IS NULL`);
  const duplicateReviewIds = await countWith(`SELECT count(*) AS n FROM (SELECT review_id FROM read_csv('${reviewsCsv}') GROUP BY 1 HAVING count(*) > 1)`);
  const reviewRows = await countWith(`SELECT count(*) AS n FROM read_csv('${reviewsCsv}')`);
  const distinctReviewIds = await countWith(`SELECT count(DISTINCT review_id) AS n FROM read_csv('${reviewsCsv}')`);
  expect(nullCategories).toBeGreaterThan(0);
  expect(duplicateReviewIds).toBeGreaterThan(0);

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(files.map((f) => join(olistDir, f)));
  await expect(page.getByTestId('table-link-olist_order_reviews_dataset')).toBeVisible({ timeout: 120_000 });

  await page.getByTestId('nav-quality').click();
  await expect(page.getByTestId('quality-view')).toBeVisible();
  // The checks start by themselves when no report is stored.
  const nullIssue = 'completeness:null:olist_products_dataset.product_category_name';
  const dupIssue = 'uniqueness:duplicate-key:olist_order_reviews_dataset.review_id';
  await expect(page.getByTestId(`quality-count-${nullIssue}`)).toHaveText(nullCategories.toLocaleString('en-US'), { timeout: 300_000 });
  await expect(page.getByTestId(`quality-count-${dupIssue}`)).toHaveText(duplicateReviewIds.toLocaleString('en-US'));
  await expect(page.getByTestId('quality-score')).toHaveText(/^\d+(\.\d)?$/);

  // One click adds the fix; its preview says how many rows it drops before anything is exported.
  await page.getByTestId(`quality-add-fix-${dupIssue}`).click();
  const step = page.getByTestId('recipe-step-0');
  await expect(step).toHaveAttribute('data-kind', 'drop-duplicate-rows');
  const preview = page.getByTestId('recipe-preview-0');
  await expect(preview).toHaveAttribute('data-rows-before', String(reviewRows));
  await expect(preview).toHaveAttribute('data-rows-after', String(distinctReviewIds));

  const csv = await downloadText(page, 'export-csv-olist_order_reviews_dataset');
  expect(csv.name).toBe('clean_olist_order_reviews_dataset.csv');
  await expect(page.getByTestId('cleaning-log')).toBeVisible();
  const exportedRows = await countWith(`SELECT count(*) AS n FROM read_csv('${csv.path}')`);
  const exportedIds = await countWith(`SELECT count(DISTINCT review_id) AS n FROM read_csv('${csv.path}')`);
  expect(exportedRows).toBe(distinctReviewIds);
  expect(exportedIds).toBe(distinctReviewIds);

  // The originals are untouched: the products table still exports with every null category.
  const products = await downloadText(page, 'export-csv-olist_products_dataset');
  expect(await countWith(`SELECT count(*) AS n FROM read_csv('${products.path}') WHERE product_category_name IS NULL`)).toBe(nullCategories);
});

test('malicious values are text in the page and escaped in the exported CSV', async ({ page }) => {
  test.setTimeout(180_000);
  const img = '<img src=x onerror=alert(1)>';
  const formula = '=HYPERLINK("http://x","y")';
  const dir = mkdtempSync(join(tmpdir(), 'stocktake-malicious-'));
  const file = join(dir, 'malicious.csv');
  // Both dangerous rows miss a price, so the null-price issue shows them as sample rows.
  writeFileSync(file, ['sku,name,price', `A1,${img},`, `A2,"${formula.replaceAll('"', '""')}",`, 'A3,plain mug,5.5', 'A4,blue cup,7.25', 'A5,red plate,3'].join('\n') + '\n');
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(file);
  await expect(page.getByTestId('table-link-malicious')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('nav-quality').click();

  const issue = page.getByTestId('quality-issue-completeness:null:malicious.price');
  await expect(issue).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('quality-count-completeness:null:malicious.price')).toHaveText('2');
  await issue.locator('summary').first().click();
  await expect(issue.getByRole('cell', { name: img, exact: true })).toBeVisible();
  await expect(issue.getByRole('cell', { name: formula, exact: true })).toBeVisible();
  // Rendered as text: no element was made from the value, and nothing ran.
  expect(await page.locator('[data-testid="quality-view"] img').count()).toBe(0);
  expect(await page.locator('img[src="x"]').count()).toBe(0);
  expect(dialogs).toEqual([]);

  const csv = await downloadText(page, 'export-csv-malicious');
  const lines = csv.text.split('\r\n');
  expect(lines[0]).toBe('sku,name,price');
  expect(lines).toContain(`A1,${img},`);
  // The formula gets a leading apostrophe (and quotes, as it holds commas and quotes).
  expect(lines).toContain(`A2,"'=HYPERLINK(""http://x"",""y"")",`);
  expect(csv.text).not.toContain(`,"=HYPERLINK`);

  // Parquet is written in the browser (no DuckDB extension): native DuckDB reads the values back as-is.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-parquet-malicious').click()]);
  const parquet = join(dir, download.suggestedFilename());
  await download.saveAs(parquet);
  expect(download.suggestedFilename()).toBe('clean_malicious.parquet');
  expect(await countWith(`SELECT count(*) AS n FROM read_parquet('${parquet}') WHERE name = '${formula.replaceAll("'", "''")}' AND price IS NULL`)).toBe(1);
  expect(await countWith(`SELECT count(*) AS n FROM read_parquet('${parquet}')`)).toBe(5);
});
