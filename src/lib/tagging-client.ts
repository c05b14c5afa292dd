// Main-thread bridge to the tagging worker: training with progress and cancel (cancelling terminates
// the worker; the next call starts a fresh one lazily), and ONNX inference of stored models.
import { proxy, transfer } from 'comlink';
import { lazyWorker, type WorkerJob } from './lazy-worker.ts';
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

/** Resolves with the trained model (or the reason there is none); rejects with AbortError on cancel. */
export type TrainJob = WorkerJob<TrainOutcome>;

const tagging = lazyWorker<TaggingApi>(() => new Worker(new URL('../../workers/tagging.worker.ts', import.meta.url), { type: 'module', name: 'tagging' }));

/** Hash of a job's rows and settings (equal hash → a stored model can be reused without training). */
export function fingerprintRows(input: TaggingRows, settings: TaggingSettings): Promise<string> {
  return tagging.api().fingerprintRows(input, settings);
}

/** Starts training on `input`; progress arrives per epoch of each fold and of the final model. */
export function startTraining(input: TaggingRows, settings: TaggingSettings, onProgress: (e: TagProgress) => void): TrainJob {
  return tagging.job<TrainOutcome>((api) => api.train(input, settings, proxy(onProgress)), 'Training');
}

/** Runs a stored model on `texts` in onnxruntime-web; `key` identifies the model's cached session. */
export function predictTexts(key: string, onnx: Uint8Array, texts: string[], prefer: OnnxDevice = 'webgpu'): Promise<Prediction> {
  // A copy is transferred, so the caller's bytes (often the stored record's) stay usable.
  const bytes = onnx.slice();
  return tagging.api().predict(key, transfer(bytes, [bytes.buffer]), texts, prefer);
}

/** Releases a model's session in the worker (after it was deleted). */
export function forgetModel(key: string): Promise<void> {
  return tagging.current()?.forget(key) ?? Promise.resolve();
}

/** Attributes of each title (with spans); `brandValues` builds the brand lexicon. */
export function extractAttributesFor(titles: (string | null)[], brandValues?: (string | null)[]): Promise<AttributeTag[][]> {
  return tagging.api().extractAttributesFor(titles, brandValues);
}

/** Near-duplicate clusters of titles at or above `threshold` (Jaccard of character shingles). */
export function findDuplicates(titles: (string | null)[], threshold: number): Promise<NearDuplicateCluster[]> {
  return tagging.api().findDuplicates(titles, threshold);
}

/** Sentiment per product and category from a score/label column (or a model's P(positive)). */
export function sentimentSummary(rows: SentimentInput): Promise<SentimentOutcome> {
  return tagging.api().sentimentSummary(rows);
}

/** A running brand-tagger training: resolves with its outcome; `cancel` terminates the worker (AbortError). */
export type BrandTaggerJob = WorkerJob<BrandTaggerOutcome>;

/** Trains the brand tagger of `titles` from `brandValues` in the worker, with progress and cancel. */
export function startBrandTagger(titles: (string | null)[], brandValues: (string | null)[], onProgress: (e: BrandTaggerProgress) => void): BrandTaggerJob {
  return tagging.job<BrandTaggerOutcome>((api) => api.trainBrandTaggerFor(titles, brandValues, proxy(onProgress)), 'Brand tagger training');
}
