// Consistency across columns and tables: event timestamps out of order (delivered before purchased),
// an order total that is not the sum of its items, one id carrying several categories or titles.
// (The same category spelled several ways is found by the text-duplicates check.)
import { ident } from '../engine/sql-engine.ts';
import type { ColumnProfile } from '../types.ts';
import { buildPredicateIssue, columnsOf, isCategoryLike, isIdLike, isNumeric, isPriceLike, isQuantityLike, isTemporal, isText, isTitleLike, sampleRows, SAMPLE_LIMIT, tableOf, type CheckContext } from './check-context.ts';
import { parseDateSql } from './date-formats.ts';
import type { QualityIssue } from './types.ts';

/** Lifecycle stage a timestamp column's name implies; later stages must not precede earlier ones. */
const STAGES: [number, RegExp, string][] = [
  [0, /(purchase|order_date|ordered|created|creation|placed|signup|registered)/i, 'created'],
  [1, /(approv|paid|payment_date|confirm)/i, 'approved'],
  [2, /(carrier|shipped|ship_date|dispatch|sent)/i, 'shipped'],
  [3, /(deliver|received|arriv)/i, 'delivered'],
  [4, /(answer|reply|replied|review_date|returned|closed|completed)/i, 'closed'],
];
const NOT_EVENT = /(estimat|expect|limit|due|deadline|expir|planned|scheduled)/i;

function stageOf(c: ColumnProfile): number | null {
  if (NOT_EVENT.test(c.name)) return null;
  for (const [stage, re] of STAGES) if (re.test(c.name)) return stage;
  return null;
}

function temporalExpr(c: ColumnProfile): string | null {
  if (isTemporal(c)) return ident(c.name);
  // Dates kept as text are compared once parsed; only when the profile says they look like dates.
  if (isText(c) && (c.semanticType === 'timestamp' || c.semanticType === 'date')) return parseDateSql(c.name);
  return null;
}

async function checkEventOrder(ctx: CheckContext, table: string, out: (QualityIssue | null)[]): Promise<void> {
  const events = columnsOf(ctx, table)
    .map((c) => ({ c, stage: stageOf(c), expr: temporalExpr(c) }))
    .filter((e): e is { c: ColumnProfile; stage: number; expr: string } => e.stage !== null && e.expr !== null);
  for (const early of events) {
    for (const late of events) {
      if (late.stage <= early.stage) continue;
      out.push(await buildPredicateIssue(ctx, {
        table, column: late.c.name, dimension: 'consistency', code: `before:${early.c.name}`, severity: 'error',
        rule: `${late.c.name} earlier than ${early.c.name} (rows)`,
        where: `${late.expr} < ${early.expr}`,
        threshold: `${late.c.name} ≥ ${early.c.name}`,
      }));
    }
  }
}

const TOTAL_NAME = /(^total|_total$|order_total|grand_total|total_amount|order_amount|order_value)/i;
const FREIGHT_NAME = /(freight|shipping|delivery_fee)/i;

async function checkTotals(ctx: CheckContext, out: (QualityIssue | null)[]): Promise<void> {
  for (const fk of ctx.inventory.relations) {
    const parentTotal = columnsOf(ctx, fk.toTable).find((c) => isNumeric(c) && TOTAL_NAME.test(c.name));
    if (!parentTotal) continue;
    const childCols = columnsOf(ctx, fk.fromTable);
    const price = childCols.find((c) => isNumeric(c) && isPriceLike(c) && !FREIGHT_NAME.test(c.name) && !TOTAL_NAME.test(c.name));
    const lineTotal = childCols.find((c) => isNumeric(c) && /(line_total|subtotal|line_amount)/i.test(c.name));
    if (!price && !lineTotal) continue;
    const qty = childCols.find((c) => isNumeric(c) && isQuantityLike(c));
    const freight = childCols.find((c) => isNumeric(c) && FREIGHT_NAME.test(c.name));
    const line = lineTotal ? ident(lineTotal.name) : `${ident(price!.name)}${qty ? ` * coalesce(${ident(qty.name)}, 1)` : ''}`;
    const sums = `SELECT ${ident(fk.fromColumn)} AS k, sum(${line}) AS items${freight ? `, sum(${line} + coalesce(${ident(freight.name)}, 0)) AS with_freight` : ''} FROM ${ident(fk.fromTable)} GROUP BY 1`;
    // A total matches when it equals the items' sum, with or without freight, to the cent.
    const mismatch = `abs(p.${ident(parentTotal.name)} - s.items) > 0.005${freight ? ' AND abs(p.' + ident(parentTotal.name) + ' - s.with_freight) > 0.005' : ''}`;
    const where = `${ident(fk.toColumn)} IN (SELECT p.${ident(fk.toColumn)} FROM ${ident(fk.toTable)} p JOIN (${sums}) s ON s.k = p.${ident(fk.toColumn)} WHERE ${mismatch})`;
    const issue = await buildPredicateIssue(ctx, {
      table: fk.toTable, column: parentTotal.name, dimension: 'consistency', code: `total-vs-items:${fk.fromTable}`, severity: 'error',
      rule: `${parentTotal.name} differs from the sum of ${fk.fromTable} lines (rows)`,
      where,
      threshold: `|total − Σ ${lineTotal ? lineTotal.name : price!.name}${qty && !lineTotal ? '×' + qty.name : ''}${freight ? ' (± ' + freight.name + ')' : ''}| > 0.005`,
    });
    if (issue) {
      issue.samples = await sampleRows(ctx, fk.toTable, `SELECT p.*, s.items AS items_sum FROM ${ident(fk.toTable)} p JOIN (${sums}) s ON s.k = p.${ident(fk.toColumn)} WHERE ${mismatch} LIMIT ${SAMPLE_LIMIT}`);
    }
    out.push(issue);
  }
}

const PRODUCT_ID = /(product|item|sku|asin|article|goods|商品)/i;

async function checkIdAttributes(ctx: CheckContext, table: string, out: (QualityIssue | null)[]): Promise<void> {
  const cols = columnsOf(ctx, table);
  const t = ident(table);
  const rowCount = tableOf(ctx, table)?.rowCount ?? 0;
  // Only ids of things that have one category and one title: products, items, SKUs.
  for (const id of cols.filter((c) => isIdLike(c) && PRODUCT_ID.test(c.name) && c.distinct < rowCount)) {
    for (const attr of cols.filter((c) => c !== id && isText(c) && !isIdLike(c) && (isCategoryLike(c) || isTitleLike(c)))) {
      const groups = `SELECT ${ident(id.name)} FROM ${t} WHERE ${ident(id.name)} IS NOT NULL GROUP BY 1 HAVING count(DISTINCT ${ident(attr.name)}) > 1`;
      const sql = `SELECT count(*) AS n FROM (${groups})`;
      const [{ n }] = await ctx.engine.query<{ n: number }>(sql);
      if (Number(n) === 0) continue;
      const where = `${ident(id.name)} IN (${groups})`;
      const [{ rows }] = await ctx.engine.query<{ rows: number }>(`SELECT count(*) AS rows FROM ${t} WHERE ${where}`);
      out.push({
        id: `consistency:several-values:${table}.${id.name}.${attr.name}`,
        table, column: attr.name, dimension: 'consistency', severity: 'warning', code: `several-values:${id.name}`,
        count: Number(n), rowsAffected: Number(rows),
        rule: `One ${id.name} carrying several ${attr.name} values (ids)`,
        sql, where,
        samples: await sampleRows(ctx, table, `SELECT ${ident(id.name)}, list(DISTINCT ${ident(attr.name)}) AS ${ident(attr.name + '_values')} FROM ${t} WHERE ${where} GROUP BY 1 ORDER BY 1 LIMIT ${SAMPLE_LIMIT}`),
      });
    }
  }
}

export async function checkConsistency(ctx: CheckContext, table: string): Promise<QualityIssue[]> {
  const out: (QualityIssue | null)[] = [];
  await checkEventOrder(ctx, table, out);
  await checkIdAttributes(ctx, table, out);
  return out.filter((i): i is QualityIssue => i !== null);
}

/** Checks spanning tables (run once per import, not per table). */
export async function checkCrossTableConsistency(ctx: CheckContext): Promise<QualityIssue[]> {
  const out: (QualityIssue | null)[] = [];
  await checkTotals(ctx, out);
  return out.filter((i): i is QualityIssue => i !== null);
}
