// Pure helpers of the Quality view: grouping issues, the steps an issue offers, the rule suite the user
// keeps (accept, edit, dismiss), merge steps from chosen cluster values, and cell text for samples.
// Tested in Node.
import type { Recipe, RecipeStep } from '../core/quality/recipe.ts';
import { suggestRecipe } from '../core/quality/suggest-recipe.ts';
import { RULES_FORMAT, RULES_VERSION, type QualityRule } from '../core/quality/suggest-rules.ts';
import type { ImportRecord } from '../core/types.ts';
import type { AcceptedFix } from './tagging-plan.ts';
import type { QualityDimension, QualityIssue, QualityReport, QualitySeverity, ValueCluster } from '../core/quality/types.ts';

export type IssueGrouping = 'table' | 'dimension';

export interface IssueGroup {
  key: string;
  issues: QualityIssue[];
  /** Issues per severity in the group. */
  severities: Record<QualitySeverity, number>;
}

/** Issues grouped by table or dimension; groups keep the report's order (worst issue first). */
export function groupIssues(issues: QualityIssue[], by: IssueGrouping): IssueGroup[] {
  const groups = new Map<string, IssueGroup>();
  for (const issue of issues) {
    const key = by === 'table' ? issue.table : issue.dimension;
    let g = groups.get(key);
    if (!g) {
      g = { key, issues: [], severities: { error: 0, warning: 0, info: 0 } };
      groups.set(key, g);
    }
    g.issues.push(issue);
    g.severities[issue.severity]++;
  }
  return [...groups.values()];
}

/** Identity of a step (two steps doing the same thing are the same step). */
export function stepKey(step: RecipeStep): string {
  return JSON.stringify(step);
}

/** The fix steps one issue offers (none when the fix needs a person's judgement, e.g. nulls). */
export function stepsForIssue(report: QualityReport, issue: QualityIssue): RecipeStep[] {
  return suggestRecipe({ ...report, issues: [issue] }).steps;
}

/** Suggested steps not yet in the recipe, in the suggested order. */
export function pendingSteps(suggested: Recipe, recipe: Recipe): RecipeStep[] {
  const have = new Set(recipe.steps.map(stepKey));
  return suggested.steps.filter((s) => !have.has(stepKey(s)));
}

/** Appends the steps the recipe lacks; returns the same recipe when nothing is new. */
export function addSteps(recipe: Recipe, steps: RecipeStep[]): Recipe {
  const have = new Set(recipe.steps.map(stepKey));
  const fresh = steps.filter((s) => !have.has(stepKey(s)));
  return fresh.length ? { ...recipe, steps: [...recipe.steps, ...fresh] } : recipe;
}

/**
 * Key of a step's preview: the steps on the same table up to and including it (a preview depends on
 * exactly those, so reordering other tables' steps keeps it valid).
 */
export function previewKey(steps: RecipeStep[], index: number): string {
  const table = steps[index]?.table;
  return JSON.stringify(steps.slice(0, index + 1).filter((s) => s.table === table));
}

/**
 * A merge step from the user's choice per cluster: `choices[key]` is the canonical value, or null to
 * leave that cluster alone. Null when no cluster is merged.
 */
export function buildMergeStep(table: string, column: string, clusters: ValueCluster[], choices: Record<string, string | null>): RecipeStep | null {
  const merges = [];
  for (const c of clusters) {
    const into = choices[c.key] === undefined ? c.values[0]?.value : choices[c.key];
    if (into === null || into === undefined) continue;
    const values = c.values.map((v) => v.value).filter((v) => v !== into);
    if (values.length) merges.push({ values, into });
  }
  return merges.length ? { kind: 'merge-cluster', table, column, merges, note: `merges ${merges.length} cluster(s)` } : null;
}

/** The rule suite the user keeps for an import: accepted (possibly edited) rules and dismissed ids. */
export interface RuleSuiteState {
  format: typeof RULES_FORMAT;
  version: number;
  rules: QualityRule[];
  dismissed: string[];
}

export function emptyRuleSuite(): RuleSuiteState {
  return { format: RULES_FORMAT, version: RULES_VERSION, rules: [], dismissed: [] };
}

/** Suggestions the user has neither accepted nor dismissed. */
export function pendingRules(suggested: QualityRule[], suite: RuleSuiteState): QualityRule[] {
  const seen = new Set([...suite.rules.map((r) => r.id), ...suite.dismissed]);
  return suggested.filter((r) => !seen.has(r.id));
}

/** Accepts a rule (replacing an accepted rule with the same id, e.g. after an edit). */
export function acceptRule(suite: RuleSuiteState, rule: QualityRule): RuleSuiteState {
  const i = suite.rules.findIndex((r) => r.id === rule.id);
  const rules = i < 0 ? [...suite.rules, rule] : suite.rules.map((r, j) => (j === i ? rule : r));
  return { ...suite, rules, dismissed: suite.dismissed.filter((d) => d !== rule.id) };
}

/** Removes an accepted rule or dismisses a suggestion; either way it is not offered again. */
export function dismissRule(suite: RuleSuiteState, id: string): RuleSuiteState {
  return { ...suite, rules: suite.rules.filter((r) => r.id !== id), dismissed: suite.dismissed.includes(id) ? suite.dismissed : [...suite.dismissed, id] };
}

/** A rule's editable parameter as one line of text (values comma-separated, range `min..max`). */
export function ruleParamText(rule: QualityRule): string {
  const p = rule.params ?? {};
  switch (rule.kind) {
    case 'isContainedIn':
      return (p.values ?? []).join(', ');
    case 'hasRange':
      return `${p.min ?? ''}..${p.max ?? ''}`;
    case 'hasPattern':
      return p.pattern ?? '';
    default:
      return '';
  }
}

export function isRuleEditable(rule: QualityRule): boolean {
  return rule.kind === 'isContainedIn' || rule.kind === 'hasRange' || rule.kind === 'hasPattern';
}

/** The rule with its parameter replaced from `text` (see ruleParamText); null when `text` is not valid. */
export function editRuleParams(rule: QualityRule, text: string): QualityRule | null {
  const p = { ...(rule.params ?? {}) };
  if (rule.kind === 'isContainedIn') {
    const values = text.split(',').map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) return null;
    p.values = values;
  } else if (rule.kind === 'hasRange') {
    const m = /^\s*(-?[\d.]*)\s*\.\.\s*(-?[\d.]*)\s*$/.exec(text);
    if (!m) return null;
    const [min, max] = [m[1], m[2]].map((s) => (s === '' ? undefined : Number(s)));
    if ((min !== undefined && Number.isNaN(min)) || (max !== undefined && Number.isNaN(max)) || (min === undefined && max === undefined)) return null;
    if (min !== undefined && max !== undefined && min > max) return null;
    delete p.min;
    delete p.max;
    if (min !== undefined) p.min = min;
    if (max !== undefined) p.max = max;
  } else if (rule.kind === 'hasPattern') {
    if (text.trim() === '') return null;
    p.pattern = text.trim();
  } else {
    return null;
  }
  return { ...rule, params: p, evidence: `${rule.evidence} (edited)` };
}

/** A sample cell as plain text: null shown as ∅, objects as JSON. Rendered as text, never as HTML. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Badge tone of a 0..100 score. */
export function scoreTone(score: number): 'ok' | 'warn' | 'error' {
  return score >= 90 ? 'ok' : score >= 70 ? 'warn' : 'error';
}

/** Download name of a cleaned table (`clean_<table>.csv`), safe on every file system. */
export function cleanedFileName(table: string, ext: 'csv' | 'parquet' | 'log.json'): string {
  return `clean_${table}`.replace(/[\\/:*?"<>|\s]+/g, '_') + '.' + ext;
}

export const DIMENSIONS: QualityDimension[] = ['completeness', 'uniqueness', 'validity', 'consistency', 'integrity', 'timeliness', 'outlier', 'duplicates-text'];

/** Where a step acts: `table.column`, or the table for row steps. */
export function stepTarget(step: RecipeStep): string {
  return 'column' in step && step.kind !== 'drop-orphans' ? `${step.table}.${step.column}` : step.table;
}

/** The parameters of a step in a few words (language-neutral: values, bounds, columns). */
export function stepDetail(step: RecipeStep): string {
  switch (step.kind) {
    case 'normalize-case':
      return step.mode;
    case 'null-placeholders':
      return [...step.values.map((v) => JSON.stringify(v)), ...(step.blank ? ['blank'] : [])].join(', ');
    case 'parse-type':
      return step.type;
    case 'fill':
      return step.method === 'constant' ? JSON.stringify(step.value ?? '') : step.method;
    case 'merge-cluster':
      return step.merges.slice(0, 3).map((m) => `${m.values.map((v) => JSON.stringify(v)).join(' ')} → ${JSON.stringify(m.into)}`).join('; ') + (step.merges.length > 3 ? ` … (${step.merges.length})` : '');
    case 'set-null-where':
      return step.reason;
    case 'cap-outliers':
      return `[${step.lower ?? '−∞'}, ${step.upper ?? '∞'}]`;
    case 'relabel-rows':
      return step.fixes.slice(0, 3).map((f) => `#${f.row} → ${JSON.stringify(f.to)}`).join('; ') + (step.fixes.length > 3 ? ` … (${step.fixes.length})` : '');
    case 'drop-duplicate-rows':
      return step.columns?.length ? step.columns.join(', ') : '*';
    case 'drop-orphans':
      return `${step.column} → ${step.parentTable}.${step.parentColumn}${step.quarantine ? ' (quarantine)' : ''}`;
    default:
      return '';
  }
}

/** Where an inherited rule suite came from: an earlier import of the same dataset. */
export interface InheritedSuite {
  fromImportId: string;
  fromCreatedAt: number;
  rules: QualityRule[];
}

/**
 * The earlier imports of the same dataset (same `name`, created before `currentId`), newest first:
 * the order in which to look for a rule suite to re-run on `currentId`. Empty when it is unknown.
 */
export function listInheritCandidates(imports: readonly Pick<ImportRecord, 'id' | 'name' | 'createdAt'>[], currentId: string): string[] {
  const current = imports.find((i) => i.id === currentId);
  if (!current) return [];
  return imports
    .filter((i) => i.id !== currentId && i.name === current.name && i.createdAt < current.createdAt)
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((i) => i.id);
}

/**
 * The suite to re-run on `currentId`: none when it keeps rules of its own, else the most recent earlier
 * import of the same dataset whose suite has at least one rule (`suites` maps import id → its suite).
 */
export function selectInheritedSuite(
  imports: readonly Pick<ImportRecord, 'id' | 'name' | 'createdAt'>[],
  currentId: string,
  suites: Readonly<Record<string, RuleSuiteState | undefined>>,
): InheritedSuite | null {
  if ((suites[currentId]?.rules.length ?? 0) > 0) return null;
  const byId = new Map(imports.map((i) => [i.id, i]));
  for (const id of listInheritCandidates(imports, currentId)) {
    const suite = suites[id];
    if (suite && suite.rules.length > 0) return { fromImportId: id, fromCreatedAt: byId.get(id)!.createdAt, rules: suite.rules };
  }
  return null;
}

/**
 * One relabel-rows step per table and column from the accepted tagging fixes (a later fix of the same
 * cell wins); fixes whose value does not change are left out. Ordered by table, column.
 */
export function buildRelabelSteps(fixes: readonly AcceptedFix[]): RecipeStep[] {
  const groups = new Map<string, { table: string; column: string; rows: Map<number, string> }>();
  for (const f of [...fixes].sort((a, b) => a.acceptedAt - b.acceptedAt)) {
    const key = JSON.stringify([f.table, f.column]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { table: f.table, column: f.column, rows: new Map() }));
    if (f.from === f.to) g.rows.delete(f.row);
    else g.rows.set(f.row, f.to);
  }
  return [...groups.values()]
    .filter((g) => g.rows.size > 0)
    .sort((a, b) => (a.table === b.table ? a.column.localeCompare(b.column) : a.table.localeCompare(b.table)))
    .map((g) => ({
      kind: 'relabel-rows',
      table: g.table,
      column: g.column,
      fixes: [...g.rows].sort((a, b) => a[0] - b[0]).map(([row, to]) => ({ row, to })),
      note: `accepted mislabel fixes (${g.rows.size})`,
    }));
}
