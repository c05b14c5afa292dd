// End to end: rules kept on one import of an export are re-run on the next import of the same export.
// The second file differs from the first in one planted cell (a status outside the kept value set), so
// exactly that rule fails there, with exactly one violation, and every other inherited rule passes; the
// Monitor view of the second import shows the same pass/fail and the failure as an alert.
import { expect, test, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const STATUSES = ['delivered', 'shipped', 'canceled'];
/** 30 orders: unique ids, three statuses, positive amounts. */
function ordersCsv(plantedRow: number | null): string {
  const lines = ['order_id,status,amount'];
  for (let i = 0; i < 30; i++) lines.push(`o-${1000 + i},${i === plantedRow ? 'lost' : STATUSES[i % 3]},${(10 + i * 1.5).toFixed(2)}`);
  return lines.join('\n') + '\n';
}

const root = mkdtempSync(join(tmpdir(), 'stocktake-rules-e2e-'));
test.afterAll(() => rmSync(root, { recursive: true, force: true }));

function writeVersion(name: string, text: string): string {
  mkdirSync(join(root, name));
  const path = join(root, name, 'orders.csv');
  writeFileSync(path, text);
  return path;
}

async function importVersion(page: Page, path: string): Promise<void> {
  await page.getByTestId('nav-imports').click();
  await expect(page).toHaveURL(/#\/$/);
  await page.getByTestId('dataset-name').fill('rules-shop');
  await page.getByTestId('file-input').setInputFiles([path]);
  await expect(page).toHaveURL(/#\/import\//, { timeout: 90_000 });
  await expect(page.getByTestId('table-link-orders')).toBeVisible({ timeout: 90_000 });
}

test('rules kept on the first import are re-run on the second, with the one broken rule failing', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');

  await importVersion(page, writeVersion('v1', ordersCsv(null)));
  await page.getByTestId('nav-quality').click();
  await expect(page.getByTestId('quality-view')).toBeVisible();
  const panel = page.getByTestId('rules-panel');
  const accepts = panel.locator('[data-testid^="rule-accept-"]');
  await expect(accepts.first()).toBeVisible();
  const ruleIds = (await accepts.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')!.slice('rule-accept-'.length)))).sort();
  expect(ruleIds).toContain('isContainedIn:orders.status');
  expect(ruleIds).toContain('isUnique:orders.order_id');
  // Keep every suggestion: each click moves one rule from the suggestions into the suite.
  for (let left = ruleIds.length; left > 0; left--) {
    await accepts.first().click();
    await expect(accepts).toHaveCount(left - 1);
  }
  // The first import has no earlier one to inherit from.
  await expect(page.getByTestId('rules-inherited')).toHaveCount(0);

  await importVersion(page, writeVersion('v2', ordersCsv(7)));
  await page.getByTestId('nav-quality').click();
  await expect(page.getByTestId('quality-view')).toBeVisible();
  const inherited = page.getByTestId('rules-inherited');
  await expect(inherited).toBeVisible();
  await expect(inherited.locator('[data-testid^="inherited-rule-"]')).toHaveCount(ruleIds.length);
  // The inherited suite is re-run by itself on opening: one failure, every other rule passes.
  await expect(page.getByTestId('rules-inherited-summary')).toHaveText(`${ruleIds.length - 1} passed · 1 failed`, { timeout: 120_000 });
  const broken = page.getByTestId('inherited-rule-isContainedIn:orders.status');
  await expect(broken).toHaveAttribute('data-status', 'failed');
  await expect(broken).toContainText('1 violations');
  for (const id of ruleIds.filter((r) => r !== 'isContainedIn:orders.status')) {
    await expect(page.getByTestId(`inherited-rule-${id}`)).toHaveAttribute('data-status', 'passed');
  }

  // Adopting keeps the suite as this import's own: the inherited block gives way to the kept rules.
  await page.getByTestId('rules-adopt').click();
  await expect(inherited).toHaveCount(0);
  for (const id of ruleIds) await expect(page.getByTestId(`rule-${id}`)).toBeVisible();
  await expect(page.getByTestId('rule-isContainedIn:orders.status')).toHaveAttribute('data-status', 'failed');

  // The Monitor view of the second import re-runs the kept suite by itself (a reload forgets every
  // result) and shows the one broken rule, which is also an error among the alerts.
  await page.getByTestId('nav-monitor').click();
  await expect(page.getByTestId('monitor-view')).toBeVisible();
  await page.reload();
  const monitorRules = page.getByTestId('monitor-rules');
  await expect(monitorRules).toBeVisible({ timeout: 90_000 });
  await expect(monitorRules.locator('[data-testid^="monitor-rule-"]')).toHaveCount(ruleIds.length);
  await expect(page.getByTestId('monitor-rules-summary')).toHaveText(`${ruleIds.length - 1} passed · 1 failed`, { timeout: 120_000 });
  await expect(page.getByTestId('monitor-rule-isContainedIn:orders.status')).toHaveAttribute('data-status', 'failed');
  for (const id of ruleIds.filter((r) => r !== 'isContainedIn:orders.status')) {
    await expect(page.getByTestId(`monitor-rule-${id}`)).toHaveAttribute('data-status', 'passed');
  }
  await page.getByTestId('tab-alerts').click();
  const ruleAlert = page.getByTestId('alert-rule_failed-orders-status');
  await expect(ruleAlert).toHaveAttribute('data-severity', 'error');
  await expect(ruleAlert).toContainText('Rule on orders.status failed: 1 violating rows');
  await expect(page.locator('[data-testid^="alert-rule_failed-"]')).toHaveCount(1);
});
