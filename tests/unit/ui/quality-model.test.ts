// The Quality view's pure helpers: grouping, the steps an issue offers, recipe edits without duplicates,
// preview keys, merge steps from chosen cluster values, the kept rule suite and rule edits, cell text.
import { describe, expect, it } from 'vitest';
import { createRecipe, type RecipeStep } from '../../../src/core/quality/recipe.ts';
import type { QualityRule } from '../../../src/core/quality/suggest-rules.ts';
import type { QualityIssue, QualityReport, ValueCluster } from '../../../src/core/quality/types.ts';
import {
  acceptRule,
  addSteps,
  buildMergeStep,
  cleanedFileName,
  dismissRule,
  editRuleParams,
  emptyRuleSuite,
  formatCell,
  groupIssues,
  pendingRules,
  pendingSteps,
  previewKey,
  ruleParamText,
  stepDetail,
  stepsForIssue,
  stepTarget,
} from '../../../src/state/quality-model.ts';

function issue(over: Partial<QualityIssue>): QualityIssue {
  return { id: 'x', table: 't', dimension: 'completeness', severity: 'info', count: 1, rule: 'r', code: 'null', sql: '', samples: [], ...over };
}

const issues: QualityIssue[] = [
  issue({ id: 'uniqueness:duplicate-key:reviews.review_id', table: 'reviews', column: 'review_id', dimension: 'uniqueness', severity: 'error', code: 'duplicate-key', count: 28 }),
  issue({ id: 'completeness:null:products.category', table: 'products', column: 'category', severity: 'info', count: 111 }),
  issue({ id: 'completeness:placeholder:reviews.title', table: 'reviews', column: 'title', severity: 'info', code: 'placeholder', count: 2, values: [{ value: '0', count: 2 }] }),
];
const report: QualityReport = { importId: 'i', generatedAt: 0, issues, tables: [], score: 90, freshness: [], scoreFormula: '' };

describe('groupIssues', () => {
  it('groups by table in report order with severity counts', () => {
    const g = groupIssues(issues, 'table');
    expect(g.map((x) => [x.key, x.issues.length, x.severities])).toEqual([
      ['reviews', 2, { error: 1, warning: 0, info: 1 }],
      ['products', 1, { error: 0, warning: 0, info: 1 }],
    ]);
  });
  it('groups by dimension', () => {
    expect(groupIssues(issues, 'dimension').map((x) => [x.key, x.issues.map((i) => i.count)])).toEqual([
      ['uniqueness', [28]],
      ['completeness', [111, 2]],
    ]);
  });
});

describe('recipe steps from issues', () => {
  it('offers the mechanical fix of one issue and none for nulls', () => {
    expect(stepsForIssue(report, issues[0])).toEqual([{ kind: 'drop-duplicate-rows', table: 'reviews', columns: ['review_id'], note: 'fixes uniqueness:duplicate-key:reviews.review_id (28)' }]);
    expect(stepsForIssue(report, issues[1])).toEqual([]);
    expect(stepsForIssue(report, issues[2])).toEqual([{ kind: 'null-placeholders', table: 'reviews', column: 'title', values: ['0'], note: 'fixes completeness:placeholder:reviews.title (2)' }]);
  });

  it('adds only new steps and lists the suggestions not yet kept', () => {
    const fix = stepsForIssue(report, issues[0]);
    const r1 = addSteps(createRecipe(), fix);
    expect(r1.steps).toEqual(fix);
    expect(addSteps(r1, fix)).toBe(r1);
    const suggested = createRecipe([...stepsForIssue(report, issues[2]), ...fix]);
    expect(pendingSteps(suggested, r1)).toEqual(stepsForIssue(report, issues[2]));
  });

  it('keys a preview on the same-table steps up to it', () => {
    const a: RecipeStep = { kind: 'trim', table: 'a', column: 'x' };
    const b: RecipeStep = { kind: 'trim', table: 'b', column: 'y' };
    const a2: RecipeStep = { kind: 'normalize-case', table: 'a', column: 'x', mode: 'lower' };
    // Moving b around does not change what a2's preview depends on.
    expect(previewKey([a, b, a2], 2)).toBe(previewKey([b, a, a2], 2));
    expect(previewKey([a, b, a2], 2)).not.toBe(previewKey([a2, b, a], 0));
    expect(previewKey([a, b, a2], 1)).toBe(JSON.stringify([b]));
  });

  it('describes steps', () => {
    expect(stepTarget({ kind: 'drop-orphans', table: 'items', column: 'pid', parentTable: 'p', parentColumn: 'id' })).toBe('items');
    expect(stepTarget({ kind: 'trim', table: 'a', column: 'x' })).toBe('a.x');
    expect(stepDetail({ kind: 'cap-outliers', table: 'a', column: 'x', lower: null, upper: 2137 })).toBe('[−∞, 2137]');
    expect(stepDetail({ kind: 'null-placeholders', table: 'a', column: 'x', values: ['n/a'], blank: true })).toBe('"n/a", blank');
  });
});

describe('buildMergeStep', () => {
  const clusters: ValueCluster[] = [
    { key: 'sao paulo', values: [{ value: 'sao paulo', count: 90 }, { value: 'São Paulo', count: 8 }, { value: 'SAO PAULO', count: 2 }], rows: 100 },
    { key: 'rio', values: [{ value: 'rio', count: 5 }, { value: 'Rio', count: 1 }], rows: 6 },
  ];
  it('merges into the most frequent value unless another is chosen; null leaves a cluster alone', () => {
    expect(buildMergeStep('c', 'city', clusters, { 'sao paulo': 'São Paulo', rio: null })).toEqual({
      kind: 'merge-cluster', table: 'c', column: 'city', note: 'merges 1 cluster(s)',
      merges: [{ values: ['sao paulo', 'SAO PAULO'], into: 'São Paulo' }],
    });
    expect(buildMergeStep('c', 'city', clusters, {})?.kind === 'merge-cluster' && buildMergeStep('c', 'city', clusters, {})).toMatchObject({
      merges: [{ values: ['São Paulo', 'SAO PAULO'], into: 'sao paulo' }, { values: ['Rio'], into: 'rio' }],
    });
    expect(buildMergeStep('c', 'city', clusters, { 'sao paulo': null, rio: null })).toBeNull();
  });
});

describe('rule suite', () => {
  const range: QualityRule = { id: 'hasRange:items.price', kind: 'hasRange', table: 'items', column: 'price', params: { min: 0 }, evidence: 'price ≥ 0' };
  const set: QualityRule = { id: 'isContainedIn:o.status', kind: 'isContainedIn', table: 'o', column: 'status', params: { values: ['a', 'b'] }, evidence: '2 values' };
  const complete: QualityRule = { id: 'isComplete:o.id', kind: 'isComplete', table: 'o', column: 'id', evidence: '0 nulls' };

  it('accepts, replaces on edit, and dismisses', () => {
    let suite = acceptRule(emptyRuleSuite(), range);
    expect(pendingRules([range, set, complete], suite)).toEqual([set, complete]);
    const edited = editRuleParams(range, '0..5000')!;
    suite = acceptRule(suite, edited);
    expect(suite.rules).toEqual([{ ...range, params: { min: 0, max: 5000 }, evidence: 'price ≥ 0 (edited)' }]);
    suite = dismissRule(suite, set.id);
    expect(pendingRules([range, set, complete], suite)).toEqual([complete]);
    suite = dismissRule(suite, range.id);
    expect(suite.rules).toEqual([]);
    expect(suite.dismissed).toEqual([set.id, range.id]);
    expect(acceptRule(suite, set).dismissed).toEqual([range.id]);
  });

  it('edits parameters from one line of text and refuses invalid text', () => {
    expect(ruleParamText(set)).toBe('a, b');
    expect(editRuleParams(set, ' a , c ,')?.params).toEqual({ values: ['a', 'c'] });
    expect(editRuleParams(set, ' , ')).toBeNull();
    expect(ruleParamText(range)).toBe('0..');
    expect(editRuleParams(range, '..10')?.params).toEqual({ max: 10 });
    expect(editRuleParams(range, '10..1')).toBeNull();
    expect(editRuleParams(range, 'abc')).toBeNull();
    expect(editRuleParams(complete, 'x')).toBeNull();
  });
});

describe('formatCell and file names', () => {
  it('renders values as plain text', () => {
    expect(formatCell(null)).toBe('∅');
    expect(formatCell('<img src=x onerror=alert(1)>')).toBe('<img src=x onerror=alert(1)>');
    expect(formatCell(12.5)).toBe('12.5');
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
  });
  it('makes safe file names', () => {
    expect(cleanedFileName('olist orders', 'csv')).toBe('clean_olist_orders.csv');
    expect(cleanedFileName('a/b', 'log.json')).toBe('clean_a_b.log.json');
  });
});

import { buildRelabelSteps, listInheritCandidates, selectInheritedSuite, stepDetail as describeStep } from '../../../src/state/quality-model.ts';
import type { AcceptedFix } from '../../../src/state/tagging-plan.ts';

describe('rules inherited from an earlier import of the same export', () => {
  const imports = [
    { id: 'orders-3', name: 'orders', createdAt: 3000 },
    { id: 'other-2', name: 'other', createdAt: 2500 },
    { id: 'orders-2', name: 'orders', createdAt: 2000 },
    { id: 'orders-1', name: 'orders', createdAt: 1000 },
    { id: 'orders-4', name: 'orders', createdAt: 4000 },
  ];
  const rule = (id: string): QualityRule => ({ id, kind: 'isComplete', table: 'o', column: id, evidence: '0 nulls' });
  const suite = (...ids: string[]) => ({ ...emptyRuleSuite(), rules: ids.map(rule) });

  it('lists earlier imports with the same name, newest first', () => {
    expect(listInheritCandidates(imports, 'orders-3')).toEqual(['orders-2', 'orders-1']);
    expect(listInheritCandidates(imports, 'orders-1')).toEqual([]);
    expect(listInheritCandidates(imports, 'missing')).toEqual([]);
  });

  it('takes the most recent earlier suite that has rules, never a later or other-named one', () => {
    const suites = { 'orders-1': suite('isComplete:o.a'), 'orders-2': { ...emptyRuleSuite(), dismissed: ['x'] }, 'other-2': suite('isComplete:o.z'), 'orders-4': suite('isComplete:o.late') };
    expect(selectInheritedSuite(imports, 'orders-3', suites)).toEqual({ fromImportId: 'orders-1', fromCreatedAt: 1000, rules: [rule('isComplete:o.a')] });
    expect(selectInheritedSuite(imports, 'orders-3', { ...suites, 'orders-2': suite('isComplete:o.b') })?.fromImportId).toBe('orders-2');
    // An import with rules of its own inherits nothing; the first import has nothing to inherit.
    expect(selectInheritedSuite(imports, 'orders-3', { ...suites, 'orders-3': suite('isComplete:o.c') })).toBeNull();
    expect(selectInheritedSuite(imports, 'orders-1', suites)).toBeNull();
  });
});

describe('accepted mislabel fixes as recipe steps', () => {
  const fix = (table: string, column: string, row: number, from: string, to: string, acceptedAt: number): AcceptedFix =>
    ({ table, column, row, from, to, p: 0.9, modelId: 1, modelVersion: 1, acceptedAt });

  it('makes one relabel-rows step per column, the latest decision per cell winning', () => {
    const steps = buildRelabelSteps([
      fix('products', 'category', 7, 'toys', 'shoes', 3),
      fix('products', 'category', 2, 'bags', 'hats', 1),
      fix('products', 'category', 7, 'toys', 'bags', 2),
      fix('reviews', 'label', 0, 'neg', 'pos', 1),
      fix('reviews', 'label', 4, 'pos', 'pos', 1),
    ]);
    expect(steps).toEqual([
      { kind: 'relabel-rows', table: 'products', column: 'category', fixes: [{ row: 2, to: 'hats' }, { row: 7, to: 'shoes' }], note: 'accepted mislabel fixes (2)' },
      { kind: 'relabel-rows', table: 'reviews', column: 'label', fixes: [{ row: 0, to: 'pos' }], note: 'accepted mislabel fixes (1)' },
    ]);
    expect(describeStep(steps[0])).toBe('#2 → "hats"; #7 → "shoes"');
    expect(buildRelabelSteps([])).toEqual([]);
  });
});
