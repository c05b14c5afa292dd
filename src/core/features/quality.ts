// Feature quality per table: null and constant shares, redundant pairs (|Pearson| over a threshold),
// leakage warnings (a single feature that predicts the target too well, or rows that may lie after the
// cut-off), drift between two cut-offs (PSI from the monitoring measures), and permutation importance
// on the baseline model for a target the user picks.
import { ident, type SqlEngine } from '../engine/sql-engine.ts';
import { computeJensenShannon, computePsi } from '../monitor/drift.ts';
import { QUANTILE_LEVELS, type Inventory } from '../types.ts';
import { computeAuc, computePearson, computePermutationImportance, type ImportanceResult, type TargetKind } from './baseline-model.ts';
import { addDays, buildFeatures, dropFeatureTables } from './build-features.ts';
import { buildBaseSql } from './build-sql.ts';
import { FeaturesError, type FeatureBuild, type FeatureBuildOptions, type FeatureColumn, type FeatureTable } from './types.ts';

/** What to predict: a repeat purchase or next-period demand after the cut-off, or a column of the table. */
export type FeatureTarget =
  | { kind: 'repeat-purchase'; days: number }
  | { kind: 'item-demand'; days: number }
  | { kind: 'column'; table: string; column: string };

/** Parses `repeat90`, `repeat:90`, `demand:30`, `user_profiles.monetary` (or `table:column`). */
export function parseTarget(text: string): FeatureTarget {
  const t = text.trim();
  let m = /^repeat(?:[:_-]?(\d+))?d?$/i.exec(t);
  if (m) return { kind: 'repeat-purchase', days: Number(m[1] ?? 90) };
  m = /^demand(?:[:_-]?(\d+))?d?$/i.exec(t);
  if (m) return { kind: 'item-demand', days: Number(m[1] ?? 90) };
  m = /^([\w]+)[.:]([\w]+)$/.exec(t);
  if (m) return { kind: 'column', table: m[1], column: m[2] };
  throw new FeaturesError('UNKNOWN_TARGET', `target "${text}" is not one of repeat[:days], demand[:days] or <table>.<column>.`);
}

/** The feature table a target applies to. */
export function targetTable(target: FeatureTarget): string {
  return target.kind === 'repeat-purchase' ? 'user_profiles' : target.kind === 'item-demand' ? 'item_features' : target.table;
}

/** Human-readable target, for the UI and the JSON. */
export function describeTarget(target: FeatureTarget): string {
  return target.kind === 'repeat-purchase' ? `user buys again in the ${target.days} days after the cut-off`
    : target.kind === 'item-demand' ? `orders of the item in the ${target.days} days after the cut-off`
    : `${target.table}.${target.column}`;
}

export interface ColumnQuality {
  name: string;
  nullShare: number;
  /** Share of rows holding the most common value (nulls count as a value). */
  constantShare: number;
  isConstant: boolean;
  /** Partners with |r| above the threshold. */
  redundantWith: string[];
  /** Why this feature may leak, if it may. */
  leakage: string[];
  /** Single-feature AUC (binary target, max(AUC, 1 − AUC)) or R² (numeric target). */
  singleScore?: number;
}

export interface TargetResult {
  description: string;
  kind: TargetKind;
  rows: number;
  /** Binary targets: share of positives. */
  positiveShare?: number;
  importance: ImportanceResult;
}

export interface TableQuality {
  table: string;
  columns: ColumnQuality[];
  redundantPairs: { a: string; b: string; r: number }[];
  /** Measured: the latest order time any feature read, which must be before the cut-off. */
  timeCheck: { cutoff: string; latestRowUsed: string | null; ok: boolean } | null;
  target?: TargetResult;
  notes: string[];
}

export interface QualityOptions {
  target?: FeatureTarget;
  redundancyThreshold?: number;
  leakageThreshold?: number;
  seed?: number;
  /** Rows read into the model (a deterministic hash sample beyond this). */
  maxRows?: number;
}

/** Fewest rows where both features are present for a correlation to count as redundancy. */
const MIN_PAIRED_ROWS = 30;

const isNumeric = (c: FeatureColumn) => !c.isKey && (c.type === 'integer' || c.type === 'double');

/** The target column `y` per key, as SQL over the built table `t`. */
function targetSql(build: FeatureBuild, table: FeatureTable, engineTable: string, target: FeatureTarget): string {
  if (target.kind === 'column') {
    const col = table.columns.find((c) => c.name === target.column);
    if (!col) throw new FeaturesError('UNKNOWN_TARGET', `${table.name} has no column ${target.column}; columns: ${table.columns.map((c) => c.name).join(', ')}.`);
    if (!isNumeric(col)) throw new FeaturesError('UNKNOWN_TARGET', `${table.name}.${target.column} is not numeric.`);
    return `SELECT *, CAST(${ident(col.name)} AS DOUBLE) AS __y FROM ${ident(engineTable)} WHERE ${ident(col.name)} IS NOT NULL`;
  }
  if (!build.cutoff || !build.sources.time) throw new FeaturesError('UNKNOWN_TARGET', `${describeTarget(target)} needs order times, and this export has none.`);
  const after = buildBaseSql(build.sources, { from: build.cutoff, to: addDays(build.cutoff, target.days) }).sql;
  if (target.kind === 'repeat-purchase') {
    if (table.entity !== 'user') throw new FeaturesError('UNKNOWN_TARGET', 'a repeat-purchase target applies to user_profiles.');
    return `SELECT t.*, CASE WHEN a.user_id IS NULL THEN 0.0 ELSE 1.0 END AS __y FROM ${ident(engineTable)} t LEFT JOIN (SELECT DISTINCT user_id FROM (${after})) a USING (user_id)`;
  }
  if (table.entity !== 'item') throw new FeaturesError('UNKNOWN_TARGET', 'an item-demand target applies to item_features.');
  return `SELECT t.*, coalesce(a.n, 0)::DOUBLE AS __y FROM ${ident(engineTable)} t LEFT JOIN (SELECT item_id, count(DISTINCT order_id) AS n FROM (${after}) GROUP BY 1) a USING (item_id)`;
}

/** Measures quality of one built table, with the target's leakage and importance when one is given. */
export async function assessTableQuality(engine: SqlEngine, build: FeatureBuild, tableName: string, options: QualityOptions = {}): Promise<TableQuality> {
  const table = build.tables.find((t) => t.name === tableName);
  const engineTable = build.engineTables[tableName];
  if (!table || !engineTable) throw new FeaturesError('UNKNOWN_TARGET', `no feature table ${tableName}.`);
  const threshold = options.redundancyThreshold ?? 0.95;
  const leakThreshold = options.leakageThreshold ?? 0.98;
  const notes: string[] = [];
  const cols = table.columns.filter((c) => !c.isKey);
  const numeric = cols.filter(isNumeric);

  // Constant share: the modal value's share, nulls counted as one value.
  const modal = cols.length && table.rows
    ? (await engine.query(`SELECT ${cols.map((c, i) => `(SELECT max(n) FROM (SELECT count(*) AS n FROM ${ident(engineTable)} GROUP BY ${ident(c.name)})) AS m${i}`).join(', ')}`))[0]
    : {};
  // Redundancy: Pearson over all rows, computed by the engine.
  const pairs: [number, number][] = [];
  for (let a = 0; a < numeric.length; a++) for (let b = a + 1; b < numeric.length; b++) pairs.push([a, b]);
  const corr = pairs.length && table.rows
    ? (await engine.query(`SELECT ${pairs.map(([a, b], k) => `corr(CAST(${ident(numeric[a].name)} AS DOUBLE), CAST(${ident(numeric[b].name)} AS DOUBLE)) AS c${k}, regr_count(CAST(${ident(numeric[a].name)} AS DOUBLE), CAST(${ident(numeric[b].name)} AS DOUBLE)) AS n${k}`).join(', ')} FROM ${ident(engineTable)}`))[0]
    : {};
  const redundantPairs = pairs
    .map(([a, b], k) => ({ a: numeric[a].name, b: numeric[b].name, r: Number(corr[`c${k}`]), n: Number(corr[`n${k}`]) }))
    // Pairs seen together on only a few rows (sparse favourites) give chance correlations near ±1.
    .filter((p) => Number.isFinite(p.r) && p.n >= MIN_PAIRED_ROWS && Math.abs(p.r) >= threshold)
    .map(({ a, b, r }) => ({ a, b, r }))
    .sort((x, y) => Math.abs(y.r) - Math.abs(x.r) || x.a.localeCompare(y.a));

  const columns: ColumnQuality[] = cols.map((c, i) => {
    const constantShare = table.rows ? Number(modal[`m${i}`] ?? 0) / table.rows : 1;
    return {
      name: c.name,
      nullShare: c.nullRate,
      constantShare,
      isConstant: c.distinct <= 1,
      redundantWith: redundantPairs.filter((p) => p.a === c.name || p.b === c.name).map((p) => (p.a === c.name ? p.b : p.a)),
      leakage: c.leakRisk ? [c.leakRisk] : [],
    };
  });

  // Time check: the latest order time any feature read, measured, must lie before the cut-off.
  let timeCheck: TableQuality['timeCheck'] = null;
  if (build.cutoff && build.sources.time) {
    const [r] = await engine.query<{ m: string | null }>(`SELECT strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS m FROM (${buildBaseSql(build.sources, { to: build.cutoff }).sql})`);
    const ok = r.m === null || r.m < build.cutoff + ' 00:00:00';
    timeCheck = { cutoff: build.cutoff, latestRowUsed: r.m, ok };
    if (!ok) for (const c of columns) if (table.columns.find((x) => x.name === c.name)?.timeFiltered) c.leakage.push(`reads a row at ${r.m}, not before the cut-off ${build.cutoff}.`);
  } else notes.push('No timestamp: the leakage check on time is off.');

  let target: TargetResult | undefined;
  if (options.target && targetTable(options.target) === table.name) {
    const t = options.target;
    const sql = targetSql(build, table, engineTable, t);
    const predictors = numeric.filter((c) => !(t.kind === 'column' && c.name === t.column));
    if (t.kind === 'column') notes.push(`Target ${table.name}.${t.column} is left out of the predictors.`);
    const textCols = cols.filter((c) => !isNumeric(c)).map((c) => c.name);
    if (textCols.length) notes.push(`The baseline model uses numeric features only; left out: ${textCols.join(', ')}.`);
    const maxRows = options.maxRows ?? 20_000;
    const rows = await engine.query(`SELECT ${predictors.map((c) => `CAST(${ident(c.name)} AS DOUBLE) AS ${ident(c.name)}`).join(', ')}${predictors.length ? ', ' : ''}__y FROM (${sql}) ORDER BY hash(${table.key.split(',').map(ident).join(', ')}), ${table.key.split(',').map(ident).join(', ')} LIMIT ${maxRows}`);
    const y = Float64Array.from(rows, (r) => Number(r.__y));
    const kind: TargetKind = t.kind === 'repeat-purchase' ? 'binary' : [...new Set(y)].every((v) => v === 0 || v === 1) && t.kind === 'column' ? 'binary' : 'numeric';
    const distinctY = new Set(y).size;
    if (distinctY < 2) {
      throw new FeaturesError('ONE_CLASS_TARGET', `${describeTarget(t)} has a single value (${y.length ? y[0] : 'no rows'}) over ${y.length} rows${t.kind !== 'column' && build.span.defaultCutoff && addDays(build.cutoff!, 0) >= build.span.defaultCutoff ? ': the cut-off is at the end of the data, so nothing happens after it — pick an earlier cut-off' : ''}.`);
    }
    if (rows.length < 20) throw new FeaturesError('TOO_FEW_ROWS', `${rows.length} rows are too few to fit the baseline model for ${describeTarget(t)}.`);
    if (t.kind !== 'column' && build.span.defaultCutoff && addDays(build.cutoff!, t.days) > build.span.defaultCutoff) {
      notes.push(`The ${t.days}-day target window runs past the data's end (${build.span.last}); fewer events are observed than the window implies.`);
    }
    const design = { names: predictors.map((c) => c.name), columns: predictors.map((c) => Float64Array.from(rows, (r) => (r[c.name] === null ? NaN : Number(r[c.name])))), y };
    for (const [j, c] of predictors.entries()) {
      const col = design.columns[j];
      let single: number;
      if (kind === 'binary') {
        const filled = Float64Array.from(col, (v) => (Number.isFinite(v) ? v : -Infinity));
        const auc = computeAuc(filled, y);
        single = Math.max(auc, 1 - auc);
      } else {
        const r = computePearson(col, y);
        single = r * r;
      }
      const q = columns.find((x) => x.name === c.name)!;
      if (Number.isFinite(single)) {
        q.singleScore = single;
        if (single >= leakThreshold) q.leakage.push(`alone it ${kind === 'binary' ? `reaches AUC ${single.toFixed(3)}` : `explains R² ${single.toFixed(3)}`} for ${describeTarget(t)} (≥ ${leakThreshold}): suspiciously good, check it is not computed from the target.`);
      }
    }
    const importance = computePermutationImportance(design, kind, { seed: options.seed ?? 42 });
    target = { description: describeTarget(t), kind, rows: rows.length, ...(kind === 'binary' ? { positiveShare: y.reduce((a, b) => a + b, 0) / y.length } : {}), importance };
  }
  return { table: table.name, columns, redundantPairs, timeCheck, target, notes };
}

export interface FeatureDrift {
  name: string;
  measure: 'psi' | 'jensen-shannon';
  value: number;
  verdict: 'stable' | 'moderate' | 'major';
}

export interface CutoffDrift {
  from: string;
  to: string;
  tables: { table: string; features: FeatureDrift[] }[];
}

function verdictOf(measure: FeatureDrift['measure'], v: number): FeatureDrift['verdict'] {
  // PSI's usual reading (0.1 / 0.25); for JS distance the same words at 0.1 / 0.2.
  const [lo, hi] = measure === 'psi' ? [0.1, 0.25] : [0.1, 0.2];
  return v < lo ? 'stable' : v < hi ? 'moderate' : 'major';
}

/**
 * Builds the features at two cut-offs and compares each feature's distribution: PSI for numbers (from
 * quantiles at the monitoring levels), Jensen–Shannon distance over the top 20 values for text.
 */
export async function compareCutoffs(engine: SqlEngine, inv: Inventory, from: string, to: string, options: FeatureBuildOptions = {}): Promise<CutoffDrift> {
  const a = await buildFeatures(engine, inv, { ...options, cutoff: from, tablePrefix: '__features_drift_a' });
  const b = await buildFeatures(engine, inv, { ...options, cutoff: to, tablePrefix: '__features_drift_b' });
  try {
    const tables: CutoffDrift['tables'] = [];
    for (const ta of a.tables) {
      const tb = b.tables.find((t) => t.name === ta.name);
      if (!tb) continue;
      const features: FeatureDrift[] = [];
      const shared = ta.columns.filter((c) => !c.isKey && tb.columns.some((x) => x.name === c.name));
      const nums = shared.filter(isNumeric);
      const levels = `[${QUANTILE_LEVELS.join(', ')}]`;
      const q = async (table: string) =>
        nums.length ? (await engine.query(`SELECT ${nums.map((c, i) => `quantile_cont(CAST(${ident(c.name)} AS DOUBLE), ${levels}) AS q${i}`).join(', ')} FROM ${ident(table)}`))[0] : {};
      const [qa, qb] = [await q(a.engineTables[ta.name]), await q(b.engineTables[ta.name])];
      nums.forEach((c, i) => {
        const oldQ = qa[`q${i}`] as number[] | null;
        const newQ = qb[`q${i}`] as number[] | null;
        if (!oldQ || !newQ) return;
        const value = computePsi(oldQ.map(Number), newQ.map(Number));
        features.push({ name: c.name, measure: 'psi', value, verdict: verdictOf('psi', value) });
      });
      for (const c of shared.filter((x) => !isNumeric(x))) {
        const top = async (table: string) => {
          const rows = await engine.query<{ v: string; n: number }>(`SELECT CAST(${ident(c.name)} AS VARCHAR) AS v, count(*) AS n FROM ${ident(table)} WHERE ${ident(c.name)} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`);
          const [t] = await engine.query<{ n: number }>(`SELECT count(${ident(c.name)}) AS n FROM ${ident(table)}`);
          return { map: new Map(rows.map((r) => [r.v, Number(r.n)])), total: Number(t.n) };
        };
        const [ra, rb] = [await top(a.engineTables[ta.name]), await top(b.engineTables[ta.name])];
        if (!ra.total || !rb.total) continue;
        const keys = [...new Set([...ra.map.keys(), ...rb.map.keys()])];
        const side = (s: typeof ra) => {
          const shares = keys.map((k) => (s.map.get(k) ?? 0) / s.total);
          return [...shares, Math.max(0, 1 - shares.reduce((x, y) => x + y, 0))];
        };
        const value = computeJensenShannon(side(ra), side(rb));
        features.push({ name: c.name, measure: 'jensen-shannon', value, verdict: verdictOf('jensen-shannon', value) });
      }
      features.sort((x, y) => y.value - x.value || x.name.localeCompare(y.name));
      tables.push({ table: ta.name, features });
    }
    return { from: a.cutoff ?? from, to: b.cutoff ?? to, tables };
  } finally {
    await dropFeatureTables(engine, a);
    await dropFeatureTables(engine, b);
  }
}
