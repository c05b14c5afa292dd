// End to end: import a seeded 1,500-row sample of the real Flipkart export, open Tagging, extract
// attributes of product_name with the brand column as lexicon (brand tags, spans in <mark>), find
// near-duplicate titles (at least one cluster, merge sent to the quality recipe), download the
// stored tags as CSV that parses back with the expected columns, train the brand tagger (out-of-fold
// F1) and download the tags as Parquet. Then sentiment from a trained (and reused) review model.
import { expect, test } from '@playwright/test';
import { parquetReadObjects } from 'hyparquet';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TAG_CSV_COLUMNS } from '../../src/state/tag-extras-model.ts';
import { parseCsv, readCnReviews, SHARED_DATA, sampleSeeded } from '../unit/tagging/shared-data.ts';

const SAMPLE = 1500;

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes a seeded sample of the Flipkart file (header kept) to a temp dir. */
function writeSample(): { path: string; brands: number } {
  // readFileSync throws (the test fails loudly) when the shared data is missing.
  const rows = parseCsv(readFileSync(join(SHARED_DATA, 'flipkart/flipkart_com-ecommerce_sample.csv'), 'utf8'));
  const [header, ...data] = rows;
  const width = header.length;
  const picked = sampleSeeded(data.filter((r) => r.length === width), SAMPLE, 5);
  const brandAt = header.indexOf('brand');
  const dir = mkdtempSync(join(tmpdir(), 'stocktake-tag-extras-'));
  const path = join(dir, 'flipkart.csv');
  writeFileSync(path, [header, ...picked].map((r) => r.map(csvField).join(',')).join('\n') + '\n');
  return { path, brands: picked.filter((r) => r[brandAt].trim() !== '').length };
}

test('tagging extras: attributes with brand tags, near-duplicate clusters, tags CSV export', async ({ page }) => {
  const sample = writeSample();
  expect(sample.brands).toBeGreaterThan(100);

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample.path);
  await expect(page.getByTestId('table-link-flipkart')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('table-rows-flipkart')).toHaveText(SAMPLE.toLocaleString('en-US'));

  await page.getByTestId('nav-tagging').click();
  await page.getByTestId('tagging-table').selectOption('flipkart');

  // Attributes: brand lexicon from the brand column, matched in the titles.
  await page.getByTestId('attributes-title').selectOption('product_name');
  await page.getByTestId('attributes-brand').selectOption('brand');
  await page.getByTestId('attributes-run').click();
  await expect(page.getByTestId('attributes-summary')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('attributes-kind-brand')).toBeVisible();
  const brandCells = page.getByTestId('attributes-table').getByTestId('attributes-brand-cell');
  expect(await brandCells.count()).toBeGreaterThan(0);
  const firstBrand = (await brandCells.filter({ hasText: /\S/ }).first().textContent())!.trim();
  expect(firstBrand.length).toBeGreaterThan(0);
  // Spans are drawn as <mark> elements holding text, never as injected HTML.
  expect(await page.getByTestId('attributes-table').locator('mark.tag-brand').count()).toBeGreaterThan(0);

  // Near-duplicates at the default threshold: the sample has repeated titles.
  await page.getByTestId('duplicates-title').selectOption('product_name');
  await page.getByTestId('duplicates-run').click();
  await expect(page.getByTestId('duplicates-summary')).toBeVisible({ timeout: 30_000 });
  expect(Number(await page.getByTestId('duplicates-summary').getAttribute('data-clusters'))).toBeGreaterThan(0);
  await expect(page.getByTestId('duplicate-cluster').first()).toBeVisible();
  await page.getByTestId('duplicates-send-merge').click();
  await expect(page.getByTestId('duplicates-merge-sent')).toBeVisible();

  // Export the stored tags: a CSV with the expected header whose rows all parse to the same width.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('tags-export').click()]);
  const path = join(mkdtempSync(join(tmpdir(), 'stocktake-tags-')), download.suggestedFilename());
  await download.saveAs(path);
  const parsed = parseCsv(readFileSync(path, 'utf8').replace(/\r\n/g, '\n')).filter((r) => r.length > 1 || r[0] !== '');
  expect(parsed[0]).toEqual([...TAG_CSV_COLUMNS]);
  expect(parsed.length).toBeGreaterThan(1);
  for (const r of parsed) expect(r).toHaveLength(TAG_CSV_COLUMNS.length);
  const kindAt = TAG_CSV_COLUMNS.indexOf('kind');
  const sourceAt = TAG_CSV_COLUMNS.indexOf('source');
  const brandRows = parsed.slice(1).filter((r) => r[kindAt] === 'brand');
  expect(brandRows.length).toBeGreaterThan(0);
  expect(brandRows.every((r) => r[sourceAt] === 'lexicon')).toBe(true);
  // Every tag points into the file: rows are 0-based data rows of the 1,500-row sample.
  const rowAt = TAG_CSV_COLUMNS.indexOf('row');
  expect(parsed.slice(1).every((r) => Number(r[rowAt]) >= 0 && Number(r[rowAt]) < SAMPLE)).toBe(true);

  // The brand tagger, trained here on the titles with the brand column's matches as weak labels:
  // out-of-fold F1 shown, then lexicon and tagger tags stored (tagger ones outlined in the titles).
  await page.getByTestId('tagger-train').click();
  await expect(page.getByTestId('tagger-result')).toBeVisible({ timeout: 120_000 });
  expect(Number(await page.getByTestId('tagger-result').getAttribute('data-f1'))).toBeGreaterThan(0.5);
  expect(await page.getByTestId('attributes-table').locator('mark.tag-brand').count()).toBeGreaterThan(0);

  // Tags as Parquet: read back with hyparquet, the tagger's brand tags carry its name and their span.
  const [parquetDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('tags-export-parquet').click()]);
  expect(parquetDownload.suggestedFilename()).toMatch(/\.tags\.parquet$/);
  const parquetPath = join(mkdtempSync(join(tmpdir(), 'stocktake-tags-')), parquetDownload.suggestedFilename());
  await parquetDownload.saveAs(parquetPath);
  const bytes = readFileSync(parquetPath);
  const tagRows = (await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer })) as Record<string, unknown>[];
  expect(Object.keys(tagRows[0])).toEqual([...TAG_CSV_COLUMNS]);
  const taggerRows = tagRows.filter((r) => r.kind === 'brand' && r.source === 'tagger');
  expect(taggerRows.length).toBeGreaterThan(0);
  for (const r of taggerRows) {
    expect(String(r.model)).toContain('brand-tagger');
    expect(Number(r.end)).toBeGreaterThan(Number(r.start));
  }

  // Flipkart's product_rating is mostly "No rating available" plus decimals: not a sentiment column.
  await page.getByTestId('sentiment-product').selectOption('product_name');
  await page.getByTestId('sentiment-score').selectOption('product_rating');
  await page.getByTestId('sentiment-run').click();
  await expect(page.getByTestId('sentiment-refused')).toBeVisible({ timeout: 30_000 });
});

test('tagging extras: sentiment per category from a model trained on the 0/1 labels of real reviews', async ({ page }) => {
  const reviews = sampleSeeded(readCnReviews(), 400, 9);
  // `score` is `label` with every 8th review's score removed: those reviews take the model's prediction.
  const blank = (i: number) => i % 8 === 0;
  const lines = ['cat,label,score,review', ...reviews.map((r, i) => [r.cat, r.label, blank(i) ? '' : r.label, r.review.slice(0, 120)].map(csvField).join(','))];
  const path = join(mkdtempSync(join(tmpdir(), 'stocktake-sentiment-')), 'reviews.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  // Expected bars, from the planted sample: reviews and positive share per category.
  const expected = new Map<string, { n: number; pos: number }>();
  for (const r of reviews) {
    const e = expected.get(r.cat) ?? { n: 0, pos: 0 };
    e.n++;
    if (r.label === '1') e.pos++;
    expected.set(r.cat, e);
  }
  const top = [...expected].sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1))[0];

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(path);
  await expect(page.getByTestId('table-link-reviews')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('nav-tagging').click();
  await page.getByTestId('sentiment-text').selectOption('review');
  await page.getByTestId('sentiment-product').selectOption('review');
  await page.getByTestId('sentiment-category').selectOption('cat');
  await page.getByTestId('sentiment-score').selectOption('label');
  await page.getByTestId('sentiment-run').click();
  await expect(page.getByTestId('sentiment-summary')).toContainText('binary-0-1', { timeout: 60_000 });
  // Every review has a label: the model is trained on them and predicts none in their place.
  await expect(page.getByTestId('sentiment-model-trained')).toBeVisible();
  await expect(page.getByTestId('sentiment-counts')).toHaveAttribute('data-given', '400');
  await expect(page.getByTestId('sentiment-counts')).toHaveAttribute('data-predicted', '0');
  const bars = page.getByTestId('sentiment-categories').locator('.bar-row');
  await expect(bars).toHaveCount(Math.min(expected.size, 15));
  await expect(bars.first().locator('.key')).toHaveText(top[0]);
  await expect(bars.first().locator('.num')).toHaveText(`${((top[1].pos / top[1].n) * 100).toFixed(1)}% · ${top[1].n}`);

  // The score column with gaps: its model predicts the 50 unscored reviews, counted per category.
  await page.getByTestId('sentiment-score').selectOption('score');
  await page.getByTestId('sentiment-run').click();
  await expect(page.getByTestId('sentiment-model-trained')).toBeVisible({ timeout: 60_000 });
  const blanks = reviews.filter((_, i) => blank(i)).length;
  await expect(page.getByTestId('sentiment-counts')).toHaveAttribute('data-predicted', String(blanks));
  await expect(page.getByTestId('sentiment-counts')).toHaveAttribute('data-given', String(reviews.length - blanks));
  await expect(bars.first().locator('.num')).toHaveText(new RegExp(`· ${top[1].n}$`));

  // Same rows again: the stored model is reused, not retrained.
  await page.getByTestId('sentiment-run').click();
  await expect(page.getByTestId('sentiment-model-reused')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('sentiment-counts')).toHaveAttribute('data-predicted', String(blanks));

  // Each review's predicted sentiment is a stored tag with the model's id, version and probability.
  const modelId = await page.getByTestId('sentiment-model-reused').getAttribute('data-model-id');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('tags-export').click()]);
  const csvPath = join(mkdtempSync(join(tmpdir(), 'stocktake-tags-')), download.suggestedFilename());
  await download.saveAs(csvPath);
  const parsed = parseCsv(readFileSync(csvPath, 'utf8').replace(/\r\n/g, '\n')).filter((r) => r.length > 1);
  const at = (name: (typeof TAG_CSV_COLUMNS)[number]) => TAG_CSV_COLUMNS.indexOf(name);
  const sentimentTags = parsed.slice(1).filter((r) => r[at('kind')] === 'sentiment');
  expect(sentimentTags).toHaveLength(reviews.length);
  for (const r of sentimentTags) {
    expect(r[at('model_id')]).toBe(modelId);
    expect(Number(r[at('score')])).toBeGreaterThanOrEqual(0.5);
    expect(['positive', 'negative']).toContain(r[at('value')]);
  }
});
