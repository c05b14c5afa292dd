// Renders a MonitorReport as Markdown for the CLI and CI logs: alerts first, then schema and
// per-table summaries, every verdict with its effect size and threshold.
import type { Alert, MonitorReport } from './diff.ts';

function fmt(x: number | null): string {
  if (x === null) return '–';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : String(Number(x.toFixed(3)));
}

function cell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const ICON: Record<Alert['severity'], string> = { error: 'ERROR', warn: 'WARN', info: 'info' };

/** The report as a Markdown document. */
export function formatReportMarkdown(report: MonitorReport): string {
  const lines: string[] = [];
  const date = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
  lines.push(`# Stocktake audit: ${report.old.name} → ${report.new.name}`, '');
  lines.push(`Old import ${date(report.old.createdAt)}, new import ${date(report.new.createdAt)}; match score ${fmt(report.matchScore)}; ${report.historyLength} imports in history.`, '');
  const counts = { error: 0, warn: 0, info: 0 };
  for (const a of report.alerts) counts[a.severity]++;
  lines.push(`**${counts.error} errors, ${counts.warn} warnings, ${counts.info} info.**`, '');
  if (report.alerts.length) {
    lines.push('## Alerts', '', '| severity | table | column | kind | value | threshold | message |', '|---|---|---|---|---|---|---|');
    for (const a of report.alerts) {
      lines.push(`| ${ICON[a.severity]} | ${cell(a.table)} | ${cell(a.column ?? '')} | ${a.kind} | ${fmt(a.value)} | ${fmt(a.threshold)} | ${cell(a.message)} |`);
    }
    lines.push('');
  }
  lines.push('## Tables', '', '| table | status | rows old → new | freshness lag days old → new | columns +/−/renamed/retyped |', '|---|---|---|---|---|');
  for (const t of report.tables) {
    const rows = t.drift ? `${fmt(t.drift.rows[0])} → ${fmt(t.drift.rows[1])}` : '';
    const lag = t.drift?.lagDays ? `${fmt(t.drift.lagDays[0])} → ${fmt(t.drift.lagDays[1])}` : '';
    const n = (s: string[]) => t.columns.filter((c) => s.includes(c.status)).length;
    const schema = t.status === 'matched' ? `${n(['added'])}/${n(['removed'])}/${n(['renamed', 'renamed-retyped'])}/${n(['retyped', 'renamed-retyped'])}` : '';
    lines.push(`| ${cell(t.name)}${t.oldName ? ` (was ${cell(t.oldName)})` : ''} | ${t.status} | ${rows} | ${lag} | ${schema} |`);
  }
  lines.push('');
  return lines.join('\n');
}
