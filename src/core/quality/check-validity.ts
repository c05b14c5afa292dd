// Validity: numbers and dates stored as text, mixed date formats, negative prices or quantities,
// ratings off the observed scale, dates in the future or before the shop could exist, and emails,
// phones and zip codes that break the column's own dominant pattern.
import { ident, literal } from '../engine/sql-engine.ts';
import type { ColumnProfile } from '../types.ts';
import { buildPredicateIssue, columnsOf, isIdLike, isEmailLike, isNumeric, isPhoneLike, isPriceLike, isQuantityLike, isRatingLike, isTemporal, isText, isZipLike, type CheckContext } from './check-context.ts';
import { BLANK_PATTERN, PLACEHOLDER_TEXT } from './check-completeness.ts';
import { dateShapeSql, parseDateSql } from './date-formats.ts';
import type { QualityIssue } from './types.ts';

/** Share of non-blank values that must parse for a text column to count as numbers or dates. */
const PARSE_SHARE = 0.9;
/** Shapes covering at least this share of values are "the column's pattern". */
const PATTERN_SHARE = 0.05;
/** A rating value seen in at least this share of rows (and 3 rows) belongs to the scale. */
const SCALE_SHARE = 0.005;
const SCALE_MIN_ROWS = 3;
export const EMAIL_PATTERN = '^[A-Za-z0-9._%+\'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$';
/** Columns whose dates may rightly lie ahead: estimates, due dates, expiries. */
const FUTURE_OK = /(estimat|expect|expir|due|until|deadline|limit|valid|end_?date|scheduled|planned)/i;
const BIRTH = /(birth|dob|born)/i;

/** Non-blank, non-placeholder text values: the population parse checks judge. */
export function presentTextSql(column: string): string {
  const col = ident(column);
  return `${col} IS NOT NULL AND NOT regexp_matches(${col}, '${BLANK_PATTERN}') AND lower(trim(${col})) NOT IN (${PLACEHOLDER_TEXT.map(literal).join(', ')})`;
}

/** SQL: the text value, without grouping commas and currency signs, as DOUBLE (NULL if not numeric). */
export function numericTextSql(column: string): string {
  return `TRY_CAST(regexp_replace(trim(${ident(column)}), '^([-+]?)[$€£¥₹]|R\\$\\s*|,', '\\1', 'g') AS DOUBLE)`;
}

/** SQL: a shape of the value: letters → A/a, digits → 9, kept length (zip and phone shapes need it). */
export function valueShapeSql(expr: string): string {
  return `regexp_replace(regexp_replace(regexp_replace(${expr}, '[A-Z]', 'A', 'g'), '[a-z]', 'a', 'g'), '[0-9]', '9', 'g')`;
}

/** Digits that are codes, not quantities: ids, zips, phones, `*_code`. ('code' as a guessed semantic
 * type is not enough: digit text like "1.25" gets it too.) */
function isDigitCode(c: ColumnProfile): boolean {
  return isIdLike(c) || isZipLike(c) || isPhoneLike(c) || /(code|number|_no$|cpf|cnpj)/i.test(c.name);
}

async function checkTextColumn(ctx: CheckContext, table: string, c: ColumnProfile, out: (QualityIssue | null)[]): Promise<void> {
  const t = ident(table);
  const col = ident(c.name);
  const present = presentTextSql(c.name);
  const [s] = await ctx.engine.query<{ n: number; num: number; dated: number }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE ${numericTextSql(c.name)} IS NOT NULL) AS num, count(*) FILTER (WHERE ${dateShapeSql(col)} IS NOT NULL) AS dated FROM ${t} WHERE ${present}`,
  );
  const n = Number(s.n);
  if (n === 0) return;
  if (!isDigitCode(c) && Number(s.num) >= PARSE_SHARE * n) {
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'number-as-text', rule: 'Numbers stored as text (cells)', where: `${present} AND ${numericTextSql(c.name)} IS NOT NULL`, severity: 'info', threshold: `${Number(s.num)} of ${n} values parse as numbers` }));
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'not-a-number', rule: 'Values that are not numbers in a numeric text column (cells)', where: `${present} AND ${numericTextSql(c.name)} IS NULL`, severity: 'warning' }));
  } else if (Number(s.dated) >= PARSE_SHARE * n) {
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'date-as-text', rule: 'Dates stored as text (cells)', where: `${present} AND ${dateShapeSql(col)} IS NOT NULL`, severity: 'info' }));
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'not-a-date', rule: 'Values that are not dates in a date text column (cells)', where: `${present} AND ${dateShapeSql(col)} IS NULL`, severity: 'warning' }));
    const shapes = await ctx.engine.query<{ shape: string; count: number }>(
      `SELECT ${dateShapeSql(col)} AS shape, count(*) AS count FROM ${t} WHERE ${present} AND ${dateShapeSql(col)} IS NOT NULL GROUP BY ALL ORDER BY count DESC, shape`,
    );
    if (shapes.length > 1) {
      const dominant = shapes[0].shape;
      const mixed = await buildPredicateIssue(ctx, {
        table, column: c.name, dimension: 'validity', code: 'mixed-date-format', severity: 'warning',
        rule: 'Dates not in the column\'s dominant format (cells)',
        where: `${present} AND ${dateShapeSql(col)} <> ${literal(dominant)}`,
        threshold: `dominant ${dominant}; also ${shapes.slice(1).map((r) => `${r.shape} (${Number(r.count)})`).join(', ')}`,
      });
      if (mixed) mixed.values = shapes.map((r) => ({ value: r.shape, count: Number(r.count) }));
      out.push(mixed);
    }
    await checkDateRange(ctx, table, c, parseDateSql(c.name), out);
  }
  if (isEmailLike(c)) {
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'malformed', rule: 'Malformed email addresses (cells)', where: `${present} AND NOT regexp_matches(trim(${col}), ${literal(EMAIL_PATTERN)})`, threshold: 'name@domain.tld' }));
  } else if (isPhoneLike(c) || isZipLike(c)) {
    const shapes = await ctx.engine.query<{ shape: string; count: number }>(
      `SELECT ${valueShapeSql(`trim(${col})`)} AS shape, count(*) AS count FROM ${t} WHERE ${present} GROUP BY ALL ORDER BY count DESC, shape`,
    );
    const accepted = shapes.filter((r) => Number(r.count) >= PATTERN_SHARE * n).map((r) => r.shape);
    if (accepted.length > 0 && accepted.length < shapes.length) {
      out.push(await buildPredicateIssue(ctx, {
        table, column: c.name, dimension: 'validity', code: 'malformed', severity: 'warning',
        rule: `Malformed ${isZipLike(c) ? 'zip codes' : 'phone numbers'} against the column's pattern (cells)`,
        where: `${present} AND ${valueShapeSql(`trim(${col})`)} NOT IN (${accepted.map(literal).join(', ')})`,
        threshold: `shapes covering ≥${PATTERN_SHARE * 100}% of values: ${accepted.join(', ')}`,
      }));
    }
  }
}

async function checkDateRange(ctx: CheckContext, table: string, c: ColumnProfile, expr: string, out: (QualityIssue | null)[]): Promise<void> {
  const nowIso = new Date(ctx.now).toISOString().replace('T', ' ').replace('Z', '');
  if (!FUTURE_OK.test(c.name)) {
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'future-date', rule: 'Dates in the future (cells)', where: `${expr} > TIMESTAMP '${nowIso}'`, threshold: `after ${nowIso} (import time)`, severity: 'warning' }));
  }
  if (!BIRTH.test(c.name)) {
    // 1970-01-01 is left to the placeholder rule so one cell is not counted twice.
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'too-old', rule: 'Implausibly old dates (cells)', where: `${expr} < TIMESTAMP '${ctx.earliestDate}' AND CAST(${expr} AS DATE) <> DATE '1970-01-01'`, threshold: `before ${ctx.earliestDate}`, severity: 'warning' }));
  }
}

async function checkNumericColumn(ctx: CheckContext, table: string, c: ColumnProfile, out: (QualityIssue | null)[]): Promise<void> {
  const col = ident(c.name);
  if (isPriceLike(c) || isQuantityLike(c)) {
    out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'negative', rule: `Negative ${isPriceLike(c) ? 'prices or amounts' : 'quantities'} (cells)`, where: `${col} < 0`, threshold: '< 0', severity: 'error' }));
  }
  if (isRatingLike(c)) {
    const [s] = await ctx.engine.query<{ nn: number }>(`SELECT count(${col}) AS nn FROM ${ident(table)}`);
    const common = await ctx.engine.query<{ lo: number | null; hi: number | null; frac: number }>(
      `SELECT min(v) AS lo, max(v) AS hi, count(*) FILTER (WHERE v <> floor(v)) AS frac FROM (SELECT ${col} AS v FROM ${ident(table)} WHERE ${col} IS NOT NULL GROUP BY 1 HAVING count(*) >= ${Math.max(SCALE_MIN_ROWS, Math.ceil(SCALE_SHARE * Number(s.nn)))})`,
    );
    const { lo, hi, frac } = common[0] ?? {};
    if (lo !== null && lo !== undefined && hi !== null && hi !== undefined) {
      const integral = Number(frac) === 0 ? ` OR ${col} <> floor(${col})` : '';
      out.push(await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'validity', code: 'off-scale', rule: 'Ratings outside the observed scale (cells)', where: `(${col} < ${lo} OR ${col} > ${hi}${integral})`, threshold: `scale [${lo}, ${hi}]${integral ? ', whole numbers' : ''} (values seen in ≥${SCALE_SHARE * 100}% of rows and ≥${SCALE_MIN_ROWS} rows)`, severity: 'error' }));
    }
  }
}

export async function checkValidity(ctx: CheckContext, table: string): Promise<QualityIssue[]> {
  const out: (QualityIssue | null)[] = [];
  for (const c of columnsOf(ctx, table)) {
    if (isText(c)) await checkTextColumn(ctx, table, c, out);
    else if (isNumeric(c)) await checkNumericColumn(ctx, table, c, out);
    else if (isTemporal(c)) await checkDateRange(ctx, table, c, ident(c.name), out);
  }
  return out.filter((i): i is QualityIssue => i !== null);
}

