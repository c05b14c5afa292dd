// The Monitor view's rule suite: per-rule status, a pass/fail count, and each failing rule as an alert
// (kind `rule_failed`, as `stocktake audit --rules` reports it). Pure, so Node tests can check it.
import type { Alert } from '../core/monitor/diff.ts';
import type { QualityRule, RuleResult } from '../core/quality/suggest-rules.ts';

export type RuleStatus = 'passed' | 'failed' | 'error' | 'not-run';

/** The status of one rule from its result (none yet: not run). */
export function getRuleStatus(result: RuleResult | undefined): RuleStatus {
  if (!result) return 'not-run';
  if (result.error) return 'error';
  return result.passed ? 'passed' : 'failed';
}

/** How many of `rules` passed and failed (a rule that could not run counts as failed), and how many ran. */
export function countRuleResults(rules: readonly QualityRule[], results: Readonly<Record<string, RuleResult>>): { ran: number; passed: number; failed: number } {
  let ran = 0;
  let passed = 0;
  for (const r of rules) {
    const status = getRuleStatus(results[r.id]);
    if (status === 'not-run') continue;
    ran++;
    if (status === 'passed') passed++;
  }
  return { ran, passed, failed: ran - passed };
}

/**
 * One error alert per rule of `rules` that ran and did not pass: value = violating rows, threshold 0,
 * with the CLI's sentence. Rules without a result yet give none.
 */
export function buildRuleAlerts(rules: readonly QualityRule[], results: Readonly<Record<string, RuleResult>>): Alert[] {
  const alerts: Alert[] = [];
  for (const rule of rules) {
    const r = results[rule.id];
    if (!r || r.passed) continue;
    alerts.push({
      severity: 'error',
      table: rule.table,
      column: rule.column,
      kind: 'rule_failed',
      message: r.error ? `rule ${rule.id} could not run: ${r.error}` : `rule ${rule.id} failed: ${r.violations} violating rows`,
      value: r.violations,
      threshold: 0,
    });
  }
  return alerts;
}
