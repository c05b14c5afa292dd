// Translated alert sentences: core writes each alert's `message` in English, so the UI rebuilds the
// sentence from the alert's fields with a template of the current locale; unknown kinds keep core's text.
import { formatNumber, formatPercent } from '../../components/format.ts';
import type { Alert } from '../../core/monitor/diff.ts';
import type { MessageKey } from '../../i18n/en.ts';
import { formatMessage, isMessageKey, type Locale, type MessageParams } from '../../i18n/translate.ts';

/** The template key of an alert's sentence and the parameters that fill it. */
export interface AlertSentence {
  key: MessageKey;
  params: MessageParams;
}

type AlertFields = Pick<Alert, 'kind' | 'table' | 'column' | 'value' | 'threshold' | 'message' | 'category'>;

/** Alert kinds whose value is a share of rows, shown as a percentage. */
const SHARE_KINDS = new Set(['category_appeared', 'category_vanished']);

/**
 * Picks the template of `alert` (null when its kind has none, so the caller keeps `alert.message`).
 * History alerts (`*_robust_z`) share one template naming the metric; a failed rule with no violations
 * is one that could not run. A category alert without its `category` (older stored reports) keeps core's text.
 */
export function chooseAlertSentence(alert: AlertFields): AlertSentence | null {
  let key: string;
  if (alert.kind.endsWith('_robust_z')) key = 'alerts.sentence.robust_z';
  else if (alert.kind === 'rule_failed' && alert.value === 0) key = 'alerts.sentence.rule_error';
  else key = `alerts.sentence.${alert.kind}`;
  if (!isMessageKey(key)) return null;
  const share = SHARE_KINDS.has(alert.kind);
  const params: MessageParams = {
    target: alert.column === undefined ? alert.table : `${alert.table}.${alert.column}`,
    table: alert.table,
    column: alert.column ?? '',
    value: formatNumber(alert.value, 3),
    threshold: alert.threshold === null ? '—' : formatNumber(alert.threshold, 3),
  };
  if (share) {
    // Reports stored before alerts carried `category` have it only in the English message: keep that.
    if (alert.category === undefined) return null;
    params.category = alert.category;
    params.percent = formatPercent(alert.value);
    params.thresholdPercent = formatPercent(alert.threshold);
  }
  return { key, params };
}

/** The sentence of `alert` in `locale`, or core's English message when its kind has no template. */
export function formatAlertSentence(locale: Locale, alert: AlertFields): string {
  const s = chooseAlertSentence(alert);
  if (!s) return alert.message;
  const metricKey = `metric.${alert.kind}`;
  const metric = isMessageKey(metricKey) ? formatMessage(locale, metricKey) : alert.kind;
  return formatMessage(locale, s.key, { ...s.params, metric });
}
