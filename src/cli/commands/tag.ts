// `stocktake tag <folder|zip|files...> --json out.json`: trains and evaluates one text classifier per
// (text column, categorical target) pair of every table, with out-of-fold metrics and suspect labels.
import { writeFileSync } from 'node:fs';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { buildTagJobSql, planTagJobs } from '../../core/tagging/plan-tag-jobs.ts';
import { tagTable } from '../../core/tagging/tag-table.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';

/** Default cap on labelled rows per model: keeps one run of the CLI within minutes on big tables. */
const DEFAULT_MAX_ROWS = 20_000;

export async function runTagCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const sources = loadSourcesFromArgs(args.positional);
  const maxRows = Number(stringOption(args, 'max-rows') ?? DEFAULT_MAX_ROWS);
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(sources, engine, {
      onProgress: (e) => {
        if (e.kind === 'file-error') process.stderr.write(`  ${e.issue.file}: ERROR ${e.issue.code}: ${e.issue.message}\n`);
      },
    });
    const models: unknown[] = [];
    const skipped: unknown[] = [];
    for (const job of planTagJobs(inventory)) {
      const started = Date.now();
      const rows = await engine.query<{ row: number; y: string | null } & Record<string, unknown>>(buildTagJobSql(job));
      const texts = job.text.map((_, i) => rows.map((r) => (r[`t${i}`] ?? null) as string | null));
      const result = await tagTable({ texts, labels: rows.map((r) => r.y) }, { maxTrainRows: maxRows, finalModel: 'if-missing' });
      const label = `${job.table}: ${job.text.join('+')} → ${job.target}`;
      if (!result.ok) {
        skipped.push({ ...job, code: result.code, reason: result.reason });
        process.stderr.write(`  ${label}: no model (${result.reason})\n`);
        continue;
      }
      // The table's row i came from data row rows[i].row of its file (rowid order).
      const fileRow = (i: number) => Number(rows[i].row);
      models.push({
        table: job.table,
        text: job.text,
        target: job.target,
        classes: result.classes,
        metrics: { accuracy: result.metrics.accuracy, macroF1: result.metrics.macroF1, folds: result.metrics.k, rows: result.metrics.rows, confusion: result.metrics.confusion },
        reliability: result.reliability,
        warnings: result.warnings,
        suspects: result.suspects.map((s) => ({ row: fileRow(s.row), given: s.given, suggested: s.suggested, p: s.p })),
        predictionsForMissing: result.predictionsForMissing.map((p) => ({ row: fileRow(p.row), label: p.label, p: p.p })),
        dataFingerprint: result.dataFingerprint,
        durationMs: Date.now() - started,
      });
      process.stderr.write(
        `  ${label}: ${result.classes.length} classes, accuracy ${result.metrics.accuracy.toFixed(3)}, macro-F1 ${result.metrics.macroF1.toFixed(3)}, ` +
          `${result.suspects.length} suspects (${Date.now() - started} ms)\n`,
      );
    }
    const json = JSON.stringify({ models, skipped }, null, 2);
    const out = stringOption(args, 'json');
    if (out) writeFileSync(out, json);
    else process.stdout.write(json + '\n');
    return 0;
  } finally {
    engine.close();
  }
}
