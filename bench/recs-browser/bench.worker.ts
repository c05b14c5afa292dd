// Browser benchmark worker: generates the seeded synthetic log and times item-kNN train + evaluate@20
// with the core recsys modules, in a module Web Worker like the app's recs worker.
import { generateLog, prepareSynthetic, timeItemKnn, type KnnTiming } from '../recs-synthetic.ts';

/** Posted back to the page once: the timed part plus the untimed generate/prepare durations. */
export interface WorkerResult extends KnnTiming {
  generateMs: number;
  prepareMs: number;
}

self.onmessage = (e: MessageEvent<{ seed: number }>) => {
  try {
    const t0 = performance.now();
    const log = generateLog(e.data.seed);
    const t1 = performance.now();
    const { m, targets } = prepareSynthetic(log);
    const t2 = performance.now();
    const timing = timeItemKnn(m, targets);
    const result: WorkerResult = { ...timing, generateMs: t1 - t0, prepareMs: t2 - t1 };
    self.postMessage({ ok: true, result });
  } catch (err) {
    self.postMessage({ ok: false, error: String((err as Error)?.stack ?? err) });
  }
};
