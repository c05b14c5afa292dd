// Alert sentences chosen from the alert's fields in the UI's locale, and failing rules turned into alerts.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/core/monitor/diff.ts';
import type { QualityRule, RuleResult } from '../../../src/core/quality/suggest-rules.ts';
import { chooseAlertSentence, formatAlertSentence } from '../../../src/features/monitor/alert-sentence.ts';
import { en } from '../../../src/i18n/en.ts';
import { zh } from '../../../src/i18n/zh.ts';
import { buildRuleAlerts, countRuleResults, getRuleStatus } from '../../../src/state/monitor-rules.ts';

const psi: Alert = { severity: 'error', table: 'orders', column: 'amount', kind: 'psi', message: 'distribution shift over old deciles (PSI 0.512 ≥ 0.25)', value: 0.51234, threshold: 0.25 };

describe('chooseAlertSentence', () => {
  it('picks the template of the kind and fills target, value and threshold', () => {
    expect(chooseAlertSentence(psi)).toEqual({
      key: 'alerts.sentence.psi',
      params: { target: 'orders.amount', table: 'orders', column: 'amount', value: '0.512', threshold: '0.25' },
    });
  });

  it('shares one template for every history metric and names a table-level target by the table', () => {
    const a: Alert = { severity: 'warn', table: 'orders', kind: 'rows_robust_z', message: 'unusual change of rows …', value: 4.2, threshold: 3.5 };
    expect(chooseAlertSentence(a)?.key).toBe('alerts.sentence.robust_z');
    expect(chooseAlertSentence(a)?.params.target).toBe('orders');
    expect(formatAlertSentence('en', a)).toBe('Unusual change of Rows, robust z of change in orders against its history (robust z 4.2 ≥ 3.5)');
  });

  it('shows category shares as percentages', () => {
    const a: Alert = { severity: 'warn', table: 'orders', column: 'status', kind: 'category_appeared', message: 'category "lost" appeared (3 rows, 12.5% of the new values)', value: 0.125, threshold: 0.01, category: 'lost' };
    expect(chooseAlertSentence(a)?.params).toMatchObject({ category: 'lost', percent: '12.5%', thresholdPercent: '1.0%' });
    expect(formatAlertSentence('zh', a)).toBe('orders.status 出现新类别 "lost"，占新值的 12.5%（阈值 1.0%）');
    expect(formatAlertSentence('en', { ...a, kind: 'category_vanished', category: 'a (b)', message: 'category "a (b)" vanished (3 rows, 12.5% of the old values)' })).toBe(
      'Category "a (b)" vanished from orders.status: it held 12.5% of the old values (threshold 1.0%)',
    );
    // A report stored before alerts carried `category` keeps core's English text.
    expect(chooseAlertSentence({ ...a, category: undefined })).toBeNull();
  });

  it('tells a rule that could not run from one that failed', () => {
    const failed: Alert = { severity: 'error', table: 'orders', column: 'status', kind: 'rule_failed', message: 'rule x failed: 3 violating rows', value: 3, threshold: 0 };
    expect(chooseAlertSentence(failed)?.key).toBe('alerts.sentence.rule_failed');
    expect(chooseAlertSentence({ ...failed, value: 0 })?.key).toBe('alerts.sentence.rule_error');
    expect(formatAlertSentence('zh', failed)).toBe('orders.status 上的规则未通过：3 行违反');
  });

  it('renders the same alert in Chinese and English', () => {
    expect(formatAlertSentence('en', psi)).toBe('Distribution of orders.amount shifted over the old deciles (PSI 0.512 ≥ 0.25)');
    expect(formatAlertSentence('zh', psi)).toBe('orders.amount 在旧十分位上的分布发生偏移（PSI 0.512 ≥ 0.25）');
    const removed: Alert = { severity: 'error', table: 'refunds', kind: 'table_removed', message: 'table removed', value: 1, threshold: null };
    expect(formatAlertSentence('zh', removed)).toBe('表 refunds 已删除');
  });

  it('falls back to core\'s message for a kind without a template', () => {
    const a: Alert = { severity: 'warn', table: 'orders', kind: 'brand_new_metric', message: 'brand_new_metric 2 ≥ 1', value: 2, threshold: 1 };
    expect(chooseAlertSentence(a)).toBeNull();
    expect(formatAlertSentence('zh', a)).toBe('brand_new_metric 2 ≥ 1');
  });

  it('has a template in both catalogs for every alert kind core emits', () => {
    const kinds = ['null_rate_h', 'distinct_ratio_change', 'wasserstein_norm', 'psi', 'jensen_shannon', 'row_count_log2', 'duplicate_rows_h', 'stale_days', 'column_added', 'column_removed', 'column_renamed', 'column_retyped', 'category_appeared', 'category_vanished', 'duplicate_keys', 'table_added', 'table_removed', 'rule_failed'];
    for (const kind of kinds) {
      const key = chooseAlertSentence({ kind, table: 't', value: 1, threshold: null, message: 'm', category: 'x' })?.key;
      expect(key, kind).toBeDefined();
      expect(zh[key!], kind).not.toBe(en[key!]);
    }
  });
});

describe('rule suite in the monitor', () => {
  const rules: QualityRule[] = [
    { id: 'isContainedIn:orders.status', kind: 'isContainedIn', table: 'orders', column: 'status', params: { values: ['delivered', 'shipped'] }, evidence: '' },
    { id: 'isUnique:orders.order_id', kind: 'isUnique', table: 'orders', column: 'order_id', evidence: '' },
    { id: 'isComplete:orders.gone', kind: 'isComplete', table: 'orders', column: 'gone', evidence: '' },
    { id: 'isComplete:orders.amount', kind: 'isComplete', table: 'orders', column: 'amount', evidence: '' },
  ];
  const results: Record<string, RuleResult> = {
    'isContainedIn:orders.status': { ruleId: 'isContainedIn:orders.status', passed: false, violations: 1, sql: '' },
    'isUnique:orders.order_id': { ruleId: 'isUnique:orders.order_id', passed: true, violations: 0, sql: '' },
    'isComplete:orders.gone': { ruleId: 'isComplete:orders.gone', passed: false, violations: 0, sql: '', error: 'column "gone" not found' },
  };

  it('gives each rule a status and counts the ones that ran', () => {
    expect(rules.map((r) => getRuleStatus(results[r.id]))).toEqual(['failed', 'passed', 'error', 'not-run']);
    expect(countRuleResults(rules, results)).toEqual({ ran: 3, passed: 1, failed: 2 });
  });

  it('turns each rule that ran and did not pass into an error alert, as the CLI audit does', () => {
    expect(buildRuleAlerts(rules, results)).toEqual([
      { severity: 'error', table: 'orders', column: 'status', kind: 'rule_failed', message: 'rule isContainedIn:orders.status failed: 1 violating rows', value: 1, threshold: 0 },
      { severity: 'error', table: 'orders', column: 'gone', kind: 'rule_failed', message: 'rule isComplete:orders.gone could not run: column "gone" not found', value: 0, threshold: 0 },
    ]);
  });
});
