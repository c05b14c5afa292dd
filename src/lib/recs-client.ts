// Main-thread bridge to the recs worker: one analysis at a time with progress; cancelling terminates
// the worker and the next analysis starts a fresh one lazily.
import { proxy, transfer } from 'comlink';
import type { InteractionLog } from '../core/recsys/interactions.ts';
import type { RecsAnalysis, RecsApi, RecsProgress, RecsRunOptions } from '../../workers/recs.worker.ts';
import { lazyWorker, type WorkerJob } from './lazy-worker.ts';

export type { RecsAnalysis, RecsProgress, RecsRunOptions };

/** Resolves with diagnostics and evaluations; rejects with AbortError on cancel. */
export type RecsJob = WorkerJob<RecsAnalysis>;

const recs = lazyWorker<RecsApi>(() => new Worker(new URL('../../workers/recs.worker.ts', import.meta.url), { type: 'module', name: 'recs' }));

/** Starts the analysis of `log` (its typed arrays are transferred: the caller must not reuse them). */
export function startRecsAnalysis(log: InteractionLog, options: RecsRunOptions, onProgress: (p: RecsProgress) => void): RecsJob {
  const buffers = [log.user.buffer, log.item.buffer, log.time.buffer, log.event.buffer, log.orphanItem.buffer, ...(log.quantity ? [log.quantity.buffer] : [])] as ArrayBuffer[];
  return recs.job((api) => api.analyse(transfer(log, buffers), options, proxy(onProgress)), 'Analysis');
}
