// The Backend panel against the real server (server/, free loopback port, temporary DATA_DIR) serving
// the built app: configure this site with the write token, test the connection, sync the catalog of the
// seeded shop export (a second sync sends nothing), list and delete an uploaded snapshot, and a wrong
// token shown as the backend's auth error.
import { expect, test } from '@playwright/test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/serve.ts';
import { generateExport } from '../fixtures/generate-export.ts';

const TOKEN = 'e2e-backend-token-0123456789abcdef';
let server: RunningServer | null = null;
const dirs: string[] = [];

test.afterEach(async () => {
  await server?.close();
  server = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

test('backend panel: connection test, catalog sync, own snapshots, wrong token', async ({ browser }) => {
  const { files } = generateExport({ seed: 42, scale: 1 });
  const exportDir = mkdtempSync(join(tmpdir(), 'stocktake-backend-export-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'stocktake-backend-data-'));
  dirs.push(exportDir, dataDir);
  const paths = Object.entries(files).map(([name, text]) => {
    const p = join(exportDir, name);
    writeFileSync(p, text);
    return p;
  });
  server = await startServer(
    readConfig({ PORT: '0', DATA_DIR: dataDir, STOCKTAKE_WRITE_TOKEN: TOKEN, STOCKTAKE_STATIC_DIR: resolve('dist') }, process.cwd()),
    { log: () => undefined },
  );
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(paths);
  await expect(page.getByTestId('table-link-users')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('nav-share').click();

  const panel = page.getByTestId('backend-panel');
  await expect(panel.getByTestId('backend-status')).toHaveAttribute('data-configured', 'false');
  await page.getByTestId('backend-url').fill('ftp://example.com');
  await page.getByTestId('backend-token').fill(TOKEN);
  await page.getByTestId('backend-save').click();
  await expect(page.getByTestId('backend-form-note')).toContainText('http://');
  await page.getByTestId('backend-url').fill('');
  await page.getByTestId('backend-save').click();
  await expect(panel.getByTestId('backend-status')).toHaveAttribute('data-configured', 'true');

  await page.getByTestId('backend-test').click();
  await expect(page.getByTestId('backend-health')).toHaveAttribute('data-ok', 'true');
  await expect(page.getByTestId('backend-health')).toContainText('0 snapshots');

  // Sync: everything is new the first time, nothing changed the second time.
  await page.getByTestId('backend-sync').click();
  const result = page.getByTestId('backend-sync-result');
  await expect(result).toContainText(/Sent (\d+) changed records \(\1 applied\)/);
  const first = /Sent (\d+)/.exec((await result.textContent()) ?? '');
  expect(Number(first?.[1])).toBeGreaterThan(30);
  await page.getByTestId('backend-sync').click();
  await expect(result).toContainText('Sent 0 changed records (0 applied); received 0 records');
  await expect(result).toContainText('No conflicts.');

  // An upload from the Share view shows up in the panel's list and can be deleted there.
  await page.getByTestId('share-upload').click();
  await expect(page.getByTestId('share-upload-link')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('backend-refresh').click();
  const rows = page.getByTestId('backend-snapshot');
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('button').click();
  await expect(rows).toHaveCount(0);

  // A wrong token: the sync fails with the backend's auth error in the banner at the top.
  await page.getByTestId('backend-token').fill('not-the-right-token-000');
  await page.getByTestId('backend-save').click();
  await page.getByTestId('backend-sync').click();
  await expect(page.getByText('The backend refused the write token')).toBeVisible();
  await context.close();
});
