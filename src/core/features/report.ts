// One feature report: the build at a cut-off, quality per table (with the target's leakage and
// importance), and optional drift against a second cut-off; plus the `features.json` shape the CLI
// writes and checks rely on.
import type { SqlEngine } from '../engine/sql-engine.ts';
import type { Inventory } from '../types.ts';
import { buildFeatures, type FeatureProgress } from './build-features.ts';
import { assessTableQuality, compareCutoffs, describeTarget, type CutoffDrift, type FeatureTarget, type TableQuality } from './quality.ts';
import type { FeatureBuild, FeatureBuildOptions } from './types.ts';

export interface FeatureReportOptions extends FeatureBuildOptions {
  target?: FeatureTarget;
  /** A second cut-off to measure drift against (the earlier one is the reference). */
  compareCutoff?: string;
  redundancyThreshold?: number;
  leakageThreshold?: number;
  seed?: number;
}

export interface FeatureReport {
  build: FeatureBuild;
  quality: TableQuality[];
  drift: CutoffDrift | null;
  target: string | null;
}

/** Builds the tables, then measures their quality and (when asked) drift between two cut-offs. */
export async function buildFeatureReport(
  engine: SqlEngine,
  inv: Inventory,
  options: FeatureReportOptions = {},
  onProgress?: (e: FeatureProgress | { kind: 'quality'; table: string } | { kind: 'drift' }) => void,
  signal?: AbortSignal,
): Promise<FeatureReport> {
  const build = await buildFeatures(engine, inv, options, onProgress, signal);
  const quality: TableQuality[] = [];
  for (const t of build.tables) {
    onProgress?.({ kind: 'quality', table: t.name });
    quality.push(await assessTableQuality(engine, build, t.name, options));
  }
  let drift: CutoffDrift | null = null;
  if (options.compareCutoff && build.cutoff) {
    onProgress?.({ kind: 'drift' });
    const [a, b] = [options.compareCutoff, build.cutoff].sort();
    drift = await compareCutoffs(engine, inv, a, b, options);
  } else if (options.compareCutoff) build.notes.push('No timestamp: drift between cut-offs is off.');
  return { build, quality, drift, target: options.target ? describeTarget(options.target) : null };
}

/** The `features.json` document: the contract fields first, everything else alongside. */
export function toFeaturesJson(report: FeatureReport, dataset: string, files: Record<string, { csv: string; parquet: string }> = {}) {
  const b = report.build;
  return {
    format: 'stocktake-features',
    version: 1,
    dataset,
    cutoff: b.cutoff,
    span: b.span,
    keyUsed: b.keyUsed,
    target: report.target,
    notes: b.notes,
    tables: b.tables.map((t) => ({
      name: t.name,
      entity: t.entity,
      key: t.key,
      rows: t.rows,
      cutoff: t.cutoff,
      keyUsed: t.entity === 'item' ? `${b.sources.lines.table}.${b.sources.lines.item}` : b.keyUsed,
      ...(files[t.name] ? { files: files[t.name] } : {}),
      columns: t.columns.map((c) => ({
        name: c.name,
        description: c.description,
        descriptionZh: c.descriptionZh,
        sql: c.sql,
        nullRate: c.nullRate,
        distinct: c.distinct,
        type: c.type,
        sources: c.sources,
        timeFiltered: c.timeFiltered,
        ...(c.isKey ? { isKey: true } : {}),
      })),
      quality: report.quality.find((q) => q.table === t.name) ?? null,
      sql: t.sql,
    })),
    drift: report.drift,
  };
}
