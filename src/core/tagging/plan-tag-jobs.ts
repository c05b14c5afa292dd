// Picks the (text column, target column) pairs of an inventory that a text classifier is trained
// for, and builds the SQL that reads one pair's rows in file order.
import { ident } from '../engine/sql-engine.ts';
import type { ColumnProfile, Inventory } from '../types.ts';
import { MAX_CLASSES, MIN_CLASSES } from './tag-table.ts';

/** One classifier to train: `text` columns predict `target` in `table`. */
export interface TagJob {
  table: string;
  text: string[];
  target: string;
}

const TEXT_TYPES = new Set(['title', 'text']);

function isTarget(c: ColumnProfile): boolean {
  return c.semanticType === 'category' && c.distinct >= MIN_CLASSES && c.distinct <= MAX_CLASSES;
}

/** Every (text column, categorical target with 2–200 values) pair, table by table, in column order. */
export function planTagJobs(inventory: Inventory): TagJob[] {
  const jobs: TagJob[] = [];
  for (const t of inventory.tables) {
    const cols = inventory.columns.filter((c) => c.table === t.name).sort((a, b) => a.index - b.index);
    const texts = cols.filter((c) => TEXT_TYPES.has(c.semanticType));
    const targets = cols.filter(isTarget);
    for (const text of texts) for (const target of targets) if (target.name !== text.name) jobs.push({ table: t.name, text: [text.name], target: target.name });
  }
  return jobs;
}

/**
 * SQL giving `row` (the 0-based data row of the file: the table's rowid, as tables are created from
 * the file in order), `t0..tn` (texts) and `y` (target), in file order.
 */
export function buildTagJobSql(job: TagJob): string {
  const texts = job.text.map((c, i) => `CAST(${ident(c)} AS VARCHAR) AS t${i}`).join(', ');
  return `SELECT rowid AS "row", ${texts}, CAST(${ident(job.target)} AS VARCHAR) AS y FROM ${ident(job.table)} ORDER BY rowid`;
}
