// The synthetic item-kNN benchmark shared by Node (`bench/recs.bench.ts`) and the browser page's worker
// (`bench/recs-browser/bench.worker.ts`): one seeded log, one preparation, one timed train + evaluate.
import { buildTargets, scoreRecommender, type Targets } from '../src/core/recsys/evaluate.ts';
import type { InteractionLog } from '../src/core/recsys/interactions.ts';
import { buildTrainMatrix, trainItemKnn, type TrainMatrix } from '../src/core/recsys/models.ts';
import { splitLeaveLastOut } from '../src/core/recsys/split.ts';
import { mulberry32 } from '../src/core/util/random.ts';

export const USERS = 50_000;
export const ITEMS = 20_000;
export const INTERACTIONS = 1_000_000;
export const NEIGHBOURS = 100;
export const SHRINK = 10;
export const K = 20;
export const SEED = 20_241_123;

/** Zipf(1.0) items via the inverse CDF; users uniform; times increasing per user. Seeded. */
export function generateLog(seed: number): InteractionLog {
  const rand = mulberry32(seed);
  const cdf = new Float64Array(ITEMS);
  let acc = 0;
  for (let i = 0; i < ITEMS; i++) cdf[i] = acc += 1 / (i + 1);
  for (let i = 0; i < ITEMS; i++) cdf[i] /= acc;
  const user = new Int32Array(INTERACTIONS);
  const item = new Int32Array(INTERACTIONS);
  const time = new Float64Array(INTERACTIONS);
  for (let r = 0; r < INTERACTIONS; r++) {
    user[r] = Math.floor(rand() * USERS);
    const x = rand();
    let lo = 0;
    let hi = ITEMS - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    item[r] = lo;
    time[r] = 1_600_000_000 + r; // row order is time order
  }
  return {
    users: Array.from({ length: USERS }, (_, u) => `u${u}`),
    items: Array.from({ length: ITEMS }, (_, i) => `i${i}`),
    events: [],
    user, item, time,
    event: new Int16Array(INTERACTIONS).fill(-1),
    quantity: null,
    orphanItem: new Uint8Array(INTERACTIONS),
  };
}

/** The untimed part: leave-last-out split, training matrix and per-user targets. */
export function prepareSynthetic(log: InteractionLog): { m: TrainMatrix; targets: Targets } {
  const split = splitLeaveLastOut(log);
  const m = buildTrainMatrix(log, split.trainRows);
  return { m, targets: buildTargets(log, split, m) };
}

/** What one side reports: milliseconds and the @K metrics (which must agree across sides). */
export interface KnnTiming {
  trainMs: number;
  evalMs: number;
  recall: number;
  ndcg: number;
  evaluatedUsers: number;
}

/** Trains item-kNN and scores it @K (no bootstrap), timing each with performance.now(). */
export function timeItemKnn(m: TrainMatrix, targets: Targets): KnnTiming {
  const t0 = performance.now();
  const model = trainItemKnn(m, { neighbours: NEIGHBOURS, shrink: SHRINK });
  const t1 = performance.now();
  const metrics = scoreRecommender(model, targets, m, [K], 0, 1)[0];
  const t2 = performance.now();
  return { trainMs: t1 - t0, evalMs: t2 - t1, recall: metrics.recall.mean, ndcg: metrics.ndcg.mean, evaluatedUsers: targets.users.length };
}
