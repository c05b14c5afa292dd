// Main-thread bridge to the tuning worker: one search at a time with progress; cancelling terminates
// the worker (the next call starts a fresh one lazily), and promoted classifiers are trained there too.
import { proxy, transfer } from 'comlink';
import type { InteractionLog } from '../core/recsys/interactions.ts';
import type { TunableRecommender } from '../core/tuning/recommender-objective.ts';
import type { Params } from '../core/tuning/search-space.ts';
import type { SearchProgress } from '../core/tuning/search.ts';
import { lazyWorker, type WorkerJob } from './lazy-worker.ts';
import type { PromotedClassifier, TuningApi, TuningOptions, TuningOutcome, TuningRows } from '../../workers/tuning.worker.ts';

export type { PromotedClassifier, SearchProgress, TuningOptions, TuningOutcome, TuningRows };

/** Resolves with the search (or why the model cannot be tuned); rejects with AbortError on cancel. */
export type TuningJob = WorkerJob<TuningOutcome>;

const tuning = lazyWorker<TuningApi>(() => new Worker(new URL('../../workers/tuning.worker.ts', import.meta.url), { type: 'module', name: 'tuning' }));

/** Starts tuning the classifier `name` on a job's rows. */
export function startClassifierTuning(name: string, input: TuningRows, options: TuningOptions, onProgress: (e: SearchProgress) => void): TuningJob {
  return tuning.job<TuningOutcome>((api) => api.tuneClassifier(name, input, options, proxy(onProgress)), 'Tuning');
}

/** Starts tuning a recommender (the log's typed arrays are transferred: the caller must not reuse them). */
export function startRecommenderTuning(log: InteractionLog, model: TunableRecommender, options: TuningOptions, onProgress: (e: SearchProgress) => void): TuningJob {
  const buffers = [log.user.buffer, log.item.buffer, log.time.buffer, log.event.buffer, log.orphanItem.buffer, ...(log.quantity ? [log.quantity.buffer] : [])] as ArrayBuffer[];
  return tuning.job<TuningOutcome>((api) => api.tuneRecommender(transfer(log, buffers), model, options, proxy(onProgress)), 'Tuning');
}

/** Trains the classifier of a promoted configuration on every labelled row and exports it to ONNX. */
export function trainPromotedClassifier(input: TuningRows, params: Params, options: { seed: number; folds: number; maxRows: number }): Promise<PromotedClassifier | { ok: false; code: string; reason: string }> {
  return tuning.api().trainPromoted(input, params, options);
}
