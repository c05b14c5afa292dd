// End to end: model monitoring. Import a seeded sample of real Chinese reviews as "reviews", train
// cat ← review, import a second sample of the same dataset whose category mix is shifted (two of ten
// categories drawn 20× as often), open Monitor: the stored model is re-run on the new import, the
// predicted-class drift is flagged next to its threshold, accuracy is compared with training, and a
// Retrain button starts training on the new import.
import { expect, test, type Page } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/util/random.ts';
import { readCnReviews, sampleSeeded, type Review } from '../unit/tagging/shared-data.ts';

const ROWS = 1500;
const BOOSTED = ['水果', '洗发水'];
const root = mkdtempSync(join(tmpdir(), 'stocktake-model-monitor-'));

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes `rows` as reviews.csv in its own folder (the file name is the table name). */
function writeVersion(name: string, rows: Review[]): string {
  const dir = mkdtempSync(join(root, `${name}-`));
  const path = join(dir, 'reviews.csv');
  // Long reviews are cut to keep the files small; the cut does not depend on the category.
  const lines = ['cat,label,review', ...rows.map((r) => [r.cat, r.label, r.review.slice(0, 300)].map(csvField).join(','))];
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** A seeded sample where BOOSTED categories are kept always and the others with probability 1/20. */
function sampleShifted(all: Review[], n: number, seed: number): Review[] {
  const rand = mulberry32(seed);
  const out: Review[] = [];
  for (const r of sampleSeeded(all, all.length, seed + 1)) {
    if (out.length === n) break;
    if (BOOSTED.includes(r.cat) || rand() < 1 / 20) out.push(r);
  }
  return out;
}

async function importVersion(page: Page, path: string): Promise<void> {
  await page.getByTestId('nav-imports').click();
  await expect(page).toHaveURL(/#\/$/);
  await page.getByTestId('dataset-name').fill('reviews');
  await page.getByTestId('file-input').setInputFiles(path);
  await expect(page).toHaveURL(/#\/import\//, { timeout: 60_000 });
  await expect(page.getByTestId('table-link-reviews')).toBeVisible({ timeout: 60_000 });
}

test('model monitor: a stored model re-run on a shifted export, drift and accuracy verdicts, retrain', async ({ page }) => {
  const all = readCnReviews();
  const first = sampleSeeded(all, ROWS, 21);
  const second = sampleShifted(all, ROWS, 22);
  expect(second).toHaveLength(ROWS);
  const boostedShare = second.filter((r) => BOOSTED.includes(r.cat)).length / ROWS;
  expect(boostedShare).toBeGreaterThan(0.6);

  await page.goto('/');
  await importVersion(page, writeVersion('v1', first));
  await page.getByTestId('nav-tagging').click();
  await page.getByTestId('tagging-table').selectOption('reviews');
  await page.getByTestId('tagging-text').selectOption('review');
  await page.getByTestId('tagging-target').selectOption('cat');
  await page.getByTestId('tagging-train').click();
  await expect(page.getByTestId('tagging-trained')).toBeVisible({ timeout: 90_000 });
  const trainedAccuracy = (await page.getByTestId('tagging-accuracy').textContent())!.trim();

  await importVersion(page, writeVersion('v2', second));
  await page.getByTestId('nav-monitor').click();
  const panel = page.getByTestId('model-monitor');
  await expect(panel).toBeVisible();
  const check = panel.getByTestId('model-check-reviews.cat');
  await expect(check.getByTestId('model-verdicts')).toBeVisible({ timeout: 60_000 });

  // The predicted classes follow the new mix: far from the training labels' mix.
  const drift = check.getByTestId('model-verdict-predicted_class_js');
  await expect(drift).not.toHaveAttribute('data-verdict', 'ok');
  expect(Number(await drift.getByTestId('model-verdict-value').textContent())).toBeGreaterThan(0.2);
  await expect(check.getByTestId('model-verdict-input_features_js')).toBeVisible();
  // Every row of the new export is labelled, so the accuracy is compared with the one at training.
  const accuracy = check.getByTestId('model-verdict-accuracy_drop');
  await expect(accuracy).toContainText(trainedAccuracy);
  expect(Number.isFinite(Number(await accuracy.getByTestId('model-verdict-value').textContent()))).toBe(true);

  // Retrain: the Tagging view trains the same job on the new import.
  await check.getByTestId('model-retrain').click();
  await expect(page).toHaveURL(/\/tagging$/);
  await expect(page.getByTestId('tagging-progress')).toBeVisible({ timeout: 30_000 });
});
