// The quality report's data model: issues found by the checks, scores, and the options the checks take.
import type { Row } from '../engine/sql-engine.ts';
import type { ValueCount } from '../types.ts';

export type QualityDimension =
  | 'completeness'
  | 'uniqueness'
  | 'validity'
  | 'consistency'
  | 'integrity'
  | 'timeliness'
  | 'outlier'
  | 'duplicates-text';

export type QualitySeverity = 'info' | 'warning' | 'error';

/** A group of text values that collide on a fingerprint key: the user may merge them into one. */
export interface ValueCluster {
  /** The collision key (fingerprint or n-gram fingerprint). */
  key: string;
  /** Variants, most frequent first; the first is the suggested canonical value. */
  values: ValueCount[];
  /** Rows carrying any variant. */
  rows: number;
}

/**
 * One problem found by one rule. `count` is exact and its unit depends on the rule and is stated in
 * `rule` (cells, rows, key values or clusters); `rowsAffected` is always rows of `table`.
 */
export interface QualityIssue {
  /** Stable within a report: `<dimension>:<rule code>:<table>[.<column>]`. */
  id: string;
  table: string;
  column?: string;
  dimension: QualityDimension;
  severity: QualitySeverity;
  count: number;
  rowsAffected?: number;
  /** Human name of the rule, e.g. "Null values". */
  rule: string;
  /** Machine code of the rule, e.g. `null`, `placeholder`, `orphan` (what a recipe step keys on). */
  code: string;
  /** DuckDB SQL that returns the exact count in a column named `n`. */
  sql: string;
  /** Row predicate over `table` selecting the offending rows, when the issue is row-shaped. */
  where?: string;
  /** The threshold or reference the rule used, in words, e.g. "> 1,234.5 (median + 3.5 MAD, log)". */
  threshold?: string;
  /** Up to 5 offending rows; PII columns masked. */
  samples: Row[];
  /** Counts of offending rows per value of a status-like column of the same table. */
  breakdown?: { by: string; counts: ValueCount[] };
  /** For text duplicates: the clusters found. */
  clusters?: ValueCluster[];
  /** For outliers: the fences used. */
  fences?: { lower: number | null; upper: number | null; method: 'mad' | 'iqr'; log: boolean; groupBy?: string };
  /** For placeholders: the placeholder values found, with counts. */
  values?: ValueCount[];
}

/** Newest timestamp of a table and how old it was at import. */
export interface TableFreshness {
  table: string;
  column: string;
  newest: string;
  ageDays: number;
}

export interface TableScore {
  table: string;
  rowCount: number;
  /** 0..100, see scoreTables() for the formula. */
  score: number;
  /** 0..100 per scored dimension (timeliness is reported, not scored). */
  dimensions: Partial<Record<QualityDimension, number>>;
}

export interface QualityReport {
  importId: string;
  generatedAt: number;
  issues: QualityIssue[];
  tables: TableScore[];
  /** Row-weighted mean of the table scores, 0..100. */
  score: number;
  freshness: TableFreshness[];
  /** How the scores were computed, for the UI tooltip and the CLI JSON. */
  scoreFormula: string;
}

export interface OutlierGroup {
  table: string;
  column: string;
  /** Column to compute fences within (e.g. a category). */
  by: string;
}

export interface QualityCheckOptions {
  /** Reference time (epoch ms) for future dates and age; defaults to Date.now(). */
  now?: number;
  signal?: AbortSignal;
  /** Earliest plausible date for business events (default 1995-01-01). */
  earliestDate?: string;
  /** Per-group outlier checks in addition to the global ones. */
  outlierGroups?: OutlierGroup[];
  /** Columns with more distinct values than this are not clustered for text duplicates (default 50,000). */
  maxClusterDistinct?: number;
}
