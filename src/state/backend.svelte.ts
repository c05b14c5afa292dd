// The Backend panel's state: the optional backend's address and write token (settings key `backend`,
// the same one the Share view reads), a connection test, the user's own snapshots, and the catalog
// sync of an import (push what changed, then pull). All network calls go through lib/backend-client.
import { StocktakeError } from '../core/errors.ts';
import {
  afterPull,
  afterPush,
  buildCatalogItems,
  chunkRecords,
  EMPTY_SYNC_STATE,
  inventoriesFromRecords,
  planPush,
  type CatalogSyncState,
  type PulledImport,
  type PulledSaveDecision,
} from '../core/snapshot/catalog-sync.ts';
import type { ServerRecord, SnapshotInfo, StoredConflict, SyncConflict } from '../core/snapshot/sync-types.ts';
import { getSetting, loadInventory, putSetting, savePulledInventory } from '../db/repository.ts';
import { offerDownload } from '../lib/download.ts';
import {
  BackendError,
  deleteSnapshot,
  getHealth,
  listConflicts,
  listSnapshots,
  pullCatalog,
  pushCatalog,
  type BackendConfig,
} from '../lib/backend-client.ts';
import { WORKSPACE_PATTERN, checkBaseUrl, summarizePulled } from './backend-model.ts';
import { appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';
import { BACKEND_SETTING, isBackendConfigured } from './share.svelte.ts';

/** Settings key of the sync bookkeeping: this browser's client id, the workspace, and per workspace what it last saw. */
export const BACKEND_SYNC_SETTING = 'backend.sync';

interface SyncSettings {
  clientId: string;
  workspace: string;
  states: Record<string, CatalogSyncState>;
}

/** The server takes 2 MiB of JSON per push; 1 MiB chunks leave room for the envelope. */
const PUSH_CHUNK_BYTES = 1024 * 1024;
const PUSH_CHUNK_RECORDS = 2000;

export type HealthResult = { ok: true; version: string; snapshots: number } | { ok: false; code: string; message: string };

/** What one sync did, for the panel. */
export interface SyncReport {
  importId: string;
  workspace: string;
  /** Records of this import whose value changed since the last sync. */
  pushed: number;
  applied: number;
  /** Concurrent edits this push ran into (the losing value is kept on the server). */
  conflicts: SyncConflict[];
  /** Records other clients (or this one) wrote since the last pull. */
  pulled: ServerRecord[];
  pulledSummary: ReturnType<typeof summarizePulled>;
  serverVersion: number;
  /** Every conflict recorded in the workspace, newest first. */
  workspaceConflicts: StoredConflict[];
  at: number;
}

/** What a pull of the whole workspace brought: its imports rebuilt (or refused, with why) and its conflicts. */
export interface PullReport {
  workspace: string;
  imports: PulledImport[];
  /** Every conflict recorded in the workspace, newest first. */
  conflicts: StoredConflict[];
  serverVersion: number;
  /** This browser's client id, so the list can say "this browser" for its own pushes. */
  clientId: string;
  at: number;
}

function newClientId(): string {
  return `web-${Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function readSyncSettings(): Promise<SyncSettings> {
  const s = await getSetting<Partial<SyncSettings> | null>(BACKEND_SYNC_SETTING, null);
  return { clientId: s?.clientId || newClientId(), workspace: s?.workspace || 'default', states: s?.states ?? {} };
}

class BackendState {
  readonly #config = new LiveValue<BackendConfig | null>(null);
  #started = false;

  health: HealthResult | null = $state.raw(null);
  checking = $state(false);
  snapshots: SnapshotInfo[] | null = $state.raw(null);
  listing = $state(false);
  /** Ids being deleted, so their buttons disable. */
  deleting: string[] = $state([]);
  workspace = $state('default');
  syncing = $state(false);
  lastSync: SyncReport | null = $state.raw(null);
  pulling = $state(false);
  lastPull: PullReport | null = $state.raw(null);
  /** Import ids being stored, so their buttons disable. */
  adding: string[] = $state([]);
  /** Per pulled import id: what "add to my catalog" did. */
  added: Record<string, PulledSaveDecision> = $state({});

  get config(): BackendConfig | null {
    return this.#config.value;
  }

  get loading(): boolean {
    return this.#config.loading;
  }

  /** An address (or '' for this site) and a write token are set. */
  get isConfigured(): boolean {
    return isBackendConfigured(this.#config.value);
  }

  /** Subscribes to the stored settings. Call from an effect or handler. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#config.watch(() => getSetting<BackendConfig | null>(BACKEND_SETTING, null));
    readSyncSettings().then(
      (s) => (this.workspace = s.workspace),
      (e: unknown) => appErrors.report(e),
    );
  }

  /** Saves the address and token; returns the problem with the address instead when it is not one. */
  async save(baseUrlInput: string, token: string): Promise<'ok' | 'scheme' | 'invalid' | 'path' | 'token'> {
    const url = checkBaseUrl(baseUrlInput);
    if (!url.ok) return url.reason;
    const t = token.trim();
    if (!t || /\s/.test(t)) return 'token';
    try {
      await putSetting(BACKEND_SETTING, { baseUrl: url.baseUrl, token: t } satisfies BackendConfig);
      this.health = null;
      this.snapshots = null;
      this.lastSync = null;
      this.lastPull = null;
      return 'ok';
    } catch (e) {
      appErrors.report(e);
      return 'ok';
    }
  }

  /** Removes the address and token from this browser (the server and its data are untouched). */
  async forget(): Promise<void> {
    try {
      await putSetting(BACKEND_SETTING, null);
      this.health = null;
      this.snapshots = null;
      this.lastSync = null;
      this.lastPull = null;
    } catch (e) {
      appErrors.report(e);
    }
  }

  /** Checks /healthz; the outcome is shown in the panel (an unreachable backend is an answer, not an app error). */
  async test(): Promise<void> {
    const cfg = this.#config.value;
    if (!cfg) return;
    this.checking = true;
    try {
      const h = await getHealth(cfg);
      this.health = { ok: true, version: h.version, snapshots: h.snapshots };
    } catch (e) {
      if (!(e instanceof StocktakeError)) throw e;
      this.health = { ok: false, code: e.code, message: e.message };
    } finally {
      this.checking = false;
    }
  }

  async refreshSnapshots(): Promise<void> {
    const cfg = this.#config.value;
    if (!isBackendConfigured(cfg)) return;
    this.listing = true;
    try {
      this.snapshots = await listSnapshots(cfg);
    } catch (e) {
      appErrors.report(e);
    } finally {
      this.listing = false;
    }
  }

  async removeSnapshot(id: string): Promise<void> {
    const cfg = this.#config.value;
    if (!isBackendConfigured(cfg)) return;
    this.deleting = [...this.deleting, id];
    try {
      await deleteSnapshot(cfg, id);
      this.snapshots = (this.snapshots ?? []).filter((s) => s.id !== id);
    } catch (e) {
      // Already gone (expired, deleted elsewhere): the list just catches up.
      if (e instanceof BackendError && e.code === 'BACKEND_NOT_FOUND') this.snapshots = (this.snapshots ?? []).filter((s) => s.id !== id);
      else appErrors.report(e);
    } finally {
      this.deleting = this.deleting.filter((d) => d !== id);
    }
  }

  setWorkspace(name: string): void {
    this.workspace = name;
  }

  get isWorkspaceValid(): boolean {
    return WORKSPACE_PATTERN.test(this.workspace);
  }

  /**
   * Syncs the import's catalog with the workspace: pushes the records whose value changed since the
   * last sync (in chunks under the server's body limit), then pulls what was written since the last
   * pull. Pulled records are shown here; `pullCatalogs` and `addPulled` store the team's imports.
   */
  async syncCatalog(importId: string): Promise<void> {
    const cfg = this.#config.value;
    if (!isBackendConfigured(cfg) || !this.isWorkspaceValid || this.syncing) return;
    const workspace = this.workspace;
    this.syncing = true;
    try {
      const inv = await loadInventory(importId);
      if (!inv) throw new StocktakeError('BAD_ARGUMENT', 'This import is not in the catalog any more');
      const settings = await readSyncSettings();
      let state = settings.states[workspace] ?? EMPTY_SYNC_STATE;
      const records = planPush(buildCatalogItems(inv), state, Date.now());
      let applied = 0;
      const conflicts: SyncConflict[] = [];
      for (const chunk of chunkRecords(records, PUSH_CHUNK_BYTES, PUSH_CHUNK_RECORDS)) {
        const res = await pushCatalog(cfg, workspace, settings.clientId, chunk);
        applied += res.applied.length;
        conflicts.push(...res.conflicts);
        state = afterPush(state, chunk, res);
        // Saved per chunk: a failure half way must not make the next sync re-send what already landed.
        await putSetting(BACKEND_SYNC_SETTING, { ...settings, workspace, states: { ...settings.states, [workspace]: state } });
      }
      const pulled = await pullCatalog(cfg, workspace, state.since);
      state = afterPull(state, pulled);
      await putSetting(BACKEND_SYNC_SETTING, { ...settings, workspace, states: { ...settings.states, [workspace]: state } });
      const workspaceConflicts = await listConflicts(cfg, workspace);
      this.lastSync = {
        importId,
        workspace,
        pushed: records.length,
        applied,
        conflicts,
        pulled: pulled.records,
        pulledSummary: summarizePulled(pulled.records),
        serverVersion: pulled.serverVersion,
        workspaceConflicts,
        at: Date.now(),
      };
    } catch (e) {
      appErrors.report(e);
    } finally {
      this.syncing = false;
    }
  }

  /**
   * Pulls every catalog record of the workspace (from version 0, page by page) and rebuilds its
   * imports, so a second machine can see the team's catalogs and add them to its own. The versions
   * seen are remembered like an incremental pull's, so syncing a pulled import later sends nothing
   * that the server already holds.
   */
  async pullCatalogs(): Promise<void> {
    const cfg = this.#config.value;
    if (!isBackendConfigured(cfg) || !this.isWorkspaceValid || this.pulling) return;
    const workspace = this.workspace;
    this.pulling = true;
    try {
      const pulled = await pullCatalog(cfg, workspace, 0);
      const settings = await readSyncSettings();
      const state = afterPull(settings.states[workspace] ?? EMPTY_SYNC_STATE, pulled);
      await putSetting(BACKEND_SYNC_SETTING, { ...settings, workspace, states: { ...settings.states, [workspace]: state } });
      const conflicts = await listConflicts(cfg, workspace);
      this.added = {};
      this.lastPull = {
        workspace,
        imports: inventoriesFromRecords(pulled.records, workspace),
        conflicts,
        serverVersion: pulled.serverVersion,
        clientId: settings.clientId,
        at: Date.now(),
      };
    } catch (e) {
      appErrors.report(e);
    } finally {
      this.pulling = false;
    }
  }

  /** Stores one pulled import in this browser's catalog (catalog only, no rows); the outcome is shown beside it. */
  async addPulled(importId: string): Promise<void> {
    const item = this.lastPull?.imports.find((p) => p.importId === importId);
    if (!item || this.adding.includes(importId)) return;
    if (!item.ok) {
      appErrors.report(item.error);
      return;
    }
    this.adding = [...this.adding, importId];
    try {
      const decision = await savePulledInventory(item.inventory);
      this.added = { ...this.added, [importId]: decision };
    } catch (e) {
      appErrors.report(e);
    } finally {
      this.adding = this.adding.filter((a) => a !== importId);
    }
  }

  /** Offers a conflict's losing value (with the key and both sides) as a JSON file, so it is never lost to the user. */
  downloadLoser(conflict: SyncConflict): void {
    const body = JSON.stringify({ key: conflict.key, winner: conflict.winner, loser: conflict.loser }, null, 2);
    offerDownload(body, `conflict-${conflict.key}-loser-${conflict.loser.clientId}.json`, 'application/json');
  }
}

export const backend = new BackendState();
