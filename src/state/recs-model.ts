// Pure view model of the Recs view: spec editing (column pickers), chart inputs from the diagnostics,
// plain-language verdicts, and the metrics table rows. Pure, so it is tested in Node.
import type { InteractionSpec, TimeEncoding } from '../core/recsys/detect-interactions.ts';
import type { Diagnostics, LogHistogram } from '../core/recsys/diagnostics.ts';
import type { CleaningComparison, Interval } from '../core/recsys/evaluate.ts';
import type { ColumnProfile, Histogram, Inventory } from '../core/types.ts';

/** Spec roles a picker can change. */
export type SpecRole = 'user' | 'item' | 'time' | 'event' | 'quantity';

export interface ColumnOption {
  /** `table.column`, the picker's value. */
  value: string;
  table: string;
  column: string;
}

/** `table.column` of a spec role, or '' when the role is unset. */
export function refValue(spec: InteractionSpec, role: SpecRole): string {
  const r = spec[role];
  return r ? `${r.table}.${r.column}` : '';
}

/** The columns a picker may offer: those of the fact table and of the tables joined to it. */
export function listSpecColumns(inv: Inventory, spec: InteractionSpec): ColumnOption[] {
  const tables = [spec.factTable, ...spec.joins.map((j) => j.toTable)].filter((t, i, a) => a.indexOf(t) === i);
  return tables.flatMap((table) =>
    inv.columns
      .filter((c) => c.table === table)
      .sort((a, b) => a.index - b.index)
      .map((c) => ({ value: `${table}.${c.name}`, table, column: c.name })),
  );
}

/** How a chosen time column encodes instants, judged from its profile. */
export function inferTimeEncoding(c: ColumnProfile | undefined): TimeEncoding {
  if (!c) return 'text';
  if (c.physicalType === 'timestamp' || c.physicalType === 'date') return 'timestamp';
  if (c.physicalType === 'integer' || c.physicalType === 'double') {
    const hi = Number(c.max);
    // Epoch seconds stay below 1e10 until the year 2286; larger values are milliseconds.
    return Number.isFinite(hi) && hi > 1e10 ? 'epoch-millis' : 'epoch-seconds';
  }
  return 'text';
}

/** A copy of `spec` with `role` set to `value` (`table.column`, or '' for none where optional). */
export function applySpecColumn(spec: InteractionSpec, inv: Inventory, role: SpecRole, value: string): InteractionSpec {
  const opt = listSpecColumns(inv, spec).find((o) => o.value === value);
  const ref = opt ? { table: opt.table, column: opt.column } : null;
  if ((role === 'user' || role === 'item') && !ref) return spec;
  const next: InteractionSpec = { ...spec, joins: [...spec.joins], reasons: [...spec.reasons] };
  if (role === 'user' || role === 'item') next[role] = ref!;
  else next[role] = ref;
  if (role === 'time') {
    next.timeEncoding = ref ? inferTimeEncoding(inv.columns.find((c) => c.table === ref.table && c.name === ref.column)) : null;
  }
  if (role === 'item' && ref) {
    // The item catalogue follows the item column's inferred foreign key, if it has one.
    const fk = inv.relations.find((r) => r.fromTable === ref.table && r.fromColumn === ref.column);
    next.itemParent = fk ? { table: fk.toTable, column: fk.toColumn } : null;
  }
  return next;
}

/** A log-binned count distribution as the shared Histogram component draws it (powers of two). */
export function toCountHistogram(h: LogHistogram): Histogram {
  return { kind: 'number', edges: h.edges, counts: h.counts, log: true };
}

const DAY_MS = 86_400_000;

/** Interactions per UTC day as a date histogram (edges in epoch ms), or null without timestamps. */
export function toDayHistogram(perDay: Diagnostics['time']['perDay']): Histogram | null {
  if (perDay.counts.length === 0) return null;
  const edges = Array.from({ length: perDay.counts.length + 1 }, (_, i) => (perDay.startDay + i) * DAY_MS);
  return { kind: 'date', edges, counts: perDay.counts };
}

export type VerdictLevel = 'good' | 'warn' | 'bad';

/** One diagnostic's plain-language verdict: a message key of `recs.verdict.*` and its parameters. */
export interface Verdict {
  topic: 'size' | 'popularity' | 'cold' | 'time' | 'duplicates' | 'suspicious';
  level: VerdictLevel;
  key: string;
  params: Record<string, string | number>;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Verdicts with fixed, stated thresholds: a median user needs a few interactions for collaborative
 * filtering to learn anything (≥ 3 fine, 2 thin, 1 hopeless); Gini above 0.8 means a popularity
 * baseline will be hard to beat; more than half the users cold means most are served by popularity.
 */
export function buildVerdicts(d: Diagnostics): Verdict[] {
  const out: Verdict[] = [];
  const med = d.perUser.median;
  out.push({
    topic: 'size',
    level: med >= 3 ? 'good' : med >= 2 ? 'warn' : 'bad',
    key: med >= 3 ? 'recs.verdict.sizeGood' : 'recs.verdict.sizeThin',
    params: { median: med, density: d.size.density.toExponential(2) },
  });
  const g = d.popularity.gini;
  out.push({ topic: 'popularity', level: g > 0.8 ? 'warn' : 'good', key: g > 0.8 ? 'recs.verdict.popularitySkewed' : 'recs.verdict.popularityOk', params: { gini: g.toFixed(2), share: pct(d.popularity.top20ItemInteractionShare) } });
  const cold = d.coldStart.userShare;
  out.push({ topic: 'cold', level: cold > 0.5 ? 'bad' : cold > 0.2 ? 'warn' : 'good', key: 'recs.verdict.cold', params: { users: pct(cold), items: pct(d.coldStart.itemShare), k: d.coldStart.k } });
  if (d.time.timed === 0) out.push({ topic: 'time', level: 'bad', key: 'recs.verdict.timeNone', params: {} });
  else {
    const odd = d.time.future + d.time.beforeStart;
    out.push({ topic: 'time', level: odd > 0 ? 'warn' : 'good', key: odd > 0 ? 'recs.verdict.timeOdd' : 'recs.verdict.timeOk', params: { days: Math.round(d.time.spanDays), future: d.time.future, before: d.time.beforeStart, empty: d.time.emptyDays } });
  }
  out.push({ topic: 'duplicates', level: d.duplicates.share > 0.01 ? 'warn' : 'good', key: 'recs.verdict.duplicates', params: { rows: d.duplicates.rows, share: pct(d.duplicates.share) } });
  const sus = d.suspicious.users.length;
  out.push({ topic: 'suspicious', level: sus > 0 ? 'warn' : 'good', key: sus > 0 ? 'recs.verdict.suspicious' : 'recs.verdict.noSuspicious', params: { count: sus, z: d.suspicious.thresholds.z } });
  return out;
}

/** One row of the baseline results table. */
export interface MetricRow {
  split: string;
  model: string;
  k: number;
  recall: Interval;
  ndcg: Interval;
  map: Interval;
  coverage: number;
  popularityBias: number;
}

/** Rows of one evaluation (before or after cleaning), or the skip reason of a model. */
export function flattenMetrics(ev: CleaningComparison['before']): { rows: MetricRow[]; skipped: { split: string; model: string; reason: string }[] } {
  const rows: MetricRow[] = [];
  const skipped: { split: string; model: string; reason: string }[] = [];
  for (const s of ev.results) {
    for (const m of s.models) {
      if (!m.metrics) {
        skipped.push({ split: s.split, model: m.model, reason: m.skipped ?? '' });
        continue;
      }
      for (const x of m.metrics) rows.push({ split: s.split, model: m.model, k: x.k, recall: x.recall, ndcg: x.ndcg, map: x.map, coverage: x.coverage, popularityBias: x.popularityBias });
    }
  }
  return { rows, skipped };
}

/** Before/after pairs at one K, matched by split and model, for the side-by-side comparison. */
export function pairCleaning(c: CleaningComparison, k: number): { split: string; model: string; before: Interval | null; after: Interval | null }[] {
  const at = (ev: CleaningComparison['before']) => new Map(flattenMetrics(ev).rows.filter((r) => r.k === k).map((r) => [`${r.split}|${r.model}`, r.recall]));
  const b = at(c.before);
  const a = at(c.after);
  const keys = [...new Set([...b.keys(), ...a.keys()])];
  return keys.map((key) => {
    const [split, model] = key.split('|');
    return { split, model, before: b.get(key) ?? null, after: a.get(key) ?? null };
  });
}
