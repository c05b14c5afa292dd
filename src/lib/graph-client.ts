// Main-thread bridge to the graph layout worker: one layout at a time; cancelling (or starting the next
// layout) terminates the worker so a long run stops at once, and the next call starts a fresh one.
import { proxy, transfer } from 'comlink';
import type { LayoutInput } from '../core/graph/layout.ts';
import type { GraphLayoutApi, LayoutSettings } from '../../workers/graph-layout.worker.ts';
import { lazyWorker } from './lazy-worker.ts';

export type { LayoutSettings };

export interface LayoutJob {
  /** Resolves with positions `[x0, y0, x1, y1, …]`; rejects with AbortError on cancel. */
  result: Promise<Float32Array>;
  cancel(): void;
}

const layoutWorker = lazyWorker<GraphLayoutApi>(
  () => new Worker(new URL('../../workers/graph-layout.worker.ts', import.meta.url), { type: 'module', name: 'graph-layout' }),
);
let running: LayoutJob | null = null;

/** Starts laying out `input` in the worker (the index arrays are transferred); cancels any running layout. */
export function startLayout(input: LayoutInput, settings: LayoutSettings, onProgress: (done: number, total: number) => void = () => {}): LayoutJob {
  running?.cancel();
  let reject: (e: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  const sources = input.sources.slice();
  const targets = input.targets.slice();
  const run = layoutWorker.api().layout(
    transfer({ nodeCount: input.nodeCount, sources, targets }, [sources.buffer, targets.buffer]),
    settings,
    proxy(onProgress),
  );
  const job: LayoutJob = {
    result: Promise.race([run, cancelled]).finally(() => {
      if (running === job) running = null;
    }),
    cancel() {
      if (running !== job) return;
      running = null;
      layoutWorker.reset();
      reject(new DOMException('Layout cancelled', 'AbortError'));
    },
  };
  running = job;
  return job;
}
