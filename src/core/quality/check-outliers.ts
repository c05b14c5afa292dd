// Outliers by robust fences: median ± 3.5 MAD/0.6745 (the modified z-score), falling back to
// Tukey's far-out IQR fences (Q1 − 3 IQR, Q3 + 3 IQR) when MAD is zero; on log scale for price-like
// columns whose values are positive, since prices spread multiplicatively. Optionally per group.
import { ident } from '../engine/sql-engine.ts';
import type { ColumnProfile } from '../types.ts';
import { buildPredicateIssue, columnsOf, isCodeLike, isIdLike, isNumeric, isPriceLike, isRatingLike, type CheckContext } from './check-context.ts';
import type { OutlierGroup, QualityIssue } from './types.ts';

export const MAD_Z = 3.5;
export const MAD_SCALE = 0.6745;
export const IQR_K = 3;
const MIN_VALUES = 20;
/** Price-like columns go on log scale when at least this share of values is positive. */
const LOG_POSITIVE_SHARE = 0.9;

export interface Fences {
  lower: number | null;
  upper: number | null;
  method: 'mad' | 'iqr';
  log: boolean;
  center: number;
}

/** A JS number as a DuckDB DOUBLE literal. */
function num(x: number): string {
  return `CAST(${String(x)} AS DOUBLE)`;
}

function isOutlierCandidate(c: ColumnProfile): boolean {
  return isNumeric(c) && !isIdLike(c) && !isCodeLike(c) && !isRatingLike(c) && !['latitude', 'longitude', 'boolean'].includes(c.semanticType) && !/(^year$|_year$|lat$|lng$|lon$|latitude|longitude|sequential|_seq$)/i.test(c.name);
}

/** Computes fences for one numeric column, or null when there are too few values or no spread. */
export async function computeFences(ctx: CheckContext, table: string, column: string, log: boolean): Promise<Fences | null> {
  const col = ident(column);
  const x = log ? `ln(${col})` : `CAST(${col} AS DOUBLE)`;
  const base = `SELECT ${x} AS x FROM ${ident(table)} WHERE ${col} IS NOT NULL${log ? ` AND ${col} > 0` : ''}`;
  const [s] = await ctx.engine.query<{ n: number; med: number; q1: number; q3: number }>(
    `SELECT count(*) AS n, median(x) AS med, quantile_cont(x, 0.25) AS q1, quantile_cont(x, 0.75) AS q3 FROM (${base})`,
  );
  if (Number(s.n) < MIN_VALUES) return null;
  const med = Number(s.med);
  const [{ mad }] = await ctx.engine.query<{ mad: number }>(`SELECT median(abs(x - ${num(med)})) AS mad FROM (${base})`);
  const back = (v: number): number => (log ? Math.exp(v) : v);
  if (Number(mad) > 0) {
    const w = (MAD_Z * Number(mad)) / MAD_SCALE;
    return { lower: back(med - w), upper: back(med + w), method: 'mad', log, center: back(med) };
  }
  const iqr = Number(s.q3) - Number(s.q1);
  if (iqr > 0) return { lower: back(Number(s.q1) - IQR_K * iqr), upper: back(Number(s.q3) + IQR_K * iqr), method: 'iqr', log, center: back(med) };
  return null;
}

/** SQL predicate: the column lies outside the fences. */
export function outsideFencesSql(column: string, f: Fences): string {
  const col = ident(column);
  const parts = [];
  if (f.upper !== null) parts.push(`${col} > ${num(f.upper)}`);
  if (f.lower !== null) parts.push(`${col} < ${num(f.lower)}`);
  // On log scale only positive values were measured; zero and negatives are validity's business.
  return `(${parts.join(' OR ')})${f.log ? ` AND ${col} > 0` : ''}`;
}

function fenceText(f: Fences): string {
  const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Number(v.toPrecision(6)).toString());
  const how = f.method === 'mad' ? `median ${fmt(f.center)} ± ${MAD_Z}·MAD/${MAD_SCALE}` : `Q1/Q3 ∓ ${IQR_K}·IQR`;
  return `< ${fmt(f.lower!)} or > ${fmt(f.upper!)} (${how}${f.log ? ', log scale' : ''})`;
}

async function checkGroup(ctx: CheckContext, g: OutlierGroup): Promise<QualityIssue | null> {
  const t = ident(g.table);
  const col = ident(g.column);
  const by = ident(g.by);
  const c = columnsOf(ctx, g.table).find((x) => x.name === g.column);
  const log = !!c && isPriceLike(c);
  const x = (ref: string) => (log ? `ln(${ref})` : `CAST(${ref} AS DOUBLE)`);
  const base = `SELECT ${by} AS g, ${x(col)} AS x FROM ${t} WHERE ${col} IS NOT NULL${log ? ` AND ${col} > 0` : ''}`;
  const stats = `SELECT b.g, m.med, median(abs(b.x - m.med)) AS mad, count(*) AS n FROM (${base}) b JOIN (SELECT g, median(x) AS med FROM (${base}) GROUP BY g) m ON b.g IS NOT DISTINCT FROM m.g GROUP BY b.g, m.med`;
  const outer = `${t}.${col}`;
  const where = `EXISTS (SELECT 1 FROM (${stats}) s WHERE s.g IS NOT DISTINCT FROM ${t}.${by} AND s.n >= ${MIN_VALUES} AND s.mad > 0 AND abs(${x(outer)} - s.med) > ${MAD_Z} * s.mad / ${MAD_SCALE})${log ? ` AND ${outer} > 0` : ''}`;
  return buildPredicateIssue(ctx, {
    table: g.table, column: g.column, dimension: 'outlier', code: `outlier-by:${g.by}`, severity: 'info',
    rule: `Outliers within each ${g.by} (cells)`, where,
    threshold: `|x − median| > ${MAD_Z}·MAD/${MAD_SCALE} within each ${g.by}${log ? ', log scale' : ''}`,
  });
}

export async function checkOutliers(ctx: CheckContext, table: string, groups: OutlierGroup[] = []): Promise<QualityIssue[]> {
  const out: (QualityIssue | null)[] = [];
  for (const c of columnsOf(ctx, table).filter(isOutlierCandidate)) {
    let log = false;
    if (isPriceLike(c)) {
      const [{ pos, nn }] = await ctx.engine.query<{ pos: number; nn: number }>(`SELECT count(*) FILTER (WHERE ${ident(c.name)} > 0) AS pos, count(${ident(c.name)}) AS nn FROM ${ident(table)}`);
      // Negative prices are a validity defect, not a reason to give up the log scale.
      log = Number(nn) > 0 && Number(pos) >= LOG_POSITIVE_SHARE * Number(nn);
    }
    const f = await computeFences(ctx, table, c.name, log);
    if (!f) continue;
    const where = outsideFencesSql(c.name, f);
    out.push(await buildPredicateIssue(ctx, {
      table, column: c.name, dimension: 'outlier', code: 'outlier', severity: 'info',
      rule: 'Outliers beyond robust fences (cells)', where, threshold: fenceText(f),
      sampleExtra: `CASE WHEN ${ident(c.name)} > ${num(f.upper!)} THEN '> ${f.upper}' ELSE '< ${f.lower}' END AS threshold_crossed`,
      extra: { fences: { lower: f.lower, upper: f.upper, method: f.method, log: f.log } },
    }));
  }
  for (const g of groups.filter((x) => x.table === table)) out.push(await checkGroup(ctx, g));
  return out.filter((i): i is QualityIssue => i !== null);
}
