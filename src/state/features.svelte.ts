// The Features view's state: the open import, the build request (cut-off, comparison cut-off,
// target, k), one cancellable build in the data worker with its progress, the result (tables,
// dictionary, quality, drift, importance) and the per-table downloads.
import type { FeatureRequest, FeatureView, FeatureViewProgress } from '../core/features/feature-view.ts';
import type { Inventory } from '../core/types.ts';
import { getAnalysis, loadInventory } from '../db/repository.ts';
import { offerDownload } from '../lib/download.ts';
import { exportFeatureTable, startFeatureBuild, type FeatureJob } from '../lib/inventory-client.ts';
import { appErrors } from './errors.svelte.ts';
import { TAGS_KIND, type StoredTag } from './tag-extras-model.ts';

/** Targets offered in the picker; `''` is none. A column target is typed as `table.column`. */
export const TARGET_PRESETS = ['', 'repeat:90', 'demand:30'] as const;

class FeaturesState {
  #openId: string | null = $state(null);
  inventory: Inventory | null = $state.raw(null);
  cutoff = $state('');
  compareCutoff = $state('');
  target = $state('');
  affinityK = $state(5);
  view: FeatureView | null = $state.raw(null);
  progress: FeatureViewProgress | null = $state.raw(null);
  /** The table whose dictionary is shown. */
  selected = $state('item_features');
  #job: FeatureJob | null = null;

  get importId(): string | null {
    return this.#openId;
  }

  get isBusy(): boolean {
    return this.#job !== null;
  }

  /** Opens an import: forgets the last result (it belonged to another import). */
  async open(importId: string): Promise<void> {
    if (importId === this.#openId) return;
    this.cancel();
    this.#openId = importId;
    this.view = null;
    this.inventory = null;
    this.cutoff = '';
    this.compareCutoff = '';
    try {
      const inv = await loadInventory(importId);
      if (this.#openId !== importId) return;
      if (!inv) throw new Error('This import is not in the catalog.');
      this.inventory = inv;
    } catch (e) {
      appErrors.report(e);
    }
  }

  /** Builds the features in the data worker with the current request. */
  async build(): Promise<void> {
    const importId = this.#openId;
    const inv = this.inventory;
    if (!importId || !inv || this.#job) return;
    const request: FeatureRequest = { cutoff: this.cutoff || undefined, compareCutoff: this.compareCutoff || undefined, target: this.target || undefined, affinityK: this.affinityK, rowLimit: 50 };
    let tags: StoredTag[];
    try {
      // The Tagging view's stored tags: the worker keeps the reviews' sentiment and the products' attribute tags.
      tags = (await getAnalysis<StoredTag[]>(importId, TAGS_KIND))?.value ?? [];
    } catch (e) {
      appErrors.report(e);
      return;
    }
    if (this.#job || this.#openId !== importId) return;
    const job = startFeatureBuild(importId, inv, request, (p) => (this.progress = p), tags);
    this.#job = job;
    this.progress = { kind: 'load' };
    try {
      const view = await job.result;
      if (this.#openId !== importId) return;
      this.view = view;
      // Show the cut-off actually used (the default when none was typed).
      if (!this.cutoff && view.document.cutoff) this.cutoff = view.document.cutoff;
      if (!view.document.tables.some((t) => t.name === this.selected)) this.selected = view.document.tables[0]?.name ?? '';
    } catch (e) {
      appErrors.report(e);
    } finally {
      if (this.#job === job) {
        this.#job = null;
        this.progress = null;
      }
    }
  }

  /** Cancels a running build (the data worker is restarted). */
  cancel(): void {
    const job = this.#job;
    this.#job = null;
    this.progress = null;
    job?.cancel();
  }

  /** Downloads one table of the last build as CSV or Parquet. */
  async download(table: string, format: 'csv' | 'parquet'): Promise<void> {
    const importId = this.#openId;
    if (!importId || !this.view) return;
    try {
      const { bytes } = await exportFeatureTable(importId, table, format);
      const cut = this.view.document.cutoff ?? 'all';
      offerDownload(bytes, `${table}_${cut}.${format}`, format === 'csv' ? 'text/csv' : 'application/vnd.apache.parquet');
    } catch (e) {
      appErrors.report(e);
    }
  }
}

export const features = new FeaturesState();
