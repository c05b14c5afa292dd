// Main-thread bridge to the recs worker: one analysis at a time with progress; cancelling terminates
// the worker and the next analysis starts a fresh one lazily.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { InteractionLog } from '../core/recsys/interactions.ts';
import type { RecsAnalysis, RecsApi, RecsProgress, RecsRunOptions } from '../../workers/recs.worker.ts';

export type { RecsAnalysis, RecsProgress, RecsRunOptions };

export interface RecsJob {
  /** Resolves with diagnostics and evaluations; rejects with AbortError on cancel. */
  result: Promise<RecsAnalysis>;
  cancel(): void;
}

let worker: Worker | null = null;
let api: Remote<RecsApi> | null = null;

function getApi(): Remote<RecsApi> {
  if (!api) {
    worker = new Worker(new URL('../../workers/recs.worker.ts', import.meta.url), { type: 'module', name: 'recs' });
    api = wrap<RecsApi>(worker);
  }
  return api;
}

function resetWorker(): void {
  worker?.terminate();
  worker = null;
  api = null;
}

/** Starts the analysis of `log` (its typed arrays are transferred: the caller must not reuse them). */
export function startRecsAnalysis(log: InteractionLog, options: RecsRunOptions, onProgress: (p: RecsProgress) => void): RecsJob {
  let reject: (e: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  const buffers = [log.user.buffer, log.item.buffer, log.time.buffer, log.event.buffer, log.orphanItem.buffer, ...(log.quantity ? [log.quantity.buffer] : [])] as ArrayBuffer[];
  const run = getApi().analyse(transfer(log, buffers), options, proxy(onProgress));
  return {
    result: Promise.race([run, cancelled]),
    cancel() {
      resetWorker();
      reject(new DOMException('Analysis cancelled', 'AbortError'));
    },
  };
}
