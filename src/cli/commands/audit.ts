// `stocktake audit <old> <new> [--rules rules.json] [--fail-on warn|error] [--format json|md]
// [--thresholds thresholds.json] [--clock data|import]`: diffs two exports for CI. Exit 1 when an
// alert at or above --fail-on fires, 0 otherwise, 2 on bad arguments.
import { readFileSync } from 'node:fs';
import { StocktakeError } from '../../core/errors.ts';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { diffInventories, isAtLeast, type DiffOptions } from '../../core/monitor/diff.ts';
import { formatReportMarkdown } from '../../core/monitor/format-report.ts';
import { parseRules, runRules, type QualityRule, type RuleResult } from '../../core/quality/suggest-rules.ts';
import type { Inventory } from '../../core/types.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';

const usage = `Usage: npm run cli -- audit <old> <new> [--fail-on warn|error] [--format json|md]
       [--thresholds thresholds.json] [--clock data|import] [--rules rules.json]
  <old>, <new>       folders, .zip files or single files of two exports of the same dataset
  --fail-on          exit 1 when an alert of this severity or worse fires (default error)
  --format           md (default) or json (the full MonitorReport)
  --thresholds       JSON {"global": {...}, "scoped": {"orders.price": {...}}} over the defaults
  --clock            freshness against the export's newest timestamp (data, default) or import time
`;

function fail(message: string): number {
  process.stderr.write(`stocktake audit: ${message}\n\n${usage}`);
  return 2;
}

async function buildOne(path: string, engine: DuckDbNodeEngine): Promise<Inventory> {
  const { inventory } = await buildInventory(loadSourcesFromArgs([path]), engine, {
    onProgress: (e) => {
      if (e.kind === 'file-error') process.stderr.write(`  ${e.issue.file}: ERROR ${e.issue.code}: ${e.issue.message}\n`);
    },
  });
  process.stderr.write(`${path}: ${inventory.import.tableCount} tables, ${inventory.import.rowCount} rows\n`);
  return inventory;
}

/** Runs the audit command; returns the process exit code. */
export async function runAuditCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  if (args.options.help) {
    process.stdout.write(usage);
    return 0;
  }
  if (args.positional.length !== 2) return fail('give exactly two inputs: <old> <new>.');
  const failOn = stringOption(args, 'fail-on') ?? 'error';
  if (failOn !== 'warn' && failOn !== 'error') return fail(`--fail-on must be warn or error, not "${failOn}".`);
  const format = stringOption(args, 'format') ?? 'md';
  if (format !== 'json' && format !== 'md') return fail(`--format must be json or md, not "${format}".`);
  const clock = stringOption(args, 'clock') ?? 'data';
  if (clock !== 'data' && clock !== 'import') return fail(`--clock must be data or import, not "${clock}".`);
  const known = new Set(['fail-on', 'format', 'clock', 'thresholds', 'rules', 'help']);
  const unknown = Object.keys(args.options).filter((k) => !known.has(k));
  if (unknown.length) return fail(`unknown option --${unknown[0]}.`);
  for (const k of ['thresholds', 'rules']) if (args.options[k] === true) return fail(`--${k} needs a file.`);

  const options: DiffOptions = { freshnessClock: clock };
  const thresholdsPath = stringOption(args, 'thresholds');
  if (thresholdsPath) {
    try {
      const t = JSON.parse(readFileSync(thresholdsPath, 'utf8')) as { global?: DiffOptions['thresholds']; scoped?: DiffOptions['scopedThresholds'] };
      options.thresholds = t.global;
      options.scopedThresholds = t.scoped;
    } catch (e) {
      return fail(`cannot read --thresholds ${thresholdsPath}: ${(e as Error).message}`);
    }
  }
  let rules: QualityRule[] | null = null;
  const rulesPath = stringOption(args, 'rules');
  if (rulesPath) {
    try {
      rules = parseRules(readFileSync(rulesPath, 'utf8'));
    } catch (e) {
      return fail(`cannot read --rules ${rulesPath}: ${(e as Error).message}`);
    }
  }

  let engine: DuckDbNodeEngine | undefined;
  try {
    loadSourcesFromArgs([args.positional[0]]);
    loadSourcesFromArgs([args.positional[1]]);
  } catch (e) {
    if (e instanceof StocktakeError) return fail(e.message);
    throw e;
  }
  try {
    engine = await DuckDbNodeEngine.create();
    const oldInv = await buildOne(args.positional[0], engine);
    const newInv = await buildOne(args.positional[1], engine);
    const report = diffInventories(oldInv, newInv, options);
    // The new export's tables are the ones loaded last, so the rule suite runs on them.
    const ruleResults: RuleResult[] = rules ? await runRules(engine, rules) : [];
    for (const r of ruleResults.filter((x) => !x.passed)) {
      const rule = rules!.find((x) => x.id === r.ruleId);
      report.alerts.push({
        severity: 'error',
        table: rule?.table ?? '',
        column: rule?.column,
        kind: 'rule_failed',
        message: r.error ? `rule ${r.ruleId} could not run: ${r.error}` : `rule ${r.ruleId} failed: ${r.violations} violating rows`,
        value: r.violations,
        threshold: 0,
      });
    }
    const rulesMd = rules
      ? `\n## Rule suite (${ruleResults.filter((r) => r.passed).length} of ${ruleResults.length} passed)\n\n` +
        ruleResults.map((r) => `- ${r.passed ? 'pass' : 'FAIL'} \`${r.ruleId}\`: ${r.error ?? `${r.violations} violations`}`).join('\n') + '\n'
      : '';
    process.stdout.write(format === 'json' ? JSON.stringify({ ...report, rules: ruleResults }, null, 2) + '\n' : formatReportMarkdown(report) + rulesMd);
    const firing = report.alerts.filter((a) => isAtLeast(a.severity, failOn));
    process.stderr.write(`${report.alerts.length} alerts, ${firing.length} at or above ${failOn}.\n`);
    return firing.length ? 1 : 0;
  } finally {
    engine?.close();
  }
}
