// Test helper: loads CSV texts (or Olist files) into native DuckDB and profiles them with the real
// profiler and foreign-key inference, giving the inventory the quality checks run on.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ident } from '../../../src/core/engine/sql-engine.ts';
import { profileTable } from '../../../src/core/profile/profile-table.ts';
import { inferForeignKeys } from '../../../src/core/relations/infer-foreign-keys.ts';
import type { ColumnProfile, Inventory, TableProfile } from '../../../src/core/types.ts';
import type { DuckDbNodeEngine } from '../../../src/engine/duckdb-node.ts';

export const OLIST_DIR = resolve(process.cwd(), '../shared/data/olist');

/** Profiles tables or views already in the engine and infers their foreign keys. */
export async function profileLoaded(engine: DuckDbNodeEngine, names: string[]): Promise<Inventory> {
  const importId = 'test-import';
  const tables: TableProfile[] = [];
  const columns: ColumnProfile[] = [];
  for (const name of names) {
    const stats = await profileTable(engine, name, { importId });
    tables.push({
      importId, name, file: `${name}.csv`, format: 'csv', encoding: 'utf-8', bytes: 0,
      rowCount: stats.rowCount, columnCount: stats.columns.length, loadPath: 'memory',
      keyCandidates: stats.keyCandidates, primaryKey: stats.primaryKey, issues: [], duplicateRows: stats.duplicateRows,
    });
    columns.push(...stats.columns);
  }
  const relations = tables.length > 1 ? await inferForeignKeys(engine, tables, columns, { importId }) : [];
  return {
    import: { id: importId, name: 'test', createdAt: 0, files: [], tableCount: tables.length, rowCount: 0, bytes: 0, status: 'complete', issues: [], engine: engine.label, durationMs: 0 },
    tables, columns, relations,
  };
}

/** Loads each CSV text as a table named by its key (all columns read with auto-detected types). */
export async function loadCsvTables(engine: DuckDbNodeEngine, files: Record<string, string>): Promise<Inventory> {
  for (const [name, text] of Object.entries(files)) {
    const vfile = `${name}.csv`;
    await engine.registerBuffer(vfile, new TextEncoder().encode(text));
    await engine.query(`CREATE OR REPLACE TABLE ${ident(name)} AS SELECT * FROM read_csv('${vfile}', header = true, sample_size = -1)`);
  }
  return profileLoaded(engine, Object.keys(files));
}

/** Loads the nine Olist CSVs in place (fails loudly when the shared data is missing). */
export async function loadOlist(engine: DuckDbNodeEngine): Promise<Inventory> {
  const files = readdirSync(OLIST_DIR).filter((f) => f.endsWith('.csv')).sort();
  if (files.length !== 9) throw new Error(`expected 9 Olist CSVs in ${OLIST_DIR}, found ${files.length}`);
  const names = [];
  for (const f of files) {
    const name = f.replace(/\.csv$/, '');
    await engine.query(`CREATE OR REPLACE TABLE ${ident(name)} AS SELECT * FROM read_csv('${join(OLIST_DIR, f)}', header = true, sample_size = -1)`);
    names.push(name);
  }
  return profileLoaded(engine, names);
}
