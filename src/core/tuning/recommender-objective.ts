// The recommenders as tuning objectives: item-kNN (neighbours, shrinkage) and EASE (λ), scored by
// NDCG@K on a validation split made inside the training part of the outer split. The outer split's
// test users are the held-out set: the search never sees them, only the reported figure does.
import { mulberry32, shuffleInPlace } from '../util/random.ts';
import { buildTargets, makeSplit, scoreRecommender, type Targets } from '../recsys/evaluate.ts';
import { RecsError, filterInteractionLog, type InteractionLog } from '../recsys/interactions.ts';
import { EASE_MAX_ITEMS, buildTrainMatrix, trainEase, trainItemKnn, type Recommender, type TrainMatrix } from '../recsys/models.ts';
import type { SplitKind } from '../recsys/split.ts';
import { fingerprintRows } from './data-fingerprint.ts';
import type { Params, SearchSpace } from './search-space.ts';
import type { Objective, TrialBudget, TrialResult } from './search.ts';

export type TunableRecommender = 'item-knn' | 'ease';

/** Search spaces; the defaults are those `recs` evaluates with (100 neighbours, shrink 10; λ 250). */
export const RECOMMENDER_SPACES: Record<TunableRecommender, SearchSpace> = {
  'item-knn': {
    neighbours: { kind: 'int', min: 5, max: 500, log: true },
    shrink: { kind: 'log-float', min: 0.1, max: 500 },
  },
  ease: {
    lambda: { kind: 'log-float', min: 1, max: 20_000 },
  },
};

export const RECOMMENDER_DEFAULTS: Record<TunableRecommender, Params> = {
  'item-knn': { neighbours: 100, shrink: 10 },
  ease: { lambda: 250 },
};

export interface RecommenderObjectiveOptions {
  split?: SplitKind;
  /** Cut-off of the metric (default 10). */
  k?: number;
  seed?: number;
  /** Temporal split test share, for both the outer and the validation split (default 0.2). */
  testShare?: number;
  easeMaxItems?: number;
}

export interface RecommenderObjective extends Objective {
  kind: 'recommender';
  model: TunableRecommender;
  split: SplitKind;
  validationUsers: number;
  testUsers: number;
  /** Trains on the whole training part of the outer split with `params` and scores its test users. */
  evaluateHeldOut(params: Params): { ndcg: number; recall: number; users: number };
}

export type RecommenderObjectiveResult = { ok: true; objective: RecommenderObjective } | { ok: false; code: string; reason: string };

function train(model: TunableRecommender, m: TrainMatrix, params: Params, maxItems: number): Recommender {
  if (model === 'item-knn') return trainItemKnn(m, { neighbours: Number(params.neighbours), shrink: Number(params.shrink) });
  const ease = trainEase(m, { lambda: Number(params.lambda), maxItems });
  if (!ease.ok) throw new RecsError('EMPTY_SPLIT', ease.reason);
  return ease.model;
}

/** The first `n` users of a seeded order of the targets (a budget fraction's evaluation users). */
function subsetTargets(t: Targets, order: number[], n: number): Targets {
  const pick = order.slice(0, n).sort((a, b) => a - b);
  const users: number[] = [];
  const offsets: number[] = [0];
  const items: number[] = [];
  for (const j of pick) {
    users.push(t.users[j]);
    for (let p = t.offsets[j]; p < t.offsets[j + 1]; p++) items.push(t.items[p]);
    offsets.push(items.length);
  }
  return { users: Int32Array.from(users), offsets: Int32Array.from(offsets), items: Int32Array.from(items), repeatDropped: t.repeatDropped, skipped: t.skipped };
}

/**
 * Builds the objective: outer split of `log` (its test users are held out), then the same kind of
 * split of the outer training rows gives the validation users the search is scored on. A budget
 * fraction evaluates that share of validation users (seeded); training always uses every row.
 */
export async function createRecommenderObjective(log: InteractionLog, model: TunableRecommender, options: RecommenderObjectiveOptions = {}): Promise<RecommenderObjectiveResult> {
  const kind = options.split ?? 'temporal';
  const K = options.k ?? 10;
  const seed = options.seed ?? 42;
  const maxItems = options.easeMaxItems ?? EASE_MAX_ITEMS;
  let outer, inner;
  let dev: InteractionLog;
  try {
    outer = makeSplit(log, kind, options);
    const keep = new Uint8Array(log.user.length);
    for (const r of outer.trainRows) keep[r] = 1;
    dev = filterInteractionLog(log, keep);
    inner = makeSplit(dev, kind, options);
  } catch (e) {
    if (e instanceof RecsError) return { ok: false, code: e.reason, reason: e.message };
    throw e;
  }
  const mDev = buildTrainMatrix(dev, inner.trainRows);
  if (model === 'ease' && mDev.nItems > maxItems) {
    return { ok: false, code: 'TOO_MANY_ITEMS', reason: `EASE is not tuned: ${mDev.nItems.toLocaleString('en-US')} items > ${maxItems.toLocaleString('en-US')} (its dense item × item matrix would not fit).` };
  }
  const validation = buildTargets(dev, inner, mDev);
  if (validation.users.length === 0) return { ok: false, code: 'EMPTY_SPLIT', reason: `The ${kind} validation split inside the training rows leaves no user to evaluate.` };
  const mOuter = buildTrainMatrix(log, outer.trainRows);
  const test = buildTargets(log, outer, mOuter);
  const order = shuffleInPlace(Array.from({ length: validation.users.length }, (_, j) => j), mulberry32(seed ^ 0x51ed27));
  const metric = `ndcg@${K}`;
  const dataFingerprint = await fingerprintRows(['stocktake-tuning-recs/1', kind, log.users, log.items, Array.from(log.user), Array.from(log.item), Array.from(log.time, (t) => (Number.isNaN(t) ? null : t))]);
  const score = (rec: Recommender, targets: Targets, m: TrainMatrix) => {
    const [at] = scoreRecommender(rec, targets, m, [K], 0, seed);
    return { ndcg: at.ndcg.mean, recall: at.recall.mean, users: targets.users.length };
  };
  const objective: RecommenderObjective = {
    kind: 'recommender',
    name: model,
    model,
    metric,
    split: kind,
    space: RECOMMENDER_SPACES[model],
    // A budget fraction scores fewer validation users but trains on every row: training is the part
    // that does not shrink (EASE's n³ inversion nearly all of it).
    fixedCostShare: model === 'ease' ? 0.9 : 0.5,
    defaults: RECOMMENDER_DEFAULTS[model],
    dataFingerprint,
    validationUsers: validation.users.length,
    testUsers: test.users.length,
    async evaluate(params: Params, budget: TrialBudget): Promise<TrialResult> {
      const n = Math.max(1, Math.ceil(validation.users.length * budget.fraction));
      const targets = n >= validation.users.length ? validation : subsetTargets(validation, order, n);
      const s = score(train(model, mDev, params, maxItems), targets, mDev);
      return { metrics: { [metric]: s.ndcg, [`recall@${K}`]: s.recall, users: s.users }, score: s.ndcg };
    },
    evaluateHeldOut(params: Params) {
      if (test.users.length === 0) return { ndcg: NaN, recall: NaN, users: 0 };
      return score(train(model, mOuter, params, maxItems), test, mOuter);
    },
  };
  return { ok: true, objective };
}
