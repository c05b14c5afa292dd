// Quality scores: per dimension, per table and per import, from the issues found.
import type { TableProfile } from '../types.ts';
import type { QualityDimension, QualityIssue, QualitySeverity, TableScore } from './types.ts';

export const SCORED_DIMENSIONS: QualityDimension[] = ['completeness', 'uniqueness', 'validity', 'consistency', 'integrity', 'outlier', 'duplicates-text'];
export const SEVERITY_WEIGHT: Record<QualitySeverity, number> = { error: 1, warning: 0.6, info: 0.2 };

export const SCORE_FORMULA =
  'dimension score = 100 × (1 − max over its issues of weight(severity) × min(1, rowsAffected / rowCount)), ' +
  'weights error 1, warning 0.6, info 0.2; table score = mean of the 7 scored dimensions ' +
  '(completeness, uniqueness, validity, consistency, integrity, outlier, duplicates-text; timeliness is reported, not scored); ' +
  'import score = mean of table scores weighted by row count.';

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

/** Scores each table by SCORE_FORMULA; the worst issue of a dimension sets that dimension's score. */
export function scoreTables(tables: TableProfile[], issues: QualityIssue[]): TableScore[] {
  return tables.map((t) => {
    const dimensions: Partial<Record<QualityDimension, number>> = {};
    for (const d of SCORED_DIMENSIONS) {
      let worst = 0;
      for (const i of issues) {
        if (i.table !== t.name || i.dimension !== d) continue;
        const share = Math.min(1, (i.rowsAffected ?? i.count) / Math.max(1, t.rowCount));
        worst = Math.max(worst, SEVERITY_WEIGHT[i.severity] * share);
      }
      dimensions[d] = round1(100 * (1 - worst));
    }
    const values = Object.values(dimensions) as number[];
    return { table: t.name, rowCount: t.rowCount, score: round1(values.reduce((a, b) => a + b, 0) / values.length), dimensions };
  });
}

/** Row-weighted mean of table scores (100 for an import with no rows). */
export function scoreImport(scores: TableScore[]): number {
  const rows = scores.reduce((n, s) => n + s.rowCount, 0);
  if (rows === 0) return 100;
  return round1(scores.reduce((n, s) => n + s.score * s.rowCount, 0) / rows);
}
