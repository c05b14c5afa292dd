// `stocktake tune <folder|zip|files...> --budget <seconds> --json out.json`: tunes every text
// classifier `tag` would train and the recommenders `recs` would evaluate, within one time budget
// shared across the models, and writes each model's trials, the chosen and the default configuration.
import { writeFileSync } from 'node:fs';
import { StocktakeError } from '../../core/errors.ts';
import { buildInventory } from '../../core/inventory/build-inventory.ts';
import { detectInteractions, loadInteractions } from '../../core/recsys/detect-interactions.ts';
import { RecsError, type InteractionLog } from '../../core/recsys/interactions.ts';
import type { SplitKind } from '../../core/recsys/split.ts';
import { buildTagJobSql, planTagJobs } from '../../core/tagging/plan-tag-jobs.ts';
import { createClassifierObjective } from '../../core/tuning/classifier-objective.ts';
import { createRecommenderObjective, type TunableRecommender } from '../../core/tuning/recommender-objective.ts';
import { tuneObjective, type TunableObjective, type TuneResult } from '../../core/tuning/tune.ts';
import { DuckDbNodeEngine } from '../../engine/duckdb-node.ts';
import { parseArgs, stringOption } from '../args.ts';
import { loadSourcesFromArgs } from '../sources.ts';

/** Labelled rows per classifier searched on: trials are many, so fewer rows than `tag` trains on. */
const DEFAULT_MAX_ROWS = 5_000;
/** Below this many validation users the temporal split is compared with leave-last-out. */
const MIN_VALIDATION_USERS = 50;

function numberOption(value: string | undefined, name: string, fallback: number | undefined, min = 0): number {
  if (value === undefined) {
    if (fallback === undefined) throw new StocktakeError('BAD_ARGUMENT', `--${name} is required (seconds of tuning in all, e.g. --${name} 60).`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= min) throw new StocktakeError('BAD_ARGUMENT', `--${name} must be a number above ${min}: ${value}`);
  return n;
}

/** One model to tune: what the JSON says about it, and how to build its objective. */
interface Plan {
  describe: Record<string, unknown>;
  build(): Promise<{ ok: true; objective: TunableObjective } | { ok: false; code: string; reason: string }>;
}

function formatModel(describe: Record<string, unknown>, result: TuneResult): Record<string, unknown> {
  return {
    ...describe,
    metric: result.metric,
    dataFingerprint: result.dataFingerprint,
    search: { ...result.settings, stoppedBy: result.stoppedBy, usedSeconds: result.usedSeconds },
    trials: result.runs.map((r) => ({ run: r.id, params: r.params, metrics: r.metrics, score: r.score, seconds: r.seconds, rung: r.rung, fraction: r.fraction, status: r.status, ...(r.error ? { error: r.error } : {}) })),
    chosen: { params: result.chosen.params, metrics: result.chosen.metrics, run: result.chosen.run, heldOut: result.heldOut?.chosen ?? null },
    default: { params: result.default.params, metrics: result.default.metrics, run: result.default.run, heldOut: result.heldOut?.default ?? null },
  };
}

/**
 * When run as the CLI the budget counts from process start, so module loading and the engine's start
 * are inside it and the wall time of `npm run cli -- tune` matches `--budget`; called in-process
 * (tests), it counts from the call.
 */
function budgetOrigin(): number {
  const isCli = /src[\\/]cli[\\/]main\.ts$/.test(process.argv[1] ?? '');
  return isCli ? performance.now() - process.uptime() * 1000 : performance.now();
}

export async function runTuneCommand(argv: string[]): Promise<number> {
  const started = budgetOrigin();
  const args = parseArgs(argv);
  const budget = numberOption(stringOption(args, 'budget'), 'budget', undefined);
  const seed = numberOption(stringOption(args, 'seed'), 'seed', 1, -Infinity);
  const maxRows = numberOption(stringOption(args, 'max-rows'), 'max-rows', DEFAULT_MAX_ROWS);
  const folds = numberOption(stringOption(args, 'folds'), 'folds', 5, 1);
  const splitOption = stringOption(args, 'split');
  if (splitOption && splitOption !== 'temporal' && splitOption !== 'leave-last-out') throw new StocktakeError('BAD_ARGUMENT', `--split must be temporal or leave-last-out: ${splitOption}`);
  const sources = loadSourcesFromArgs(args.positional);
  const engine = await DuckDbNodeEngine.create();
  const elapsed = () => (performance.now() - started) / 1000;
  try {
    const { inventory } = await buildInventory(sources, engine, { name: stringOption(args, 'name') });
    const plans: Plan[] = [];
    const skipped: Record<string, unknown>[] = [];
    for (const job of planTagJobs(inventory)) {
      const name = `${job.table}: ${job.text.join('+')} → ${job.target}`;
      plans.push({
        describe: { kind: 'classifier', name, table: job.table, text: job.text, target: job.target },
        build: async () => {
          const rows = await engine.query<{ y: string | null } & Record<string, unknown>>(buildTagJobSql(job));
          // Several text columns are joined by newlines, as the tagging job joins them.
          const texts = rows.map((r) => job.text.map((_, i) => (r[`t${i}`] ?? '') as string).filter((t) => t.trim() !== '').join('\n') || null);
          return createClassifierObjective(name, texts, rows.map((r) => r.y), { seed, maxRows, k: folds });
        },
      });
    }
    const detected = detectInteractions(inventory);
    if (detected.ok) {
      const spec = detected.spec;
      let log: InteractionLog | null = null;
      let loadError: string | null = null;
      try {
        log = (await loadInteractions(engine, spec, inventory)).log;
      } catch (e) {
        if (!(e instanceof RecsError)) throw e;
        loadError = e.message;
      }
      skipped.push({ kind: 'recommender', name: 'popularity', table: spec.factTable, reason: 'Popularity has no hyperparameters to tune.' });
      for (const model of ['item-knn', 'ease'] as TunableRecommender[]) {
        plans.push({
          describe: { kind: 'recommender', name: model, table: spec.factTable, target: `${spec.user.table}.${spec.user.column} → ${spec.item.table}.${spec.item.column}` },
          build: async () => {
            if (!log) return { ok: false, code: 'LOAD_ERROR', reason: loadError ?? 'The interactions could not be read.' };
            if (splitOption) return createRecommenderObjective(log, model, { split: splitOption as SplitKind, seed });
            // In small exports few users buy both before and after one global cut-off: a validation set
            // of a handful of users is noise, so leave-last-out is used when it gives more users.
            const temporal = await createRecommenderObjective(log, model, { split: 'temporal', seed });
            if (temporal.ok && temporal.objective.validationUsers >= MIN_VALIDATION_USERS) return temporal;
            const lastOut = await createRecommenderObjective(log, model, { split: 'leave-last-out', seed });
            if (!temporal.ok) return lastOut.ok ? lastOut : temporal;
            return lastOut.ok && lastOut.objective.validationUsers > temporal.objective.validationUsers ? lastOut : temporal;
          },
        });
      }
    } else {
      skipped.push({ kind: 'recommender', name: 'recommenders', reason: detected.message });
    }

    // Objectives are built first (reading rows, making splits), so models that cannot be tuned take no share.
    const ready: { describe: Record<string, unknown>; objective: TunableObjective }[] = [];
    for (const plan of plans) {
      const built = await plan.build();
      if (built.ok) ready.push({ describe: plan.describe, objective: built.objective });
      else {
        skipped.push({ ...plan.describe, code: built.code, reason: built.reason });
        process.stderr.write(`  ${String(plan.describe.name)}: not tuned (${built.reason})\n`);
      }
    }
    const models: Record<string, unknown>[] = [];
    for (let i = 0; i < ready.length; i++) {
      const { describe: base, objective: o } = ready[i];
      // What is left is shared by the models still to come, so time a model saves goes to the next.
      const share = (budget - elapsed()) / (ready.length - i);
      if (share <= 0) {
        skipped.push({ ...base, reason: 'The time budget was used up before this model.' });
        process.stderr.write(`  ${o.name}: skipped (budget used up)\n`);
        continue;
      }
      // No trial cap: a fast model keeps drawing brackets until its share of the budget is used.
      const result = await tuneObjective(o, { budgetSeconds: share, seed, maxTrials: Infinity });
      const describe = o.kind === 'recommender' ? { ...base, split: o.split, validationUsers: o.validationUsers, testUsers: o.testUsers } : { ...base, classes: o.classes, devRows: o.devRows, testRows: o.testRows, folds: o.folds };
      models.push(formatModel(describe, result));
      const h = result.heldOut;
      const key = o.kind === 'classifier' ? 'macroF1' : result.metric;
      process.stderr.write(
        `  ${o.name}: ${result.runs.length} trials in ${result.usedSeconds.toFixed(1)} s (share ${share.toFixed(1)} s); ${result.metric} default ${result.default.score.toFixed(4)} → chosen ${result.chosen.score.toFixed(4)} (validation)` +
          (h ? `; held-out ${h.default[key]?.toFixed(4)} → ${h.chosen[key]?.toFixed(4)}` : '') + '\n',
      );
    }
    const json = JSON.stringify({ format: 'stocktake-tune', version: 1, dataset: inventory.import.name, budgetSeconds: budget, usedSeconds: elapsed(), seed, models, skipped }, null, 2);
    const out = stringOption(args, 'json');
    if (out) writeFileSync(out, json);
    else process.stdout.write(json + '\n');
    process.stderr.write(`tuned ${models.length} model(s) in ${elapsed().toFixed(1)} s of a ${budget} s budget\n`);
    return 0;
  } finally {
    engine.close();
  }
}
