// Anomalies in a metric's history: the robust z-score of its latest change against its earlier
// changes (median and MAD, so one past spike does not hide the next), for three or more imports.
import type { Level, Verdict } from './thresholds.ts';
import { judge } from './thresholds.ts';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface RobustZ {
  /** |latest change − median of earlier changes| / (1.4826 · MAD), the MAD floored at `floor / 1.4826`. */
  z: number;
  latestChange: number;
  medianChange: number;
  /** The scale used: 1.4826 · MAD of earlier changes, or `floor` when that is smaller. */
  scale: number;
}

/**
 * Robust z-score of the last change of `series` (oldest first, at least 3 values). `floor` is the
 * smallest change scale taken seriously, so a metric that never moved before does not turn every
 * rounding wobble into an anomaly. Equals the usual 0.6745·(x − median)/MAD when the MAD dominates.
 */
export function computeRobustZ(series: readonly number[], floor: number): RobustZ | null {
  if (series.length < 3) return null;
  const changes = series.slice(1).map((v, i) => v - series[i]);
  const latest = changes[changes.length - 1];
  const earlier = changes.slice(0, -1);
  const med = median(earlier);
  const mad = median(earlier.map((d) => Math.abs(d - med)));
  const scale = Math.max(1.4826 * mad, floor);
  return { z: Math.abs(latest - med) / scale, latestChange: latest, medianChange: med, scale };
}

/** A history check: the verdict on the robust z plus the series it was computed from. */
export interface HistoryVerdict extends Verdict {
  /** What the series holds, e.g. `log2 rows` or `missing rate`. */
  series: string;
  values: number[];
  latestChange: number;
  medianChange: number;
}

/** Judges the last change of a series against its history; null with fewer than 3 values. */
export function judgeHistory(metric: string, seriesLabel: string, values: number[], floor: number, level: Level): HistoryVerdict | null {
  const r = computeRobustZ(values, floor);
  if (!r) return null;
  return { ...judge(metric, r.z, level), series: seriesLabel, values, latestChange: r.latestChange, medianChange: r.medianChange };
}
