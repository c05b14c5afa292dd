// The Backend panel against the real server (server/, free loopback port, temporary DATA_DIR) serving
// the built app: configure this site with the write token, test the connection, sync the catalog of the
// seeded shop export (a second sync sends nothing), a second browser pulling the workspace and adding
// the import to its empty catalog, list and delete an uploaded snapshot, and a wrong token shown as
// the backend's auth error.
import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { startBackendWithExport, type BackendFixture } from './backend-fixture.ts';

const TOKEN = 'e2e-backend-token-0123456789abcdef';
let backend: BackendFixture | null = null;

test.afterEach(async () => {
  await backend?.close();
  backend = null;
});

test('backend panel: connection test, catalog sync, a second browser pulling it, own snapshots, wrong token', async ({ browser }) => {
  backend = await startBackendWithExport(TOKEN, 'backend');
  const { server, paths } = backend;
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

  // A stale edit of the import record from another client (base version 0, an older time): the first
  // browser's write is kept and the edit is set aside as a conflict.
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const held = (await (await fetch(`${server.url}/api/sync/default/pull?since=0`, { headers: auth })).json()) as { records: { key: string; value: Record<string, unknown> }[] };
  const importRecord = held.records.find((r) => r.key.split('/')[1] === 'import');
  expect(importRecord).toBeDefined();
  const stale = await fetch(`${server.url}/api/sync/default/push`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientId: 'cli-stale', records: [{ key: importRecord?.key, baseVersion: 0, value: { ...importRecord?.value, name: 'stale edit' }, updatedAt: 1 }] }),
  });
  expect(((await stale.json()) as { conflicts: unknown[] }).conflicts).toHaveLength(1);

  // A second browser (its own IndexedDB, an empty catalog) pulls the workspace from the home page and
  // adds the import to its catalog: tables browsable, rows not on this machine.
  const steward = await browser.newContext({ baseURL: server.url });
  const second = await steward.newPage();
  await second.goto('/');
  await second.getByTestId('home-backend').locator('summary').click();
  await second.getByTestId('backend-url').fill('');
  await second.getByTestId('backend-token').fill(TOKEN);
  await second.getByTestId('backend-save').click();
  await expect(second.getByTestId('backend-status')).toHaveAttribute('data-configured', 'true');
  await second.getByTestId('backend-pull').click();
  const pulledRows = second.getByTestId('backend-pulled-import');
  await expect(pulledRows).toHaveCount(1);
  await expect(pulledRows.first()).toHaveAttribute('data-ok', 'true');
  // The seeded export's five tables, pushed by the first browser (not this one).
  await expect(pulledRows.first().locator('td').nth(1)).toHaveText('5');
  await expect(pulledRows.first().locator('td').nth(2)).toContainText('web-');
  await expect(pulledRows.first().locator('td').first()).toHaveText(String(importRecord?.value.name));
  // The set-aside edit is listed and downloads as JSON with its value.
  const conflict = second.getByTestId('backend-conflicts-pulled').getByTestId('backend-conflict');
  await expect(conflict).toHaveCount(1);
  await expect(conflict).toContainText('cli-stale');
  const [download] = await Promise.all([second.waitForEvent('download'), conflict.getByTestId('backend-conflict-download').click()]);
  const saved = JSON.parse(readFileSync((await download.path()) ?? '', 'utf8')) as { key: string; loser: { clientId: string; value: { name: string } } };
  expect(saved.key).toBe(importRecord?.key);
  expect(saved.loser.clientId).toBe('cli-stale');
  expect(saved.loser.value.name).toBe('stale edit');

  await pulledRows.first().getByTestId('backend-pulled-add').click();
  await expect(pulledRows.first().getByTestId('backend-pulled-outcome')).toHaveAttribute('data-action', 'add');
  // Pulling again finds the same version: nothing to update.
  await second.getByTestId('backend-pull').click();
  await pulledRows.first().getByTestId('backend-pulled-add').click();
  await expect(pulledRows.first().getByTestId('backend-pulled-outcome')).toHaveAttribute('data-action', 'unchanged');
  // The home page's list has it too, and the link opens its catalog.
  const pulledId = await pulledRows.first().getAttribute('data-import-id');
  await second.getByTestId(`open-import-${pulledId}`).click();
  await expect(second.getByTestId('table-link-users')).toBeVisible();
  await second.getByTestId('table-link-orders').click();
  await expect(second.getByText('order_id').first()).toBeVisible();
  await second.getByTestId('nav-quality').click();
  await second.getByTestId('quality-run').click();
  await expect(second.getByTestId('error-banner')).toContainText('not stored on this machine', { timeout: 60_000 });
  await steward.close();

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
