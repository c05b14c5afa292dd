// Bad input in the browser: each broken file gets its own specific, named error; good files beside it
// are still profiled; an import where nothing could be read changes nothing already stored.
import { expect, test } from '@playwright/test';
import { zipSync } from 'fflate';

const csv = (text: string) => Buffer.from(text, 'utf8');

test('broken files are reported by name while the good one is profiled', async ({ page }) => {
  const zip = zipSync({ 'shop/orders.csv': new Uint8Array(csv('id,total\n1,9.5\n2,3\n')) });
  await page.goto('/');
  await page.getByTestId('dataset-name').fill('mixed');
  await page.getByTestId('file-input').setInputFiles([
    { name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) },
    { name: 'photo.csv', mimeType: 'text/csv', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0, 1, 2, 3]) },
    { name: 'broken.zip', mimeType: 'application/zip', buffer: Buffer.from(zip.subarray(0, zip.length - 30)) },
    { name: 'corrupt.csv', mimeType: 'text/csv', buffer: Buffer.concat([csv('name,city\nJosé,'), Buffer.from([0x53, 0xff, 0x6f]), csv(' Paulo\n')]) },
    { name: 'ragged.csv', mimeType: 'text/csv', buffer: csv('a,b,c\n1,2,3\n4,5\n6,7,8\n') },
    { name: 'good.csv', mimeType: 'text/csv', buffer: csv('sku,price\nA-1,10\nA-2,12.5\nA-3,8\n') },
  ]);
  await expect(page.getByTestId('table-link-good')).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId('table-rows-good')).toHaveText('3');
  // Ragged rows still give a table, with a warning naming the line.
  await expect(page.getByTestId('table-link-ragged')).toBeVisible();
  const expectIssue = async (code: string, file: string) => {
    const issue = page.getByTestId(`issue-${code}`).filter({ hasText: file });
    await expect(issue.first()).toBeVisible();
  };
  await expectIssue('EMPTY_FILE', 'empty.csv');
  await expectIssue('BINARY_FILE', 'photo.csv');
  await expectIssue('BAD_ZIP', 'broken.zip');
  await expectIssue('INVALID_UTF8', 'corrupt.csv');
  await expectIssue('RAGGED_ROWS', 'ragged.csv');
  await expect(page.getByTestId('issue-INVALID_UTF8').filter({ hasText: 'corrupt.csv' })).toContainText('line 2');
});

test('an import where nothing can be read leaves stored imports untouched', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('dataset-name').fill('kept');
  await page.getByTestId('file-input').setInputFiles([{ name: 'kept.csv', mimeType: 'text/csv', buffer: csv('id,v\n1,a\n2,b\n') }]);
  await expect(page.getByTestId('table-link-kept')).toBeVisible({ timeout: 90_000 });
  await page.getByTestId('nav-home').click();
  await page.getByTestId('dataset-name').fill('nothing');
  await page.getByTestId('file-input').setInputFiles([{ name: 'empty.csv', mimeType: 'text/csv', buffer: Buffer.alloc(0) }]);
  await expect(page.getByTestId('error-banner')).toContainText('empty.csv', { timeout: 60_000 });
  await expect(page.getByTestId('imports-list')).toContainText('kept');
  await expect(page.getByTestId('imports-list')).not.toContainText('nothing');
});
