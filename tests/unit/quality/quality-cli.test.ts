// The quality CLI end to end on the planted export: report, suggested rules and recipe as JSON, then
// the recipe applied and the cleaned tables written as CSV and Parquet with a cleaning log.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runQualityCommand } from '../../../src/cli/commands/quality.ts';
import type { QualityReport } from '../../../src/core/quality/types.ts';
import type { Recipe } from '../../../src/core/quality/recipe.ts';
import { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';
import { generatePlantedExport } from './planted-export.ts';

const fx = generatePlantedExport();
const dir = mkdtempSync(join(tmpdir(), 'stocktake-quality-cli-'));
const exportDir = join(dir, 'shop');
mkdirSync(exportDir);
for (const [name, text] of Object.entries(fx.files)) writeFileSync(join(exportDir, `${name}.csv`), text);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = new Date(fx.now).toISOString();

describe('npm run cli -- quality', () => {
  it('--json writes the report, rules and recipe with the planted counts', async () => {
    const out = join(dir, 'quality.json');
    expect(await runQualityCommand([exportDir, '--json', out, '--now', now])).toBe(0);
    const { report, rules, recipe } = JSON.parse(readFileSync(out, 'utf8')) as { report: QualityReport; rules: unknown[]; recipe: Recipe };
    for (const [id, count] of Object.entries(fx.expected)) expect(report.issues.find((i) => i.id === id)?.count, id).toBe(count);
    expect(rules.length).toBeGreaterThan(10);
    expect(recipe.steps.length).toBeGreaterThan(10);
    writeFileSync(join(dir, 'recipe.json'), JSON.stringify(recipe));
  }, 60_000);

  it('--apply writes cleaned CSV and Parquet per table and a cleaning log', async () => {
    const out = join(dir, 'clean');
    expect(await runQualityCommand([exportDir, '--apply', join(dir, 'recipe.json'), '--out', out, '--now', now])).toBe(0);
    const log = JSON.parse(readFileSync(join(out, 'cleaning-log.json'), 'utf8'));
    expect(log.format).toBe('stocktake-cleaning-log');
    for (const t of Object.keys(fx.files)) {
      expect(existsSync(join(out, `clean_${t}.csv`)), t).toBe(true);
      expect(existsSync(join(out, `clean_${t}.parquet`)), t).toBe(true);
    }
    const engine = await DuckDbNodeEngine.create();
    try {
      const csv = await engine.query<{ title: string }>(`SELECT title FROM read_csv('${join(out, 'clean_products.csv')}', header = true, all_varchar = true) WHERE product_id IN ('p1', 'p2') ORDER BY product_id`);
      expect(csv.map((r) => r.title)).toEqual([fx.malicious[0], "'" + fx.malicious[1]]);
      const [{ n }] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM read_parquet('${join(out, 'clean_order_items.parquet')}')`);
      expect(n).toBe(fx.files.order_items.trim().split('\n').length - 1 - 2);
    } finally {
      engine.close();
    }
  }, 60_000);

  it('refuses --apply without --out', async () => {
    await expect(runQualityCommand([exportDir, '--apply', 'x.json'])).rejects.toThrow(/--out/);
  });
});
