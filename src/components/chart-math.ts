// Pure chart geometry for the profile views: d3 computes scales here, Svelte components only draw.
import { max, scaleLinear } from 'd3';
import type { Histogram, ValueCount } from '../core/types.ts';

export interface BarRect {
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
  /** Bin bounds (histograms), in the histogram's units (epoch ms for dates). */
  from: number;
  to: number;
}

export interface HistogramLayout {
  bars: BarRect[];
  maxCount: number;
  /** Plot area inside the padding. */
  inner: { x: number; y: number; width: number; height: number };
}

export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

const NO_PADDING: Padding = { top: 0, right: 0, bottom: 0, left: 0 };

/**
 * Lays out a histogram's bins as bars of equal width (bins are already equal-width, on a log scale
 * when `log` is set) with heights on a linear count scale. A non-empty bin is at least 1px tall so
 * rare values stay visible.
 */
export function layoutHistogram(h: Histogram, width: number, height: number, pad: Padding = NO_PADDING, gap = 1): HistogramLayout {
  const inner = { x: pad.left, y: pad.top, width: Math.max(0, width - pad.left - pad.right), height: Math.max(0, height - pad.top - pad.bottom) };
  const n = h.counts.length;
  const maxCount = max(h.counts) ?? 0;
  if (n === 0) return { bars: [], maxCount: 0, inner };
  const x = scaleLinear().domain([0, n]).range([inner.x, inner.x + inner.width]);
  const y = scaleLinear().domain([0, maxCount || 1]).range([0, inner.height]);
  const bars = h.counts.map((count, i) => {
    const x0 = x(i);
    const w = Math.max(0.5, x(i + 1) - x0 - (n > 1 ? gap : 0));
    const barH = count > 0 ? Math.max(1, y(count)) : 0;
    return { x: x0, y: inner.y + inner.height - barH, width: w, height: barH, count, from: h.edges[i], to: h.edges[i + 1] };
  });
  return { bars, maxCount, inner };
}

export interface ValueBar {
  value: string;
  count: number;
  /** Bar length in px, proportional to the largest count. */
  length: number;
  /** Share of `total` (0..1) when a total is given, else of the listed counts. */
  share: number;
}

/** Bars for a top-values list: lengths on a linear scale up to `width` for the largest count. */
export function layoutValueBars(values: ValueCount[], width: number, total?: number): ValueBar[] {
  const top = max(values, (v) => v.count) ?? 0;
  const len = scaleLinear().domain([0, top || 1]).range([0, width]);
  const denom = total && total > 0 ? total : values.reduce((s, v) => s + v.count, 0) || 1;
  return values.map((v) => ({ value: v.value, count: v.count, length: v.count > 0 ? Math.max(1, len(v.count)) : 0, share: v.count / denom }));
}

/** A readable label for a bin edge: dates as YYYY-MM-DD, numbers in a compact form. */
export function formatEdge(value: number, kind: Histogram['kind']): string {
  if (!Number.isFinite(value)) return String(value);
  if (kind === 'date') return new Date(value).toISOString().slice(0, 10);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-3)) return value.toExponential(2);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}
