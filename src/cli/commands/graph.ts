// `stocktake graph <folder|zip|files...> [--json out.json] [--format graphml|jsonld|csv --out FILE]
// [--max-users N] [--top-k K] [--similar-k K]`: the knowledge graph of an export. With `--format csv`, `--out x.csv`
// receives the nodes and `x.edges.csv` the edges. Without an output option the JSON goes to stdout.
import { writeFileSync } from 'node:fs';
import { StocktakeError } from '../../core/errors.ts';
import { buildGraph, countByType } from '../../core/graph/build-graph.ts';
import { exportCsv, exportGraphMl, exportJsonLd, toEdgesPath } from '../../core/graph/export.ts';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';
import type { KnowledgeGraph } from '../../core/graph/types.ts';

const FORMATS = ['graphml', 'jsonld', 'csv', 'json'] as const;
type Format = (typeof FORMATS)[number];

function parseCount(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new StocktakeError('BAD_ARGUMENT', `--${name} must be a positive integer, got "${value}".`);
  return n;
}

/** Writes one export; CSV writes `out` (nodes) and `<out minus extension>.edges.csv` (edges). */
function writeGraphFile(graph: KnowledgeGraph, format: Format, out: string): void {
  if (format === 'graphml') writeFileSync(out, exportGraphMl(graph));
  else if (format === 'jsonld') writeFileSync(out, JSON.stringify(exportJsonLd(graph), null, 1));
  else if (format === 'csv') {
    const csv = exportCsv(graph);
    writeFileSync(out, csv.nodes);
    writeFileSync(toEdgesPath(out), csv.edges);
  } else writeFileSync(out, JSON.stringify(graph));
}

export async function runGraphCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  const json = stringOption(args, 'json');
  const format = stringOption(args, 'format') as Format | undefined;
  const out = stringOption(args, 'out');
  if (format !== undefined && !FORMATS.includes(format)) throw new StocktakeError('BAD_ARGUMENT', `--format must be one of ${FORMATS.join(', ')}, got "${format}".`);
  if (format && !out) throw new StocktakeError('BAD_ARGUMENT', '--format needs --out FILE.');
  const maxUsers = parseCount(stringOption(args, 'max-users'), 'max-users');
  const topK = parseCount(stringOption(args, 'top-k'), 'top-k');
  // similar_to neighbours per product by title; 0 builds none.
  const similarRaw = stringOption(args, 'similar-k');
  const similarTopK = similarRaw === '0' ? 0 : parseCount(similarRaw, 'similar-k');
  const sources = loadSourcesFromArgs(args.positional);
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(sources, engine, {
      name: stringOption(args, 'name'),
      onProgress: (e) => {
        if (e.kind === 'file-error') process.stderr.write(`  ${e.issue.file}: ERROR ${e.issue.code}: ${e.issue.message}\n`);
      },
    });
    if (inventory.import.status === 'failed') {
      process.stderr.write(`${inventory.import.name}: no table could be read\n`);
      return 1;
    }
    const graph = await buildGraph(engine, inventory, { maxUsers, topK, similarTopK });
    if (json) writeFileSync(json, JSON.stringify(graph));
    if (format && out) writeGraphFile(graph, format, out);
    if (!json && !format) process.stdout.write(JSON.stringify(graph) + '\n');
    const counts = countByType(graph);
    const fmt = (r: Record<string, number>) => Object.entries(r).map(([k, v]) => `${k} ${v}`).join(', ');
    process.stderr.write(
      `${inventory.import.name}: ${graph.nodes.length} nodes (${fmt(counts.nodes)}), ${graph.links.length} links (${fmt(counts.links)})\n`,
    );
    return 0;
  } finally {
    engine.close();
  }
}
