// Monitoring thresholds: one documented default object, plus per-table and per-column overrides.
// Every threshold is on an effect size (a distance or a difference of rates), never on a p-value, so
// a verdict does not flip to "drift" merely because the samples are large.

/** Crossing `warn` raises a warning, crossing `error` an error; `null` switches that level off. */
export interface Level {
  warn: number | null;
  error: number | null;
}

/** Every threshold the monitor applies. All compare `value >= threshold` on non-negative values. */
export interface Thresholds {
  /**
   * Wasserstein-1 distance between the old and new quantile functions, divided by the old
   * interquartile range (or the old range when the IQR is 0). A mean shift of d standard deviations
   * on a normal distribution gives d / 1.35: warn ≈ a small effect (d 0.14), error ≈ d 0.34.
   */
  wasserstein: Level;
  /** Population Stability Index over the old distribution's deciles; 0.1 and 0.25 are the usual bands. */
  psi: Level;
  /** Jensen–Shannon distance (sqrt of the divergence, log base 2, 0..1) over top values + "other". */
  jensenShannon: Level;
  /**
   * Null-rate change as Cohen's h = |2·asin√p₁ − 2·asin√p₀| (0.2 small, 0.5 medium): 0 % → 1 %
   * is h 0.20, 2 % → 10 % is h 0.36, 10 % → 30 % is h 0.51.
   */
  nullRate: Level;
  /**
   * Change of distinct/non-null share, absolute (a unique column dropping to 0.7 distinct is 0.3).
   * Distinct counts are HyperLogLog estimates and DuckDB's approx_count_distinct was seen 20 % off
   * (Olist payment_value: 4,267 estimated, 3,518 exact), so smaller changes are the estimator's own
   * error. Lost keys are caught exactly by the duplicate-key check, new and lost categories by name.
   */
  distinctRatio: Level;
  /** Fully duplicated rows: Cohen's h between the old and new duplicate-row rates. */
  duplicateRows: Level;
  /** Row count change as |log2(new / old)|: 1 = halved or doubled, 3.32 = tenfold. */
  rowCount: Level;
  /**
   * Days a table fell further behind the freshness clock (see `freshnessClock`) since the old import:
   * (clock − newest timestamp) now minus the same gap then.
   */
  staleDays: Level;
  /**
   * Smallest share (0..1) a category must hold to be reported as new or vanished when the other side's
   * top values are complete; below it the change is noise for high-cardinality columns.
   */
  categoryMinShare: number;
  /** Robust z-score |0.6745·(Δ − median Δ) / MAD| of a metric's latest change against its history. */
  robustZ: Level;
  /**
   * Fewest non-null values on each side for a distribution check (Wasserstein, PSI, Jensen–Shannon):
   * below it chance alone moves them past the thresholds, and no verdict is better than a false one.
   */
  minRows: number;
  /** Columns with more distinct values than this are not compared as categories (ids, free text). */
  maxCategories: number;
  /** Smallest similarity (0..1) at which an unmatched new column is taken as a rename of an old one. */
  renameSimilarity: number;
}

/** The defaults, documented field by field on `Thresholds`. */
export const DEFAULT_THRESHOLDS: Thresholds = {
  wasserstein: { warn: 0.1, error: 0.25 },
  psi: { warn: 0.1, error: 0.25 },
  jensenShannon: { warn: 0.1, error: 0.2 },
  nullRate: { warn: 0.2, error: 0.5 },
  distinctRatio: { warn: 0.3, error: 0.5 },
  duplicateRows: { warn: 0.2, error: 0.5 },
  rowCount: { warn: 1, error: Math.log2(10) },
  staleDays: { warn: 7, error: 30 },
  categoryMinShare: 0.005,
  robustZ: { warn: 3.5, error: 6 },
  minRows: 100,
  maxCategories: 200,
  renameSimilarity: 0.7,
};

/** A partial set of thresholds; levels may themselves be partial. */
export type ThresholdOverrides = {
  [K in keyof Thresholds]?: Thresholds[K] extends Level ? Partial<Level> : Thresholds[K];
};

/**
 * Thresholds as given by a user: global overrides, then per table (`"orders"`), then per column
 * (`"orders.price"`), each applied over the previous.
 */
export interface ThresholdSettings {
  global?: ThresholdOverrides;
  /** Keyed by `table` or `table.column` (names of the new import). */
  scoped?: Record<string, ThresholdOverrides>;
}

/** Merges overrides over a base set. */
export function mergeThresholds(base: Thresholds, over: ThresholdOverrides | undefined): Thresholds {
  if (!over) return base;
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const b = (base as unknown as Record<string, unknown>)[k];
    out[k] = b && typeof b === 'object' && v && typeof v === 'object' ? { ...b, ...v } : v;
  }
  return out as unknown as Thresholds;
}

/** The thresholds that apply to one table, or one column of it. */
export function resolveThresholds(settings: ThresholdSettings | undefined, table: string, column?: string): Thresholds {
  let t = mergeThresholds(DEFAULT_THRESHOLDS, settings?.global);
  t = mergeThresholds(t, settings?.scoped?.[table]);
  if (column !== undefined) t = mergeThresholds(t, settings?.scoped?.[`${table}.${column}`]);
  return t;
}

export type Severity = 'info' | 'warn' | 'error';

/** One checked metric: the effect size, the threshold it was compared with, and the outcome. */
export interface Verdict {
  metric: string;
  value: number;
  /** The threshold crossed (error before warn), or the warn threshold when nothing was crossed. */
  threshold: number | null;
  verdict: 'ok' | 'warn' | 'error';
}

/** Compares a non-negative effect size with a level. NaN values are `ok` (nothing to compare). */
export function judge(metric: string, value: number, level: Level): Verdict {
  if (level.error !== null && value >= level.error) return { metric, value, threshold: level.error, verdict: 'error' };
  if (level.warn !== null && value >= level.warn) return { metric, value, threshold: level.warn, verdict: 'warn' };
  return { metric, value, threshold: level.warn ?? level.error, verdict: 'ok' };
}
