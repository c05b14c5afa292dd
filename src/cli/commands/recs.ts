// `stocktake recs <folder|zip|files...> [--json out.json]`: recommendation readiness of an export —
// the suggested interaction table, its diagnostics, and baseline models evaluated per split before and
// after cleaning.
import { writeFileSync } from 'node:fs';
import { StocktakeError } from '../../core/errors.ts';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { detectInteractions, loadInteractions, type InteractionSpec } from '../../core/recsys/detect-interactions.ts';
import { diagnoseInteractions } from '../../core/recsys/diagnostics.ts';
import { compareCleaning, type ModelName, type SplitEvaluation } from '../../core/recsys/evaluate.ts';
import { RecsError } from '../../core/recsys/interactions.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';

function numberOption(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new StocktakeError('BAD_ARGUMENT', `--${name} is not a number: ${value}`);
  return n;
}

/** `--user table.column` style overrides of the suggested spec. */
function applyOverride(spec: InteractionSpec, key: 'user' | 'item' | 'time', value: string | undefined): void {
  if (!value) return;
  const dot = value.lastIndexOf('.');
  const ref = dot > 0 ? { table: value.slice(0, dot), column: value.slice(dot + 1) } : { table: spec.factTable, column: value };
  spec[key] = ref;
}

function formatSplit(s: SplitEvaluation): string {
  const lines = [`  ${s.split}: ${s.evaluatedUsers} users evaluated, ${s.trainRows} training rows`];
  for (const m of s.models) {
    const at10 = m.metrics?.find((x) => x.k === 10);
    lines.push(at10
      ? `    ${m.model.padEnd(10)} recall@10 ${at10.recall.mean.toFixed(4)} [${at10.recall.low.toFixed(4)}, ${at10.recall.high.toFixed(4)}]  ndcg@10 ${at10.ndcg.mean.toFixed(4)}  coverage ${at10.coverage.toFixed(3)}`
      : `    ${m.model.padEnd(10)} ${m.skipped}`);
  }
  return lines.join('\n');
}

export async function runRecsCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const seed = numberOption(stringOption(args, 'seed'), 'seed', 42);
  const coldK = numberOption(stringOption(args, 'cold-k'), 'cold-k', 5);
  const nowOption = stringOption(args, 'now');
  const nowSeconds = nowOption ? Date.parse(nowOption) / 1000 : Date.now() / 1000;
  if (Number.isNaN(nowSeconds)) throw new StocktakeError('BAD_ARGUMENT', `--now is not a date: ${nowOption}`);
  const models = stringOption(args, 'models')?.split(',') as ModelName[] | undefined;
  const sources = loadSourcesFromArgs(args.positional);
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(sources, engine, { name: stringOption(args, 'name') });
    const detected = detectInteractions(inventory);
    if (!detected.ok) throw new RecsError(detected.code, `${detected.message} Looked for: ${detected.lookedFor.join('; ')}.`);
    const spec = detected.spec;
    applyOverride(spec, 'user', stringOption(args, 'user'));
    applyOverride(spec, 'item', stringOption(args, 'item'));
    applyOverride(spec, 'time', stringOption(args, 'time'));
    const { log, report } = await loadInteractions(engine, spec, inventory);
    const diagnostics = diagnoseInteractions(log, { coldK, nowSeconds });
    const comparison = compareCleaning(log, { seed, models, nowSeconds });
    const result = {
      format: 'stocktake-recs',
      version: 1,
      dataset: inventory.import.name,
      spec,
      alternatives: detected.alternatives.map((a) => ({ factTable: a.factTable, user: a.user, item: a.item })),
      load: report,
      diagnostics,
      evaluation: comparison,
    };
    const json = JSON.stringify(result, null, 2);
    const out = stringOption(args, 'json');
    if (out) writeFileSync(out, json);
    else process.stdout.write(json + '\n');
    const d = diagnostics.size;
    process.stderr.write(
      `${inventory.import.name}: ${spec.factTable} — ${d.users} users × ${d.items} items, ${d.interactions} interactions (density ${d.density.toExponential(2)}); ` +
        `${diagnostics.duplicates.rows} duplicate events, ${diagnostics.suspicious.users.length} suspicious users\n`,
    );
    for (const [label, ev] of [['before cleaning', comparison.before], ['after cleaning', comparison.after]] as const) {
      process.stderr.write(`${label}:\n${ev.results.map(formatSplit).join('\n')}\n`);
      for (const r of ev.refused) process.stderr.write(`  ${r.split}: refused: ${r.reason}\n`);
    }
    return 0;
  } finally {
    engine.close();
  }
}
