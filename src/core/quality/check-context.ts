// Shared plumbing of the quality checks: the context they run in, column classification by type and
// name, and the one way a row predicate becomes an issue with an exact count and masked samples.
import { ident } from '../engine/sql-engine.ts';
import type { Row, SqlEngine } from '../engine/sql-engine.ts';
import type { ColumnProfile, Inventory, TableProfile } from '../types.ts';
import { maskRows } from './mask-value.ts';
import type { QualityDimension, QualityIssue, QualitySeverity } from './types.ts';

export interface CheckContext {
  engine: SqlEngine;
  inventory: Inventory;
  now: number;
  earliestDate: string;
  signal?: AbortSignal;
}

export const SAMPLE_LIMIT = 5;

export function columnsOf(ctx: CheckContext, table: string): ColumnProfile[] {
  return ctx.inventory.columns.filter((c) => c.table === table).sort((a, b) => a.index - b.index);
}

export function tableOf(ctx: CheckContext, table: string): TableProfile | undefined {
  return ctx.inventory.tables.find((t) => t.name === table);
}

export const isText = (c: ColumnProfile): boolean => c.physicalType === 'varchar';
export const isNumeric = (c: ColumnProfile): boolean =>
  c.physicalType === 'integer' || c.physicalType === 'decimal' || c.physicalType === 'double';
export const isTemporal = (c: ColumnProfile): boolean => c.physicalType === 'date' || c.physicalType === 'timestamp';

const ID_NAME = /(^id$|_id$|^id_|_key$|^key$|uuid|guid|^sku$|_sku$|^asin$)/i;
const CAMEL_ID = /[a-z]Id$/;
export const isIdLike = (c: ColumnProfile): boolean => c.semanticType === 'id' || ID_NAME.test(c.name) || CAMEL_ID.test(c.name);
export const isPriceLike = (c: ColumnProfile): boolean =>
  c.semanticType === 'price' || /(price|amount|cost|freight|payment_value|revenue|total|subtotal|fee)/i.test(c.name);
export const isQuantityLike = (c: ColumnProfile): boolean =>
  c.semanticType === 'quantity' || /(^qty|_qty$|quantity|_count$|installments)/i.test(c.name);
export const isRatingLike = (c: ColumnProfile): boolean =>
  c.semanticType === 'rating' || /(rating|score|stars)/i.test(c.name);
export const isEmailLike = (c: ColumnProfile): boolean => c.semanticType === 'email' || /e_?mail/i.test(c.name);
export const isPhoneLike = (c: ColumnProfile): boolean => c.semanticType === 'phone' || /(phone|mobile|tel$|telephone)/i.test(c.name);
export const isZipLike = (c: ColumnProfile): boolean => c.semanticType === 'zip' || /(zip|postal|postcode|post_code|cep$)/i.test(c.name);
export const isCategoryLike = (c: ColumnProfile): boolean => c.semanticType === 'category' || /(category|categoria|brand|department|segment)/i.test(c.name);
export const isTitleLike = (c: ColumnProfile): boolean => c.semanticType === 'title' || /(title|product_name|^name$|item_name)/i.test(c.name);
/** Columns that are codes written with digits (a '0' there is a value, never a number stored as text). */
export const isCodeLike = (c: ColumnProfile): boolean =>
  isIdLike(c) || isZipLike(c) || isPhoneLike(c) || c.semanticType === 'code' || /(code|number|_no$|cpf|cnpj)/i.test(c.name);

/** A low-cardinality status-like column to break counts down by, if the table has one. */
export function findStatusColumn(ctx: CheckContext, table: string): ColumnProfile | undefined {
  return columnsOf(ctx, table).find((c) => isText(c) && /(status|state_?code|^state$|stage)$/i.test(c.name) && c.distinct <= 50 && !/customer|seller|geolocation/i.test(c.name));
}

export function severityForShare(share: number, isKey = false): QualitySeverity {
  if (isKey) return 'error';
  if (share >= 0.05) return 'warning';
  return 'info';
}

export async function countOf(engine: SqlEngine, sql: string): Promise<number> {
  const rows = await engine.query<{ n: number | string | null }>(sql);
  return Number(rows[0]?.n ?? 0);
}

export async function sampleRows(ctx: CheckContext, table: string, sql: string): Promise<Row[]> {
  return maskRows(await ctx.engine.query(sql), table, ctx.inventory.columns);
}

export interface PredicateSpec {
  table: string;
  column?: string;
  dimension: QualityDimension;
  code: string;
  rule: string;
  /** Row predicate over the table, e.g. `"price" < 0`. */
  where: string;
  severity?: QualitySeverity;
  /** Marks a key column: missing or broken values there are errors. */
  isKey?: boolean;
  threshold?: string;
  breakdownBy?: string;
  /** Extra columns to compute per sample row, e.g. the threshold crossed. */
  sampleExtra?: string;
  extra?: Partial<QualityIssue>;
}

export function issueId(dimension: QualityDimension, code: string, table: string, column?: string): string {
  return `${dimension}:${code}:${table}${column ? '.' + column : ''}`;
}

/** Counts the rows matching `spec.where` and, when there are any, returns the issue with samples. */
export async function buildPredicateIssue(ctx: CheckContext, spec: PredicateSpec): Promise<QualityIssue | null> {
  const t = ident(spec.table);
  const sql = `SELECT count(*) AS n FROM ${t} WHERE ${spec.where}`;
  const n = await countOf(ctx.engine, sql);
  if (n === 0) return null;
  const rowCount = tableOf(ctx, spec.table)?.rowCount ?? n;
  const extra = spec.sampleExtra ? `, ${spec.sampleExtra}` : '';
  const samples = await sampleRows(ctx, spec.table, `SELECT *${extra} FROM ${t} WHERE ${spec.where} LIMIT ${SAMPLE_LIMIT}`);
  const issue: QualityIssue = {
    id: issueId(spec.dimension, spec.code, spec.table, spec.column),
    table: spec.table,
    column: spec.column,
    dimension: spec.dimension,
    severity: spec.severity ?? severityForShare(n / Math.max(1, rowCount), spec.isKey),
    count: n,
    rowsAffected: n,
    rule: spec.rule,
    code: spec.code,
    sql,
    where: spec.where,
    threshold: spec.threshold,
    samples,
    ...spec.extra,
  };
  if (spec.breakdownBy) {
    const b = ident(spec.breakdownBy);
    const rows = await ctx.engine.query<{ value: unknown; count: number }>(
      `SELECT ${b} AS value, count(*) AS count FROM ${t} WHERE ${spec.where} GROUP BY ALL ORDER BY count DESC, value`,
    );
    issue.breakdown = { by: spec.breakdownBy, counts: rows.map((r) => ({ value: String(r.value), count: Number(r.count) })) };
  }
  return issue;
}

/** `CAST(col AS VARCHAR)` for any column, so text rules work whatever the loaded type. */
export function asText(column: string): string {
  return `CAST(${ident(column)} AS VARCHAR)`;
}
