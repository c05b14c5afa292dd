// Seeded hyperparameter search: the default configuration at full budget first, then random
// configurations raced by successive halving (many at a small budget, the best 1/η promoted to a
// larger one, until the full budget), bracket after bracket, within a wall-clock time budget
// checked between trials.
import { isAbortError } from '../errors.ts';
import { mulberry32 } from '../util/random.ts';
import { configKey, isInSpace, sampleConfig, type Params, type SearchSpace } from './search-space.ts';

export type ObjectiveKind = 'classifier' | 'recommender';

/** The budget of one trial: rung 0 is the smallest; `fraction` 1 is the full budget (the real task). */
export interface TrialBudget {
  rung: number;
  fraction: number;
}

/** What a trial measured: named metrics and the one the search maximises (`score`). */
export interface TrialResult {
  metrics: Record<string, number>;
  score: number;
}

/**
 * A model to tune. `evaluate` trains with `params` on the validation protocol (k-fold, or a temporal
 * split inside the training data) at `budget.fraction` of the full budget and returns the metric;
 * it must never look at a held-out test set.
 */
export interface Objective {
  kind: ObjectiveKind;
  /** Which model this is, e.g. `reviews: review → cat` or `item-knn`. */
  name: string;
  /** Name of the maximised metric, e.g. `macroF1` or `ndcg@10`. */
  metric: string;
  space: SearchSpace;
  /** The configuration used without tuning; always the first trial, at full budget. */
  defaults: Params;
  /** Hash of the rows the objective was built on (equal hash: same data). */
  dataFingerprint: string;
  /**
   * Rungs suited to this objective when the caller sets none (default 3): a small budget must still
   * tell configurations apart, or halving picks at random.
   */
  rungs?: number;
  /**
   * Share of a full trial's time that a smaller budget does not save (default 0: cost ∝ fraction).
   * A recommender trained on every row and scored on a share of users has a large fixed share.
   */
  fixedCostShare?: number;
  /** Fixes a drawn configuration that the space alone cannot keep valid (e.g. a memory cap). */
  constrain?(params: Params): Params;
  evaluate(params: Params, budget: TrialBudget, signal?: AbortSignal): Promise<TrialResult>;
}

/** One trial, kept as a run: what was tried, on what data, with which seed, how it scored and how long it took. */
export interface TuningRun {
  /** `${searchId}#${index}`: unique across searches when search ids are. */
  id: string;
  searchId: string;
  index: number;
  kind: ObjectiveKind;
  model: string;
  params: Params;
  metrics: Record<string, number>;
  metric: string;
  /** The maximised metric; null when the trial failed. */
  score: number | null;
  rung: number;
  fraction: number;
  seconds: number;
  dataFingerprint: string;
  seed: number;
  isDefault: boolean;
  status: 'ok' | 'failed';
  error?: string;
}

/** A configuration picked out of the runs, with the run it comes from. */
export interface ChosenConfig {
  run: string;
  params: Params;
  metrics: Record<string, number>;
  score: number;
}

/** How the search was run: enough to rerun it and get the same trials. */
export interface SearchSettings {
  seed: number;
  eta: number;
  /** Budget fraction of each rung, smallest first (the last is 1). */
  fractions: number[];
  /** Random configurations started at rung 0 of the first bracket (the default comes on top). */
  initialConfigs: number;
  budgetSeconds: number;
  /** Kept back from the search for work after it (e.g. the held-out evaluation). */
  reserveSeconds: number;
}

export interface SearchResult {
  searchId: string;
  kind: ObjectiveKind;
  model: string;
  metric: string;
  dataFingerprint: string;
  settings: SearchSettings;
  runs: TuningRun[];
  /**
   * The best full-budget run. The default is one of those, and ties go to it, so on the validation
   * metric the chosen configuration is never worse than the default — by construction, not by luck.
   */
  chosen: ChosenConfig;
  default: ChosenConfig;
  usedSeconds: number;
  /** `budget`: the time budget is used up; `done`: the space or maxTrials ran out first; `cancelled`: the signal fired. */
  stoppedBy: 'done' | 'budget' | 'cancelled';
}

export type SearchProgress =
  | { kind: 'trial-start'; index: number; rung: number; fraction: number; params: Params }
  | { kind: 'trial'; run: TuningRun; done: number; planned: number; elapsedSeconds: number; budgetSeconds: number }
  | { kind: 'rung'; rung: number; evaluated: number; promoted: number };

export interface SearchOptions {
  /** Wall-clock seconds for the whole search, checked between trials (a trial is never cut). */
  budgetSeconds: number;
  seed?: number;
  /** Keep the best 1/η of each rung (default 3). */
  eta?: number;
  /** Rungs of the ladder (default: the objective's, else 3: fractions 1/9, 1/3, 1 with η = 3); 1 is plain random search. */
  rungs?: number;
  /** Most random configurations per bracket (default 27); fewer when the time left allows fewer. */
  maxConfigs?: number;
  /** Most trials in all (default 1000): a stop for objectives so fast the clock hardly moves. */
  maxTrials?: number;
  /** Seconds to keep back after the search, from the default trial's duration (default none). */
  reserveSeconds?: (defaultTrialSeconds: number) => number;
  /** Milliseconds from any origin; injectable so tests control time. Default `performance.now()`. */
  clock?: () => number;
  /** Prefix of run ids (default `${objective.name}@${seed}`). */
  searchId?: string;
  onProgress?: (event: SearchProgress) => void;
  signal?: AbortSignal;
}

interface Candidate {
  params: Params;
  score: number;
  order: number;
}

/** Draws up to `n` configurations not in `seen` (which it extends), constrained; fewer if the space is small. */
function drawConfigs(objective: Objective, n: number, seed: number, seen: Set<string>): Params[] {
  const rand = mulberry32(seed);
  const out: Params[] = [];
  for (let tries = 0; out.length < n && tries < n * 20; tries++) {
    let p = sampleConfig(objective.space, rand);
    if (objective.constrain) p = objective.constrain(p);
    const key = configKey(p);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/**
 * Runs the search. The default configuration is trial 0 at full budget; its duration sizes each
 * bracket's random pool (so the ladder fits the time left) and every later trial is started only when its
 * expected duration (the mean of finished trials at that rung, else the default's scaled by the
 * fraction) fits before the deadline. Cancelling returns the runs finished so far; cancelling during
 * the default trial throws the AbortError (there is nothing to return).
 */
export async function runSearch(objective: Objective, options: SearchOptions): Promise<SearchResult> {
  const seed = options.seed ?? 1;
  const eta = Math.max(2, options.eta ?? 3);
  const nRungs = Math.max(1, Math.floor(options.rungs ?? objective.rungs ?? 3));
  const fractions = Array.from({ length: nRungs }, (_, r) => eta ** (r - (nRungs - 1)));
  const clock = options.clock ?? (() => performance.now());
  const searchId = options.searchId ?? `${objective.name}@${seed}`;
  const budgetMs = Math.max(0, options.budgetSeconds) * 1000;
  const start = clock();
  const elapsed = () => clock() - start;
  for (const [name, spec] of Object.entries(objective.space)) {
    if (!(name in objective.defaults) || !isInSpace(spec, objective.defaults[name])) {
      throw new RangeError(`default ${name}=${String(objective.defaults[name])} is outside its search space`);
    }
  }

  const runs: TuningRun[] = [];
  let planned = 1;
  const spentAtRung = new Map<number, { ms: number; n: number }>();

  /** Runs one trial and records it; returns null when cancelled. */
  const trial = async (params: Params, rung: number, isDefault: boolean): Promise<TuningRun | null> => {
    const fraction = fractions[rung];
    const index = runs.length;
    options.onProgress?.({ kind: 'trial-start', index, rung, fraction, params });
    const t0 = clock();
    let result: TrialResult | null = null;
    let error: string | undefined;
    try {
      if (options.signal?.aborted) return null;
      result = await objective.evaluate(params, { rung, fraction }, options.signal);
    } catch (e) {
      if (isAbortError(e)) return null;
      error = (e as Error).message ?? String(e);
    }
    const ms = clock() - t0;
    const spent = spentAtRung.get(rung) ?? { ms: 0, n: 0 };
    spentAtRung.set(rung, { ms: spent.ms + ms, n: spent.n + 1 });
    const score = result && Number.isFinite(result.score) ? result.score : null;
    const run: TuningRun = {
      id: `${searchId}#${index}`,
      searchId,
      index,
      kind: objective.kind,
      model: objective.name,
      params,
      metrics: result?.metrics ?? {},
      metric: objective.metric,
      score,
      rung,
      fraction,
      seconds: ms / 1000,
      dataFingerprint: objective.dataFingerprint,
      seed,
      isDefault,
      status: score === null ? 'failed' : 'ok',
      ...(score === null ? { error: error ?? 'the trial gave no finite score' } : {}),
    };
    runs.push(run);
    options.onProgress?.({ kind: 'trial', run, done: runs.length, planned, elapsedSeconds: elapsed() / 1000, budgetSeconds: options.budgetSeconds });
    return run;
  };

  const top = nRungs - 1;
  const defaultRun = await trial(objective.defaults, top, true);
  if (!defaultRun) throw new DOMException('Tuning cancelled', 'AbortError');
  const fullMs = defaultRun.seconds * 1000;
  const reserveMs = Math.max(0, (options.reserveSeconds?.(defaultRun.seconds) ?? 0) * 1000);
  const deadline = budgetMs - reserveMs;

  // Each rung of successive halving costs about n·η^-R full trials, so one bracket costs (R+1)·n·η^-R.
  // Brackets repeat with fresh draws until the time is used, the space runs dry or maxTrials is hit.
  const maxConfigs = Math.max(0, Math.floor(options.maxConfigs ?? 27));
  const maxTrials = Math.max(1, Math.floor(options.maxTrials ?? 1000));
  // Survivors are rounded up (⌈n/η^r⌉), so a small bracket costs more than n·η^-R per rung: plan exactly.
  const fixed = Math.min(1, Math.max(0, objective.fixedCostShare ?? 0));
  const trialMs = (f: number) => fullMs * (fixed + (1 - fixed) * f);
  const bracketMs = (n: number) => fractions.reduce((sum, f, r) => sum + Math.ceil(n / eta ** r) * trialMs(f), 0);
  const affordableConfigs = (cap: number, leftMs: number) => {
    let n = 0;
    while (n < cap && (fullMs === 0 || bracketMs(n + 1) <= leftMs)) n++;
    return n;
  };
  const expectedMs = (rung: number) => {
    const s = spentAtRung.get(rung);
    return s && s.n > 0 ? s.ms / s.n : trialMs(fractions[rung]);
  };
  const seen = new Set([configKey(objective.defaults)]);
  let stoppedBy: SearchResult['stoppedBy'] = 'done';
  let firstBracketConfigs = 0;
  brackets: for (let bracket = 0; ; bracket++) {
    const n = affordableConfigs(Math.min(maxConfigs, maxTrials - runs.length), deadline - elapsed());
    if (n < 1) {
      stoppedBy = runs.length >= maxTrials ? 'done' : 'budget';
      break;
    }
    let pool: Candidate[] = drawConfigs(objective, n, (seed + Math.imul(bracket, 0x9e3779b1)) >>> 0, seen).map((params, order) => ({ params, score: -Infinity, order }));
    if (pool.length === 0) break; // every configuration of a small space has been tried
    if (bracket === 0) firstBracketConfigs = pool.length;
    planned = runs.length + pool.length + Array.from({ length: top }, (_, r) => Math.ceil(pool.length / eta ** (r + 1))).reduce((a, b) => a + b, 0);
    for (let rung = 0; rung <= top && pool.length > 0; rung++) {
      const scored: Candidate[] = [];
      for (const c of pool) {
        if (options.signal?.aborted) {
          stoppedBy = 'cancelled';
          break brackets;
        }
        if (elapsed() + expectedMs(rung) > deadline || runs.length >= maxTrials) {
          stoppedBy = runs.length >= maxTrials ? 'done' : 'budget';
          break brackets;
        }
        const run = await trial(c.params, rung, false);
        if (!run) {
          stoppedBy = 'cancelled';
          break brackets;
        }
        if (run.score !== null) scored.push({ ...c, score: run.score });
      }
      scored.sort((a, b) => b.score - a.score || a.order - b.order);
      pool = rung < top ? scored.slice(0, Math.ceil(scored.length / eta)) : [];
      options.onProgress?.({ kind: 'rung', rung, evaluated: scored.length, promoted: pool.length });
    }
  }

  const pick = (run: TuningRun): ChosenConfig => ({ run: run.id, params: run.params, metrics: run.metrics, score: run.score ?? -Infinity });
  const defaultConfig = pick(defaultRun);
  let best = defaultRun;
  for (const r of runs) if (r.rung === top && r.score !== null && r.score > (best.score ?? -Infinity)) best = r;
  return {
    searchId,
    kind: objective.kind,
    model: objective.name,
    metric: objective.metric,
    dataFingerprint: objective.dataFingerprint,
    settings: { seed, eta, fractions, initialConfigs: firstBracketConfigs, budgetSeconds: options.budgetSeconds, reserveSeconds: reserveMs / 1000 },
    runs,
    chosen: pick(best),
    default: defaultConfig,
    usedSeconds: elapsed() / 1000,
    stoppedBy,
  };
}
