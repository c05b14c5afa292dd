// `stocktake features <folder|zip|files...> --out DIR [--cutoff YYYY-MM-DD] [--target T] [--compare YYYY-MM-DD]
// [--k K] [--sentiment tags.csv] [--attributes tags.csv]`: item features, user profiles and user × category
// affinities as of a cut-off, one CSV and one Parquet file per table plus DIR/features.json (dictionary
// and quality). Everything is written to a temporary folder beside DIR and renamed at the end, so a
// failure never leaves a half-written DIR.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ident, literal } from '../../core/engine/sql-engine.ts';
import { StocktakeError } from '../../core/errors.ts';
import { parseTarget } from '../../core/features/quality.ts';
import { buildFeatureReport, toFeaturesJson } from '../../core/features/report.ts';
import type { TagTableRef } from '../../core/features/types.ts';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';

/** Loads a tag CSV (first column: key, second: label) into the engine as `table`. */
async function loadTagFile(engine: DuckDbNodeEngine, path: string, table: string, positive?: string): Promise<TagTableRef> {
  if (!existsSync(path)) throw new StocktakeError('BAD_ARGUMENT', `No such tag file: ${path}`);
  await engine.query(`CREATE OR REPLACE TABLE ${ident(table)} AS SELECT * FROM read_csv(${literal(resolve(path))}, header = true, all_varchar = true)`);
  const cols = await engine.query<{ column_name: string }>(`SELECT column_name FROM (DESCRIBE ${ident(table)})`);
  if (cols.length < 2) throw new StocktakeError('BAD_ARGUMENT', `${path} needs two columns: key, label.`);
  return { table, key: cols[0].column_name, label: cols[1].column_name, ...(positive ? { positive } : {}) };
}

export async function runFeaturesCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const outOption = stringOption(args, 'out');
  if (!outOption) throw new StocktakeError('BAD_ARGUMENT', '--out DIR is required.');
  const out = resolve(outOption);
  const kText = stringOption(args, 'k');
  const k = kText === undefined ? 5 : Number(kText);
  if (!Number.isInteger(k) || k < 1) throw new StocktakeError('BAD_ARGUMENT', `--k must be a positive integer: ${kText}`);
  const targetText = stringOption(args, 'target');
  const target = targetText ? parseTarget(targetText) : undefined;
  const sources = loadSourcesFromArgs(args.positional);
  const engine = await DuckDbNodeEngine.create();
  const tmp = join(dirname(out), `.${basename(out)}.partial-${process.pid}`);
  try {
    const { inventory } = await buildInventory(sources, engine, { name: stringOption(args, 'name') });
    const sentimentPath = stringOption(args, 'sentiment');
    const attributesPath = stringOption(args, 'attributes');
    const sentiment = sentimentPath ? await loadTagFile(engine, sentimentPath, '__sentiment_tags', stringOption(args, 'positive')) : undefined;
    const attributes = attributesPath ? await loadTagFile(engine, attributesPath, '__attribute_tags') : undefined;
    const report = await buildFeatureReport(engine, inventory, {
      cutoff: stringOption(args, 'cutoff'),
      compareCutoff: stringOption(args, 'compare'),
      affinityK: k,
      target,
      sentiment,
      attributes,
    });
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(tmp, { recursive: true });
    const files: Record<string, { csv: string; parquet: string }> = {};
    for (const t of report.build.tables) {
      const table = ident(report.build.engineTables[t.name]);
      files[t.name] = { csv: `${t.name}.csv`, parquet: `${t.name}.parquet` };
      await engine.query(`COPY ${table} TO ${literal(join(tmp, files[t.name].csv))} (FORMAT csv, HEADER true)`);
      await engine.query(`COPY ${table} TO ${literal(join(tmp, files[t.name].parquet))} (FORMAT parquet)`);
    }
    writeFileSync(join(tmp, 'features.json'), JSON.stringify(toFeaturesJson(report, inventory.import.name, files), null, 2));
    rmSync(out, { recursive: true, force: true });
    renameSync(tmp, out);
    const b = report.build;
    process.stderr.write(`${inventory.import.name}: cut-off ${b.cutoff ?? 'none (no timestamp)'}; users keyed by ${b.keyUsed}; ${b.durationMs} ms\n`);
    for (const t of b.tables) process.stderr.write(`  ${t.name}: ${t.rows} rows × ${t.columns.length} columns\n`);
    for (const n of b.notes) process.stderr.write(`  note: ${n}\n`);
    for (const q of report.quality) {
      if (q.target) process.stderr.write(`  ${q.table}: target "${q.target.description}" baseline ${q.target.importance.metric} ${q.target.importance.baseline.toFixed(3)}; top: ${q.target.importance.features.slice(0, 3).map((f) => `${f.name} ${f.importance.toFixed(3)}`).join(', ')}\n`);
      const leaks = q.columns.filter((c) => c.leakage.length);
      if (leaks.length) process.stderr.write(`  ${q.table}: leakage warnings: ${leaks.map((c) => c.name).join(', ')}\n`);
    }
    process.stderr.write(`wrote ${out}\n`);
    return 0;
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    engine.close();
  }
}
