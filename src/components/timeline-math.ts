// Pure geometry of the monitoring timeline: one value per import over time, with the warn and error
// thresholds as horizontal lines; d3 computes the scales and the path, Timeline.svelte only draws.
import { line, scaleLinear } from 'd3';
import type { Padding } from './chart-math.ts';

export interface TimelineInput {
  /** Epoch ms of the import. */
  at: number;
  /** Null where the metric could not be computed (the column was missing then): a gap in the line. */
  value: number | null;
  label: string;
}

export interface TimelineDot {
  x: number;
  y: number;
  value: number;
  label: string;
  at: number;
  /** Which level the value reaches: 'error', 'warn' or 'ok'. */
  verdict: 'ok' | 'warn' | 'error';
}

export interface TimelineLayout {
  dots: TimelineDot[];
  /** SVG path through the dots, broken at missing values. */
  path: string;
  /** Y of the warn and error lines, null when that level is off. */
  warnY: number | null;
  errorY: number | null;
  /** Top of the value axis (covers every value and both thresholds, with 10 % headroom). */
  yMax: number;
  inner: { x: number; y: number; width: number; height: number };
}

/**
 * Lays out a timeline: x by time (evenly spread when every import has the same time, centred for
 * one), y linear from 0 to the largest of the values and thresholds.
 */
export function layoutTimeline(
  points: readonly TimelineInput[],
  level: { warn: number | null; error: number | null },
  width: number,
  height: number,
  pad: Padding,
): TimelineLayout {
  const inner = { x: pad.left, y: pad.top, width: Math.max(0, width - pad.left - pad.right), height: Math.max(0, height - pad.top - pad.bottom) };
  const values = points.map((p) => p.value).filter((v): v is number => v !== null && Number.isFinite(v));
  const top = Math.max(0, ...values, level.warn ?? 0, level.error ?? 0);
  const yMax = top > 0 ? top * 1.1 : 1;
  const y = scaleLinear().domain([0, yMax]).range([inner.y + inner.height, inner.y]);
  const times = points.map((p) => p.at);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const byTime = t1 > t0;
  const x = byTime
    ? scaleLinear().domain([t0, t1]).range([inner.x, inner.x + inner.width])
    : scaleLinear().domain([0, Math.max(1, points.length - 1)]).range(points.length > 1 ? [inner.x, inner.x + inner.width] : [inner.x + inner.width / 2, inner.x + inner.width / 2]);
  const dots: TimelineDot[] = [];
  const coords: ([number, number] | null)[] = points.map((p, i) => {
    if (p.value === null || !Number.isFinite(p.value)) return null;
    const d: TimelineDot = {
      x: byTime ? x(p.at) : x(i),
      y: y(p.value),
      value: p.value,
      label: p.label,
      at: p.at,
      verdict: level.error !== null && p.value >= level.error ? 'error' : level.warn !== null && p.value >= level.warn ? 'warn' : 'ok',
    };
    dots.push(d);
    return [d.x, d.y];
  });
  const path =
    line<[number, number] | null>()
      .defined((c) => c !== null)
      .x((c) => c![0])
      .y((c) => c![1])(coords) ?? '';
  return {
    dots,
    path,
    warnY: level.warn === null ? null : y(level.warn),
    errorY: level.error === null ? null : y(level.error),
    yMax,
    inner,
  };
}
