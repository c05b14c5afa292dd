// Timeliness: the newest event timestamp of each table and its age at import time.
import { ident } from '../engine/sql-engine.ts';
import { columnsOf, isTemporal, type CheckContext } from './check-context.ts';
import type { QualityIssue, TableFreshness } from './types.ts';

/** Data older than this at import gets a warning (a monthly export should not be a year old). */
const STALE_DAYS = 365;
const NOT_EVENT = /(estimat|expect|limit|due|deadline|expir|planned|scheduled|birth|dob)/i;

export async function checkTimeliness(ctx: CheckContext, table: string): Promise<{ issues: QualityIssue[]; freshness: TableFreshness | null }> {
  let best: (TableFreshness & { sql: string; ms: number }) | null = null;
  const nowIso = new Date(ctx.now).toISOString().replace('T', ' ').replace('Z', '');
  const now = `TIMESTAMP '${nowIso}'`;
  for (const c of columnsOf(ctx, table).filter((c) => isTemporal(c) && !NOT_EVENT.test(c.name))) {
    const col = `CAST(${ident(c.name)} AS TIMESTAMP)`;
    // Future dates are a validity problem; freshness looks at the newest one not after import.
    const from = `FROM ${ident(table)} WHERE ${col} <= ${now}`;
    const sql = `SELECT CAST(floor((epoch_ms(${now}) - epoch_ms(max(${col}))) / 86400000) AS BIGINT) AS n ${from}`;
    const [row] = await ctx.engine.query<{ newest: string | null; ms: number | null; n: number | null }>(
      `SELECT CAST(max(${col}) AS VARCHAR) AS newest, epoch_ms(max(${col})) AS ms, CAST(floor((epoch_ms(${now}) - epoch_ms(max(${col}))) / 86400000) AS BIGINT) AS n ${from}`,
    );
    if (!row?.newest || row.ms === null) continue;
    if (!best || Number(row.ms) > best.ms) best = { table, column: c.name, newest: row.newest, ageDays: Number(row.n), sql, ms: Number(row.ms) };
  }
  if (!best) return { issues: [], freshness: null };
  const stale = best.ageDays > STALE_DAYS;
  return {
    freshness: { table, column: best.column, newest: best.newest, ageDays: best.ageDays },
    issues: [{
      id: `timeliness:newest:${table}`,
      table, column: best.column, dimension: 'timeliness', severity: stale ? 'warning' : 'info', code: 'newest',
      // The count is the age in whole days: the one number this finding has.
      count: best.ageDays,
      rule: `Age of the newest ${best.column} at import (days)`,
      sql: best.sql,
      threshold: `stale after ${STALE_DAYS} days`,
      samples: [{ newest: best.newest, ageDays: best.ageDays }],
    }],
  };
}
