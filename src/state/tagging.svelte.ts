// The Tagging view's state: one training run at a time (read rows → reuse a stored model when the rows
// are unchanged, else train in the worker with progress, ETA and cancel → store the model → run it in
// onnxruntime-web), accepted label fixes, and the stored models for the Models page.
import { StocktakeError, isAbortError } from '../core/errors.ts';
import type { TagProgress } from '../core/tagging/tag-table.ts';
import type { TagJob } from '../core/tagging/plan-tag-jobs.ts';
import type { ModelRecord } from '../db/schema.ts';
import { deleteModel, getAnalysis, getModel, listModelSummaries, saveAnalysis, saveTrainedModel, type ModelSummary } from '../db/repository.ts';
import { readTagRows, type TagRows } from '../lib/inventory-client.ts';
import {
  DEFAULT_TAGGING_SETTINGS,
  fingerprintRows,
  forgetModel,
  joinRowText,
  predictTexts,
  startTraining,
  type SuspectRow,
  type TaggingSettings,
  type TrainJob,
} from '../lib/tagging-client.ts';
import { describeError, appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';
import { mergeAcceptedFix, trainingEta, trainingFraction, type AcceptedFix } from './tagging-plan.ts';
import { offerDownload } from '../lib/download.ts';
import { buildCategoryTags, mergeStoredTags, TAGS_KIND, type StoredTag } from './tag-extras-model.ts';

export const ACCEPTED_FIXES_KIND = 'tagging-accepted-fixes';
/** Labelled rows the stored model is checked on when no row lacks a label (shows the device at work). */
const CHECK_ROWS = 256;

export type TaggingStatus = 'idle' | 'reading' | 'training' | 'saving' | 'predicting' | 'done' | 'refused' | 'failed' | 'cancelled';

export interface TrainingProgress {
  phase: TagProgress['phase'];
  fold: number;
  k: number;
  epoch: number;
  epochs: number;
  fraction: number;
  etaSeconds: number | null;
  elapsedMs: number;
}

/** What the view shows of a model, whether just trained or reused from the catalog. */
export interface ModelResult {
  modelId: number;
  version: number;
  reused: boolean;
  classes: string[];
  accuracy: number;
  macroF1: number;
  k: number;
  rows: number;
  confusion: number[][];
  suspects: SuspectRow[];
  reliability: 'ok' | 'low';
  warnings: string[];
  dataFingerprint: string;
  durationMs: number;
}

/** ONNX inference of the stored model: predictions for rows without a label, the device and why. */
export interface InferenceResult {
  device: string;
  reason: string;
  ms: number;
  rows: number;
  /** 'missing': rows without a label were predicted; 'check': labelled rows were, to show agreement. */
  mode: 'missing' | 'check';
  predictions: { row: number; text: string; label: string; p: number }[];
  /** Share of checked rows where the model agrees with the given label ('check' mode). */
  agreement: number | null;
}

export type { ModelSummary };

interface ModelDetails {
  inputFingerprint: string;
  settings: TaggingSettings;
  suspects: SuspectRow[];
  reliability: 'ok' | 'low';
  warnings: string[];
  durationMs: number;
  importName?: string;
}

function toResult(m: ModelRecord, reused: boolean): ModelResult {
  const d = m.details as unknown as ModelDetails;
  const metrics = m.metrics as ModelRecord['metrics'] & { k?: number; rows?: number; confusion?: number[][] };
  return {
    modelId: m.id!,
    version: m.version,
    reused,
    classes: m.classes,
    accuracy: metrics.accuracy,
    macroF1: metrics.macroF1,
    k: metrics.k ?? 0,
    rows: metrics.rows ?? 0,
    confusion: metrics.confusion ?? [],
    suspects: d.suspects ?? [],
    reliability: d.reliability ?? 'ok',
    warnings: d.warnings ?? [],
    dataFingerprint: m.dataFingerprint,
    durationMs: d.durationMs ?? 0,
  };
}

function sameJob(m: ModelSummary, importId: string, job: TagJob): boolean {
  return m.importId === importId && m.table === job.table && m.target === job.target && JSON.stringify(m.textColumns) === JSON.stringify(job.text);
}

class TaggingState {
  status: TaggingStatus = $state('idle');
  job: TagJob | null = $state(null);
  progress: TrainingProgress | null = $state(null);
  result: ModelResult | null = $state.raw(null);
  inference: InferenceResult | null = $state.raw(null);
  /** Why no model could be trained (one class, no labels…), in words. */
  refusal: { code: string; reason: string } | null = $state(null);
  /** A stored model that cannot be run (corrupt bytes): shown with a retrain button. */
  modelError: string | null = $state(null);
  readonly isBusy: boolean = $derived(this.status === 'reading' || this.status === 'training' || this.status === 'saving' || this.status === 'predicting');

  readonly #fixes = new LiveValue<AcceptedFix[]>([]);
  readonly #models = new LiveValue<ModelSummary[]>([]);
  #fixesImport: string | null = null;
  #watchingModels = false;
  #handle: TrainJob | null = null;
  #run = 0;

  /** Accepted label fixes of the import given to `watchFixes`. */
  get fixes(): AcceptedFix[] {
    return this.#fixes.value;
  }

  /** Every stored model (without bytes), newest first, after `watchModels()`. */
  get models(): ModelSummary[] {
    return this.#models.value;
  }

  get modelsLoading(): boolean {
    return this.#models.loading;
  }

  watchFixes(importId: string): void {
    if (this.#fixesImport === importId) return;
    this.#fixesImport = importId;
    this.#fixes.watch(async () => (await getAnalysis<AcceptedFix[]>(importId, ACCEPTED_FIXES_KIND))?.value ?? []);
  }

  watchModels(): void {
    if (this.#watchingModels) return;
    this.#watchingModels = true;
    this.#models.watch(() => listModelSummaries());
  }

  /**
   * Trains (or reuses) the classifier of `job` on the stored rows of `importId`, then runs it with
   * onnxruntime-web. `force` trains even when a stored model was trained on the same rows.
   */
  async run(importId: string, job: TagJob, options: { force?: boolean; settings?: TaggingSettings; importName?: string } = {}): Promise<void> {
    if (this.isBusy) return;
    const run = ++this.#run;
    const settings = options.settings ?? DEFAULT_TAGGING_SETTINGS;
    this.job = job;
    this.status = 'reading';
    this.progress = null;
    this.result = null;
    this.inference = null;
    this.refusal = null;
    this.modelError = null;
    let record: ModelRecord | null = null;
    let reused = false;
    let input: TagRows;
    try {
      input = await readTagRows(importId, job);
      const inputFingerprint = await fingerprintRows(input, settings);
      if (!options.force) {
        // Summaries first: only the bytes of the model that is reused are read.
        const stored = (await listModelSummaries(importId)).filter((m) => sameJob(m, importId, job) && (m.details as unknown as ModelDetails).inputFingerprint === inputFingerprint);
        const latest = stored.sort((a, b) => b.version - a.version)[0];
        record = latest ? ((await getModel(latest.id!)) ?? null) : null;
        reused = record !== null;
      }
      if (!record) {
        record = await this.#train(importId, job, input, settings, inputFingerprint, options.importName, run);
        if (!record) return;
      }
      if (run !== this.#run) return;
      this.result = toResult(record, reused);
    } catch (e) {
      if (run !== this.#run) return;
      this.status = isAbortError(e) ? 'cancelled' : 'failed';
      appErrors.report(e);
      return;
    } finally {
      this.#handle = null;
    }
    await this.#predict(importId, job, record, input, run);
  }

  async #train(importId: string, job: TagJob, input: TagRows, settings: TaggingSettings, inputFingerprint: string, importName: string | undefined, run: number): Promise<ModelRecord | null> {
    this.status = 'training';
    const started = performance.now();
    let k = settings.k;
    this.#handle = startTraining(input, settings, (e) => {
      if (run !== this.#run) return;
      if (e.phase === 'fold') k = e.k;
      const fraction = trainingFraction(e, settings.epochs, k);
      const elapsedMs = performance.now() - started;
      this.progress = {
        phase: e.phase,
        fold: e.phase === 'fold' ? e.fold : k,
        k,
        epoch: e.phase === 'featurize' ? 0 : e.epoch,
        epochs: e.phase === 'featurize' ? settings.epochs : (e.epochs ?? settings.epochs),
        fraction,
        etaSeconds: trainingEta(fraction, elapsedMs),
        elapsedMs,
      };
    });
    const outcome = await this.#handle.result;
    if (run !== this.#run) return null;
    if (!outcome.ok) {
      this.refusal = { code: outcome.code, reason: outcome.reason };
      this.status = 'refused';
      return null;
    }
    this.status = 'saving';
    const details: ModelDetails = {
      inputFingerprint,
      settings,
      suspects: outcome.suspects,
      reliability: outcome.reliability,
      warnings: outcome.warnings,
      durationMs: outcome.durationMs,
      importName,
    };
    return saveTrainedModel({ importId, table: job.table, textColumns: job.text, target: job.target }, outcome, details);
  }

  async #predict(importId: string, job: TagJob, record: ModelRecord, input: TagRows, run: number): Promise<void> {
    this.status = 'predicting';
    const missing: number[] = [];
    for (let i = 0; i < input.labels.length; i++) {
      const label = input.labels[i];
      if ((label === null || label.trim() === '') && joinRowText(input.texts, i) !== '') missing.push(i);
    }
    const mode: InferenceResult['mode'] = missing.length > 0 ? 'missing' : 'check';
    const picked = mode === 'missing' ? missing : input.labels.map((_, i) => i).slice(0, CHECK_ROWS);
    const texts = picked.map((i) => joinRowText(input.texts, i));
    try {
      const out = await predictTexts(String(record.id), record.onnx, texts);
      if (run !== this.#run) return;
      const C = out.labels.length;
      let agree = 0;
      const predictions = picked.map((i, r) => {
        let best = 0;
        for (let c = 1; c < C; c++) if (out.probs[r * C + c] > out.probs[r * C + best]) best = c;
        if (out.labels[best] === input.labels[i]?.trim()) agree++;
        return { row: input.rows[i], text: texts[r].slice(0, 160), label: out.labels[best], p: out.probs[r * C + best] };
      });
      this.inference = { device: out.device, reason: out.reason, ms: out.ms, rows: picked.length, mode, predictions, agreement: mode === 'check' && picked.length > 0 ? agree / picked.length : null };
      // Predictions for rows without a label are kept as tags, so the feature tables can fill those gaps.
      if (mode === 'missing') await this.#storeCategoryTags(importId, job, record, predictions);
      this.status = 'done';
    } catch (e) {
      if (run !== this.#run) return;
      const { code, message } = describeError(e);
      if (code !== 'MODEL_ERROR') {
        this.status = 'failed';
        appErrors.report(e);
        return;
      }
      // A corrupt stored model is the model's problem, not the app's: say so here and offer a retrain.
      this.modelError = message;
      this.status = 'done';
    }
  }

  /** Replaces the stored category tags of `job`'s table and target with these predictions. */
  async #storeCategoryTags(importId: string, job: TagJob, record: ModelRecord, predictions: InferenceResult['predictions']): Promise<void> {
    const tags = buildCategoryTags(job.table, job.target, predictions, { modelId: record.id!, version: record.version }, Date.now());
    const previous = (await getAnalysis<StoredTag[]>(importId, TAGS_KIND))?.value ?? [];
    await saveAnalysis(importId, TAGS_KIND, mergeStoredTags(previous, tags));
  }

  /** Cancels the running training: the worker is terminated and nothing is stored. */
  cancel(): void {
    this.#handle?.cancel();
  }

  /** Records the suggested label of a suspect as an accepted fix (a step for the quality recipe). */
  async accept(importId: string, suspect: SuspectRow): Promise<void> {
    const job = this.job;
    const result = this.result;
    if (!job || !result) return;
    try {
      const previous = (await getAnalysis<AcceptedFix[]>(importId, ACCEPTED_FIXES_KIND))?.value ?? [];
      const fix: AcceptedFix = {
        table: job.table,
        column: job.target,
        row: suspect.row,
        from: suspect.given,
        to: suspect.suggested,
        p: suspect.p,
        modelId: result.modelId,
        modelVersion: result.version,
        acceptedAt: Date.now(),
      };
      await saveAnalysis(importId, ACCEPTED_FIXES_KIND, mergeAcceptedFix(previous, fix));
    } catch (e) {
      appErrors.report(e);
    }
  }

  /** Deletes a stored model (and its session in the worker). */
  async removeModel(id: number): Promise<void> {
    try {
      await deleteModel(id);
      await forgetModel(String(id));
    } catch (e) {
      appErrors.report(e);
    }
  }

  /** Offers a stored model's `.onnx` file as a download. */
  async downloadModel(id: number): Promise<void> {
    try {
      const m = await getModel(id);
      if (!m) throw new StocktakeError('MODEL_ERROR', 'This model is no longer stored.');
      offerDownload(m.onnx, `${m.table}.${m.target}.v${m.version}.onnx`, 'application/octet-stream');
    } catch (e) {
      appErrors.report(e);
    }
  }
}

export const tagging = new TaggingState();
