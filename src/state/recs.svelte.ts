// The Recs view's state: the suggested (or edited) interaction spec of the open import, runs of the
// analysis (log read in the data worker, diagnostics and models in the recs worker, cancellable), and
// the stored result read through liveQuery and written with saveAnalysis.
import { detectInteractions, type DetectResult, type InteractionSpec, type LoadReport } from '../core/recsys/detect-interactions.ts';
import type { Inventory } from '../core/types.ts';
import { getAnalysis, loadInventory, saveAnalysis } from '../db/repository.ts';
import { loadInteractionLog } from '../lib/inventory-client.ts';
import { startRecsAnalysis, type RecsAnalysis, type RecsJob, type RecsProgress, type RecsRunOptions } from '../lib/recs-client.ts';
import { appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';
import { applySpecColumn, type SpecRole } from './recs-model.ts';

export const RECS_KIND = 'recs';

/** What is stored with the import: the spec it ran on, what loading found, and the analysis. */
export interface StoredRecs {
  spec: InteractionSpec;
  load: LoadReport;
  options: RecsRunOptions;
  analysis: RecsAnalysis;
  createdAt: number;
}

interface OpenRecs {
  importId: string;
  inventory: Inventory | null;
  stored: StoredRecs | null;
}

export type RecsPhase = 'load' | RecsProgress['phase'] | 'evaluate-after';

async function readStored(importId: string): Promise<OpenRecs> {
  const [rec, inventory] = await Promise.all([getAnalysis<StoredRecs>(importId, RECS_KIND), loadInventory(importId)]);
  return { importId, inventory: inventory ?? null, stored: rec?.value ?? null };
}

class RecsState {
  readonly #data = new LiveValue<OpenRecs | null>(null);
  #openId: string | null = $state(null);
  /** The spec being edited; null means "the stored one, else the detected one". */
  #draft: InteractionSpec | null = $state(null);
  phase: RecsPhase | null = $state(null);
  coldK = $state(5);
  zThreshold = $state(3.5);
  #job: RecsJob | null = null;
  #autoRan = new Set<string>();

  get #current(): OpenRecs | null {
    const d = this.#data.value;
    return d && d.importId === this.#openId ? d : null;
  }

  get loading(): boolean {
    return this.#openId !== null && this.#current === null;
  }

  get inventory(): Inventory | null {
    return this.#current?.inventory ?? null;
  }

  get stored(): StoredRecs | null {
    return this.#current?.stored ?? null;
  }

  get isBusy(): boolean {
    return this.phase !== null;
  }

  /** The detector's answer for the open import. */
  readonly detected: DetectResult | null = $derived.by(() => {
    const inv = this.#current?.inventory;
    return inv ? detectInteractions(inv) : null;
  });

  /** The spec the next run uses. */
  readonly spec: InteractionSpec | null = $derived.by(() => {
    if (this.#draft) return this.#draft;
    if (this.stored) return this.stored.spec;
    const d = this.detected;
    return d?.ok ? d.spec : null;
  });

  /** Alternatives to the suggested fact table. */
  readonly alternatives: InteractionSpec[] = $derived.by(() => {
    const d = this.detected;
    return d?.ok ? [d.spec, ...d.alternatives] : [];
  });

  open(importId: string | null): void {
    if (importId === this.#openId) return;
    this.cancel();
    this.#openId = importId;
    this.#draft = null;
    if (importId === null) {
      this.#data.stop();
      return;
    }
    this.#data.watch(() => readStored(importId));
  }

  /** Changes one column of the spec (not run until `run()`). */
  setColumn(role: SpecRole, value: string): void {
    const spec = this.spec;
    const inv = this.inventory;
    if (!spec || !inv) return;
    this.#draft = applySpecColumn($state.snapshot(spec) as InteractionSpec, inv, role, value);
  }

  /** Switches to another candidate fact table. */
  setFactTable(table: string): void {
    const alt = this.alternatives.find((s) => s.factTable === table);
    if (alt) this.#draft = $state.snapshot(alt) as InteractionSpec;
  }

  /** Runs once per import and session when nothing is stored and a spec was found. */
  runIfMissing(): void {
    const d = this.#current;
    if (!d || d.stored || !d.inventory || !this.spec || this.isBusy || this.#autoRan.has(d.importId)) return;
    this.#autoRan.add(d.importId);
    void this.run();
  }

  async run(): Promise<void> {
    const d = this.#current;
    const spec = this.spec;
    if (!d?.inventory || !spec || this.isBusy) return;
    const plainSpec = $state.snapshot(spec) as InteractionSpec;
    const options: RecsRunOptions = { coldK: this.coldK, zThreshold: this.zThreshold, nowSeconds: Date.now() / 1000, seed: 42 };
    this.phase = 'load';
    try {
      const { log, report } = await loadInteractionLog(d.importId, d.inventory, plainSpec);
      const job = startRecsAnalysis(log, options, (p) => {
        this.phase = p.phase === 'evaluate' && p.which === 'after' ? 'evaluate-after' : p.phase;
      });
      this.#job = job;
      const analysis = await job.result;
      await saveAnalysis(d.importId, RECS_KIND, { spec: plainSpec, load: report, options, analysis, createdAt: Date.now() } satisfies StoredRecs);
      this.#draft = null;
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'AbortError')) appErrors.report(e);
    } finally {
      this.#job = null;
      this.phase = null;
    }
  }

  cancel(): void {
    this.#job?.cancel();
  }
}

export const recs = new RecsState();
