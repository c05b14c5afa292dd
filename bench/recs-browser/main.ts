// Browser benchmark page: starts the item-kNN worker, samples measureUserAgentSpecificMemory() while it
// runs (where the page is cross-origin isolated), and exposes the outcome on globalThis.__recsBench.
import { SEED } from '../recs-synthetic.ts';
import type { WorkerResult } from './bench.worker.ts';

/** What the Node driver reads back from the page. */
export type RecsBenchOutcome =
  | ({ ok: true; uaMemoryPeakBytes: number | null; uaMemorySamples: number; crossOriginIsolated: boolean } & WorkerResult)
  | { ok: false; error: string };

type MemoryApi = { measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }> };

const out = document.getElementById('out')!;
let peak: number | null = null;
let samples = 0;
let done = false;

/** One measureUserAgentSpecificMemory() sample; false where the page cannot ask. */
async function sampleOnce(): Promise<boolean> {
  const api = performance as unknown as MemoryApi;
  if (!globalThis.crossOriginIsolated || !api.measureUserAgentSpecificMemory) return false;
  try {
    const m = await api.measureUserAgentSpecificMemory();
    peak = Math.max(peak ?? 0, m.bytes);
    samples++;
    return true;
  } catch {
    return false;
  }
}

// The API waits while the worker is inside a long synchronous call, so it mostly answers before and
// after the run: a lower bound on the peak, which the driver's /proc sampling covers.
async function sampleMemory(): Promise<void> {
  while (!done && (await sampleOnce())) await new Promise((r) => setTimeout(r, 250));
}

function finish(outcome: RecsBenchOutcome): void {
  done = true;
  out.textContent = JSON.stringify(outcome, null, 2);
  (globalThis as unknown as { __recsBench: RecsBenchOutcome }).__recsBench = outcome;
}

const worker = new Worker(new URL('./bench.worker.ts', import.meta.url), { type: 'module' });
worker.onmessage = async (e: MessageEvent<{ ok: true; result: WorkerResult } | { ok: false; error: string }>) => {
  const msg = e.data;
  await sampleOnce(); // the worker still holds its heap here
  finish(msg.ok ? { ok: true, ...msg.result, uaMemoryPeakBytes: peak, uaMemorySamples: samples, crossOriginIsolated: globalThis.crossOriginIsolated } : msg);
  worker.terminate();
};
worker.onerror = (e) => finish({ ok: false, error: e.message || 'worker failed to load' });
void sampleMemory();
worker.postMessage({ seed: SEED });
