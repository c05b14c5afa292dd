// The Runs view's state: the models an import can tune, one search at a time in the tuning worker
// (rows from the data worker, progress, cancel), every trial stored as a run as it finishes (the table
// reads them through liveQuery), and "promote best": a classifier is trained with the best run's
// configuration and stored as a model with its provenance; a recommender's configuration is kept as
// an analysis record.
import { isAbortError } from '../core/errors.ts';
import { detectInteractions, type InteractionSpec } from '../core/recsys/detect-interactions.ts';
import { planTagJobs } from '../core/tagging/plan-tag-jobs.ts';
import type { TuneResult } from '../core/tuning/tune.ts';
import type { Inventory } from '../core/types.ts';
import type { RunRecord } from '../db/schema.ts';
import { getAnalysis, listRuns, loadInventory, saveAnalysis, saveRun, saveTrainedModel } from '../db/repository.ts';
import { loadInteractionLog, readTagRows } from '../lib/inventory-client.ts';
import { startClassifierTuning, startRecommenderTuning, trainPromotedClassifier, type TuningJob, type TuningOutcome } from '../lib/tuning-client.ts';
import { DEFAULT_TAGGING_SETTINGS } from '../../models/tagging-job.ts';
import { appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';
import { bestRun, listTuningTargets, nextSort, paramNames, sortRuns, type RunSort, type RunSortKey, type TuningTarget } from './runs-model.ts';

/** Analysis kinds: the last search of a model, and a recommender's promoted configuration. */
export const TUNING_SEARCH_KIND = 'tuning-search';
export const TUNING_CHOSEN_KIND = 'tuning-chosen';
const SEED = 1;
/** Labelled rows a classifier search samples (seeded, per class): trials are many. */
const SEARCH_MAX_ROWS = 5_000;

export type RunsStatus = 'idle' | 'reading' | 'tuning' | 'promoting' | 'done' | 'refused' | 'cancelled' | 'failed';

export interface TuningProgress {
  done: number;
  planned: number;
  elapsedSeconds: number;
  budgetSeconds: number;
  best: number | null;
}

/** What a finished search says, for the summary line. */
export interface SearchSummary {
  searchId: string;
  model: string;
  metric: string;
  trials: number;
  usedSeconds: number;
  budgetSeconds: number;
  stoppedBy: TuneResult['stoppedBy'];
  settings: TuneResult['settings'];
  chosen: { run: string; score: number; heldOut: Record<string, number> | null };
  default: { run: string; score: number; heldOut: Record<string, number> | null };
}

/** Where a promoted configuration came from: stored beside the model (details.provenance) or alone. */
export interface Provenance {
  run: string;
  searchId: string;
  model: string;
  params: RunRecord['params'];
  metric: string;
  score: number;
  rung: number;
  fraction: number;
  seed: number;
  dataFingerprint: string;
  search: SearchSummary['settings'] | null;
  promotedAt: number;
}

export type Promotion = { kind: 'model'; modelId: number; version: number; run: string } | { kind: 'config'; run: string };

class RunsState {
  #openId: string | null = $state(null);
  readonly #inventory = new LiveValue<{ importId: string; inventory: Inventory | null } | null>(null);
  readonly #runs = new LiveValue<RunRecord[]>([]);
  targetKey: string | null = $state(null);
  budgetSeconds = $state(30);
  status: RunsStatus = $state('idle');
  progress: TuningProgress | null = $state(null);
  refusal: { code: string; reason: string } | null = $state(null);
  summary: SearchSummary | null = $state.raw(null);
  promotion: Promotion | null = $state(null);
  sort: RunSort = $state({ key: 'index', descending: false });
  xParam: string | null = $state(null);
  #job: TuningJob | null = null;
  #run = 0;

  readonly isBusy: boolean = $derived(this.status === 'reading' || this.status === 'tuning' || this.status === 'promoting');

  get inventory(): Inventory | null {
    const d = this.#inventory.value;
    return d && d.importId === this.#openId ? d.inventory : null;
  }

  get loading(): boolean {
    return this.#openId !== null && (this.inventory === null || this.#runs.loading);
  }

  readonly targets: TuningTarget[] = $derived.by(() => {
    const inv = this.inventory;
    return inv ? listTuningTargets(planTagJobs(inv), detectInteractions(inv)) : [];
  });

  readonly target: TuningTarget | null = $derived(this.targets.find((t) => t.key === this.targetKey) ?? this.targets[0] ?? null);

  /** Runs of the selected model, in the order they ran. */
  readonly runs: RunRecord[] = $derived(this.target ? this.#runs.value.filter((r) => r.model === this.target!.key) : []);

  readonly sortedRuns: RunRecord[] = $derived(sortRuns(this.runs, this.sort));

  readonly params: string[] = $derived(paramNames(this.runs));

  /** The best full-budget run on the latest data (runs on other rows are another experiment). */
  readonly best: RunRecord | null = $derived.by(() => {
    const latest = this.runs.at(-1);
    return latest ? bestRun(this.runs.filter((r) => r.dataFingerprint === latest.dataFingerprint)) : null;
  });

  open(importId: string | null): void {
    if (importId === this.#openId) return;
    this.cancel();
    this.#openId = importId;
    this.summary = null;
    this.promotion = null;
    this.refusal = null;
    this.progress = null;
    this.status = 'idle';
    if (importId === null) {
      this.#inventory.stop();
      this.#runs.stop();
      return;
    }
    this.#inventory.watch(async () => ({ importId, inventory: (await loadInventory(importId)) ?? null }));
    this.#runs.watch(() => listRuns(importId));
  }

  select(key: string): void {
    if (this.isBusy) return;
    this.targetKey = key;
    this.xParam = null;
    this.summary = null;
    this.promotion = null;
    this.refusal = null;
  }

  sortBy(key: RunSortKey): void {
    this.sort = nextSort(this.sort, key);
  }

  /** Runs a search of the selected model within `budgetSeconds`; each finished trial is stored at once. */
  async start(): Promise<void> {
    const importId = this.#openId;
    const inv = this.inventory;
    const target = this.target;
    if (!importId || !inv || !target || this.isBusy) return;
    const run = ++this.#run;
    const budgetSeconds = Math.max(1, Number(this.budgetSeconds) || 30);
    const searchId = `${importId}/${target.key}/${Date.now().toString(36)}`;
    this.status = 'reading';
    this.progress = { done: 0, planned: 1, elapsedSeconds: 0, budgetSeconds, best: null };
    this.summary = null;
    this.promotion = null;
    this.refusal = null;
    const createdAt = Date.now();
    const saves: Promise<void>[] = [];
    const onProgress = (e: Parameters<Parameters<typeof startClassifierTuning>[3]>[0]) => {
      if (run !== this.#run || e.kind !== 'trial') return;
      const best = this.progress?.best ?? null;
      const score = e.run.fraction === 1 ? e.run.score : null;
      this.progress = { done: e.done, planned: Math.max(e.planned, e.done), elapsedSeconds: e.elapsedSeconds, budgetSeconds, best: score !== null && (best === null || score > best) ? score : best };
      saves.push(saveRun({ ...e.run, importId, createdAt: createdAt + e.run.index }));
    };
    try {
      const options = { budgetSeconds, seed: SEED, searchId };
      if (target.kind === 'classifier') {
        const rows = await readTagRows(importId, target.job);
        if (run !== this.#run) return;
        this.status = 'tuning';
        this.#job = startClassifierTuning(target.key, rows, { ...options, folds: DEFAULT_TAGGING_SETTINGS.k, maxRows: SEARCH_MAX_ROWS }, onProgress);
      } else {
        const spec = await this.#spec(importId, inv);
        const { log } = await loadInteractionLog(importId, inv, spec);
        if (run !== this.#run) return;
        this.status = 'tuning';
        this.#job = startRecommenderTuning(log, target.key, options, onProgress);
      }
      const outcome: TuningOutcome = await this.#job.result;
      await Promise.all(saves);
      if (run !== this.#run) return;
      if (!outcome.ok) {
        this.refusal = { code: outcome.code, reason: outcome.reason };
        this.status = 'refused';
        return;
      }
      const summary: SearchSummary = {
        searchId,
        model: target.key,
        metric: outcome.metric,
        trials: outcome.runs.length,
        usedSeconds: outcome.usedSeconds,
        budgetSeconds,
        stoppedBy: outcome.stoppedBy,
        settings: outcome.settings,
        chosen: { run: outcome.chosen.run, score: outcome.chosen.score, heldOut: outcome.heldOut?.chosen ?? null },
        default: { run: outcome.default.run, score: outcome.default.score, heldOut: outcome.heldOut?.default ?? null },
      };
      await saveAnalysis(importId, `${TUNING_SEARCH_KIND}:${target.key}`, summary);
      this.summary = summary;
      this.status = 'done';
    } catch (e) {
      await Promise.allSettled(saves);
      if (run !== this.#run) return;
      this.status = isAbortError(e) ? 'cancelled' : 'failed';
      if (!isAbortError(e)) appErrors.report(e);
    } finally {
      if (run === this.#run) this.#job = null;
    }
  }

  /** The recs view's stored spec when there is one (the user may have edited it), else the detected one. */
  async #spec(importId: string, inv: Inventory): Promise<InteractionSpec> {
    const stored = await getAnalysis<{ spec: InteractionSpec }>(importId, 'recs');
    if (stored?.value?.spec) return stored.value.spec;
    const d = detectInteractions(inv);
    if (!d.ok) throw new Error(d.message);
    return d.spec;
  }

  /** Stops the search: the worker is terminated; runs finished so far stay stored. */
  cancel(): void {
    this.#job?.cancel();
  }

  /**
   * Promotes the best full-budget run: a classifier is trained on every labelled row with its
   * configuration and stored through `saveTrainedModel` with `details.provenance`; a recommender's
   * configuration is kept as the `tuning-chosen:<model>` analysis record.
   */
  async promote(): Promise<void> {
    const importId = this.#openId;
    const target = this.target;
    const best = this.best;
    if (!importId || !target || !best || this.isBusy) return;
    const run = ++this.#run;
    this.status = 'promoting';
    try {
      const search = (await getAnalysis<SearchSummary>(importId, `${TUNING_SEARCH_KIND}:${target.key}`))?.value;
      const provenance: Provenance = {
        run: best.id,
        searchId: best.searchId,
        model: best.model,
        params: best.params,
        metric: best.metric,
        score: best.score!,
        rung: best.rung,
        fraction: best.fraction,
        seed: best.seed,
        dataFingerprint: best.dataFingerprint,
        search: search && search.searchId === best.searchId ? search.settings : null,
        promotedAt: Date.now(),
      };
      if (target.kind === 'classifier') {
        const rows = await readTagRows(importId, target.job);
        const settings = { ...DEFAULT_TAGGING_SETTINGS, dim: Number(best.params.dim), epochs: Number(best.params.epochs), seed: SEED };
        const trained = await trainPromotedClassifier(rows, best.params, { seed: SEED, folds: settings.k, maxRows: settings.maxTrainRows });
        if (run !== this.#run) return;
        if (!trained.ok) {
          this.refusal = { code: trained.code, reason: trained.reason };
          this.status = 'refused';
          return;
        }
        const record = await saveTrainedModel(
          { importId, table: target.job.table, textColumns: target.job.text, target: target.job.target },
          trained,
          { provenance, settings, reliability: trained.reliability, warnings: trained.warnings, suspects: [] },
        );
        this.promotion = { kind: 'model', modelId: record.id!, version: record.version, run: best.id };
      } else {
        await saveAnalysis(importId, `${TUNING_CHOSEN_KIND}:${target.key}`, provenance);
        this.promotion = { kind: 'config', run: best.id };
      }
      this.status = 'done';
    } catch (e) {
      if (run !== this.#run) return;
      this.status = 'failed';
      appErrors.report(e);
    }
  }
}

export const runsState = new RunsState();
