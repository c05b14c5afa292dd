// Stocktake's headless CLI: `npm run cli -- <command> ...`. Commands share src/core with the app.
import { StocktakeError } from '../core/errors.ts';

const usage = `Usage: npm run cli -- <command> [options]

Commands:
  inventory <folder|zip|files...> [--json out.json] [--name NAME]
      Profile every table: types, semantic types, PII, keys, foreign keys.
  tag <folder|zip|files...> --json out.json
      Train and evaluate text classifiers on every (text, category) column pair.
  quality <folder|zip|files...> [--json out.json] [--apply recipe.json --out DIR]
      Quality checks, suggested rules and a fix recipe; --apply writes cleaned CSV + Parquet.
  audit <old> <new> [--fail-on warn|error] [--format json|md] [--thresholds t.json]
      Diff a new export against an earlier one; exits 1 when an alert at or above --fail-on fires.
  graph <folder|zip|files...> [--json out.json] [--format graphml|jsonld|csv|json --out FILE] [--max-users N] [--top-k K] [--similar-k K]
      Knowledge graph in d3 node-link JSON; with csv, FILE gets the nodes and FILE.edges.csv the edges.
      --similar-k: similar_to neighbours per product by title text (default 5, 0 for none).
  recs <folder|zip|files...> [--json out.json] [--user|--item|--time table.col]
      Interaction diagnostics and baseline recommenders (popularity, item-kNN, EASE) with Recall/NDCG/MAP@K.
  tune <folder|zip|files...> --budget SECONDS [--json out.json] [--seed N] [--split temporal|leave-last-out] [--max-rows N] [--folds K]
      Seeded random search + successive halving for every tag classifier and the recommenders, within the budget.
  features <folder|zip|files...> --out DIR [--cutoff YYYY-MM-DD] [--target repeat:90|demand:30|TABLE.COLUMN] [--compare YYYY-MM-DD] [--k K]
      Item features, user profiles and user × category affinities as of a cut-off: CSV + Parquet per table and DIR/features.json.
`;

const commands: Record<string, () => Promise<(argv: string[]) => Promise<number>>> = {
  inventory: async () => (await import('./commands/inventory.ts')).runInventoryCommand,
  tag: async () => (await import('./commands/tag.ts')).runTagCommand,
  quality: async () => (await import('./commands/quality.ts')).runQualityCommand,
  audit: async () => (await import('./commands/audit.ts')).runAuditCommand,
  graph: async () => (await import('./commands/graph.ts')).runGraphCommand,
  recs: async () => (await import('./commands/recs.ts')).runRecsCommand,
  tune: async () => (await import('./commands/tune.ts')).runTuneCommand,
  features: async () => (await import('./commands/features.ts')).runFeaturesCommand,
};

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage);
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`Unknown command "${name}".\n\n${usage}`);
    return 2;
  }
  return (await load())(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof StocktakeError) process.stderr.write(`stocktake: ${e.code}: ${e.message}\n`);
    else process.stderr.write(`stocktake: unexpected error: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
