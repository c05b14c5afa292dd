// Diffs a new inventory against an earlier one of the same dataset: schema, volume, completeness,
// uniqueness, distribution and freshness per table and column, with history anomalies when more
// imports are given, and one flat list of alerts for everything that crossed a threshold.
import { QUANTILE_LEVELS } from '../types.ts';
import type { ColumnProfile, Inventory, TableProfile, ValueCount } from '../types.ts';
import {
  compareColumns,
  compareTables,
  computeDistinctRatio,
  computeMissingRate,
  computeScale,
  isNumericColumn,
  type ColumnDrift,
  type TableDrift,
} from './drift.ts';
import { judgeHistory, type HistoryVerdict } from './history.ts';
import { matchInventories, type InventoryMatch, type MatchOverrides } from './match.ts';
import { resolveThresholds, type Severity, type ThresholdOverrides, type Thresholds, type Verdict } from './thresholds.ts';

/** One thing that crossed a threshold (or a schema change), for the Alerts view and CI exit codes. */
export interface Alert {
  severity: Severity;
  table: string;
  column?: string;
  /** A metric name (`psi`, `null_rate_h` …) or a schema event (`column_removed`, `category_appeared` …). */
  kind: string;
  message: string;
  /** The effect size, or for schema events a count or similarity. */
  value: number;
  /** The threshold crossed; null for schema events that have none. */
  threshold: number | null;
  /** For `category_appeared` / `category_vanished`: the category value. */
  category?: string;
}

export type ColumnStatus = 'unchanged' | 'added' | 'removed' | 'renamed' | 'retyped' | 'renamed-retyped';

export interface ColumnReport {
  /** Name in the new import (the old name for removed columns). */
  name: string;
  oldName?: string;
  status: ColumnStatus;
  types: { old?: string; new?: string };
  drift?: ColumnDrift;
  history: HistoryVerdict[];
}

export interface TableReport {
  name: string;
  oldName?: string;
  status: 'matched' | 'added' | 'removed';
  drift?: TableDrift;
  history: HistoryVerdict[];
  columns: ColumnReport[];
}

export interface MonitorReport {
  old: { id: string; name: string; createdAt: number };
  new: { id: string; name: string; createdAt: number };
  /** How sure the match of the two imports is (0..1), see scoreInventoryMatch. */
  matchScore: number;
  /** How many imports the history checks saw (old and new included); 2 means none ran. */
  historyLength: number;
  match: InventoryMatch;
  tables: TableReport[];
  alerts: Alert[];
  /** The thresholds applied before per-table and per-column overrides. */
  thresholds: Thresholds;
}

export interface DiffOptions {
  /** Overrides of DEFAULT_THRESHOLDS for every table and column. */
  thresholds?: ThresholdOverrides;
  /** Overrides for one table (`"orders"`) or column (`"orders.price"`), by new-import names. */
  scopedThresholds?: Record<string, ThresholdOverrides>;
  /** Imports before `old`, oldest first; with one or more, each metric's latest change is judged against its history. */
  history?: Inventory[];
  /** The user's re-pairing of tables and columns. */
  match?: MatchOverrides;
  /** What freshness is measured against: the newest timestamp of the export (default) or the import time. */
  freshnessClock?: 'data' | 'import';
}

/** Floors of the history scale per series: the smallest change that can count as unusual. */
const HISTORY_FLOORS = { rows: 0.1, missing: 0.01, distinct: 0.02, median: 0.05 };

const MEDIAN_INDEX = QUANTILE_LEVELS.indexOf(0.5);

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

/** True when `severity` is at or above `min`. */
export function isAtLeast(severity: Severity, min: Severity): boolean {
  return SEVERITY_RANK[severity] >= SEVERITY_RANK[min];
}

function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toFixed(digits)));
}

function pct(x: number): string {
  return `${fmt(x * 100, 2)}%`;
}

/** The sentence of an alert for one verdict, with the effect size and its threshold. */
function describeVerdict(v: Verdict, drift: ColumnDrift | TableDrift | undefined): string {
  const th = `${fmt(v.value)} ≥ ${fmt(v.threshold ?? NaN)}`;
  const s = drift && 'summary' in drift ? drift.summary : undefined;
  const t = drift && 'rows' in drift ? drift : undefined;
  switch (v.metric) {
    case 'null_rate_h':
      return `missing rate ${pct(s!.missingRate[0])} → ${pct(s!.missingRate[1])} (Cohen's h ${th})`;
    case 'distinct_ratio_change':
      return `distinct values ${fmt(s!.distinct[0])} → ${fmt(s!.distinct[1])} (distinct share change ${th})`;
    case 'wasserstein_norm':
      return `distribution shift, median ${fmt(s!.median?.[0] ?? NaN)} → ${fmt(s!.median?.[1] ?? NaN)} (Wasserstein / old IQR ${th})`;
    case 'psi':
      return `distribution shift over old deciles (PSI ${th})`;
    case 'jensen_shannon':
      return `category mix changed (Jensen–Shannon distance ${th})`;
    case 'row_count_log2':
      return `rows ${fmt(t!.rows[0])} → ${fmt(t!.rows[1])} (|log2 ratio| ${th})`;
    case 'duplicate_rows_h':
      return `duplicate-row rate changed (Cohen's h ${th})`;
    case 'stale_days':
      return `stale: newest ${t!.newest?.column} ${t!.newest?.old.slice(0, 10)} → ${t!.newest?.new.slice(0, 10)}, ${fmt(v.value, 1)} more days behind the export (threshold ${fmt(v.threshold ?? NaN)})`;
    default:
      return `${v.metric} ${th}`;
  }
}

function describeHistory(h: HistoryVerdict): string {
  return `unusual change of ${h.series}: ${fmt(h.latestChange, 4)} against a typical ${fmt(h.medianChange, 4)} over ${h.values.length} imports (robust z ${fmt(h.value, 2)} ≥ ${fmt(h.threshold ?? NaN)})`;
}

function verdictAlerts(table: string, column: string | undefined, verdicts: Verdict[], drift: ColumnDrift | TableDrift | undefined): Alert[] {
  return verdicts
    .filter((v) => v.verdict !== 'ok')
    .map((v) => ({
      severity: v.verdict as Severity,
      table,
      column,
      kind: v.metric,
      message: 'series' in v ? describeHistory(v as HistoryVerdict) : describeVerdict(v, drift),
      value: v.value,
      threshold: v.threshold,
    }));
}

function categoryAlerts(table: string, column: string, values: ValueCount[], nonNull: number, kind: 'category_appeared' | 'category_vanished', minShare: number): Alert[] {
  return values.map((v) => ({
    severity: 'warn' as const,
    table,
    column,
    kind,
    message: `category "${v.value}" ${kind === 'category_appeared' ? 'appeared' : 'vanished'} (${fmt(v.count)} rows, ${pct(v.count / Math.max(1, nonNull))} of the ${kind === 'category_appeared' ? 'new' : 'old'} values)`,
    value: v.count / Math.max(1, nonNull),
    threshold: minShare,
    category: v.value,
  }));
}

/** For each history import, the names of its tables and columns keyed by the new import's names. */
function mapHistory(history: Inventory[], newInv: Inventory, overrides: MatchOverrides | undefined) {
  return history.map((h) => {
    const m = matchInventories(h, newInv, { overrides });
    const tables = new Map(m.tables.map((t) => [t.new, t]));
    return {
      table: (newName: string) => {
        const p = tables.get(newName);
        return p ? h.tables.find((t) => t.name === p.old) : undefined;
      },
      column: (newTable: string, newCol: string) => {
        const p = tables.get(newTable);
        const c = p?.columns.find((x) => x.new === newCol);
        return p && c ? h.columns.find((x) => x.table === p.old && x.name === c.old) : undefined;
      },
    };
  });
}

/**
 * Diffs `newInv` against `oldInv`. Pure: the same inputs always give the same report. Alerts are
 * sorted by severity (errors first), then table and column.
 */
export function diffInventories(oldInv: Inventory, newInv: Inventory, options: DiffOptions = {}): MonitorReport {
  const settings = { global: options.thresholds, scoped: options.scopedThresholds };
  const base = resolveThresholds(settings, '\u0000');
  const match = matchInventories(oldInv, newInv, { overrides: options.match, renameSimilarity: base.renameSimilarity });
  const history = mapHistory(options.history ?? [], newInv, options.match);
  const clock = options.freshnessClock ?? 'data';
  const alerts: Alert[] = [];
  const tables: TableReport[] = [];
  const col = (inv: Inventory, table: string, name: string) => inv.columns.find((c) => c.table === table && c.name === name)!;

  for (const pair of match.tables) {
    const t = resolveThresholds(settings, pair.new);
    const oldT = oldInv.tables.find((x) => x.name === pair.old)!;
    const newT = newInv.tables.find((x) => x.name === pair.new)!;
    const drift = compareTables(oldInv, newInv, oldT, newT, t, clock);
    alerts.push(...verdictAlerts(pair.new, undefined, drift.verdicts, drift));

    const tableHistory: HistoryVerdict[] = [];
    if (history.length) {
      const past = history.map((h) => h.table(pair.new)).filter((x): x is TableProfile => !!x);
      const hv = judgeHistory('rows_robust_z', 'log2 rows', [...past, oldT, newT].map((x) => Math.log2(x.rowCount + 1)), HISTORY_FLOORS.rows, t.robustZ);
      if (hv && past.length === history.length) tableHistory.push(hv);
      alerts.push(...verdictAlerts(pair.new, undefined, tableHistory, undefined));
    }

    const columns: ColumnReport[] = [];
    for (const cp of pair.columns) {
      const ct = resolveThresholds(settings, pair.new, cp.new);
      const o = col(oldInv, pair.old, cp.old);
      const n = col(newInv, pair.new, cp.new);
      const renamed = cp.old !== cp.new;
      const status: ColumnStatus = renamed && cp.retyped ? 'renamed-retyped' : renamed ? 'renamed' : cp.retyped ? 'retyped' : 'unchanged';
      if (renamed && cp.how !== 'normalised-name') {
        alerts.push({
          severity: 'warn',
          table: pair.new,
          column: cp.new,
          kind: 'column_renamed',
          message: `column "${cp.old}" looks renamed to "${cp.new}" (${cp.how === 'override' ? 'paired by you' : `profile similarity ${fmt(cp.similarity)} ≥ ${fmt(ct.renameSimilarity)}`})`,
          value: cp.similarity,
          threshold: cp.how === 'override' ? null : ct.renameSimilarity,
        });
      }
      if (cp.retyped) {
        const family = (x: string) => (['integer', 'decimal', 'double'].includes(x) ? 'number' : x === 'date' || x === 'timestamp' ? 'time' : x);
        alerts.push({
          severity: family(cp.oldType) === family(cp.newType) ? 'warn' : 'error',
          table: pair.new,
          column: cp.new,
          kind: 'column_retyped',
          message: `type changed ${cp.oldType} → ${cp.newType} (${o.engineType} → ${n.engineType})`,
          value: 1,
          threshold: null,
        });
      }
      const drift = compareColumns(o, n, ct);
      alerts.push(...verdictAlerts(pair.new, cp.new, drift.verdicts, drift));
      alerts.push(...categoryAlerts(pair.new, cp.new, drift.appeared ?? [], n.rowCount - n.nullCount, 'category_appeared', ct.categoryMinShare));
      alerts.push(...categoryAlerts(pair.new, cp.new, drift.vanished ?? [], o.rowCount - o.nullCount, 'category_vanished', ct.categoryMinShare));

      const colHistory: HistoryVerdict[] = [];
      if (history.length) {
        const past = history.map((h) => h.column(pair.new, cp.new)).filter((x): x is ColumnProfile => !!x);
        if (past.length === history.length) {
          const series = [...past, o, n];
          const push = (v: HistoryVerdict | null) => v && colHistory.push(v);
          push(judgeHistory('null_rate_robust_z', 'missing rate', series.map(computeMissingRate), HISTORY_FLOORS.missing, ct.robustZ));
          push(judgeHistory('distinct_ratio_robust_z', 'distinct share', series.map(computeDistinctRatio), HISTORY_FLOORS.distinct, ct.robustZ));
          if (series.every(isNumericColumn)) {
            const scale = computeScale(o.quantiles!);
            push(judgeHistory('median_robust_z', 'median / old IQR', series.map((c) => c.quantiles![MEDIAN_INDEX] / scale), HISTORY_FLOORS.median, ct.robustZ));
          }
        }
        alerts.push(...verdictAlerts(pair.new, cp.new, colHistory, undefined));
      }
      columns.push({ name: cp.new, oldName: renamed ? cp.old : undefined, status, types: { old: cp.oldType, new: cp.newType }, drift, history: colHistory });
    }

    // Keys: the old primary key must still be unique and non-null.
    const key = oldT.primaryKey ?? oldT.keyCandidates.find((k) => k.length === 1)?.[0];
    const keyPair = key ? pair.columns.find((c) => c.old === key) : undefined;
    if (keyPair) {
      const k = col(newInv, pair.new, keyPair.new);
      if (!k.isUnique) {
        const dups = Math.max(1, k.rowCount - k.distinct);
        alerts.push({
          severity: 'error',
          table: pair.new,
          column: k.name,
          kind: 'duplicate_keys',
          message: `key "${k.name}" is no longer unique and non-null (≈${fmt(dups)} duplicate or null keys)`,
          value: dups,
          threshold: 1,
        });
      }
    }

    for (const name of pair.added) {
      const c = col(newInv, pair.new, name);
      columns.push({ name, status: 'added', types: { new: c.physicalType }, history: [] });
      alerts.push({ severity: 'info', table: pair.new, column: name, kind: 'column_added', message: `column added (${c.engineType})`, value: 1, threshold: null });
    }
    for (const name of pair.removed) {
      const c = col(oldInv, pair.old, name);
      columns.push({ name, status: 'removed', types: { old: c.physicalType }, history: [] });
      alerts.push({ severity: 'error', table: pair.new, column: name, kind: 'column_removed', message: `column removed (was ${c.engineType})`, value: 1, threshold: null });
    }
    tables.push({ name: pair.new, oldName: pair.old !== pair.new ? pair.old : undefined, status: 'matched', drift, history: tableHistory, columns });
  }

  for (const name of match.addedTables) {
    tables.push({ name, status: 'added', history: [], columns: [] });
    const rows = newInv.tables.find((t) => t.name === name)!.rowCount;
    alerts.push({ severity: 'info', table: name, kind: 'table_added', message: `table added (${fmt(rows)} rows)`, value: rows, threshold: null });
  }
  for (const name of match.removedTables) {
    tables.push({ name, status: 'removed', history: [], columns: [] });
    alerts.push({ severity: 'error', table: name, kind: 'table_removed', message: 'table removed', value: 1, threshold: null });
  }

  alerts.sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.table.localeCompare(b.table) || (a.column ?? '').localeCompare(b.column ?? ''),
  );
  const meta = (inv: Inventory) => ({ id: inv.import.id, name: inv.import.name, createdAt: inv.import.createdAt });
  return {
    old: meta(oldInv),
    new: meta(newInv),
    matchScore: match.score,
    historyLength: (options.history?.length ?? 0) + 2,
    match,
    tables,
    alerts,
    thresholds: base,
  };
}
