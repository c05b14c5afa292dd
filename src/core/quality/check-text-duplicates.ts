// Duplicates in text values: clusters of spellings that collide under fingerprint or n-gram keys.
// On category-like columns they are reported as a consistency problem ("the same category spelled
// several ways"), elsewhere as text duplicates; either way the user can merge a cluster.
import { ident, literal } from '../engine/sql-engine.ts';
import type { ColumnProfile } from '../types.ts';
import { columnsOf, isCategoryLike, isCodeLike, isEmailLike, isText, sampleRows, SAMPLE_LIMIT, type CheckContext } from './check-context.ts';
import { clusterValues } from './fingerprint.ts';
import type { QualityIssue, ValueCluster } from './types.ts';

const NOT_CLUSTERED = ['id', 'email', 'url', 'json', 'timestamp', 'date', 'number', 'zip', 'phone', 'ip', 'text'];
/** Long free text is not clustered: reviews that collide are duplicates of a different kind. */
const MAX_MEAN_LENGTH = 60;

function isClusterCandidate(c: ColumnProfile): boolean {
  return isText(c) && !isCodeLike(c) && !isEmailLike(c) && !NOT_CLUSTERED.includes(c.semanticType) && (c.length === null || c.length.mean <= MAX_MEAN_LENGTH);
}

/** SQL predicate: the column holds a non-canonical variant of one of the clusters. */
export function clusterVariantsSql(column: string, clusters: ValueCluster[]): string {
  const variants = clusters.flatMap((c) => c.values.slice(1).map((v) => v.value));
  return `${ident(column)} IN (${variants.map(literal).join(', ')})`;
}

export async function checkTextDuplicates(ctx: CheckContext, table: string, maxDistinct = 50_000): Promise<QualityIssue[]> {
  const out: QualityIssue[] = [];
  for (const c of columnsOf(ctx, table).filter(isClusterCandidate)) {
    const col = ident(c.name);
    const [{ d }] = await ctx.engine.query<{ d: number }>(`SELECT count(DISTINCT ${col}) AS d FROM ${ident(table)}`);
    if (Number(d) > maxDistinct || Number(d) < 2) continue;
    const rows = await ctx.engine.query<{ value: string; count: number }>(
      `SELECT ${col} AS value, count(*) AS count FROM ${ident(table)} WHERE ${col} IS NOT NULL GROUP BY 1`,
    );
    const clusters = clusterValues(rows.map((r) => ({ value: String(r.value), count: Number(r.count) })));
    if (clusters.length === 0) continue;
    const where = clusterVariantsSql(c.name, clusters);
    const sql = `SELECT count(*) AS n FROM ${ident(table)} WHERE ${where}`;
    const isCategory = isCategoryLike(c);
    out.push({
      id: `${isCategory ? 'consistency' : 'duplicates-text'}:spellings:${table}.${c.name}`,
      table, column: c.name,
      dimension: isCategory ? 'consistency' : 'duplicates-text',
      severity: 'warning', code: 'spellings',
      // Cells a merge into each cluster's most frequent spelling would change.
      count: clusters.reduce((s, k) => s + k.rows - k.values[0].count, 0),
      rowsAffected: clusters.reduce((s, k) => s + k.rows, 0),
      rule: isCategory ? 'The same category spelled several ways (cells off the main spelling)' : 'Text values that differ only in case, spacing, punctuation, order or width (cells off the main spelling)',
      sql, where,
      threshold: `fingerprint or 2-gram fingerprint collision; ${clusters.length} cluster(s)`,
      samples: await sampleRows(ctx, table, `SELECT * FROM ${ident(table)} WHERE ${where} LIMIT ${SAMPLE_LIMIT}`),
      clusters,
    });
  }
  return out;
}
