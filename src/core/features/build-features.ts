// Builds the feature tables in the engine as of a cut-off (rows strictly before it), then measures
// each column's null rate and distinct count for the data dictionary. Engine tables are created
// under a prefix so the CLI can COPY them out and the worker can read them.
import { throwIfAborted } from '../errors.ts';
import { ident, type SqlEngine } from '../engine/sql-engine.ts';
import type { Inventory } from '../types.ts';
import { buildBaseSql, buildItemSql, buildUserCategorySql, buildUserSql, type FeatureTableSql } from './build-sql.ts';
import { detectFeatureSources } from './detect-sources.ts';
import { FeaturesError, type FeatureBuild, type FeatureBuildOptions, type FeatureColumn, type FeatureSources, type FeatureSpan, type FeatureTable } from './types.ts';

/** Progress of a feature build, one event per step. */
export type FeatureProgress = { kind: 'features'; step: 'detect' | 'span' | 'table' | 'measure' | 'done'; table?: string; done: number; total: number };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Validates `YYYY-MM-DD` (a real calendar day). */
export function isIsoDay(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Adds `n` days to an ISO day. */
export function addDays(day: string, n: number): string {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** First and last order time, and the default cut-off (the day after the last order). */
export async function readSpan(engine: SqlEngine, s: FeatureSources): Promise<FeatureSpan> {
  if (!s.time) return { first: null, last: null, defaultCutoff: null };
  const base = buildBaseSql(s, {});
  const [r] = await engine.query<{ first: string | null; last: string | null; next: string | null }>(
    `SELECT strftime(min(ts), '%Y-%m-%d %H:%M:%S') AS first, strftime(max(ts), '%Y-%m-%d %H:%M:%S') AS last, ` +
      `strftime(CAST(max(ts) AS DATE) + INTERVAL 1 DAY, '%Y-%m-%d') AS next FROM (${base.sql})`,
  );
  if (!r?.first) throw new FeaturesError('EMPTY_BEFORE_CUTOFF', `${s.time.table}.${s.time.column} is null or unparseable on every order line; pick an export with order times.`);
  return { first: r.first, last: r.last, defaultCutoff: r.next };
}

/**
 * The cut-off to use: the requested day when it lies inside the span (after the first order and at most
 * the day after the last), else a typed CUTOFF_OUT_OF_SPAN; the default when none is asked for.
 */
export function resolveCutoff(span: FeatureSpan, requested: string | undefined): string | null {
  if (requested !== undefined && !isIsoDay(requested)) throw new FeaturesError('BAD_CUTOFF', `cut-off "${requested}" is not a date written YYYY-MM-DD.`);
  if (!span.first || !span.defaultCutoff) return null;
  if (requested === undefined) return span.defaultCutoff;
  const firstDay = span.first.slice(0, 10);
  if (requested <= firstDay) throw new FeaturesError('CUTOFF_OUT_OF_SPAN', `cut-off ${requested} is on or before the first order (${span.first}): no rows lie strictly before it. Pick a day after ${firstDay}.`);
  if (requested > span.defaultCutoff) throw new FeaturesError('CUTOFF_OUT_OF_SPAN', `cut-off ${requested} is after the data ends (last order ${span.last}); the latest useful cut-off is ${span.defaultCutoff}.`);
  return requested;
}

/** Decimal places kept on double features. */
export const DOUBLE_DIGITS = 6;

/**
 * The table's SELECT with doubles rounded: parallel aggregation adds floats in varying order, and
 * rounding keeps the output byte-identical between runs (and so point-in-time comparable).
 */
export function finalSelect(t: FeatureTableSql): string {
  const cols = t.features.map((f) => (f.type === 'double' ? `round(${ident(f.name)}, ${DOUBLE_DIGITS}) AS ${ident(f.name)}` : ident(f.name)));
  return `SELECT ${cols.join(', ')} FROM (${t.sql}) ORDER BY ${t.key.split(',').map(ident).join(', ')}`;
}

/** Measures rows, null rate and distinct count of every column of a built table. */
async function measure(engine: SqlEngine, table: string, t: FeatureTableSql): Promise<{ rows: number; columns: FeatureColumn[] }> {
  const parts = ['count(*) AS n'];
  t.features.forEach((f, i) => parts.push(`count(${ident(f.name)}) AS nn${i}`, `count(DISTINCT ${ident(f.name)}) AS d${i}`));
  const [r] = await engine.query(`SELECT ${parts.join(', ')} FROM ${ident(table)}`);
  const rows = Number(r.n);
  const columns = t.features.map((f, i): FeatureColumn => ({
    name: f.name,
    description: f.en,
    descriptionZh: f.zh,
    sql: f.sql,
    sources: f.sources,
    type: f.type,
    timeFiltered: f.timeFiltered,
    ...(f.isKey ? { isKey: true } : {}),
    ...(f.leakRisk ? { leakRisk: f.leakRisk } : {}),
    nullRate: rows ? 1 - Number(r[`nn${i}`]) / rows : 0,
    distinct: Number(r[`d${i}`]),
  }));
  return { rows, columns };
}

/** The SQL of every feature table for the given sources and cut-off, before anything runs. */
export function planFeatureTables(s: FeatureSources, cutoff: string | null, options: FeatureBuildOptions): FeatureTableSql[] {
  const o = { cutoff, affinityK: options.affinityK ?? 5, sentiment: options.sentiment, attributes: options.attributes };
  return [buildItemSql(s, o), buildUserSql(s, o), buildUserCategorySql(s, o)].filter((x): x is FeatureTableSql => x !== null);
}

/**
 * Builds item features, user profiles and user × category affinities as of `options.cutoff` into
 * engine tables `<prefix>_<name>`, and returns them with the measured dictionary.
 */
export async function buildFeatures(
  engine: SqlEngine,
  inv: Inventory,
  options: FeatureBuildOptions = {},
  onProgress?: (e: FeatureProgress) => void,
  signal?: AbortSignal,
): Promise<FeatureBuild> {
  onProgress?.({ kind: 'features', step: 'detect', done: 0, total: 1 });
  const detected = detectFeatureSources(inv);
  if (!detected.ok) throw new FeaturesError(detected.code, detected.message);
  return buildFeaturesFromSources(engine, detected.sources, options, onProgress, signal);
}

/**
 * The build once the sources are known: span, cut-off, tables and their measurement. Takes plain
 * sources so the benchmark runs the very same statements on native DuckDB and DuckDB-WASM.
 */
export async function buildFeaturesFromSources(
  engine: SqlEngine,
  s: FeatureSources,
  options: FeatureBuildOptions = {},
  onProgress?: (e: FeatureProgress) => void,
  signal?: AbortSignal,
): Promise<FeatureBuild> {
  const started = Date.now();
  // Tagged brands ride on the sources so every statement over the base (quality, drift) sees them.
  if (options.brandTags && s.product) s = { ...s, product: { ...s.product, brandTags: options.brandTags } };
  // Predicted categories only fill a category column the export has (they are predictions of it).
  if (options.categoryTags && s.product?.category) s = { ...s, product: { ...s.product, categoryTags: options.categoryTags } };
  const notes = s.product?.brandTags ? s.notes.filter((n) => !n.startsWith('No brand column')) : [...s.notes];
  onProgress?.({ kind: 'features', step: 'span', done: 0, total: 1 });
  const span = await readSpan(engine, s);
  if (!s.time && options.cutoff) notes.push(`No timestamp column: the requested cut-off ${options.cutoff} cannot be applied; features use all rows.`);
  const cutoff = resolveCutoff(span, options.cutoff);
  if (cutoff && !options.cutoff) notes.push(`Cut-off: ${cutoff}, the day after the last order (${span.last}).`);
  if (options.sentiment && !s.reviews?.id) notes.push('A sentiment table was given but the reviews have no id to join it to: sentiment share is left out.');
  else if (!options.sentiment && s.reviews) notes.push('No sentiment tag table supplied: sentiment share is left out.');
  if (!options.attributes) notes.push('No attribute tag table supplied: attribute tag count is left out.');
  if (s.product?.categoryTags) notes.push(`Category: ${s.product.table}.${s.product.category}, with gaps filled by the categories a Tagging classifier predicted.`);
  if (s.product?.brandTags) notes.push(s.product.brand ? `Brand: ${s.product.table}.${s.product.brand}, with gaps filled by the brands tagged in the titles.` : 'Brand: the brands tagged in the titles (the export has no brand column).');
  const plans = planFeatureTables(s, cutoff, options);
  const prefix = options.tablePrefix ?? '__features';
  const tables: FeatureTable[] = [];
  const engineTables: Record<string, string> = {};
  for (const [i, t] of plans.entries()) {
    throwIfAborted(signal);
    onProgress?.({ kind: 'features', step: 'table', table: t.name, done: i, total: plans.length });
    const name = `${prefix}_${t.name}`;
    await engine.query(`CREATE OR REPLACE TABLE ${ident(name)} AS ${finalSelect(t)}`);
    throwIfAborted(signal);
    onProgress?.({ kind: 'features', step: 'measure', table: t.name, done: i, total: plans.length });
    const m = await measure(engine, name, t);
    engineTables[t.name] = name;
    tables.push({ name: t.name, entity: t.entity, key: t.key, rows: m.rows, cutoff, sql: finalSelect(t), columns: m.columns });
  }
  const users = tables.find((t) => t.entity === 'user');
  if (cutoff && users && users.rows === 0) throw new FeaturesError('EMPTY_BEFORE_CUTOFF', `no order lines with a user lie strictly before ${cutoff}.`);
  onProgress?.({ kind: 'features', step: 'done', done: plans.length, total: plans.length });
  const keyUsed = `${s.user.table}.${s.user.column} (${s.user.kind === 'person' ? 'person key' : s.user.kind === 'per-order' ? 'per-order key: no person key found' : 'user id'})`;
  return { sources: s, span, cutoff, keyUsed, tables, engineTables, notes, durationMs: Date.now() - started };
}

/** Drops the engine tables of a build. */
export async function dropFeatureTables(engine: SqlEngine, build: Pick<FeatureBuild, 'engineTables'>): Promise<void> {
  for (const name of Object.values(build.engineTables)) await engine.query(`DROP TABLE IF EXISTS ${ident(name)}`);
}
