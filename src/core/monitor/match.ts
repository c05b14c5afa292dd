// Matches a new import to an earlier one, and its tables and columns to theirs: by name first, then
// by column fingerprints and profile similarity (renames), always overridable by the user's pairing.
import type { ColumnProfile, Inventory } from '../types.ts';
import {
  compareCategories,
  computeDistinctRatio,
  computeMissingRate,
  computeNormalisedWasserstein,
  isCategoricalColumn,
  isNumericColumn,
} from './drift.ts';
import { DEFAULT_THRESHOLDS } from './thresholds.ts';

/** How a pair was made: same name, same name once case and punctuation are dropped, similar profile, or the user's choice. */
export type PairReason = 'name' | 'normalised-name' | 'profile' | 'similarity' | 'override';

export interface ColumnPair {
  old: string;
  new: string;
  how: PairReason;
  /** Fingerprint similarity 0..1 (1 for same-name pairs of the same type). */
  similarity: number;
  /** The physical type changed (e.g. integer → varchar). */
  retyped: boolean;
  oldType: string;
  newType: string;
}

export interface TablePair {
  old: string;
  new: string;
  how: PairReason;
  similarity: number;
  columns: ColumnPair[];
  /** Columns of the new table with no old counterpart. */
  added: string[];
  /** Columns of the old table with no new counterpart. */
  removed: string[];
}

export interface InventoryMatch {
  /** 0..1: how sure we are that the two imports are versions of the same dataset. */
  score: number;
  tables: TablePair[];
  addedTables: string[];
  removedTables: string[];
}

/**
 * The user's re-pairing, keyed by names in the new import: `tables[newTable] = oldTable` (null: no
 * counterpart), `columns[newTable][newColumn] = oldColumn` (null: no counterpart).
 */
export interface MatchOverrides {
  tables?: Record<string, string | null>;
  columns?: Record<string, Record<string, string | null>>;
}

export interface MatchOptions {
  overrides?: MatchOverrides;
  /** Smallest fingerprint similarity taken as a rename (default DEFAULT_THRESHOLDS.renameSimilarity). */
  renameSimilarity?: number;
  /** Smallest similarity at which two differently named tables are paired (default 0.5). */
  tableSimilarity?: number;
}

/** Lower-case with everything but letters and digits dropped: `Order_ID` and `order id` agree. */
function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** Dice coefficient of character bigrams, 0..1. */
export function computeNameSimilarity(a: string, b: string): number {
  const x = normaliseName(a);
  const y = normaliseName(b);
  if (x === y) return 1;
  if (x.length < 2 || y.length < 2) return 0;
  const grams = (s: string) => {
    const m = new Map<string, number>();
    for (let i = 0; i < s.length - 1; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1);
    return m;
  };
  const gx = grams(x);
  const gy = grams(y);
  let both = 0;
  for (const [g, n] of gx) both += Math.min(n, gy.get(g) ?? 0);
  return (2 * both) / (x.length - 1 + (y.length - 1));
}

function closeness(a: number, b: number): number {
  return 1 - Math.min(1, Math.abs(a - b));
}

/** Types that hold the same kind of value; a rename may also widen a type within its family. */
function typeFamily(t: string): string {
  if (t === 'integer' || t === 'decimal' || t === 'double') return 'number';
  if (t === 'date' || t === 'timestamp') return 'time';
  return t;
}

/**
 * Fingerprint similarity of two columns, 0..1: type family and semantic type, missing and distinct
 * shares, and the distribution itself (Wasserstein for numbers, Jensen–Shannon for categories, value
 * lengths otherwise). The name counts a little, so a rename with the same data still scores high.
 */
export function computeColumnSimilarity(a: ColumnProfile, b: ColumnProfile): number {
  const maxCat = DEFAULT_THRESHOLDS.maxCategories;
  let distribution: number;
  if (isNumericColumn(a) && isNumericColumn(b)) {
    distribution = 1 - Math.min(1, computeNormalisedWasserstein(a.quantiles!, b.quantiles!));
  } else if (isCategoricalColumn(a, maxCat) && isCategoricalColumn(b, maxCat)) {
    const s = (c: ColumnProfile) => ({ top: c.topValues, nonNull: c.rowCount - c.nullCount, distinct: c.distinct });
    distribution = 1 - compareCategories(s(a), s(b), 1).distance;
  } else if (a.length && b.length) {
    const scale = Math.max(1, a.length.mean, b.length.mean);
    distribution = 1 - Math.min(1, Math.abs(a.length.mean - b.length.mean) / scale);
  } else {
    distribution = a.quantiles && b.quantiles ? 0.5 : 0;
  }
  return (
    0.15 * (typeFamily(a.physicalType) === typeFamily(b.physicalType) ? 1 : 0) +
    0.15 * (a.semanticType === b.semanticType ? 1 : 0) +
    0.1 * computeNameSimilarity(a.name, b.name) +
    0.1 * closeness(computeMissingRate(a), computeMissingRate(b)) +
    0.15 * closeness(computeDistinctRatio(a), computeDistinctRatio(b)) +
    0.35 * distribution
  );
}

function columnsOf(inv: Inventory, table: string): ColumnProfile[] {
  return inv.columns.filter((c) => c.table === table).sort((x, y) => x.index - y.index);
}

function makePair(o: ColumnProfile, n: ColumnProfile, how: PairReason): ColumnPair {
  return {
    old: o.name,
    new: n.name,
    how,
    similarity: how === 'name' && o.physicalType === n.physicalType ? 1 : computeColumnSimilarity(o, n),
    retyped: o.physicalType !== n.physicalType,
    oldType: o.physicalType,
    newType: n.physicalType,
  };
}

/** Pairs the columns of one old and one new table. */
export function matchColumns(
  oldCols: ColumnProfile[],
  newCols: ColumnProfile[],
  overrides: Record<string, string | null> = {},
  renameSimilarity = DEFAULT_THRESHOLDS.renameSimilarity,
): { columns: ColumnPair[]; added: string[]; removed: string[] } {
  const oldLeft = new Map(oldCols.map((c) => [c.name, c]));
  const newLeft = new Map(newCols.map((c) => [c.name, c]));
  const pairs: ColumnPair[] = [];
  const take = (o: ColumnProfile, n: ColumnProfile, how: PairReason) => {
    pairs.push(makePair(o, n, how));
    oldLeft.delete(o.name);
    newLeft.delete(n.name);
  };
  for (const [newName, oldName] of Object.entries(overrides)) {
    const n = newLeft.get(newName);
    if (!n) continue;
    if (oldName === null) newLeft.delete(newName);
    else if (oldLeft.has(oldName)) take(oldLeft.get(oldName)!, n, 'override');
  }
  const forcedNew = new Set(Object.entries(overrides).filter(([, o]) => o === null).map(([n]) => n));
  for (const n of [...newLeft.values()]) {
    const o = oldLeft.get(n.name);
    if (o) take(o, n, 'name');
  }
  for (const n of [...newLeft.values()]) {
    const o = [...oldLeft.values()].find((c) => normaliseName(c.name) === normaliseName(n.name));
    if (o) take(o, n, 'normalised-name');
  }
  // Renames: best pairs first, so one strong match is not stolen by a weaker one.
  const candidates: { o: ColumnProfile; n: ColumnProfile; s: number }[] = [];
  for (const n of newLeft.values()) for (const o of oldLeft.values()) candidates.push({ o, n, s: computeColumnSimilarity(o, n) });
  candidates.sort((x, y) => y.s - x.s);
  for (const { o, n, s } of candidates) {
    if (s < renameSimilarity) break;
    if (oldLeft.has(o.name) && newLeft.has(n.name)) take(o, n, 'profile');
  }
  const order = new Map(newCols.map((c, i) => [c.name, i]));
  pairs.sort((x, y) => order.get(x.new)! - order.get(y.new)!);
  return {
    columns: pairs,
    added: newCols.filter((c) => newLeft.has(c.name) || forcedNew.has(c.name)).map((c) => c.name),
    removed: [...oldLeft.keys()],
  };
}

/** Table-name similarity with digits dropped (dates and versions in file names), blended with shared column names. */
function computeTableSimilarity(oldInv: Inventory, oldName: string, newInv: Inventory, newName: string): number {
  const strip = (s: string) => s.replace(/\d+/g, '');
  const a = new Set(columnsOf(oldInv, oldName).map((c) => normaliseName(c.name)));
  const b = new Set(columnsOf(newInv, newName).map((c) => normaliseName(c.name)));
  const inter = [...a].filter((x) => b.has(x)).length;
  const union = new Set([...a, ...b]).size || 1;
  return 0.4 * computeNameSimilarity(strip(oldName), strip(newName)) + 0.6 * (inter / union);
}

/** Pairs the tables of two imports, then the columns of each pair. */
export function matchInventories(oldInv: Inventory, newInv: Inventory, options: MatchOptions = {}): InventoryMatch {
  const { overrides = {}, renameSimilarity, tableSimilarity = 0.5 } = options;
  const oldLeft = new Set(oldInv.tables.map((t) => t.name));
  const newLeft = new Set(newInv.tables.map((t) => t.name));
  const pairs: { old: string; new: string; how: PairReason; similarity: number }[] = [];
  const take = (o: string, n: string, how: PairReason, similarity: number) => {
    pairs.push({ old: o, new: n, how, similarity });
    oldLeft.delete(o);
    newLeft.delete(n);
  };
  const forcedNew = new Set<string>();
  for (const [n, o] of Object.entries(overrides.tables ?? {})) {
    if (!newLeft.has(n)) continue;
    if (o === null) {
      newLeft.delete(n);
      forcedNew.add(n);
    } else if (oldLeft.has(o)) take(o, n, 'override', computeTableSimilarity(oldInv, o, newInv, n));
  }
  for (const n of [...newLeft]) if (oldLeft.has(n)) take(n, n, 'name', 1);
  const candidates: { o: string; n: string; s: number }[] = [];
  for (const n of newLeft) for (const o of oldLeft) candidates.push({ o, n, s: computeTableSimilarity(oldInv, o, newInv, n) });
  candidates.sort((x, y) => y.s - x.s);
  for (const { o, n, s } of candidates) {
    if (s < tableSimilarity) break;
    if (oldLeft.has(o) && newLeft.has(n)) take(o, n, 'similarity', s);
  }
  const tables: TablePair[] = pairs.map((p) => ({
    ...p,
    ...matchColumns(columnsOf(oldInv, p.old), columnsOf(newInv, p.new), overrides.columns?.[p.new], renameSimilarity),
  }));
  const order = new Map(newInv.tables.map((t, i) => [t.name, i]));
  tables.sort((x, y) => order.get(x.new)! - order.get(y.new)!);
  return {
    score: scoreInventoryMatch(oldInv, newInv),
    tables,
    addedTables: newInv.tables.filter((t) => newLeft.has(t.name) || forcedNew.has(t.name)).map((t) => t.name),
    removedTables: [...oldLeft],
  };
}

/**
 * How likely `newInv` is a later version of `oldInv`, 0..1: same dataset name (0.2), shared table
 * names (0.3) and shared column fingerprints `table.column:type` (0.5), name-normalised.
 */
export function scoreInventoryMatch(oldInv: Inventory, newInv: Inventory): number {
  const jaccard = (a: Set<string>, b: Set<string>) => {
    const u = new Set([...a, ...b]).size;
    return u ? [...a].filter((x) => b.has(x)).length / u : 0;
  };
  const tables = (inv: Inventory) => new Set(inv.tables.map((t) => normaliseName(t.name.replace(/\d+/g, ''))));
  const prints = (inv: Inventory) => new Set(inv.columns.map((c) => `${normaliseName(c.table.replace(/\d+/g, ''))}.${normaliseName(c.name)}:${typeFamily(c.physicalType)}`));
  const sameName = normaliseName(oldInv.import.name.replace(/\d+/g, '')) === normaliseName(newInv.import.name.replace(/\d+/g, '')) ? 1 : 0;
  return 0.2 * sameName + 0.3 * jaccard(tables(oldInv), tables(newInv)) + 0.5 * jaccard(prints(oldInv), prints(newInv));
}

/**
 * The earlier import a new one is most likely a version of: best `scoreInventoryMatch` at or above
 * `minScore` (default 0.5), the most recent on ties; null when none qualifies.
 */
export function pickPreviousImport(candidates: Inventory[], next: Inventory, minScore = 0.5): { inventory: Inventory; score: number } | null {
  let best: { inventory: Inventory; score: number } | null = null;
  for (const c of candidates) {
    if (c.import.id === next.import.id) continue;
    const score = scoreInventoryMatch(c, next);
    if (score < minScore) continue;
    if (!best || score > best.score + 1e-9 || (Math.abs(score - best.score) <= 1e-9 && c.import.createdAt > best.inventory.import.createdAt)) {
      best = { inventory: c, score };
    }
  }
  return best;
}
