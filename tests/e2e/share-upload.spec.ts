// Encrypted sharing through the optional backend, served the way it is deployed: the real server
// (server/, on a free loopback port, temporary DATA_DIR) serves the built app. Import the seeded shop
// export (planted PII), configure the backend in the Share view, upload encrypted, and open the
// `/s/<id>#k=<key>` link in a new tab: the read-only viewer, PII redacted. A wrong key is refused.
import { expect, test } from '@playwright/test';
import { startBackendWithExport, type BackendFixture } from './backend-fixture.ts';

const TOKEN = 'e2e-share-token-0123456789abcdef';
let backend: BackendFixture | null = null;

test.afterEach(async () => {
  await backend?.close();
  backend = null;
});

test('share: encrypted upload to the backend and the /s/<id>#k= link', async ({ browser }) => {
  backend = await startBackendWithExport(TOKEN, 'share');
  const { server, paths, expected } = backend;
  const origin = server.url;
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();

  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles(paths);
  await expect(page.getByTestId('table-link-users')).toBeVisible({ timeout: 60_000 });

  // No backend yet: the Share view says so, the link still works for small snapshots.
  await page.getByTestId('nav-share').click();
  await expect(page.getByTestId('share-no-backend')).toBeVisible();
  const importName = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').replace(/^Share /, '').trim();
  expect(importName).not.toBe('');
  await expect(page.getByTestId('share-link')).toBeVisible();
  const piiCount = Object.keys(expected.pii).length;
  for (const ref of Object.keys(expected.pii)) await expect(page.getByTestId('share-pii-columns')).toContainText(ref);

  // Configure this site as the backend, then upload.
  await page.getByTestId('backend-url').fill('');
  await page.getByTestId('backend-token').fill(TOKEN);
  await page.getByTestId('backend-save').click();
  await expect(page.getByTestId('share-upload')).toBeVisible();
  await page.getByTestId('share-upload').click();
  const uploadLink = page.getByTestId('share-upload-link');
  await expect(uploadLink).toBeVisible({ timeout: 30_000 });
  const link = await uploadLink.inputValue();
  const m = new RegExp(`^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/s/([A-Za-z0-9_-]+)#k=([A-Za-z0-9_-]{43})$`).exec(link);
  expect(m, link).not.toBeNull();
  const [, id, key] = m!;

  // The server holds only ciphertext: no table or column name in the stored bytes.
  const stored = Buffer.from(await (await context.request.get(`${origin}/api/snapshots/${id}`)).body());
  expect(stored.length).toBeGreaterThan(28);
  expect(stored.includes(Buffer.from('order_items'))).toBe(false);

  // A new tab opens the link: read-only viewer, PII redacted, nothing imported.
  const viewer = await context.newPage();
  await viewer.goto(link);
  await expect(viewer.getByTestId('snapshot-banner')).toContainText(`Read-only snapshot of ${importName}, created`);
  await expect(viewer.getByTestId('snapshot-banner')).toContainText(`Personal data redacted in ${piiCount} columns`);
  await expect(viewer.getByTestId('table-link-orders')).toBeVisible();
  await viewer.getByTestId('snapshot-nav-relations').click();
  await expect(viewer.getByTestId('relations-table')).toBeVisible();

  // Save a copy: only now does the snapshot enter this browser's catalog, as a second import.
  await viewer.getByTestId('snapshot-save-copy').click();
  await viewer.getByTestId('snapshot-open-copy').click();
  await expect(viewer.getByTestId('table-link-orders')).toBeVisible();
  expect(viewer.url()).toMatch(/#\/import\/[0-9a-f-]{36}$/);
  await viewer.getByTestId('nav-imports').click();
  await expect(viewer.getByTestId('imports-list').locator('tbody tr')).toHaveCount(2);
  await expect(viewer.getByTestId('imports-list')).toContainText(`${importName} (snapshot)`);

  // A wrong key: refused with its own error, nothing shown.
  const wrong = await context.newPage();
  const otherKey = key.startsWith('A') ? `B${key.slice(1)}` : `A${key.slice(1)}`;
  await wrong.goto(`${origin}/s/${id}#k=${otherKey}`);
  await expect(wrong.getByTestId('snapshot-failed')).toHaveAttribute('data-code', 'DECRYPT_FAILED');
  await context.close();
});
