// Runs every quality check over the tables of an import already loaded in the engine and returns the
// report: issues with exact counts, the SQL that counts each, masked samples, and scores.
import { throwIfAborted } from '../errors.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import type { Inventory } from '../types.ts';
import type { CheckContext } from './check-context.ts';
import { checkCompleteness } from './check-completeness.ts';
import { checkConsistency, checkCrossTableConsistency } from './check-consistency.ts';
import { checkIntegrity } from './check-integrity.ts';
import { checkOutliers } from './check-outliers.ts';
import { checkTextDuplicates } from './check-text-duplicates.ts';
import { checkTimeliness } from './check-timeliness.ts';
import { checkUniqueness } from './check-uniqueness.ts';
import { checkValidity } from './check-validity.ts';
import { SCORE_FORMULA, scoreImport, scoreTables } from './score.ts';
import type { QualityCheckOptions, QualityIssue, QualityReport, TableFreshness } from './types.ts';

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Finds the quality problems of every table in `inventory` (tables named `TableProfile.name` in
 * `engine`). Pure SQL over the loaded tables; nothing is modified. Throws AbortError on cancel.
 */
export async function runQualityChecks(engine: SqlEngine, inventory: Inventory, options: QualityCheckOptions = {}): Promise<QualityReport> {
  const now = options.now ?? Date.now();
  const ctx: CheckContext = { engine, inventory, now, earliestDate: options.earliestDate ?? '1995-01-01', signal: options.signal };
  const issues: QualityIssue[] = [];
  const freshness: TableFreshness[] = [];
  for (const t of inventory.tables) {
    throwIfAborted(options.signal);
    issues.push(...(await checkCompleteness(ctx, t.name)));
    issues.push(...(await checkUniqueness(ctx, t.name)));
    issues.push(...(await checkValidity(ctx, t.name)));
    issues.push(...(await checkConsistency(ctx, t.name)));
    throwIfAborted(options.signal);
    issues.push(...(await checkOutliers(ctx, t.name, options.outlierGroups)));
    issues.push(...(await checkTextDuplicates(ctx, t.name, options.maxClusterDistinct)));
    const tl = await checkTimeliness(ctx, t.name);
    issues.push(...tl.issues);
    if (tl.freshness) freshness.push(tl.freshness);
  }
  throwIfAborted(options.signal);
  issues.push(...(await checkCrossTableConsistency(ctx)));
  issues.push(...(await checkIntegrity(ctx)));
  issues.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.table.localeCompare(b.table) || a.id.localeCompare(b.id));
  const tables = scoreTables(inventory.tables, issues);
  return { importId: inventory.import.id, generatedAt: now, issues, tables, score: scoreImport(tables), freshness, scoreFormula: SCORE_FORMULA };
}
