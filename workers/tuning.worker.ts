// Tuning worker: runs one model's search (random search + successive halving within a time budget,
// then the held-out score) with progress, and trains a promoted classifier configuration into an ONNX
// model for the catalog. Cancel = terminate (the client does it); nothing else lives here.
import { expose, transfer } from 'comlink';
import type { InteractionLog } from '../src/core/recsys/interactions.ts';
import type { SplitKind } from '../src/core/recsys/split.ts';
import { tagTable } from '../src/core/tagging/tag-table.ts';
import { classifierSettingsOf, createClassifierObjective } from '../src/core/tuning/classifier-objective.ts';
import { createRecommenderObjective, type TunableRecommender } from '../src/core/tuning/recommender-objective.ts';
import type { Params } from '../src/core/tuning/search-space.ts';
import type { SearchProgress } from '../src/core/tuning/search.ts';
import { tuneObjective, type TuneResult } from '../src/core/tuning/tune.ts';
import { exportFastTextOnnx } from '../models/fasttext-onnx.ts';
import { joinRowText } from '../models/tagging-job.ts';
import { keepErrorCodes } from '../src/lib/worker-errors.ts';

/** Rows of one classifier job, as the data worker reads them (`rows[i]` is the file's data row). */
export interface TuningRows {
  rows: number[];
  texts: (string | null)[][];
  labels: (string | null)[];
}

export interface TuningOptions {
  budgetSeconds: number;
  seed: number;
  /** Prefix of run ids: unique per search so runs of every import and model can share one table. */
  searchId: string;
  /** Classifier: folds and labelled-row cap; recommender: the split. */
  folds?: number;
  maxRows?: number;
  split?: SplitKind;
}

export type TuningOutcome =
  | ({ ok: true; validation: { rows?: number; users?: number; split?: SplitKind } } & TuneResult)
  | { ok: false; code: string; reason: string };

/** A classifier trained with a promoted configuration, ready for `saveModel`. */
export interface PromotedClassifier {
  ok: true;
  classes: string[];
  metrics: { accuracy: number; macroF1: number; k: number; rows: number; confusion: number[][] };
  dataFingerprint: string;
  reliability: 'ok' | 'low';
  warnings: string[];
  onnx: Uint8Array;
  createdAt: number;
}

keepErrorCodes();

const api = {
  /** Tunes the classifier of one (text columns → target) job on its rows. */
  async tuneClassifier(name: string, input: TuningRows, options: TuningOptions, onProgress: (e: SearchProgress) => void): Promise<TuningOutcome> {
    const texts = input.labels.map((_, r) => joinRowText(input.texts, r) || null);
    const built = await createClassifierObjective(name, texts, input.labels, { seed: options.seed, k: options.folds ?? 5, maxRows: options.maxRows });
    if (!built.ok) return built;
    const result = await tuneObjective(built.objective, { budgetSeconds: options.budgetSeconds, seed: options.seed, searchId: options.searchId, onProgress: (e) => void onProgress(e) });
    return { ok: true, validation: { rows: built.objective.devRows }, ...result };
  },

  /** Tunes item-kNN or EASE on an interaction log (its arrays are transferred in). */
  async tuneRecommender(log: InteractionLog, model: TunableRecommender, options: TuningOptions, onProgress: (e: SearchProgress) => void): Promise<TuningOutcome> {
    const built = await createRecommenderObjective(log, model, { split: options.split ?? 'temporal', seed: options.seed });
    if (!built.ok) return built;
    const result = await tuneObjective(built.objective, {
      budgetSeconds: options.budgetSeconds,
      seed: options.seed,
      searchId: options.searchId,
      // Recommender trials take milliseconds on small exports: no trial cap, the budget decides.
      maxTrials: Infinity,
      onProgress: (e) => void onProgress(e),
    });
    return { ok: true, validation: { users: built.objective.validationUsers, split: built.objective.split }, ...result };
  },

  /**
   * Trains the final classifier with a promoted configuration on every labelled row (k-fold metrics
   * as the tagging job computes them) and exports it to ONNX with the configuration in its metadata.
   */
  async trainPromoted(input: TuningRows, params: Params, options: { seed: number; folds: number; maxRows: number }): Promise<PromotedClassifier | { ok: false; code: string; reason: string }> {
    const { featurizer, classifier } = classifierSettingsOf(params);
    const result = await tagTable(
      { texts: input.texts, labels: input.labels },
      { featurizer, classifier: { dim: classifier.dim, epochs: classifier.epochs, lr: classifier.lr, seed: options.seed }, k: options.folds, seed: options.seed, maxTrainRows: options.maxRows, finalModel: 'always' },
    );
    if (!result.ok) return result;
    const createdAt = Date.now();
    const { accuracy, macroF1, k, rows, confusion } = result.metrics;
    const onnx = exportFastTextOnnx(result.model!, {
      labels: result.classes,
      featurizer: result.featurizer,
      metrics: { accuracy, macroF1, folds: k, rows, reliability: result.reliability },
      created: new Date(createdAt).toISOString(),
      dataFingerprint: result.dataFingerprint,
    });
    const out: PromotedClassifier = { ok: true, classes: result.classes, metrics: { accuracy, macroF1, k, rows, confusion }, dataFingerprint: result.dataFingerprint, reliability: result.reliability, warnings: result.warnings, onnx, createdAt };
    return transfer(out, [onnx.buffer as ArrayBuffer]);
  },
};

export type TuningApi = typeof api;
expose(api);
