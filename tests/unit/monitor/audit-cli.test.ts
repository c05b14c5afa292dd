// `audit` CLI: exit codes for CI (0 clean, 1 alert at or above --fail-on, 2 bad arguments) and its outputs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runAuditCommand } from '../../../src/cli/commands/audit.ts';
import type { MonitorReport } from '../../../src/core/monitor/diff.ts';
import { generateVersions } from '../../fixtures/generate-versions.ts';
import { buildInventory } from '../../../src/core/inventory/build-inventory.ts';
import { serializeRules, suggestRules } from '../../../src/core/quality/suggest-rules.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { loadSourcesFromArgs } from '../../../src/cli/sources.ts';

let root: string;
let v1: string;
let v2: string;
let v1copy: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'audit-'));
  const versions = generateVersions({ seed: 5, rows: 2000 });
  const write = (dir: string, files: Record<string, string>) => {
    mkdirSync(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  v1 = write(join(root, 'shop-v1'), versions.v1);
  v2 = write(join(root, 'shop-v2'), versions.v2);
  v1copy = write(join(root, 'shop-v1-again'), versions.v1);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  const code = await runAuditCommand(argv);
  vi.restoreAllMocks();
  return { code, out, err };
}

describe('stocktake audit', () => {
  it('exits 2 on bad arguments', async () => {
    expect((await run([v1])).code).toBe(2);
    expect((await run([v1, v2, '--fail-on', 'sometimes'])).code).toBe(2);
    expect((await run([v1, v2, '--format', 'xml'])).code).toBe(2);
    expect((await run([v1, join(root, 'nope')])).code).toBe(2);
    expect((await run([v1, v2, '--frobnicate'])).code).toBe(2);
  });

  it('exits 1 with the planted errors in Markdown', async () => {
    const r = await run([v1, v2]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('# Stocktake audit: shop-v1 → shop-v2');
    expect(r.out).toMatch(/\| ERROR \| orders \| discount_code \| column_removed \|/);
    expect(r.out).toMatch(/\| ERROR \| reviews \|  \| stale_days \|/);
  });

  it('writes the full report as JSON', async () => {
    const r = await run([v1, v2, '--format', 'json', '--fail-on', 'warn']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as MonitorReport;
    expect(report.alerts.some((a) => a.kind === 'category_appeared' && a.column === 'category')).toBe(true);
    expect(report.tables.map((t) => t.name).sort()).toEqual(['orders', 'reviews']);
  });

  it('exits 0 for the same export twice with its own suggested rule suite passing', async () => {
    const rules = await writeSuggestedRules(v1);
    const r = await run([v1, v1copy, '--fail-on', 'warn', '--rules', rules]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('**0 errors, 0 warnings, 0 info.**');
    expect(r.out).toMatch(/## Rule suite \((\d+) of \1 passed\)/);
  });

  it('re-runs the rule suite on the new export and fails on broken rules', async () => {
    const rules = await writeSuggestedRules(v1);
    const r = await run([v1, v2, '--format', 'json', '--rules', rules]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.out) as MonitorReport & { rules: { ruleId: string; passed: boolean }[] };
    const failed = report.rules.filter((x) => !x.passed).map((x) => x.ruleId);
    expect(failed.length).toBeGreaterThan(0);
    // The dropped column's rules cannot hold on v2.
    expect(failed.some((id) => id.endsWith('orders.discount_code'))).toBe(true);
    expect(report.alerts.filter((a) => a.kind === 'rule_failed')).toHaveLength(failed.length);
  });
});

/** Profiles `dir` and writes the rule suite Stocktake suggests for it. */
async function writeSuggestedRules(dir: string): Promise<string> {
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(loadSourcesFromArgs([dir]), engine);
    const path = join(root, `rules-${Date.now()}.json`);
    writeFileSync(path, serializeRules(suggestRules(inventory)));
    return path;
  } finally {
    engine.close();
  }
}
