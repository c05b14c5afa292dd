// `stocktake inventory <folder|zip|files...> [--json out.json]`: the same inventory the app shows.
import { writeFileSync } from 'node:fs';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';

export async function runInventoryCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const sources = loadSourcesFromArgs(args.positional);
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(sources, engine, {
      name: stringOption(args, 'name'),
      onProgress: (e) => {
        if (e.kind === 'file-done') process.stderr.write(`  ${e.file}: ${e.rows} rows\n`);
        if (e.kind === 'file-error') process.stderr.write(`  ${e.issue.file}: ERROR ${e.issue.code}: ${e.issue.message}\n`);
      },
    });
    const json = JSON.stringify(inventory, null, 2);
    const out = stringOption(args, 'json');
    if (out) writeFileSync(out, json);
    else process.stdout.write(json + '\n');
    const { import: imp } = inventory;
    process.stderr.write(
      `${imp.name}: ${imp.tableCount} tables, ${imp.rowCount} rows, ${inventory.relations.length} foreign keys, ` +
        `${imp.issues.filter((i) => i.severity === 'error').length} errors (${imp.durationMs} ms, ${imp.engine})\n`,
    );
    return imp.status === 'failed' ? 1 : 0;
  } finally {
    engine.close();
  }
}
