// The Monitoring view's state: for the open import, every stored inventory (to pick the previous
// version and the history), the user's pairing and the dataset's thresholds, read through liveQuery;
// the diff itself is derived on the main thread (pure and fast: it reads profiles, not rows).
import { diffInventories, type MonitorReport } from '../core/monitor/diff.ts';
import type { MatchOverrides } from '../core/monitor/match.ts';
import type { Level, ThresholdSettings } from '../core/monitor/thresholds.ts';
import type { Inventory } from '../core/types.ts';
import { getSetting, listImports, loadInventory, putSetting, saveAnalysis } from '../db/repository.ts';
import { appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';
import {
  computeTimeline,
  pairingSettingKey,
  planComparison,
  setColumnPairing,
  setTablePairing,
  thresholdsSettingKey,
  updateScopedLevels,
  type ComparisonPlan,
  type LevelKey,
  type MetricTimeline,
} from './monitor-model.ts';

/** The user's pairing of one import: the previous import (null: automatic) and table/column overrides. */
export interface Pairing {
  previousId: string | null;
  overrides: MatchOverrides;
}

interface MonitorData {
  importId: string;
  inventories: Inventory[];
  thresholds: ThresholdSettings;
  pairing: Pairing;
}

const NO_PAIRING: Pairing = { previousId: null, overrides: {} };

async function readMonitorData(importId: string): Promise<MonitorData> {
  const records = await listImports();
  const inventories = (await Promise.all(records.map((r) => loadInventory(r.id)))).filter((x): x is Inventory => !!x);
  const current = inventories.find((i) => i.import.id === importId);
  const thresholds = current ? await getSetting<ThresholdSettings>(thresholdsSettingKey(current.import.name), {}) : {};
  const pairing = await getSetting<Pairing>(pairingSettingKey(importId), NO_PAIRING);
  return { importId, inventories, thresholds, pairing };
}

class MonitorState {
  readonly #data = new LiveValue<MonitorData | null>(null);
  #openId: string | null = $state(null);
  /** Milliseconds the last diff took on the main thread. */
  computeMs = $state(0);
  #savedKey = '';

  /** The open import's data; null while loading. */
  get #current(): MonitorData | null {
    const d = this.#data.value;
    return d && d.importId === this.#openId ? d : null;
  }

  get loading(): boolean {
    return this.#openId !== null && this.#current === null;
  }

  /** Thresholds of the open import's dataset. */
  get thresholds(): ThresholdSettings {
    return this.#current?.thresholds ?? {};
  }

  get pairing(): Pairing {
    return this.#current?.pairing ?? NO_PAIRING;
  }

  /** What is compared with what. */
  readonly plan: ComparisonPlan | null = $derived.by(() => {
    const d = this.#current;
    return d ? planComparison(d.inventories, d.importId, d.pairing.previousId) : null;
  });

  /** The diff of the open import against its previous one; null when there is none. */
  readonly report: MonitorReport | null = $derived.by(() => {
    const p = this.plan;
    const d = this.#current;
    if (!p || !p.previous || !d) return null;
    const started = performance.now();
    const report = diffInventories(p.previous, p.current, {
      thresholds: d.thresholds.global,
      scopedThresholds: d.thresholds.scoped,
      history: p.history,
      match: d.pairing.overrides,
    });
    this.#recordTime(performance.now() - started);
    return report;
  });

  #recordTime(ms: number): void {
    // Written outside the derivation that measured it: state may not change while deriving.
    queueMicrotask(() => (this.computeMs = ms));
  }

  /** Opens `importId` (null closes); repeated calls with the same id keep the subscription. */
  open(importId: string | null): void {
    if (importId === this.#openId) return;
    this.#openId = importId;
    if (importId === null) {
      this.#data.stop();
      return;
    }
    this.#data.watch(() => readMonitorData(importId));
  }

  /** The timeline of one metric over the history, the previous and the open import. */
  timeline(table: string, column: string | undefined, metric: string): MetricTimeline | null {
    const p = this.plan;
    if (!p || !p.previous) return null;
    return computeTimeline([...p.history, p.previous, p.current], table, column, metric, this.thresholds, this.pairing.overrides);
  }

  /** Compares with another import (null: back to the automatic choice); forgets the table/column pairing. */
  choosePrevious(previousId: string | null): Promise<void> {
    return this.#savePairing({ previousId, overrides: {} });
  }

  /** Pairs a new table with an old one (null: none, undefined: automatic). */
  pairTable(newTable: string, oldTable: string | null | undefined): Promise<void> {
    return this.#savePairing({ ...this.pairing, overrides: setTablePairing(this.pairing.overrides, newTable, oldTable) });
  }

  /** Pairs a new column with an old one (null: none, undefined: automatic). */
  pairColumn(newTable: string, newColumn: string, oldColumn: string | null | undefined): Promise<void> {
    return this.#savePairing({ ...this.pairing, overrides: setColumnPairing(this.pairing.overrides, newTable, newColumn, oldColumn) });
  }

  /** Stores a column's (or table's) levels for this dataset; levels equal to the defaults store nothing. */
  async saveLevels(table: string, column: string | undefined, levels: Partial<Record<LevelKey, Level>>): Promise<void> {
    const d = this.#current;
    if (!d) return;
    const name = d.inventories.find((i) => i.import.id === d.importId)?.import.name;
    if (name === undefined) return;
    try {
      await putSetting(thresholdsSettingKey(name), $state.snapshot(updateScopedLevels(d.thresholds, table, column, levels)));
    } catch (e) {
      appErrors.report(e);
    }
  }

  /** Keeps the latest report of the open import (once per distinct report). */
  async saveReport(report: MonitorReport): Promise<void> {
    const key = `${report.new.id}:${report.old.id}:${report.alerts.length}:${JSON.stringify(this.thresholds)}:${JSON.stringify(this.pairing)}`;
    if (key === this.#savedKey) return;
    this.#savedKey = key;
    try {
      await saveAnalysis(report.new.id, 'monitor', report);
    } catch (e) {
      appErrors.report(e);
    }
  }

  async #savePairing(pairing: Pairing): Promise<void> {
    if (!this.#openId) return;
    try {
      await putSetting(pairingSettingKey(this.#openId), $state.snapshot(pairing));
    } catch (e) {
      appErrors.report(e);
    }
  }
}

export const monitor = new MonitorState();
