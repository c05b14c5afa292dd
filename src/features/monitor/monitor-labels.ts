// Translated labels of the monitor's metrics, statuses and verdicts; unknown metric names show as is.
import { isMessageKey } from '../../i18n/translate.ts';
import { t } from '../../i18n/index.svelte.ts';

/** The label of a verdict metric (`psi`, `null_rate_h` …), or the metric name when none is known. */
export function metricLabel(metric: string): string {
  const key = `metric.${metric}`;
  return isMessageKey(key) ? t(key) : metric;
}

/** A readable target: `orders` or `orders.price`. */
export function targetLabel(table: string, column?: string): string {
  return column === undefined ? table : `${table}.${column}`;
}
