// End to end: import a seeded sample of real Chinese reviews, train cat ← review in the Tagging view
// (k-fold in the worker, ONNX inference in onnxruntime-web), see out-of-fold metrics, suspects, the
// device, accept a fix, rerun without retraining, find the model on the Models page, and recover
// from a corrupt stored model by retraining.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../../src/core/util/random.ts';
import { readCnReviews, sampleSeeded } from '../unit/tagging/shared-data.ts';

const SAMPLE = 2000;
/** Every 50th sampled row loses its category, so the app has labels to predict. */
const BLANK_EVERY = 50;

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes the seeded sample to a temp dir; returns the path and the expected counts. */
function writeSample(): { path: string; rows: number; blanked: number; classes: number } {
  const reviews = sampleSeeded(readCnReviews(), SAMPLE, 7);
  const rand = mulberry32(11);
  let blanked = 0;
  const lines = ['cat,label,review'];
  reviews.forEach((r, i) => {
    const blank = i % BLANK_EVERY === BLANK_EVERY - 1;
    if (blank) blanked++;
    // Truncating long reviews keeps the file small; a seeded draw keeps some long ones whole.
    const text = r.review.length > 400 && rand() < 0.8 ? r.review.slice(0, 400) : r.review;
    lines.push([blank ? '' : r.cat, r.label, text].map(csvField).join(','));
  });
  const dir = mkdtempSync(join(tmpdir(), 'stocktake-tagging-'));
  const path = join(dir, 'reviews.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, rows: reviews.length, blanked, classes: new Set(reviews.map((r) => r.cat)).size };
}

test('tagging: train cat ← review, out-of-fold metrics, suspects, device, reuse, models page', async ({ page }) => {
  const sample = writeSample();
  expect(sample.rows).toBe(SAMPLE);

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample.path);
  await expect(page.getByTestId('table-link-reviews')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('table-rows-reviews')).toHaveText(SAMPLE.toLocaleString('en-US'));

  await page.getByTestId('nav-tagging').click();
  await page.getByTestId('tagging-table').selectOption('reviews');
  await page.getByTestId('tagging-text').selectOption('review');
  await page.getByTestId('tagging-target').selectOption('cat');
  await page.getByTestId('tagging-train').click();

  // Progress with fold and ETA shows while the worker trains.
  await expect(page.getByTestId('tagging-progress')).toBeVisible();
  await expect(page.getByTestId('tagging-eta')).toBeVisible({ timeout: 30_000 });

  await expect(page.getByTestId('tagging-trained')).toBeVisible({ timeout: 90_000 });
  const accuracy = Number((await page.getByTestId('tagging-accuracy').textContent())!.replace('%', '')) / 100;
  const macroF1 = Number(await page.getByTestId('tagging-macro-f1').textContent());
  // Ten categories: chance is ~0.1; the classifier on 1,960 labelled reviews does far better
  // (macro-F1 is lower: some categories have only a few dozen rows in the sample).
  expect(accuracy).toBeGreaterThan(0.6);
  expect(accuracy).toBeLessThanOrEqual(1);
  expect(macroF1).toBeGreaterThan(0.35);
  await expect(page.getByTestId('confusion-matrix').locator('rect')).toHaveCount(sample.classes * sample.classes);

  // The stored ONNX model ran in onnxruntime-web: WASM here (the config passes --disable-gpu).
  await expect(page.getByTestId('tagging-device')).toHaveAttribute('data-device', 'wasm', { timeout: 30_000 });
  await expect(page.getByTestId('tagging-device-reason')).not.toBeEmpty();
  await expect(page.getByTestId('predictions-table').locator('tbody tr')).toHaveCount(sample.blanked);

  // Suspects: at least one, accept the first; the accepted state comes back from IndexedDB.
  const firstAccept = page.getByTestId('suspects-table').locator('button[data-testid^="suspect-accept-"]').first();
  await expect(firstAccept).toBeVisible();
  await firstAccept.click();
  await expect(page.getByTestId('suspects-count')).toContainText('1');
  await expect(page.getByTestId('suspects-table').getByText('Accepted')).toHaveCount(1);

  // Same rows, same settings: the stored model is reused, nothing is retrained.
  await page.getByTestId('tagging-train').click();
  await expect(page.getByTestId('tagging-reused')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('tagging-reused')).toContainText('v1');
  await expect(page.getByTestId('tagging-device')).toBeVisible({ timeout: 30_000 });

  await page.getByTestId('nav-models').click();
  const row = page.getByTestId('model-reviews.cat.v1');
  await expect(row).toBeVisible();
  await expect(row.getByTestId('model-accuracy')).toHaveText(`${(accuracy * 100).toFixed(1)}%`);
  await expect(page.getByTestId('models-table').locator('tbody tr')).toHaveCount(1);

  // A corrupt stored model (bytes damaged on disk; a reload drops the cached session): a clear error
  // with a retrain button, the rest of the app still works, and retraining stores v2.
  await page.reload();
  await page.evaluate(
    () =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open('stocktake');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('models', 'readwrite');
          const store = tx.objectStore('models');
          store.openCursor().onsuccess = (e) => {
            const cursor = (e.target as IDBRequest<IDBCursorWithValue | null>).result;
            if (!cursor) return;
            cursor.update({ ...cursor.value, onnx: new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]) });
            cursor.continue();
          };
          tx.oncomplete = () => {
            open.result.close();
            done();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
  );
  await page.getByTestId('nav-tagging').click();
  await page.getByTestId('tagging-target').selectOption('cat');
  await page.getByTestId('tagging-train').click();
  await expect(page.getByTestId('tagging-model-error')).toContainText('corrupt', { timeout: 30_000 });
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('table-link-reviews')).toBeVisible();
  await page.getByTestId('nav-tagging').click();
  await page.getByTestId('tagging-target').selectOption('cat');
  await page.getByTestId('tagging-retrain').click();
  await expect(page.getByTestId('tagging-trained')).toContainText('v2', { timeout: 90_000 });
  await expect(page.getByTestId('tagging-device')).toHaveAttribute('data-device', 'wasm', { timeout: 30_000 });
  await expect(page.getByTestId('tagging-model-error')).toHaveCount(0);
});
