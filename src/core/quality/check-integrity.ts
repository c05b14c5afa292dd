// Referential integrity: child rows whose foreign-key value has no parent, for every inferred key.
import { ident } from '../engine/sql-engine.ts';
import { buildPredicateIssue, type CheckContext } from './check-context.ts';
import type { QualityIssue } from './types.ts';

/** SQL predicate over the child table: a non-null key with no parent row. */
export function orphanPredicate(column: string, parentTable: string, parentColumn: string, asText = false): string {
  // Keys inferred across text and number ('00123' vs 123) are compared as trimmed text, as inferred.
  const c = asText ? `trim(CAST(${ident(column)} AS VARCHAR))` : ident(column);
  const p = asText ? `trim(CAST(${ident(parentColumn)} AS VARCHAR))` : ident(parentColumn);
  return `${ident(column)} IS NOT NULL AND ${c} NOT IN (SELECT ${p} FROM ${ident(parentTable)} WHERE ${ident(parentColumn)} IS NOT NULL)`;
}

export async function checkIntegrity(ctx: CheckContext): Promise<QualityIssue[]> {
  const out: QualityIssue[] = [];
  for (const fk of ctx.inventory.relations) {
    const child = ctx.inventory.columns.find((c) => c.table === fk.fromTable && c.name === fk.fromColumn);
    const parent = ctx.inventory.columns.find((c) => c.table === fk.toTable && c.name === fk.toColumn);
    const asText = !!child && !!parent && child.physicalType !== parent.physicalType;
    const issue = await buildPredicateIssue(ctx, {
      table: fk.fromTable, column: fk.fromColumn, dimension: 'integrity', code: `orphan:${fk.toTable}.${fk.toColumn}`, severity: 'error',
      rule: `${fk.fromTable}.${fk.fromColumn} with no ${fk.toTable}.${fk.toColumn} (rows)`,
      where: orphanPredicate(fk.fromColumn, fk.toTable, fk.toColumn, asText),
      threshold: `foreign key → ${fk.toTable}.${fk.toColumn} (coverage ${(fk.coverage * 100).toFixed(2)}%)`,
    });
    if (issue) {
      const [{ d }] = await ctx.engine.query<{ d: number }>(`SELECT count(DISTINCT ${ident(fk.fromColumn)}) AS d FROM ${ident(fk.fromTable)} WHERE ${issue.where}`);
      issue.values = [{ value: 'distinct orphan values', count: Number(d) }];
      out.push(issue);
    }
  }
  return out;
}
