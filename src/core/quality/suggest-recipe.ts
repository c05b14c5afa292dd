// Proposes a fix recipe for the issues of a quality report: one step per fixable issue, ordered so
// text is cleaned before it is parsed, values before rows are dropped. Nulls are left alone (filling
// them invents data: the user adds a fill step deliberately), and so are timeliness and per-id
// attribute conflicts, which need a person to say which value is right.
import type { QualityIssue, QualityReport } from './types.ts';
import { createRecipe, type Recipe, type RecipeStep } from './recipe.ts';

const PHASE: Record<RecipeStep['kind'], number> = {
  trim: 0, 'normalize-width': 0, 'normalize-case': 0, 'null-placeholders': 1, 'standardize-date': 2, 'parse-type': 2,
  'merge-cluster': 3, 'relabel-rows': 3, 'set-null-where': 4, 'cap-outliers': 5, fill: 6, 'drop-duplicate-rows': 7, 'drop-orphans': 8,
};

function stepsFor(issue: QualityIssue, report: QualityReport): RecipeStep[] {
  const { table, column } = issue;
  const note = `fixes ${issue.id} (${issue.count})`;
  if (!column) {
    if (issue.code === 'duplicate-row') return [{ kind: 'drop-duplicate-rows', table, note }];
    return [];
  }
  const base = { table, column, note };
  switch (issue.code) {
    case 'empty':
      return [{ kind: 'null-placeholders', ...base, values: [], blank: true }];
    case 'placeholder':
      return [{ kind: 'null-placeholders', ...base, values: (issue.values ?? []).map((v) => v.value) }];
    case 'number-as-text':
      return [{ kind: 'parse-type', ...base, type: 'DOUBLE' }];
    case 'not-a-number':
      // parse-type (proposed for number-as-text) already turns these into NULL.
      return report.issues.some((i) => i.code === 'number-as-text' && i.table === table && i.column === column) ? [] : [{ kind: 'parse-type', ...base, type: 'DOUBLE' }];
    case 'mixed-date-format':
      return [{ kind: 'standardize-date', ...base, withTime: (issue.values ?? []).some((v) => v.value.includes('hh')) }];
    case 'duplicate-key':
      return [{ kind: 'drop-duplicate-rows', table, columns: [column], note }];
    case 'spellings':
      return [{ kind: 'merge-cluster', ...base, merges: (issue.clusters ?? []).map((c) => ({ values: c.values.slice(1).map((v) => v.value), into: c.values[0].value })) }];
    case 'outlier':
      return issue.fences ? [{ kind: 'cap-outliers', ...base, lower: issue.fences.lower, upper: issue.fences.upper }] : [];
    case 'negative':
    case 'off-scale':
    case 'future-date':
    case 'too-old':
    case 'malformed':
    case 'not-a-date':
      return issue.where ? [{ kind: 'set-null-where', ...base, where: issue.where, reason: issue.rule }] : [];
  }
  if (issue.code.startsWith('before:') || issue.code.startsWith('total-vs-items:')) {
    return issue.where ? [{ kind: 'set-null-where', ...base, where: issue.where, reason: issue.rule }] : [];
  }
  if (issue.code.startsWith('orphan:')) {
    const [parentTable, parentColumn] = splitTarget(issue.code.slice('orphan:'.length));
    return [{ kind: 'drop-orphans', table, column, parentTable, parentColumn, quarantine: true, note }];
  }
  return [];
}

/** `table.column` where the table name may itself contain dots: the column is after the last dot. */
function splitTarget(s: string): [string, string] {
  const i = s.lastIndexOf('.');
  return [s.slice(0, i), s.slice(i + 1)];
}

/** A recipe fixing every issue that has a mechanical fix, in a safe order (stable within a phase). */
export function suggestRecipe(report: QualityReport): Recipe {
  const steps = report.issues.flatMap((i) => stepsFor(i, report));
  const indexed = steps.map((s, i) => ({ s, i }));
  indexed.sort((a, b) => PHASE[a.s.kind] - PHASE[b.s.kind] || a.s.table.localeCompare(b.s.table) || a.i - b.i);
  return createRecipe(indexed.map((x) => x.s));
}
