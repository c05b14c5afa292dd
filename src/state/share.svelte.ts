// The Share view's state: the open import's snapshot (built from everything stored for it), its link
// compacted to the URL budget, copying it, and the encrypted upload to the configured backend.
import { version as appVersion } from '../../package.json';
import { StocktakeError } from '../core/errors.ts';
import type { QualityReport } from '../core/quality/types.ts';
import { encryptSnapshot } from '../core/snapshot/encrypt.ts';
import { fitSnapshotLink, LINK_BUDGET, serializeSnapshot, type LinkFit } from '../core/snapshot/link.ts';
import { buildSnapshot, type ModelLike, type Snapshot } from '../core/snapshot/snapshot.ts';
import type { Inventory } from '../core/types.ts';
import { getAnalysis, getSetting, listModels, loadInventory } from '../db/repository.ts';
import { uploadSnapshot, type BackendConfig } from '../lib/backend-client.ts';
import { appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';
import type { RuleSuiteState } from './quality-model.ts';
import { QUALITY_KIND, RULES_KIND } from './quality.svelte.ts';
import { TAGS_KIND, type StoredTag } from './tag-extras-model.ts';

/** Where the backend panel keeps the backend's address and write token. */
export const BACKEND_SETTING = 'backend';

/** What is stored for an import that a snapshot may carry. */
interface ShareSources {
  importId: string;
  inventory: Inventory | null;
  quality: QualityReport | null;
  rules: RuleSuiteState | null;
  models: ModelLike[];
  tags: StoredTag[];
}

/** Only the newest version of each (table, target) model: older ones add nothing a reader needs. */
function latestModels(models: readonly ModelLike[]): ModelLike[] {
  const latest = new Map<string, ModelLike>();
  for (const m of models) {
    const key = `${m.table}\u0000${m.target}`;
    const seen = latest.get(key);
    if (!seen || m.version > seen.version) latest.set(key, m);
  }
  return [...latest.values()].sort((a, b) => a.table.localeCompare(b.table) || a.target.localeCompare(b.target));
}

async function readSources(importId: string): Promise<ShareSources> {
  const [inventory, quality, rules, models, tags] = await Promise.all([
    loadInventory(importId),
    getAnalysis<QualityReport>(importId, QUALITY_KIND),
    getAnalysis<RuleSuiteState>(importId, RULES_KIND),
    listModels(importId),
    getAnalysis<StoredTag[]>(importId, TAGS_KIND),
  ]);
  return {
    importId,
    inventory: inventory ?? null,
    quality: quality?.value ?? null,
    rules: rules?.value ?? null,
    // Summaries only: the ONNX bytes never go into a snapshot.
    models: latestModels(models.map(({ table, target, textColumns, version, classes, metrics, createdAt }) => ({ table, target, textColumns, version, classes, metrics, createdAt }))),
    tags: tags?.value ?? [],
  };
}

/** A configured backend has an address (or '' for this origin) and a write token. */
export function isBackendConfigured(cfg: BackendConfig | null | undefined): cfg is BackendConfig {
  return !!cfg && typeof cfg.baseUrl === 'string' && !!cfg.token;
}

/** The page address share links start from: this origin and the app's base path. */
export function shareBase(): string {
  return `${location.origin}${import.meta.env.BASE_URL}`;
}

/** The link of an encrypted upload: the backend's `/s/<id>` page with the key in the hash only. */
export function uploadLink(cfg: BackendConfig, id: string, key: string): string {
  const base = (cfg.baseUrl || location.origin).replace(/\/+$/, '');
  return `${base}/s/${encodeURIComponent(id)}#k=${key}`;
}

export type UploadStatus = 'idle' | 'uploading' | 'done' | 'failed';

class ShareState {
  readonly #sources = new LiveValue<ShareSources | null>(null);
  readonly #backend = new LiveValue<BackendConfig | null>(null);
  #importId: string | null = $state(null);
  #watchingBackend = false;

  /** Keep raw samples of non-PII columns (off by default). */
  includeSamples = $state(false);
  copied = $state(false);
  uploadStatus: UploadStatus = $state('idle');
  uploadUrl: string | null = $state(null);
  uploadExpiresAt: number | null = $state(null);

  get loading(): boolean {
    return this.#sources.loading || this.#sources.value?.importId !== this.#importId;
  }

  /** The full snapshot of the open import (what an upload carries), with the current options. */
  readonly snapshot: Snapshot | null = $derived.by(() => {
    const s = this.#sources.value;
    if (!s || s.importId !== this.#importId || !s.inventory) return null;
    return buildSnapshot(
      { inventory: s.inventory, quality: s.quality, rules: s.rules, models: s.models, tags: s.tags },
      { appVersion, includeSamples: this.includeSamples },
    );
  });

  /** The link form, compacted to the budget; `fits` false means only the upload can share it. */
  readonly link: LinkFit | null = $derived(this.snapshot ? fitSnapshotLink(this.snapshot, shareBase(), LINK_BUDGET) : null);

  get backend(): BackendConfig | null {
    return this.#backend.value;
  }

  get hasBackend(): boolean {
    return isBackendConfigured(this.#backend.value);
  }

  /** Opens `importId`; a different import resets the upload and copy state. */
  open(importId: string): void {
    if (!this.#watchingBackend) {
      this.#watchingBackend = true;
      this.#backend.watch(() => getSetting<BackendConfig | null>(BACKEND_SETTING, null));
    }
    if (importId === this.#importId) return;
    this.#importId = importId;
    this.copied = false;
    this.resetUpload();
    this.#sources.watch(() => readSources(importId));
  }

  setIncludeSamples(value: boolean): void {
    this.includeSamples = value;
    this.copied = false;
    this.resetUpload();
  }

  resetUpload(): void {
    this.uploadStatus = 'idle';
    this.uploadUrl = null;
    this.uploadExpiresAt = null;
  }

  async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = true;
    } catch (e) {
      appErrors.report(new StocktakeError('BAD_ARGUMENT', `Could not copy to the clipboard (${(e as Error).message}); select the link and copy it by hand.`));
    }
  }

  /** Encrypts the full snapshot in the browser and uploads the opaque bytes; the key stays in the link. */
  async upload(): Promise<void> {
    const cfg = this.#backend.value;
    const snap = this.snapshot;
    if (!snap || !isBackendConfigured(cfg)) return;
    this.uploadStatus = 'uploading';
    try {
      const { cipher, key } = await encryptSnapshot(serializeSnapshot(snap));
      const res = await uploadSnapshot(cfg, cipher);
      this.uploadUrl = uploadLink(cfg, res.id, key);
      this.uploadExpiresAt = res.expiresAt;
      this.uploadStatus = 'done';
    } catch (e) {
      this.uploadStatus = 'failed';
      appErrors.report(e);
    }
  }
}

export const share = new ShareState();
