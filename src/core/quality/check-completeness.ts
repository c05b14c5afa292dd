// Completeness: nulls, empty or whitespace-only strings, and placeholders that mean "missing".
import { ident, literal } from '../engine/sql-engine.ts';
import type { ColumnProfile } from '../types.ts';
import { buildPredicateIssue, columnsOf, countOf, findStatusColumn, isCodeLike, isTemporal, isText, isIdLike, isCategoryLike, isTitleLike, isEmailLike, type CheckContext } from './check-context.ts';
import type { QualityIssue } from './types.ts';

/** Text that means "no value" in exports (compared trimmed and lower-cased). */
export const PLACEHOLDER_TEXT = ['n/a', 'na', '#n/a', 'null', 'none', 'nil', 'nan', 'undefined', '-', '--', '?', 'unknown', 'missing', '0000-00-00', '0000-00-00 00:00:00', '无', '空', '未知'];

// Whitespace DuckDB's trim() misses: no-break space, ideographic space, zero-width characters.
export const BLANK_PATTERN = '^[\\s\\x{00A0}\\x{3000}\\x{200B}\\x{FEFF}]*$';

/** SQL: the column is an empty or whitespace-only string. */
export function blankPredicate(column: string): string {
  return `regexp_matches(${ident(column)}, '${BLANK_PATTERN}')`;
}

/** Where '0' cannot be a real value: names, categories, contact details, codes, titles. */
function isZeroImplausible(c: ColumnProfile): boolean {
  return isText(c) && (isCodeLike(c) || isCategoryLike(c) || isTitleLike(c) || isEmailLike(c) || ['person_name', 'city', 'state', 'country', 'address', 'url'].includes(c.semanticType));
}

/** SQL: the column holds one of the placeholder texts (plus '0' where implausible). */
export function placeholderPredicate(c: ColumnProfile): string {
  const values = isZeroImplausible(c) ? [...PLACEHOLDER_TEXT, '0'] : PLACEHOLDER_TEXT;
  return `lower(trim(${ident(c.name)})) IN (${values.map(literal).join(', ')})`;
}

/** SQL for a temporal column: the Unix epoch used as "no date" (only flagged where implausible). */
export function epochPredicate(column: string): string {
  return `CAST(${ident(column)} AS DATE) = DATE '1970-01-01'`;
}

export async function checkCompleteness(ctx: CheckContext, table: string): Promise<QualityIssue[]> {
  const issues: QualityIssue[] = [];
  const status = findStatusColumn(ctx, table);
  for (const c of columnsOf(ctx, table)) {
    const col = ident(c.name);
    const isKey = isIdLike(c) && c.name === (ctx.inventory.tables.find((t) => t.name === table)?.primaryKey ?? '');
    const breakdownBy = status && status.name !== c.name ? status.name : undefined;
    const found = [
      await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'completeness', code: 'null', rule: 'Null values (cells)', where: `${col} IS NULL`, isKey, breakdownBy }),
    ];
    if (isText(c)) {
      found.push(
        await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'completeness', code: 'empty', rule: 'Empty or whitespace-only strings (cells)', where: blankPredicate(c.name), isKey, breakdownBy }),
      );
      const where = placeholderPredicate(c);
      const ph = await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'completeness', code: 'placeholder', rule: 'Placeholder values meaning "missing" (cells)', where, isKey });
      if (ph) {
        const values = await ctx.engine.query<{ value: string; count: number }>(
          `SELECT ${col} AS value, count(*) AS count FROM ${ident(table)} WHERE ${where} GROUP BY ALL ORDER BY count DESC, value`,
        );
        ph.values = values.map((v) => ({ value: String(v.value), count: Number(v.count) }));
        ph.threshold = `one of ${ph.values.map((v) => JSON.stringify(v.value)).join(', ')}`;
      }
      found.push(ph);
    }
    if (isTemporal(c)) {
      // 1970-01-01 is a placeholder only when the column otherwise starts decades later.
      const later = await countOf(ctx.engine, `SELECT count(*) AS n FROM ${ident(table)} WHERE ${col} < DATE '1990-01-01' AND NOT ${epochPredicate(c.name)}`);
      if (later === 0) {
        const ep = await buildPredicateIssue(ctx, { table, column: c.name, dimension: 'completeness', code: 'placeholder', rule: 'Placeholder date 1970-01-01 (cells)', where: epochPredicate(c.name), threshold: 'no other value before 1990' });
        if (ep) ep.values = [{ value: '1970-01-01', count: ep.count }];
        found.push(ep);
      }
    }
    for (const f of found) if (f) issues.push(f);
  }
  return issues;
}
