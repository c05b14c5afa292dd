// View models of the Monitoring view, pure: which stored imports are the previous version and the
// history of an open import, one metric's timeline across imports with its thresholds, and the
// per-column threshold edits kept in settings.
import { compareColumns, compareTables } from '../core/monitor/drift.ts';
import { matchInventories, pickPreviousImport, scoreInventoryMatch, type MatchOverrides } from '../core/monitor/match.ts';
import {
  resolveThresholds,
  type Level,
  type ThresholdOverrides,
  type ThresholdSettings,
  type Thresholds,
} from '../core/monitor/thresholds.ts';
import type { Inventory } from '../core/types.ts';

/** Thresholds that are levels (warn/error), the ones a user edits per column. */
export type LevelKey = {
  [K in keyof Thresholds]: Thresholds[K] extends Level ? K : never;
}[keyof Thresholds];

/** The threshold each verdict metric of the core is judged against. */
export const METRIC_THRESHOLD: Readonly<Record<string, LevelKey>> = {
  null_rate_h: 'nullRate',
  distinct_ratio_change: 'distinctRatio',
  wasserstein_norm: 'wasserstein',
  psi: 'psi',
  jensen_shannon: 'jensenShannon',
  row_count_log2: 'rowCount',
  duplicate_rows_h: 'duplicateRows',
  stale_days: 'staleDays',
  rows_robust_z: 'robustZ',
  null_rate_robust_z: 'robustZ',
  distinct_ratio_robust_z: 'robustZ',
  median_robust_z: 'robustZ',
};

/** Metrics compared between consecutive imports, so they have a timeline. */
export const TABLE_METRICS = ['row_count_log2', 'duplicate_rows_h', 'stale_days'] as const;
export const COLUMN_METRICS = ['null_rate_h', 'distinct_ratio_change', 'wasserstein_norm', 'psi', 'jensen_shannon'] as const;

/** What to compare the open import with. */
export interface ComparisonPlan {
  current: Inventory;
  /** The earlier import compared with; null when none matches and the user chose none. */
  previous: Inventory | null;
  /** True when `previous` was picked automatically (pickPreviousImport), false when the user chose it. */
  isAuto: boolean;
  /** How sure the match is, 0..1 (scoreInventoryMatch). */
  score: number;
  /** Every other stored import, newest first: what the user may pair with instead. */
  candidates: Inventory[];
  /** Imports of the same dataset before `previous`, oldest first (for robust z and timelines). */
  history: Inventory[];
}

/** Smallest match score at which an earlier import counts as the same dataset. */
export const MIN_MATCH_SCORE = 0.5;

/**
 * Picks the previous import of `currentId` among `inventories`: the user's choice when it is still
 * stored, else the best earlier match. History: the same dataset's imports before the previous one.
 */
export function planComparison(inventories: Inventory[], currentId: string, chosenPreviousId: string | null): ComparisonPlan | null {
  const current = inventories.find((i) => i.import.id === currentId);
  if (!current) return null;
  const candidates = inventories.filter((i) => i.import.id !== currentId).sort((a, b) => b.import.createdAt - a.import.createdAt);
  const chosen = chosenPreviousId ? candidates.find((i) => i.import.id === chosenPreviousId) : undefined;
  let previous: Inventory | null = chosen ?? null;
  let score = chosen ? scoreInventoryMatch(chosen, current) : 0;
  if (!chosen) {
    const earlier = candidates.filter((i) => i.import.createdAt < current.import.createdAt);
    const best = pickPreviousImport(earlier, current, MIN_MATCH_SCORE);
    previous = best?.inventory ?? null;
    score = best?.score ?? 0;
  }
  const history = previous
    ? candidates
        .filter((i) => i.import.createdAt < previous.import.createdAt && scoreInventoryMatch(i, current) >= MIN_MATCH_SCORE)
        .sort((a, b) => a.import.createdAt - b.import.createdAt)
    : [];
  return { current, previous, isAuto: !chosen, score, candidates, history };
}

export interface TimelinePoint {
  importId: string;
  name: string;
  createdAt: number;
  /** The metric between this import and the one before it; null where either lacks the table or column. */
  value: number | null;
}

export interface MetricTimeline {
  table: string;
  column?: string;
  metric: string;
  /** One point per import after the first of `chain`, oldest first. */
  points: TimelinePoint[];
  level: Level;
}

/**
 * The timeline of one metric for a table or column of the last import of `chain` (oldest first):
 * each import compared with the one before it, names followed through renames by matching each
 * import against the last one (with the user's `overrides`), thresholds resolved for that column.
 */
export function computeTimeline(
  chain: Inventory[],
  table: string,
  column: string | undefined,
  metric: string,
  settings: ThresholdSettings = {},
  overrides?: MatchOverrides,
  clock: 'data' | 'import' = 'data',
): MetricTimeline {
  const t = resolveThresholds(settings, table, column);
  const key = METRIC_THRESHOLD[metric];
  const level: Level = key ? t[key] : { warn: null, error: null };
  const last = chain[chain.length - 1];
  const names = chain.map((inv) => {
    if (inv === last) return { table, column };
    const m = matchInventories(inv, last, { overrides });
    const tp = m.tables.find((p) => p.new === table);
    if (!tp) return null;
    if (column === undefined) return { table: tp.old, column: undefined };
    const cp = tp.columns.find((c) => c.new === column);
    return cp ? { table: tp.old, column: cp.old } : null;
  });
  const points: TimelinePoint[] = [];
  for (let i = 1; i < chain.length; i++) {
    const [a, b] = [names[i - 1], names[i]];
    let value: number | null = null;
    if (a && b) {
      if (column === undefined) {
        const ta = chain[i - 1].tables.find((x) => x.name === a.table);
        const tb = chain[i].tables.find((x) => x.name === b.table);
        if (ta && tb) value = compareTables(chain[i - 1], chain[i], ta, tb, t, clock).verdicts.find((v) => v.metric === metric)?.value ?? null;
      } else {
        const ca = chain[i - 1].columns.find((x) => x.table === a.table && x.name === a.column);
        const cb = chain[i].columns.find((x) => x.table === b.table && x.name === b.column);
        if (ca && cb) value = compareColumns(ca, cb, t).verdicts.find((v) => v.metric === metric)?.value ?? null;
      }
    }
    const imp = chain[i].import;
    points.push({ importId: imp.id, name: imp.name, createdAt: imp.createdAt, value });
  }
  return { table, column, metric, points, level };
}

/** The settings key of a dataset's thresholds (shared by every import of that name). */
export function thresholdsSettingKey(datasetName: string): string {
  return `monitor.thresholds.${datasetName}`;
}

/** The settings key of an import's pairing (previous import and table/column overrides). */
export function pairingSettingKey(importId: string): string {
  return `monitor.pairing.${importId}`;
}

/** Scope of a column's thresholds in ThresholdSettings.scoped. */
export function columnScope(table: string, column?: string): string {
  return column === undefined ? table : `${table}.${column}`;
}

/**
 * Reads a threshold field as typed: a non-negative number, `null` when left empty (that level off),
 * `undefined` when it is not a number (the edit is refused).
 */
export function parseThresholdInput(text: string): number | null | undefined {
  const s = text.trim();
  if (s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/**
 * Settings with one scope's levels replaced; levels equal to what applies without the scope are
 * dropped, and a scope left empty is removed, so "reset" and "unchanged" store nothing.
 */
export function updateScopedLevels(
  settings: ThresholdSettings,
  table: string,
  column: string | undefined,
  levels: Partial<Record<LevelKey, Level>>,
): ThresholdSettings {
  const scope = columnScope(table, column);
  const scoped = { ...(settings.scoped ?? {}) };
  delete scoped[scope];
  const inherited = resolveThresholds({ ...settings, scoped }, table, column);
  const over: ThresholdOverrides = {};
  for (const [k, lv] of Object.entries(levels) as [LevelKey, Level][]) {
    if (lv.warn !== inherited[k].warn || lv.error !== inherited[k].error) over[k] = { warn: lv.warn, error: lv.error };
  }
  if (Object.keys(over).length) scoped[scope] = over;
  return { ...settings, scoped };
}

/** Match overrides with one table re-paired (`oldTable` null: no counterpart, undefined: automatic). */
export function setTablePairing(o: MatchOverrides, newTable: string, oldTable: string | null | undefined): MatchOverrides {
  const tables = { ...(o.tables ?? {}) };
  if (oldTable === undefined) delete tables[newTable];
  else tables[newTable] = oldTable;
  return { ...o, tables };
}

/** Match overrides with one column re-paired (`oldColumn` null: no counterpart, undefined: automatic). */
export function setColumnPairing(o: MatchOverrides, newTable: string, newColumn: string, oldColumn: string | null | undefined): MatchOverrides {
  const cols = { ...(o.columns?.[newTable] ?? {}) };
  if (oldColumn === undefined) delete cols[newColumn];
  else cols[newColumn] = oldColumn;
  const columns = { ...(o.columns ?? {}), [newTable]: cols };
  if (Object.keys(cols).length === 0) delete columns[newTable];
  return { ...o, columns };
}
