// Offline proof of the production build: visit once and import a seeded sample of real reviews while
// online; once the service worker controls the page, take the network away for real (this test's own
// `vite preview` server is shut down, and the context is set offline), reload, open the stored import,
// train and run a tagging model (DuckDB-WASM and onnxruntime-web WASM from the precache), then open a
// `#s=` share link of the import in a new tab: the read-only viewer shows it without any import.
//
// The test starts its own preview server (vite's `preview()` on a free port) rather than using the
// shared one on 4173: Chromium's offline emulation does not reach service-worker fetches, so only a
// server that is really gone proves the app needs no network.
import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { preview, type PreviewServer } from 'vite';
import { decodeSnapshotHash } from '../../src/core/snapshot/link.ts';
import { readCnReviews, sampleSeeded } from '../unit/tagging/shared-data.ts';

const SAMPLE = 600;
/** Every 30th sampled row loses its category, so the model has labels to predict. */
const BLANK_EVERY = 30;

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A seeded sample of real Chinese reviews (category, label, text) written to a temp CSV. */
function writeSample(): { path: string; blanked: number } {
  const reviews = sampleSeeded(readCnReviews(), SAMPLE, 21);
  let blanked = 0;
  const lines = ['cat,label,review'];
  reviews.forEach((r, i) => {
    const blank = i % BLANK_EVERY === BLANK_EVERY - 1;
    if (blank) blanked++;
    lines.push([blank ? '' : r.cat, r.label, r.review.slice(0, 300)].map(csvField).join(','));
  });
  const dir = mkdtempSync(join(tmpdir(), 'stocktake-offline-'));
  const path = join(dir, 'reviews.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return { path, blanked };
}

let server: PreviewServer | null = null;

test.afterEach(async () => {
  await server?.close();
  server = null;
});

test('offline: reload, open the stored import, run tagging, open a share link', async ({ browser }) => {
  test.setTimeout(240_000);
  const sample = writeSample();
  server = await preview({ logLevel: 'warn', preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false } });
  const origin = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();

  // Online: first visit, import; the service worker installs and precaches the build.
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(sample.path);
  await expect(page.getByTestId('table-link-reviews')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('table-rows-reviews')).toHaveText(SAMPLE.toLocaleString('en-US'));
  const importId = /#\/import\/([^/]+)/.exec(page.url())?.[1];
  expect(importId).toBeTruthy();
  // The local copy of the rows is written in the background after the catalog shows: wait for it.
  await page.waitForFunction(
    (id) =>
      new Promise<boolean>((resolve) => {
        const open = indexedDB.open('stocktake');
        open.onerror = () => resolve(false);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction('tableData').objectStore('tableData').index('importId').count(id);
          count.onsuccess = () => (db.close(), resolve(count.result > 0));
          count.onerror = () => (db.close(), resolve(false));
        };
      }),
    importId,
    { timeout: 60_000 },
  );
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  // The precache holds the engine's and the inference runtime's wasm.
  const cached = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls: string[] = [];
    for (const n of names) for (const r of await (await caches.open(n)).keys()) urls.push(new URL(r.url).pathname);
    return urls;
  });
  expect(cached.some((u) => /duckdb-(coi|eh)-.*\.wasm$/.test(u))).toBe(true);
  expect(cached.some((u) => /ort-wasm.*\.wasm$/.test(u))).toBe(true);

  // Offline for real: the server is gone and the context has no network.
  await server.close();
  server = null;
  await context.setOffline(true);
  const failed = await context.request.get(`${origin}/`).then(
    () => false,
    () => true,
  );
  expect(failed).toBe(true);

  await page.goto('/');
  await expect(page.getByTestId(`open-import-${importId}`)).toBeVisible();
  await page.getByTestId(`open-import-${importId}`).click();
  await expect(page.getByTestId('table-link-reviews')).toBeVisible();

  // Tagging offline: the data worker reads the stored rows, trains, and onnxruntime-web runs the model.
  await page.getByTestId('nav-tagging').click();
  await page.getByTestId('tagging-table').selectOption('reviews');
  await page.getByTestId('tagging-text').selectOption('review');
  await page.getByTestId('tagging-target').selectOption('cat');
  await page.getByTestId('tagging-train').click();
  await expect(page.getByTestId('tagging-trained')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('tagging-device')).toHaveAttribute('data-device', 'wasm', { timeout: 30_000 });
  await expect(page.getByTestId('predictions-table').locator('tbody tr')).toHaveCount(sample.blanked);

  // Share: the link of this import fits the budget and carries the model summary just trained.
  await page.getByTestId('nav-share').click();
  await expect(page.getByTestId('share-pii-note')).toBeVisible();
  const link = await page.getByTestId('share-link').inputValue();
  expect(link.startsWith(`${origin}/#s=`)).toBe(true);
  expect(link.length).toBeLessThanOrEqual(8192);
  const shared = decodeSnapshotHash(new URL(link).hash);
  expect(shared.source.name).toBe('reviews');
  expect(shared.models?.map((m) => m.target)).toEqual(['cat']);
  expect(shared.tables.flatMap((t) => t.columns).every((c) => c.samples.length === 0)).toBe(true);

  // A new tab opens the link offline: the read-only viewer, no import needed.
  const viewer = await context.newPage();
  await viewer.goto(link);
  await expect(viewer.getByTestId('snapshot-banner')).toContainText('Read-only snapshot of reviews');
  await expect(viewer.getByTestId('table-rows-reviews')).toHaveText(SAMPLE.toLocaleString('en-US'));
  await viewer.getByTestId('table-link-reviews').click();
  await expect(viewer.getByRole('heading', { name: 'reviews', level: 1 })).toBeVisible();
  // Pages inside the viewer keep the share link in the address bar.
  expect(viewer.url()).toBe(link);
  await viewer.getByTestId('snapshot-nav-summary').click();
  await expect(viewer.getByTestId('snapshot-models')).toContainText('cat');

  // Nothing was written to the catalog: still the one import.
  await viewer.getByTestId('nav-imports').click();
  await expect(viewer.getByTestId('imports-list').locator('tbody tr')).toHaveCount(1);
  await context.close();
});
