// What the feature benchmark's Node driver and its browser page share: the data set manifest, the
// timings and the one load statement both engines run.
import { buildFeaturesFromSources } from '../../src/core/features/build-features.ts';
import type { FeatureSources } from '../../src/core/features/types.ts';
import type { SqlEngine } from '../../src/core/engine/sql-engine.ts';

/** One data set the driver prepared. */
export interface BenchDataset {
  name: string;
  files: { table: string; url: string }[];
  sources: FeatureSources;
  cutoff: string;
  runs: number;
}

export interface BenchTiming {
  name: string;
  engine: string;
  loadMs: number;
  buildMs: number[];
  rows: Record<string, number>;
}

export type FeaturesBenchOutcome = { ok: true; results: BenchTiming[]; crossOriginIsolated: boolean } | { ok: false; error: string };

/** The load statement shared with the Node side (and the app's reload of a stored import). */
export function loadTableSql(table: string, file: string): string {
  return `CREATE TABLE "${table.replaceAll('"', '""')}" AS SELECT * FROM read_csv('${file.replaceAll("'", "''")}', header = true, sample_size = -1)`;
}

/** The timed part, the same on both engines: `runs` feature builds at the cut-off, each dropped after. */
export async function timeFeatureBuilds(
  engine: SqlEngine,
  d: { sources: FeatureSources; cutoff: string; runs: number },
): Promise<{ buildMs: number[]; rows: Record<string, number> }> {
  const buildMs: number[] = [];
  let rows: Record<string, number> = {};
  for (let r = 0; r < d.runs; r++) {
    const t = performance.now();
    const b = await buildFeaturesFromSources(engine, d.sources, { cutoff: d.cutoff, tablePrefix: `__bench${r}` });
    buildMs.push(performance.now() - t);
    rows = Object.fromEntries(b.tables.map((x) => [x.name, x.rows]));
    for (const name of Object.values(b.engineTables)) await engine.query(`DROP TABLE "${name}"`);
  }
  return { buildMs, rows };
}
