// `stocktake audit <old> <new> [--rules rules.json] [--fail-on warn|error] [--format json|md]
// [--thresholds thresholds.json] [--clock data|import]`: diffs two exports for CI. Exit 1 when an
// alert at or above --fail-on fires, 0 otherwise, 2 on bad arguments.
import { readFileSync } from 'node:fs';
import { StocktakeError } from '../../core/errors.ts';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { diffInventories, isAtLeast, type DiffOptions } from '../../core/monitor/diff.ts';
import { formatReportMarkdown } from '../../core/monitor/format-report.ts';
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
  if (stringOption(args, 'rules')) {
    // The rule engine of the quality issue (runRules) is not in the tree yet; say so instead of
    // pretending the rules passed.
    process.stderr.write('stocktake audit: note: --rules is ignored: the rule engine is not available in this build.\n');
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
    process.stdout.write(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : formatReportMarkdown(report));
    const firing = report.alerts.filter((a) => isAtLeast(a.severity, failOn));
    process.stderr.write(`${report.alerts.length} alerts, ${firing.length} at or above ${failOn}.\n`);
    return firing.length ? 1 : 0;
  } finally {
    engine?.close();
  }
}
