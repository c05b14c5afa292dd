// What the feature benchmark's Node driver and its browser page share: the data set manifest, the
// timings and the one load statement both engines run.
import type { FeatureSources } from '../../src/core/features/types.ts';

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
