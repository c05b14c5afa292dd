// Main-thread bridge to the tagging worker: training with progress and cancel (cancelling terminates
// the worker; the next call starts a fresh one lazily), and ONNX inference of stored models.
import { proxy, transfer, wrap, type Remote } from 'comlink';
import type { TagProgress } from '../core/tagging/tag-table.ts';
import type { OnnxDevice } from '../engine/onnx-web.ts';
import type { Prediction, TaggingApi, TaggingRows, TaggingSettings, TrainOutcome } from '../../workers/tagging.worker.ts';

export type { Prediction, TaggingRows, TaggingSettings, TrainOutcome };
export type { TrainedModel, SuspectRow } from '../../workers/tagging.worker.ts';
export type { SentimentInput, SentimentOutcome, BrandTaggerOutcome } from '../../workers/tagging.worker.ts';
import type { BrandTaggerOutcome, SentimentInput, SentimentOutcome } from '../../workers/tagging.worker.ts';
import type { BrandTaggerProgress } from '../core/tagging/brand-tagger.ts';
import type { AttributeTag } from '../core/tagging/attributes.ts';
import type { NearDuplicateCluster } from '../core/tagging/near-duplicates.ts';
export { DEFAULT_TAGGING_SETTINGS, joinRowText } from '../../models/tagging-job.ts';

export interface TrainJob {
  /** Resolves with the trained model (or the reason there is none); rejects with AbortError on cancel. */
  result: Promise<TrainOutcome>;
  cancel(): void;
}

let worker: Worker | null = null;
let api: Remote<TaggingApi> | null = null;

function getApi(): Remote<TaggingApi> {
  if (!api) {
    worker = new Worker(new URL('../../workers/tagging.worker.ts', import.meta.url), { type: 'module', name: 'tagging' });
    api = wrap<TaggingApi>(worker);
  }
  return api;
}

function resetWorker(): void {
  worker?.terminate();
  worker = null;
  api = null;
}

/** Hash of a job's rows and settings (equal hash → a stored model can be reused without training). */
export function fingerprintRows(input: TaggingRows, settings: TaggingSettings): Promise<string> {
  return getApi().fingerprintRows(input, settings);
}

/** Starts training on `input`; progress arrives per epoch of each fold and of the final model. */
export function startTraining(input: TaggingRows, settings: TaggingSettings, onProgress: (e: TagProgress) => void): TrainJob {
  let reject: (e: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  const run = getApi().train(input, settings, proxy(onProgress));
  return {
    result: Promise.race([run, cancelled]),
    cancel() {
      resetWorker();
      reject(new DOMException('Training cancelled', 'AbortError'));
    },
  };
}

/** Runs a stored model on `texts` in onnxruntime-web; `key` identifies the model's cached session. */
export function predictTexts(key: string, onnx: Uint8Array, texts: string[], prefer: OnnxDevice = 'webgpu'): Promise<Prediction> {
  // A copy is transferred, so the caller's bytes (often the stored record's) stay usable.
  const bytes = onnx.slice();
  return getApi().predict(key, transfer(bytes, [bytes.buffer]), texts, prefer);
}

/** Releases a model's session in the worker (after it was deleted). */
export function forgetModel(key: string): Promise<void> {
  return api ? api.forget(key) : Promise.resolve();
}

/** Attributes of each title (with spans); `brandValues` builds the brand lexicon. */
export function extractAttributesFor(titles: (string | null)[], brandValues?: (string | null)[]): Promise<AttributeTag[][]> {
  return getApi().extractAttributesFor(titles, brandValues);
}

/** Near-duplicate clusters of titles at or above `threshold` (Jaccard of character shingles). */
export function findDuplicates(titles: (string | null)[], threshold: number): Promise<NearDuplicateCluster[]> {
  return getApi().findDuplicates(titles, threshold);
}

/** Sentiment per product and category from a score/label column (or a model's P(positive)). */
export function sentimentSummary(rows: SentimentInput): Promise<SentimentOutcome> {
  return getApi().sentimentSummary(rows);
}

/** A running brand-tagger training: resolves with its outcome; `cancel` terminates the worker (AbortError). */
export interface BrandTaggerJob {
  result: Promise<BrandTaggerOutcome>;
  cancel(): void;
}

/** Trains the brand tagger of `titles` from `brandValues` in the worker, with progress and cancel. */
export function startBrandTagger(titles: (string | null)[], brandValues: (string | null)[], onProgress: (e: BrandTaggerProgress) => void): BrandTaggerJob {
  let reject: (e: unknown) => void = () => {};
  const cancelled = new Promise<never>((_, r) => (reject = r));
  const run = getApi().trainBrandTaggerFor(titles, brandValues, proxy(onProgress));
  return {
    result: Promise.race([run, cancelled]),
    cancel() {
      resetWorker();
      reject(new DOMException('Brand tagger training cancelled', 'AbortError'));
    },
  };
}
