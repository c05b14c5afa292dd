// Recs worker: runs the interaction diagnostics and the baseline models (before and after the cleaning
// recipe) on a log read by the data worker, off the main thread. Cancel = terminate.
import { expose } from 'comlink';
import { diagnoseInteractions, type Diagnostics } from '../src/core/recsys/diagnostics.ts';
import { cleanInteractions, evaluateLog, type CleaningComparison, type ModelName } from '../src/core/recsys/evaluate.ts';
import type { InteractionLog } from '../src/core/recsys/interactions.ts';
import { keepErrorCodes } from '../src/lib/worker-errors.ts';

/** What the view can tune; everything else uses the core defaults. */
export interface RecsRunOptions {
  coldK: number;
  /** Robust z-score threshold for suspicious users. */
  zThreshold: number;
  nowSeconds: number;
  seed: number;
  models?: ModelName[];
}

export type RecsProgress = { phase: 'diagnose' } | { phase: 'clean' } | { phase: 'evaluate'; which: 'before' | 'after' };

export interface RecsAnalysis {
  diagnostics: Diagnostics;
  evaluation: CleaningComparison;
  ms: { diagnose: number; evaluate: number };
}

keepErrorCodes();

const api = {
  /** Diagnostics, then the same evaluation on the raw and the cleaned log (core's compareCleaning, in steps for progress). */
  async analyse(log: InteractionLog, options: RecsRunOptions, onProgress: (p: RecsProgress) => void): Promise<RecsAnalysis> {
    const opts = { coldK: options.coldK, zThreshold: options.zThreshold, nowSeconds: options.nowSeconds, seed: options.seed, models: options.models };
    const t0 = performance.now();
    await onProgress({ phase: 'diagnose' });
    const diagnostics = diagnoseInteractions(log, opts);
    const t1 = performance.now();
    await onProgress({ phase: 'clean' });
    const { log: cleaned, summary } = cleanInteractions(log, opts);
    await onProgress({ phase: 'evaluate', which: 'before' });
    const before = evaluateLog(log, opts);
    await onProgress({ phase: 'evaluate', which: 'after' });
    const after = evaluateLog(cleaned, opts);
    return { diagnostics, evaluation: { cleaning: summary, before, after }, ms: { diagnose: t1 - t0, evaluate: performance.now() - t1 } };
  },
};

export type RecsApi = typeof api;
expose(api);
