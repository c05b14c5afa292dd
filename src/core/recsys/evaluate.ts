// Offline evaluation of the baseline recommenders: Recall/NDCG/MAP@K with seeded bootstrap intervals,
// catalogue coverage and popularity bias, per split; and the same run before and after cleaning.
import { mulberry32 } from '../util/random.ts';
import { findSuspiciousUsers, markDuplicateEvents, type DiagnosticsOptions } from './diagnostics.ts';
import { filterInteractionLog, RecsError, type InteractionLog } from './interactions.ts';
import { buildTrainMatrix, EASE_MAX_ITEMS, trainEase, trainItemKnn, trainPopularity, type ItemKnnOptions, type Recommender, type TrainMatrix } from './models.ts';
import { splitLeaveLastOut, splitTemporal, type Split, type SplitKind } from './split.ts';

export const DEFAULT_KS: readonly number[] = [5, 10, 20];

export type ModelName = 'popularity' | 'item-knn' | 'ease';

export interface Interval {
  mean: number;
  /** 95% percentile bootstrap interval over evaluated users. */
  low: number;
  high: number;
}

export interface MetricsAtK {
  k: number;
  recall: Interval;
  ndcg: Interval;
  map: Interval;
  /** Share of the training catalogue recommended to at least one evaluated user. */
  coverage: number;
  /** Mean training popularity of recommended items over the catalogue mean: 1 is neutral, > 1 favours hits. */
  popularityBias: number;
}

export interface ModelEvaluation {
  model: ModelName;
  /** Null when the model was skipped (EASE on a large catalogue), with the reason. */
  metrics: MetricsAtK[] | null;
  skipped?: string;
  trainMs: number;
  evalMs: number;
}

export interface SplitEvaluation {
  split: SplitKind;
  trainRows: number;
  evaluatedUsers: number;
  /** Test targets dropped because the user already had the item in training (seen items are never recommended). */
  repeatTargetsDropped: number;
  /** Test users left with no target after that, or without history. */
  usersSkipped: number;
  cutoff: number | null;
  models: ModelEvaluation[];
}

export interface EvaluateOptions {
  ks?: readonly number[];
  models?: ModelName[];
  splits?: SplitKind[];
  seed?: number;
  /** Bootstrap resamples (default 200). */
  bootstrap?: number;
  knn?: ItemKnnOptions;
  easeLambda?: number;
  easeMaxItems?: number;
  /** Temporal split test share (default 0.2). */
  testShare?: number;
  onProgress?: (e: { kind: 'model'; split: SplitKind; model: ModelName }) => void;
}

/** Per-user target sets of a split (distinct test items not already in the user's training set). */
export interface Targets {
  users: Int32Array;
  offsets: Int32Array;
  items: Int32Array;
  repeatDropped: number;
  skipped: number;
}

export function buildTargets(log: InteractionLog, split: Split, m: TrainMatrix): Targets {
  const users: number[] = [];
  const offsets: number[] = [0];
  const items: number[] = [];
  const seen = new Int32Array(m.nItems).fill(-1);
  let repeat = 0;
  let skipped = 0;
  for (let j = 0; j < split.testUsers.length; j++) {
    const u = split.testUsers[j];
    for (let p = m.userOffsets[u]; p < m.userOffsets[u + 1]; p++) seen[m.userItems[p]] = u;
    const start = items.length;
    for (let p = split.testOffsets[j]; p < split.testOffsets[j + 1]; p++) {
      const i = log.item[split.testRows[p]];
      if (seen[i] === u) {
        repeat++;
        continue;
      }
      seen[i] = u; // also dedups the user's own targets
      items.push(i);
    }
    if (items.length === start || m.userOffsets[u + 1] === m.userOffsets[u]) {
      items.length = start;
      skipped++;
      continue;
    }
    users.push(u);
    offsets.push(items.length);
  }
  return { users: Int32Array.from(users), offsets: Int32Array.from(offsets), items: Int32Array.from(items), repeatDropped: repeat, skipped };
}

/** Mean and 95% percentile interval of the mean, resampling users with a seeded generator. */
export function bootstrapMean(values: Float64Array, resamples: number, seed: number): Interval {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n ? sum / n : 0;
  if (n === 0 || resamples <= 0) return { mean, low: mean, high: mean };
  const rand = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += values[Math.floor(rand() * n)];
    means[b] = s / n;
  }
  means.sort();
  return { mean, low: means[Math.floor(0.025 * (resamples - 1))], high: means[Math.ceil(0.975 * (resamples - 1))] };
}

/**
 * Scores one model on the targets. Recall@K = hits / |targets|; NDCG@K with binary gains and the ideal
 * over min(|targets|, K); MAP@K = Σ precision at each hit / min(|targets|, K).
 */
export function scoreRecommender(model: Recommender, targets: Targets, m: TrainMatrix, ks: readonly number[], resamples: number, seed: number): MetricsAtK[] {
  const maxK = Math.max(...ks);
  const nUsers = targets.users.length;
  const recall = ks.map(() => new Float64Array(nUsers));
  const ndcg = ks.map(() => new Float64Array(nUsers));
  const ap = ks.map(() => new Float64Array(nUsers));
  const covered = ks.map(() => new Uint8Array(m.nItems));
  const popSum = ks.map(() => 0);
  const popN = ks.map(() => 0);
  const isTarget = new Int32Array(m.nItems).fill(-1);
  for (let j = 0; j < nUsers; j++) {
    const u = targets.users[j];
    const nT = targets.offsets[j + 1] - targets.offsets[j];
    for (let p = targets.offsets[j]; p < targets.offsets[j + 1]; p++) isTarget[targets.items[p]] = j;
    const recs = model.recommend(u, maxK);
    ks.forEach((k, x) => {
      let hits = 0;
      let dcg = 0;
      let apSum = 0;
      for (let r = 0; r < Math.min(k, recs.length); r++) {
        const i = recs[r];
        covered[x][i] = 1;
        popSum[x] += m.itemCounts[i];
        popN[x]++;
        if (isTarget[i] === j) {
          hits++;
          dcg += 1 / Math.log2(r + 2);
          apSum += hits / (r + 1);
        }
      }
      let idcg = 0;
      for (let r = 0; r < Math.min(nT, k); r++) idcg += 1 / Math.log2(r + 2);
      recall[x][j] = hits / nT;
      ndcg[x][j] = dcg / idcg;
      ap[x][j] = apSum / Math.min(nT, k);
    });
  }
  let catalogue = 0;
  let catalogueSum = 0;
  for (let i = 0; i < m.nItems; i++) if (m.itemCounts[i] > 0) { catalogue++; catalogueSum += m.itemCounts[i]; }
  const catalogueMean = catalogue ? catalogueSum / catalogue : 1;
  return ks.map((k, x) => {
    let cov = 0;
    for (let i = 0; i < m.nItems; i++) if (covered[x][i] && m.itemCounts[i] > 0) cov++;
    return {
      k,
      recall: bootstrapMean(recall[x], resamples, seed + 1),
      ndcg: bootstrapMean(ndcg[x], resamples, seed + 2),
      map: bootstrapMean(ap[x], resamples, seed + 3),
      coverage: catalogue ? cov / catalogue : 0,
      popularityBias: popN[x] ? popSum[x] / popN[x] / catalogueMean : 0,
    };
  });
}

function trainModel(name: ModelName, m: TrainMatrix, options: EvaluateOptions): { ok: true; model: Recommender } | { ok: false; reason: string } {
  if (name === 'popularity') return { ok: true, model: trainPopularity(m) };
  if (name === 'item-knn') return { ok: true, model: trainItemKnn(m, options.knn) };
  return trainEase(m, { lambda: options.easeLambda, maxItems: options.easeMaxItems ?? EASE_MAX_ITEMS });
}

/** Makes one split of the log, or throws EMPTY_SPLIT / NO_TIMESTAMPS with the reason. */
export function makeSplit(log: InteractionLog, kind: SplitKind, options: { testShare?: number } = {}): Split {
  return kind === 'leave-last-out' ? splitLeaveLastOut(log) : splitTemporal(log, { testShare: options.testShare });
}

/** Evaluates every model on one split. Throws EMPTY_SPLIT when no user can be evaluated. */
export function evaluateSplit(log: InteractionLog, split: Split, options: EvaluateOptions = {}): SplitEvaluation {
  const ks = options.ks ?? DEFAULT_KS;
  const seed = options.seed ?? 42;
  const resamples = options.bootstrap ?? 200;
  const m = buildTrainMatrix(log, split.trainRows);
  const targets = buildTargets(log, split, m);
  if (targets.users.length === 0) {
    throw new RecsError('EMPTY_SPLIT', `the ${split.kind} split leaves no user to evaluate: ${targets.repeatDropped} test targets were items the user already had in training and ${targets.skipped} users had none left.`);
  }
  const models: ModelEvaluation[] = [];
  for (const name of options.models ?? (['popularity', 'item-knn', 'ease'] as ModelName[])) {
    options.onProgress?.({ kind: 'model', split: split.kind, model: name });
    const t0 = performance.now();
    const trained = trainModel(name, m, options);
    const t1 = performance.now();
    if (!trained.ok) {
      models.push({ model: name, metrics: null, skipped: trained.reason, trainMs: 0, evalMs: 0 });
      continue;
    }
    const metrics = scoreRecommender(trained.model, targets, m, ks, resamples, seed);
    models.push({ model: name, metrics, trainMs: t1 - t0, evalMs: performance.now() - t1 });
  }
  return {
    split: split.kind,
    trainRows: split.trainRows.length,
    evaluatedUsers: targets.users.length,
    repeatTargetsDropped: targets.repeatDropped,
    usersSkipped: targets.skipped + split.coldTestUsers,
    cutoff: split.cutoff,
    models,
  };
}

/** Evaluates each split kind; a split that cannot be made is reported with its reason, not thrown. */
export function evaluateLog(log: InteractionLog, options: EvaluateOptions = {}): { results: SplitEvaluation[]; refused: { split: SplitKind; reason: string }[] } {
  const results: SplitEvaluation[] = [];
  const refused: { split: SplitKind; reason: string }[] = [];
  for (const kind of options.splits ?? (['leave-last-out', 'temporal'] as SplitKind[])) {
    try {
      results.push(evaluateSplit(log, makeSplit(log, kind, options), options));
    } catch (e) {
      if (e instanceof RecsError) refused.push({ split: kind, reason: e.message });
      else throw e;
    }
  }
  return { results, refused };
}

/** What the cleaning recipe removes before the "after" evaluation. */
export interface CleaningSummary {
  duplicateRows: number;
  robotUsers: string[];
  robotRows: number;
  orphanRows: number;
  rowsBefore: number;
  rowsAfter: number;
}

/**
 * The import's cleaning recipe for interactions: duplicate events removed (first kept), suspicious
 * users' rows dropped, rows whose item is missing from the item table dropped.
 */
export function cleanInteractions(log: InteractionLog, options: DiagnosticsOptions & { robots?: boolean; duplicates?: boolean; orphans?: boolean } = {}): { log: InteractionLog; summary: CleaningSummary } {
  const n = log.user.length;
  const keep = new Uint8Array(n).fill(1);
  const dup = options.duplicates === false ? new Uint8Array(n) : markDuplicateEvents(log);
  const robots = options.robots === false ? [] : findSuspiciousUsers(log, options).users.map((u) => u.user);
  const robotSet = new Set(robots);
  const isRobot = Uint8Array.from(log.users, (u) => (robotSet.has(u) ? 1 : 0));
  let duplicateRows = 0;
  let robotRows = 0;
  let orphanRows = 0;
  for (let r = 0; r < n; r++) {
    if (isRobot[log.user[r]]) { keep[r] = 0; robotRows++; continue; }
    if (options.orphans !== false && log.orphanItem[r]) { keep[r] = 0; orphanRows++; continue; }
    if (dup[r]) { keep[r] = 0; duplicateRows++; }
  }
  const cleaned = filterInteractionLog(log, keep);
  return { log: cleaned, summary: { duplicateRows, robotUsers: robots, robotRows, orphanRows, rowsBefore: n, rowsAfter: cleaned.user.length } };
}

export interface CleaningComparison {
  cleaning: CleaningSummary;
  before: ReturnType<typeof evaluateLog>;
  after: ReturnType<typeof evaluateLog>;
}

/**
 * Data quality → model quality: the same evaluation on the raw and the cleaned log, side by side.
 * Test sets differ (the cleaned one has no robot or duplicate targets), which is the point: the raw
 * numbers are what a team would have believed.
 */
export function compareCleaning(log: InteractionLog, options: EvaluateOptions & DiagnosticsOptions = {}): CleaningComparison {
  const { log: cleaned, summary } = cleanInteractions(log, options);
  return { cleaning: summary, before: evaluateLog(log, options), after: evaluateLog(cleaned, options) };
}
