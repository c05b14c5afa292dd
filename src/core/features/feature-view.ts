// What the Features view gets from the data worker: the report in its `features.json` form plus the
// first rows of each table (capped for display), and the rows of one table for a download.
import { ident, type Row, type SqlEngine } from '../engine/sql-engine.ts';
import type { Inventory } from '../types.ts';
import type { FeatureProgress } from './build-features.ts';
import { parseTarget } from './quality.ts';
import { buildFeatureReport, toFeaturesJson } from './report.ts';
import { detectFeatureSources } from './detect-sources.ts';
import { registerFeatureTags, selectFeatureTags, type FeatureTagRecord, type FeatureTagSummary } from './tag-inputs.ts';
import { FeaturesError } from './types.ts';

/** The view's request: plain strings as typed by the user. */
export interface FeatureRequest {
  cutoff?: string;
  compareCutoff?: string;
  /** `repeat:90`, `demand:30` or `<table>.<column>`; empty for none. */
  target?: string;
  affinityK?: number;
  /** Rows per table returned for display (default 50). */
  rowLimit?: number;
}

export type FeatureViewProgress = { kind: 'load' } | FeatureProgress | { kind: 'quality'; table: string } | { kind: 'drift' };

export type FeaturesDocument = ReturnType<typeof toFeaturesJson>;

export interface FeatureView {
  document: FeaturesDocument;
  /** First rows of each table, by table name. */
  rows: Record<string, Row[]>;
  /** Which stored tags fed the build (sentiment, attributes, brands), or why none did. */
  tags: FeatureTagSummary | null;
  durationMs: number;
}

/** Prefix of the engine tables the view's build writes (one set per engine). */
export const VIEW_TABLE_PREFIX = '__features_view';
const TABLES = ['item_features', 'user_profiles', 'user_category_affinity'];

/**
 * Builds the report for the view and reads the first rows of each table. `tags` are the import's
 * stored tags (Tagging view): the reviews' sentiment and the products' attribute and brand tags among
 * them become tag tables of the build.
 */
export async function buildFeatureView(engine: SqlEngine, inv: Inventory, request: FeatureRequest, onProgress?: (p: FeatureViewProgress) => void, tags: readonly FeatureTagRecord[] = []): Promise<FeatureView> {
  const started = Date.now();
  const target = request.target?.trim() ? parseTarget(request.target) : undefined;
  const detected = detectFeatureSources(inv);
  // Without order lines the build below fails with its own typed error; no tags to register then.
  const registered = detected.ok ? await registerFeatureTags(engine, selectFeatureTags(tags, detected.sources), detected.sources, `${VIEW_TABLE_PREFIX}_tags`) : null;
  const report = await buildFeatureReport(
    engine,
    inv,
    { cutoff: request.cutoff || undefined, compareCutoff: request.compareCutoff || undefined, target, affinityK: request.affinityK, tablePrefix: VIEW_TABLE_PREFIX, ...registered?.options },
    onProgress,
  );
  const rows: Record<string, Row[]> = {};
  for (const t of report.build.tables) rows[t.name] = await engine.query(`SELECT * FROM ${ident(report.build.engineTables[t.name])} LIMIT ${Math.max(1, request.rowLimit ?? 50)}`);
  return { document: toFeaturesJson(report, inv.import.name), rows, tags: registered?.summary ?? null, durationMs: Date.now() - started };
}

/** Every row of one table of the view's last build, with its column types (for CSV / Parquet). */
export async function exportFeatureRows(engine: SqlEngine, table: string): Promise<{ columns: { name: string; type: string }[]; rows: Row[] }> {
  if (!TABLES.includes(table)) throw new FeaturesError('UNKNOWN_TARGET', `no feature table ${table}.`);
  const name = ident(`${VIEW_TABLE_PREFIX}_${table}`);
  const described = await engine.query<{ column_name: string; column_type: string }>(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${name})`);
  return { columns: described.map((c) => ({ name: c.column_name, type: c.column_type })), rows: await engine.query(`SELECT * FROM ${name}`) };
}
