// Pure view models of the Features view: quality flags per dictionary row, the permutation
// importance chart's scales and bars (d3 computes, Svelte draws), drift rows, and the tag inputs used.
import { scaleBand, scaleLinear } from 'd3';
import type { FeaturesDocument } from '../core/features/feature-view.ts';
import type { FeatureTagSummary } from '../core/features/tag-inputs.ts';

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

/** One line of the "tag inputs" block: an i18n key, its parameters, and whether the input was used. */
export interface TagInputLine {
  key: 'features.tags.sentiment' | 'features.tags.sentimentTagger' | 'features.tags.noSentiment' | 'features.tags.otherTable' | 'features.tags.noReviewId' | 'features.tags.noReviews' | 'features.tags.attributes' | 'features.tags.noAttributes' | 'features.tags.brands' | 'features.tags.categories';
  params: Record<string, string | number>;
  used: boolean;
  testid: string;
}

/** The tag inputs of a build as lines: which model's sentiment, how many reviews and products, or what to run first. */
export function describeTagInputs(summary: FeatureTagSummary | null): TagInputLine[] {
  if (!summary) return [];
  const lines: TagInputLine[] = [];
  const s = summary.sentiment;
  if (s.used) {
    const m = s.model;
    if (m?.modelId !== undefined) lines.push({ key: 'features.tags.sentiment', params: { id: m.modelId, version: m.version ?? 1, reviews: s.reviews, source: `${s.table}.${s.column}` }, used: true, testid: 'features-tags-sentiment' });
    else lines.push({ key: 'features.tags.sentimentTagger', params: { model: m?.model ?? '—', reviews: s.reviews, source: `${s.table}.${s.column}` }, used: true, testid: 'features-tags-sentiment' });
  } else {
    const key = ({ 'no-review-id': 'features.tags.noReviewId', 'no-reviews': 'features.tags.noReviews', 'other-table': 'features.tags.otherTable', 'no-tags': 'features.tags.noSentiment' } as const)[s.reason];
    lines.push({ key, params: { other: s.otherTables.join(', '), reviews: s.reviewTable ?? '' }, used: false, testid: 'features-tags-sentiment' });
  }
  const a = summary.attributes;
  if (a.used) lines.push({ key: 'features.tags.attributes', params: { tags: a.tags, products: a.products, source: a.columns.map((c) => `${a.table}.${c}`).join(', ') }, used: true, testid: 'features-tags-attributes' });
  else lines.push({ key: 'features.tags.noAttributes', params: {}, used: false, testid: 'features-tags-attributes' });
  if (summary.brands) lines.push({ key: 'features.tags.brands', params: { products: summary.brands.products, filled: summary.brands.filled }, used: true, testid: 'features-tags-brands' });
  const c = summary.categories;
  if (c) lines.push({ key: 'features.tags.categories', params: { model: c.model?.modelId !== undefined ? `${c.model.modelId} v${c.model.version ?? 1}` : (c.model?.model ?? '—'), source: c.column, products: c.products, filled: c.filled }, used: true, testid: 'features-tags-categories' });
  return lines;
}
