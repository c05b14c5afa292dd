// The read-only snapshot viewer's state. A page opened with `#s=<snapshot>` or at `/s/<id>#k=<key>`
// restores that snapshot in memory and shows its catalog without touching the user's own catalog
// (until "save a copy"). The link stays in the address bar, so pages inside the viewer (a table, a
// column) are kept here rather than in the hash.
import { SnapshotError } from '../core/snapshot/snapshot-error.ts';
import { decryptSnapshot } from '../core/snapshot/encrypt.ts';
import { decodeSnapshotHash, parseSnapshotBytes } from '../core/snapshot/link.ts';
import { snapshotToInventory, type Snapshot } from '../core/snapshot/snapshot.ts';
import { saveInventory } from '../db/repository.ts';
import { fetchSnapshot } from '../lib/backend-client.ts';
import type { ImportContents } from './catalog.svelte.ts';
import { appErrors } from './errors.svelte.ts';
import { hrefFor, parseRoute, type Route } from './route.ts';
import { readSnapshotSource, type SnapshotSource } from './snapshot-source.ts';

/** The import id the viewer's pages use; never stored (a saved copy gets a fresh id). */
export const SNAPSHOT_IMPORT_ID = 'shared-snapshot';

/** Pages of the viewer: the reused catalog views, plus the snapshot's summary. */
export type ViewerPage = Extract<Route, { view: 'catalog' | 'table' | 'column' | 'relations' }> | { view: 'summary'; importId: string };

export type ViewerStatus = 'none' | 'loading' | 'ready' | 'failed';

class SharedSnapshotState {
  status: ViewerStatus = $state('none');
  snapshot: Snapshot | null = $state.raw(null);
  /** The snapshot as catalog contents, so CatalogView, TableView and ColumnView show it unchanged. */
  contents: ImportContents | null = $state.raw(null);
  page: ViewerPage = $state({ view: 'catalog', importId: SNAPSHOT_IMPORT_ID });
  failure: { code: string; message: string } | null = $state(null);
  savedImportId: string | null = $state(null);
  #key = '';
  #request = 0;

  get isActive(): boolean {
    return this.status !== 'none';
  }

  /** Follows the page address: opens the snapshot it points at, or closes the viewer. */
  sync(pathname: string, hash: string): void {
    const source = readSnapshotSource(pathname, hash);
    const key = source ? (source.kind === 'hash' ? source.hash : `${source.id}#${source.key}`) : '';
    if (key === this.#key) return;
    this.#key = key;
    const request = ++this.#request;
    if (!source) {
      this.status = 'none';
      this.snapshot = null;
      this.contents = null;
      return;
    }
    this.status = 'loading';
    this.failure = null;
    this.savedImportId = null;
    this.page = { view: 'catalog', importId: SNAPSHOT_IMPORT_ID };
    this.#load(source).then(
      (snap) => {
        if (request !== this.#request) return;
        const inv = snapshotToInventory(snap, SNAPSHOT_IMPORT_ID);
        this.snapshot = snap;
        this.contents = { importId: SNAPSHOT_IMPORT_ID, record: inv.import, tables: inv.tables, columns: inv.columns, relations: inv.relations };
        this.status = 'ready';
      },
      (e: unknown) => {
        if (request !== this.#request) return;
        this.status = 'failed';
        this.failure = { code: (e as { code?: string }).code ?? 'UNKNOWN', message: (e as Error).message ?? String(e) };
        appErrors.report(e);
      },
    );
  }

  async #load(source: SnapshotSource): Promise<Snapshot> {
    if (source.kind === 'hash') return decodeSnapshotHash(source.hash);
    if (!source.key) throw new SnapshotError('DECRYPT_FAILED', 'The link has no key (the "#k=…" part is missing): copy the whole link again.');
    // The backend serving this page is the one holding the upload: same origin.
    const cipher = await fetchSnapshot({ baseUrl: '' }, source.id);
    return parseSnapshotBytes(await decryptSnapshot(cipher, source.key));
  }

  /** Shows a page of the viewer for a link of the reused views; false when the link leaves the snapshot. */
  navigate(href: string): boolean {
    if (!href.startsWith('#/')) return false;
    const route = parseRoute(href);
    if (!('importId' in route) || route.importId !== SNAPSHOT_IMPORT_ID) return false;
    if (route.view === 'catalog' || route.view === 'table' || route.view === 'column' || route.view === 'relations') {
      this.page = route;
      return true;
    }
    return false;
  }

  showSummary(): void {
    this.page = { view: 'summary', importId: SNAPSHOT_IMPORT_ID };
  }

  /** Stores the snapshot's catalog as a new import of the user's own (profiles only, no rows). */
  async saveCopy(suffix: string): Promise<void> {
    const snap = this.snapshot;
    if (!snap) return;
    try {
      const id = crypto.randomUUID();
      const inv = snapshotToInventory(snap, id);
      inv.import = { ...inv.import, name: `${inv.import.name} ${suffix}`, createdAt: Date.now() };
      await saveInventory(inv);
      this.savedImportId = id;
    } catch (e) {
      appErrors.report(e);
    }
  }

  /** The hash of the saved copy's catalog. */
  savedHref(): string | null {
    return this.savedImportId ? hrefFor({ view: 'catalog', importId: this.savedImportId }) : null;
  }
}

export const sharedSnapshot = new SharedSnapshotState();
