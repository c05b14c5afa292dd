// Uniqueness: repeated values in key-like columns and fully duplicated rows.
import { ident } from '../engine/sql-engine.ts';
import { columnsOf, sampleRows, SAMPLE_LIMIT, tableOf, type CheckContext } from './check-context.ts';
import type { QualityIssue } from './types.ts';

// A column is treated as a key when it is the primary key, or is named `id` or `<table>_id` (e.g.
// review_id in order_reviews), is not a foreign key's child side, and nearly every value is distinct:
// repeats there are duplicates, not a one-to-many relation (customer_unique_id is not a key).
const KEY_DISTINCT_SHARE = 0.9;

/** Singular stems of a table name's words: `olist_order_reviews_dataset` → order, review. */
export function listTableStems(table: string): string[] {
  const words = table.toLowerCase().split(/[^a-z0-9\u4e00-\u9fff]+/).filter((w) => w && !/^(dataset|data|table|tbl|export|olist|dim|fact)$/.test(w));
  return words.map((w) => w.replace(/ies$/, 'y').replace(/(ses|xes)$/, (m) => m.slice(0, -2)).replace(/s$/, ''));
}

/** True for `id` or `<stem>_id` / `<stem>Id` where stem is a word of the table name. */
export function isOwnKeyName(table: string, column: string): boolean {
  const l = column.toLowerCase();
  return l === 'id' || listTableStems(table).some((s) => l === `${s}_id` || l === `${s}id`);
}

export async function checkUniqueness(ctx: CheckContext, table: string): Promise<QualityIssue[]> {
  const issues: QualityIssue[] = [];
  const t = ident(table);
  const profile = tableOf(ctx, table);
  const columns = columnsOf(ctx, table);
  const fkChildren = new Set(ctx.inventory.relations.filter((r) => r.fromTable === table).map((r) => r.fromColumn));
  for (const c of columns) {
    const isPk = profile?.primaryKey === c.name;
    if (!isPk && (!isOwnKeyName(table, c.name) || fkChildren.has(c.name))) continue;
    const col = ident(c.name);
    const [stats] = await ctx.engine.query<{ nn: number; d: number }>(`SELECT count(${col}) AS nn, count(DISTINCT ${col}) AS d FROM ${t}`);
    const nn = Number(stats.nn);
    const d = Number(stats.d);
    if (d === nn || nn === 0 || (!isPk && d / nn < KEY_DISTINCT_SHARE)) continue;
    const dupValues = `SELECT ${col} FROM ${t} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING count(*) > 1`;
    const sql = `SELECT count(*) AS n FROM (${dupValues})`;
    const [{ n, rows }] = await ctx.engine.query<{ n: number; rows: number }>(
      `SELECT count(*) AS n, coalesce(sum(c), 0) AS rows FROM (SELECT count(*) AS c FROM ${t} WHERE ${col} IS NOT NULL GROUP BY ${col} HAVING count(*) > 1)`,
    );
    const where = `${col} IN (${dupValues})`;
    issues.push({
      id: `uniqueness:duplicate-key:${table}.${c.name}`,
      table,
      column: c.name,
      dimension: 'uniqueness',
      severity: 'error',
      count: Number(n),
      rowsAffected: Number(rows),
      rule: 'Duplicate key values (distinct values repeated)',
      code: 'duplicate-key',
      sql,
      where,
      threshold: `${(100 * d / nn).toFixed(1)}% distinct; a key must be 100%`,
      samples: await sampleRows(ctx, table, `SELECT * FROM ${t} WHERE ${where} ORDER BY ${col} LIMIT ${SAMPLE_LIMIT}`),
    });
  }
  if (columns.length > 0) {
    const all = columns.map((c) => ident(c.name)).join(', ');
    const groups = `SELECT ${all}, count(*) AS copies FROM ${t} GROUP BY ${all} HAVING count(*) > 1`;
    const sql = `SELECT coalesce(sum(copies - 1), 0) AS n FROM (${groups})`;
    const [{ n, rows }] = await ctx.engine.query<{ n: number; rows: number }>(`SELECT coalesce(sum(copies - 1), 0) AS n, coalesce(sum(copies), 0) AS rows FROM (${groups})`);
    if (Number(n) > 0) {
      issues.push({
        id: `uniqueness:duplicate-row:${table}`,
        table,
        dimension: 'uniqueness',
        severity: 'warning',
        count: Number(n),
        rowsAffected: Number(rows),
        rule: 'Fully duplicated rows (extra copies)',
        code: 'duplicate-row',
        sql,
        samples: await sampleRows(ctx, table, `${groups} LIMIT ${SAMPLE_LIMIT}`),
      });
    }
  }
  return issues;
}
