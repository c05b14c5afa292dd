// Model monitoring in the Monitor view: every model stored for the previous import of the dataset whose
// table, text and target columns the open import still has is re-run on the open import's rows (data
// worker → tagging worker, onnxruntime-web), and judged by assessModelDrift; Retrain starts the
// Tagging flow on the open import with the same job.
import { assessModelDrift, readTrainingCounts, type ModelDriftReport } from '../core/monitor/model-drift.ts';
import type { TagJob } from '../core/tagging/plan-tag-jobs.ts';
import type { Inventory } from '../core/types.ts';
import { listModels } from '../db/repository.ts';
import type { ModelRecord } from '../db/schema.ts';
import { readTagRows } from '../lib/inventory-client.ts';
import { joinRowText, predictTexts } from '../lib/tagging-client.ts';
import { describeError } from './errors.svelte.ts';
import { router } from './router.svelte.ts';
import { tagging } from './tagging.svelte.ts';

/** Most rows of the new import a model is re-run on (evenly spaced, so the file's order is sampled). */
const MAX_ROWS = 5000;

export interface ModelCheck {
  modelId: number;
  version: number;
  job: TagJob;
  status: 'running' | 'done' | 'failed';
  report: ModelDriftReport | null;
  device: string | null;
  error: string | null;
}

/** The latest version of each (table, text columns, target) among `models`. */
function pickLatest(models: ModelRecord[]): ModelRecord[] {
  const best = new Map<string, ModelRecord>();
  for (const m of models) {
    const key = JSON.stringify([m.table, m.textColumns, m.target]);
    const b = best.get(key);
    if (!b || m.version > b.version) best.set(key, m);
  }
  return [...best.values()];
}

/** True when `inv` has the model's table with its text and target columns. */
function hasColumns(inv: Inventory, m: ModelRecord): boolean {
  const cols = new Set(inv.columns.filter((c) => c.table === m.table).map((c) => c.name));
  return [...m.textColumns, m.target].every((c) => cols.has(c));
}

/** Indices 0..n−1 thinned to at most `max`, evenly spaced. */
function spread(n: number, max: number): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  return Array.from({ length: max }, (_, i) => Math.floor((i * n) / max));
}

async function checkModel(m: ModelRecord, current: Inventory): Promise<Pick<ModelCheck, 'report' | 'device'>> {
  const job: TagJob = { table: m.table, text: m.textColumns, target: m.target };
  const [oldRows, newRows] = await Promise.all([readTagRows(m.importId, job), readTagRows(current.import.id, job)]);
  const picked = spread(newRows.labels.length, MAX_ROWS).filter((i) => joinRowText(newRows.texts, i) !== '');
  const newTexts = picked.map((i) => joinRowText(newRows.texts, i));
  const out = await predictTexts(String(m.id), m.onnx, newTexts);
  const C = out.labels.length;
  const predicted = picked.map((_, r) => {
    let best = 0;
    for (let c = 1; c < C; c++) if (out.probs[r * C + c] > out.probs[r * C + best]) best = c;
    return out.labels[best];
  });
  // Support per class from training; when the record lacks it, count the training import's labels.
  const trainingCounts =
    readTrainingCounts(m.metrics, m.classes) ?? m.classes.map((c) => oldRows.labels.filter((l) => l?.trim() === c).length);
  const trainingTexts = oldRows.labels.map((_, i) => joinRowText(oldRows.texts, i));
  const report = assessModelDrift({
    classes: m.classes,
    trainingCounts,
    trainingAccuracy: m.metrics.accuracy,
    trainingTexts,
    newTexts,
    predicted,
    given: picked.map((i) => newRows.labels[i]),
  });
  return { report, device: out.device };
}

class ModelMonitorState {
  checks: ModelCheck[] = $state([]);
  #key = '';

  /**
   * Re-runs the models of `previous` on `current` (once per pair; a later call with another pair
   * replaces the results). Models whose columns `current` lacks are skipped.
   */
  async open(previous: Inventory | null, current: Inventory | null): Promise<void> {
    const key = previous && current ? `${previous.import.id}>${current.import.id}` : '';
    if (key === this.#key) return;
    this.#key = key;
    this.checks = [];
    if (!previous || !current) return;
    let models: ModelRecord[];
    try {
      models = pickLatest(await listModels(previous.import.id)).filter((m) => hasColumns(current, m));
    } catch (e) {
      models = [];
      this.checks = [{ modelId: -1, version: 0, job: { table: '', text: [], target: '' }, status: 'failed', report: null, device: null, error: describeError(e).message }];
      return;
    }
    if (key !== this.#key) return;
    this.checks = models.map((m) => ({
      modelId: m.id!,
      version: m.version,
      job: { table: m.table, text: [...m.textColumns], target: m.target },
      status: 'running',
      report: null,
      device: null,
      error: null,
    }));
    // One model at a time: the tagging worker runs one inference at a time anyway.
    for (const m of models) {
      let patch: Partial<ModelCheck>;
      try {
        patch = { ...(await checkModel(m, current)), status: 'done' };
      } catch (e) {
        patch = { status: 'failed', error: describeError(e).message };
      }
      if (key !== this.#key) return;
      this.checks = this.checks.map((c) => (c.modelId === m.id ? { ...c, ...patch } : c));
    }
  }

  /** Trains the check's job on the open import (a new model) and shows the run in the Tagging view. */
  retrain(check: ModelCheck, current: Inventory): void {
    // A plain copy: the check lives in $state, and a proxy cannot be posted to the data worker.
    const job: TagJob = { table: check.job.table, text: [...check.job.text], target: check.job.target };
    void tagging.run(current.import.id, job, { force: true, importName: current.import.name });
    router.go({ view: 'tagging', importId: current.import.id });
  }
}

export const modelMonitor = new ModelMonitorState();
