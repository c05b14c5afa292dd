// The one pattern behind every worker bridge: a worker started on first use, and jobs whose cancel
// terminates it, so a long computation stops at once; the next call starts a fresh worker.
import { wrap, type Remote } from 'comlink';

/** A cancellable call into a worker: `result` rejects with an AbortError once `cancel()` was called. */
export interface WorkerJob<T> {
  result: Promise<T>;
  cancel(): void;
}

export interface LazyWorker<A> {
  /** The worker's API; starts the worker on first use. */
  api(): Remote<A>;
  /** The API only while a worker is running (calls that mean nothing to a fresh worker). */
  current(): Remote<A> | null;
  /** Terminates the worker; the next `api()` starts a fresh one. */
  reset(): void;
  /** Runs `call` as a job: cancelling terminates the worker and rejects with AbortError "`what` cancelled". */
  job<T>(call: (api: Remote<A>) => Promise<T>, what: string): WorkerJob<T>;
}

/**
 * `create` must spell `new Worker(new URL('…', import.meta.url), …)` out in the caller's module, where
 * Vite finds and bundles the worker.
 */
export function lazyWorker<A>(create: () => Worker): LazyWorker<A> {
  let worker: Worker | null = null;
  let api: Remote<A> | null = null;
  const self: LazyWorker<A> = {
    api() {
      if (!api) {
        worker = create();
        api = wrap<A>(worker);
      }
      return api;
    },
    current: () => api,
    reset() {
      worker?.terminate();
      worker = null;
      api = null;
    },
    job<T>(call: (api: Remote<A>) => Promise<T>, what: string): WorkerJob<T> {
      let reject: (e: unknown) => void = () => {};
      const cancelled = new Promise<never>((_, r) => (reject = r));
      const run = call(self.api());
      return {
        result: Promise.race([run, cancelled]),
        cancel() {
          self.reset();
          reject(new DOMException(`${what} cancelled`, 'AbortError'));
        },
      };
    },
  };
  return self;
}
