// Main-thread bridge to the tuning worker: one search at a time with progress; cancelling terminates
// the worker (the next call starts a fresh one lazily), and promoted classifiers are trained there too.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { InteractionLog } from '../core/recsys/interactions.ts';
import type { TunableRecommender } from '../core/tuning/recommender-objective.ts';
import type { Params } from '../core/tuning/search-space.ts';
import type { SearchProgress } from '../core/tuning/search.ts';
import type { PromotedClassifier, TuningApi, TuningOptions, TuningOutcome, TuningRows } from '../../workers/tuning.worker.ts';

export type { PromotedClassifier, SearchProgress, TuningOptions, TuningOutcome, TuningRows };

export interface TuningJob {
  /** Resolves with the search (or why the model cannot be tuned); rejects with AbortError on cancel. */
  result: Promise<TuningOutcome>;
  cancel(): void;
}

let worker: Worker | null = null;
let api: Remote<TuningApi> | null = null;

function getApi(): Remote<TuningApi> {
  if (!api) {
    worker = new Worker(new URL('../../workers/tuning.worker.ts', import.meta.url), { type: 'module', name: 'tuning' });
    api = wrap<TuningApi>(worker);
  }
  return api;
}

function resetWorker(): void {
  worker?.terminate();
  worker = null;
  api = null;
}

function cancellable(run: Promise<TuningOutcome>): TuningJob {
  let reject: (e: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  return {
    result: Promise.race([run, cancelled]),
    cancel() {
      resetWorker();
      reject(new DOMException('Tuning cancelled', 'AbortError'));
    },
  };
}

/** Starts tuning the classifier `name` on a job's rows. */
export function startClassifierTuning(name: string, input: TuningRows, options: TuningOptions, onProgress: (e: SearchProgress) => void): TuningJob {
  return cancellable(getApi().tuneClassifier(name, input, options, proxy(onProgress)));
}

/** Starts tuning a recommender (the log's typed arrays are transferred: the caller must not reuse them). */
export function startRecommenderTuning(log: InteractionLog, model: TunableRecommender, options: TuningOptions, onProgress: (e: SearchProgress) => void): TuningJob {
  const buffers = [log.user.buffer, log.item.buffer, log.time.buffer, log.event.buffer, log.orphanItem.buffer, ...(log.quantity ? [log.quantity.buffer] : [])] as ArrayBuffer[];
  return cancellable(getApi().tuneRecommender(transfer(log, buffers), model, options, proxy(onProgress)));
}

/** Trains the classifier of a promoted configuration on every labelled row and exports it to ONNX. */
export function trainPromotedClassifier(input: TuningRows, params: Params, options: { seed: number; folds: number; maxRows: number }): Promise<PromotedClassifier | { ok: false; code: string; reason: string }> {
  return getApi().trainPromoted(input, params, options);
}
