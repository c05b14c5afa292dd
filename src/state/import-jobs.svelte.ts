// The running import: its per-file progress (bytes, rows, rate, ETA, stage), cancel, and the hand-off
// to the catalog. One job at a time; on success the inventory is saved in one transaction and the app
// opens it; on failure nothing is written and the error is shown once in the app banner.
import { StocktakeError } from '../core/errors.ts';
import { isAbortError } from '../core/errors.ts';
import type { Inventory, ProgressEvent } from '../core/types.ts';
import { saveInventory } from '../db/repository.ts';
import { describeEngine, persistTables, startImport, type ImportJob, type PickedFile } from '../lib/inventory-client.ts';
import { appErrors } from './errors.svelte.ts';
import { applyProgressEvent, createFileRows, type FileProgress } from './import-progress.ts';
import { router } from './router.svelte.ts';

export type JobStatus = 'running' | 'saving' | 'done' | 'failed' | 'cancelled';

export interface JobView {
  name: string;
  status: JobStatus;
  startedAt: number;
  finishedAt: number | null;
  /** Relations inference progress, once every file is through. */
  relations: { done: number; total: number } | null;
  /** Engine label from the worker (bundle, threads), when known. */
  engine: string | null;
  importId: string | null;
}

/** How often progress rows re-render at most: the worker may send hundreds of events a second. */
const FLUSH_MS = 100;

class ImportJobs {
  job: JobView | null = $state(null);
  /** Progress rows, replaced as a whole on each flush (raw: never deeply proxied). */
  files: FileProgress[] = $state.raw([]);
  /** The id of the import most recently saved by this page. */
  lastImportId: string | null = $state(null);
  readonly isRunning: boolean = $derived(this.job?.status === 'running' || this.job?.status === 'saving');

  #handle: ImportJob | null = null;
  #rows: FileProgress[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  #clock: () => number = () => performance.now();

  /**
   * Profiles `files` as one import named `name`. Resolves with the new import's id, or null when the
   * job was cancelled or failed (the failure is already reported to the banner).
   */
  async start(name: string, files: PickedFile[]): Promise<string | null> {
    if (this.isRunning) throw new StocktakeError('BAD_ARGUMENT', 'An import is already running.');
    if (files.length === 0) throw new StocktakeError('BAD_ARGUMENT', 'No files to import.');
    appErrors.dismiss();
    this.#rows = createFileRows(files.map((f) => ({ path: f.path, bytes: f.file.size })));
    this.files = this.#rows.map((r) => ({ ...r }));
    const job: JobView = {
      name,
      status: 'running',
      startedAt: Date.now(),
      finishedAt: null,
      relations: null,
      engine: null,
      importId: null,
    };
    this.job = job;
    const handle = startImport(name, files, (e) => this.#onProgress(e));
    this.#handle = handle;
    describeEngine().then(
      (label) => this.job === job && this.#patch({ engine: label }),
      () => undefined, // the import itself reports engine failures
    );

    let inventory: Inventory;
    try {
      inventory = await handle.result;
    } catch (e) {
      return this.#finish(isAbortError(e) ? 'cancelled' : 'failed', e);
    } finally {
      this.#handle = null;
    }
    this.#flush();
    if (inventory.import.status === 'failed') {
      const first = inventory.import.issues.find((i) => i.severity === 'error');
      return this.#finish('failed', new StocktakeError('NO_TABLES', first ? first.message : `No table could be read from “${name}”.`));
    }
    this.#patch({ status: 'saving', engine: inventory.import.engine });
    try {
      await saveInventory(inventory);
    } catch (e) {
      return this.#finish('failed', e);
    }
    this.lastImportId = inventory.import.id;
    this.#finish('done', null, inventory.import.id);
    // The catalog is stored; the local compressed copy of the rows follows in the background, at once
    // (a delay to let the catalog paint first left a reload right after an import without the rows).
    // If it fails (quota), the catalog stays valid and views that need rows ask for the files again.
    persistTables(inventory.import.id).catch((e: unknown) => appErrors.report(e));
    router.go({ view: 'catalog', importId: inventory.import.id });
    return inventory.import.id;
  }

  /**
   * Starts the data engine ahead of the first import (it takes seconds to start and warm up), so a
   * drop is profiled at once. Failures are left to the import, which reports them.
   */
  prepareEngine(): void {
    describeEngine().catch(() => undefined);
  }

  /** Cancels the running job: the worker is terminated and nothing is saved. */
  cancel(): void {
    this.#handle?.cancel();
  }

  /** Forgets a finished job's progress rows. */
  clear(): void {
    if (this.isRunning) return;
    this.job = null;
    this.files = [];
  }

  #finish(status: JobStatus, error: unknown, importId: string | null = null): null | string {
    this.#flush();
    this.#patch({ status, finishedAt: Date.now(), importId });
    if (status === 'failed') appErrors.report(error);
    return importId;
  }

  #patch(fields: Partial<JobView>): void {
    if (this.job) this.job = { ...this.job, ...fields };
  }

  #onProgress(event: ProgressEvent): void {
    if (event.kind === 'relations') {
      this.#patch({ relations: { done: event.done, total: event.total } });
      return;
    }
    applyProgressEvent(this.#rows, event, this.#clock());
    if (this.#timer === null) this.#timer = setTimeout(() => this.#flush(), FLUSH_MS);
  }

  #flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    // Copies, so the raw state changes identity and the rows re-render.
    this.files = this.#rows.map((r) => ({ ...r, tables: [...r.tables], issues: [...r.issues] }));
  }
}

export const importJobs = new ImportJobs();
