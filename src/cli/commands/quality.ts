// `stocktake quality <folder|zip|files...> [--json [out.json]] [--apply recipe.json --out <dir>]`:
// the quality report with suggested rules and recipe, or a recipe applied and the cleaned tables
// written as CSV and Parquet with a cleaning log.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StocktakeError } from '../../core/errors.ts';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { runQualityChecks } from '../../core/quality/checks.ts';
import { exportParquet, exportRelationCsv } from '../../core/quality/export-csv.ts';
import { applyRecipe, parseRecipe } from '../../core/quality/recipe.ts';
import { suggestRecipe } from '../../core/quality/suggest-recipe.ts';
import { suggestRules } from '../../core/quality/suggest-rules.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';

/** A view name as a safe file stem. */
function toFileStem(name: string): string {
  return name.replace(/[^\w.-]+/g, '_');
}

export async function runQualityCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const nowOption = stringOption(args, 'now');
  const now = nowOption ? Date.parse(nowOption) : Date.now();
  if (Number.isNaN(now)) throw new StocktakeError('BAD_ARGUMENT', `--now is not a date: ${nowOption}`);
  const apply = stringOption(args, 'apply');
  const outDir = stringOption(args, 'out');
  if (apply && !outDir) throw new StocktakeError('BAD_ARGUMENT', '--apply needs --out <dir>.');
  const recipe = apply ? parseRecipe(readFileSync(resolve(apply), 'utf8')) : null;
  const sources = loadSourcesFromArgs(args.positional);
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(sources, engine, { name: stringOption(args, 'name') });
    const tables = inventory.tables.map((t) => t.name);
    const columns = Object.fromEntries(tables.map((t) => [t, inventory.columns.filter((c) => c.table === t).sort((a, b) => a.index - b.index).map((c) => c.name)]));

    if (recipe && outDir) {
      const dir = resolve(outDir);
      mkdirSync(dir, { recursive: true });
      const log = await applyRecipe(engine, recipe, tables, { columns, now });
      for (const v of log.views) {
        writeFileSync(join(dir, `${toFileStem(v.view)}.csv`), await exportRelationCsv(engine, v.view));
        await exportParquet(engine, v.view, join(dir, `${toFileStem(v.view)}.parquet`));
        process.stderr.write(`  ${v.view}: ${v.rowsAfter} of ${v.rowsBefore} rows\n`);
      }
      writeFileSync(join(dir, 'cleaning-log.json'), JSON.stringify(log, null, 2));
      process.stderr.write(`${recipe.steps.length} steps applied; ${log.views.length} views written to ${dir}\n`);
      return 0;
    }

    const report = await runQualityChecks(engine, inventory, { now });
    const json = JSON.stringify({ report, rules: suggestRules(inventory), recipe: suggestRecipe(report) }, null, 2);
    const out = stringOption(args, 'json');
    if (out) writeFileSync(out, json);
    else process.stdout.write(json + '\n');
    const bySeverity = (s: string) => report.issues.filter((i) => i.severity === s).length;
    process.stderr.write(`${inventory.import.name}: quality score ${report.score}; ${bySeverity('error')} errors, ${bySeverity('warning')} warnings, ${bySeverity('info')} notes\n`);
    return inventory.import.status === 'failed' ? 1 : 0;
  } finally {
    engine.close();
  }
}
