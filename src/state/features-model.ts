// Pure view models of the Features view: quality flags per dictionary row, the permutation
// importance chart's scales and bars (d3 computes, Svelte draws), and drift rows.
import { scaleBand, scaleLinear } from 'd3';
import type { FeaturesDocument } from '../core/features/feature-view.ts';

export type FeatureTableDoc = FeaturesDocument['tables'][number];
export type FeatureColumnDoc = FeatureTableDoc['columns'][number];

export type FlagKind = 'constant' | 'mostly-null' | 'redundant' | 'leakage';

export interface FeatureFlag {
  kind: FlagKind;
  /** Partners (redundant) or reasons (leakage), for the tooltip. */
  detail: string;
}

/** Share of nulls above which a feature is flagged. */
export const MOSTLY_NULL = 0.9;

/** Quality flags of one dictionary row, from the table's quality block. */
export function listFlags(table: FeatureTableDoc, column: string): FeatureFlag[] {
  const q = table.quality?.columns.find((c) => c.name === column);
  if (!q) return [];
  const flags: FeatureFlag[] = [];
  if (q.isConstant) flags.push({ kind: 'constant', detail: '' });
  if (q.nullShare >= MOSTLY_NULL) flags.push({ kind: 'mostly-null', detail: `${Math.round(q.nullShare * 100)}%` });
  if (q.redundantWith.length) {
    const rs = table.quality!.redundantPairs.filter((p) => p.a === column || p.b === column).map((p) => `${p.a === column ? p.b : p.a} (r = ${p.r.toFixed(3)})`);
    flags.push({ kind: 'redundant', detail: rs.join(', ') });
  }
  if (q.leakage.length) flags.push({ kind: 'leakage', detail: q.leakage.join(' ') });
  return flags;
}

export interface ImportanceBar {
  name: string;
  y: number;
  height: number;
  /** Bar from x0 to x1 (x0 < x1 whatever the sign). */
  x0: number;
  x1: number;
  /** Error whisker (± sd), in pixels. */
  lo: number;
  hi: number;
  value: number;
}

export interface ImportanceChart {
  width: number;
  height: number;
  left: number;
  zeroX: number;
  ticks: { x: number; label: string }[];
  bars: ImportanceBar[];
}

/** Lays out a horizontal bar chart of permutation importance (mean drop ± sd), largest first. */
export function layoutImportance(features: { name: string; importance: number; sd: number }[], width = 560, barHeight = 18, left = 180): ImportanceChart {
  const height = Math.max(1, features.length) * (barHeight + 4) + 24;
  const lo = Math.min(0, ...features.map((f) => f.importance - f.sd));
  const hi = Math.max(1e-6, ...features.map((f) => f.importance + f.sd));
  const x = scaleLinear().domain([lo, hi]).nice().range([left, width - 10]);
  const y = scaleBand<string>().domain(features.map((f) => f.name)).range([0, height - 24]).padding(0.2);
  return {
    width,
    height,
    left,
    zeroX: x(0),
    ticks: x.ticks(5).map((v) => ({ x: x(v), label: String(Math.round(v * 1000) / 1000) })),
    bars: features.map((f) => ({
      name: f.name,
      y: y(f.name) ?? 0,
      height: y.bandwidth(),
      x0: Math.min(x(0), x(f.importance)),
      x1: Math.max(x(0), x(f.importance)),
      lo: x(f.importance - f.sd),
      hi: x(f.importance + f.sd),
      value: f.importance,
    })),
  };
}

/** Every cell of a row as display text (numbers rounded, nulls as a dash). */
export function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000);
  return String(v);
}
