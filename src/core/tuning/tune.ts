// One model's tuning from start to finish: the search on validation data, then the chosen and the
// default configuration scored once on the held-out rows (time for that is kept back from the search).
import type { ClassifierObjective } from './classifier-objective.ts';
import type { RecommenderObjective } from './recommender-objective.ts';
import { runSearch, type SearchOptions, type SearchResult } from './search.ts';

/** An objective that can also score a configuration on its held-out rows. */
export type TunableObjective = ClassifierObjective | RecommenderObjective;

/** Held-out metrics of a configuration (never used to choose it). */
export type HeldOutMetrics = Record<string, number>;

export interface TuneResult extends SearchResult {
  /** Chosen and default configuration on the held-out rows; null when the search was cancelled. */
  heldOut: { chosen: HeldOutMetrics; default: HeldOutMetrics } | null;
}

/**
 * Seconds to keep back for the held-out step, from the default trial's duration: a classifier's
 * k-fold trial trains k models on (k−1)/k of the rows, the held-out step two on all of them;
 * a recommender trial and a held-out score cost about the same, twice.
 */
export function heldOutReserve(objective: TunableObjective): (defaultTrialSeconds: number) => number {
  if (objective.kind === 'classifier') return (s) => (2 * s) / Math.max(1, objective.folds - 1);
  return (s) => 2 * s;
}

async function scoreHeldOut(objective: TunableObjective, params: SearchResult['chosen']['params'], signal?: AbortSignal): Promise<HeldOutMetrics> {
  if (objective.kind === 'classifier') return { ...(await objective.evaluateHeldOut(params, signal)) };
  const r = objective.evaluateHeldOut(params);
  const k = objective.metric.split('@')[1];
  return { [`ndcg@${k}`]: r.ndcg, [`recall@${k}`]: r.recall, users: r.users };
}

/** Runs the search within `budgetSeconds` (held-out step included) and scores the result on held-out rows. */
export async function tuneObjective(objective: TunableObjective, options: Omit<SearchOptions, 'reserveSeconds'>): Promise<TuneResult> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const search = await runSearch(objective, { ...options, clock, reserveSeconds: heldOutReserve(objective) });
  if (search.stoppedBy === 'cancelled') return { ...search, heldOut: null };
  const chosen = await scoreHeldOut(objective, search.chosen.params, options.signal);
  const byDefault = search.chosen.run === search.default.run ? chosen : await scoreHeldOut(objective, search.default.params, options.signal);
  // usedSeconds covers the held-out step too: it is part of the budget the caller gave.
  return { ...search, usedSeconds: (clock() - started) / 1000, heldOut: { chosen, default: byDefault } };
}
