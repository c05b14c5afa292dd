// The stored catalog as rune state: the list of past imports, and the open import's tables, columns
// and relations, each kept current through Dexie liveQuery.
import type { ColumnProfile, ForeignKey, ImportRecord, TableProfile } from '../core/types.ts';
import {
  deleteImport,
  getImport,
  listAllColumns,
  listImports,
  listRelations,
  listTables,
} from '../db/repository.ts';
import { appErrors } from './errors.svelte.ts';
import { LiveValue } from './live.svelte.ts';

/** Everything stored for one import. */
export interface ImportContents {
  importId: string;
  record: ImportRecord | undefined;
  tables: TableProfile[];
  columns: ColumnProfile[];
  relations: ForeignKey[];
}

async function readImport(importId: string): Promise<ImportContents> {
  const [record, tables, columns, relations] = await Promise.all([
    getImport(importId),
    listTables(importId),
    listAllColumns(importId),
    listRelations(importId),
  ]);
  return { importId, record, tables, columns, relations };
}

/** Every stored import with its tables and columns, for searching across imports. */
async function readEverything(): Promise<ImportContents[]> {
  const records = await listImports();
  return Promise.all(records.map((r) => readImport(r.id)));
}

class CatalogState {
  readonly #imports = new LiveValue<ImportRecord[]>([]);
  readonly #current = new LiveValue<ImportContents | null>(null);
  readonly #everything = new LiveValue<ImportContents[]>([]);
  #openId: string | null = $state(null);
  #watchingImports = false;
  #watchingEverything = false;

  /** Past imports, newest first (after `start()`). */
  get imports(): ImportRecord[] {
    return this.#imports.value;
  }

  get importsLoading(): boolean {
    return this.#imports.loading;
  }

  /** The open import's contents; null while loading or when none is open. */
  get current(): ImportContents | null {
    const c = this.#current.value;
    return c && c.importId === this.#openId ? c : null;
  }

  get currentLoading(): boolean {
    return this.#openId !== null && this.current === null;
  }

  /** Every stored import's contents, after `watchEverything()` (only the cross-import search needs it). */
  get everything(): ImportContents[] {
    return this.#everything.value;
  }

  /** Subscribes to the list of imports. Call from an effect or handler, never while rendering. */
  start(): void {
    if (this.#watchingImports) return;
    this.#watchingImports = true;
    this.#imports.watch(() => listImports());
  }

  /** Subscribes to every import's contents, for the cross-import search. */
  watchEverything(): void {
    if (this.#watchingEverything) return;
    this.#watchingEverything = true;
    this.#everything.watch(readEverything);
  }

  /** Opens `importId` (or closes with null); repeated calls with the same id keep the subscription. */
  open(importId: string | null): void {
    if (importId === this.#openId) return;
    this.#openId = importId;
    if (importId === null) {
      this.#current.stop();
      return;
    }
    this.#current.watch(() => readImport(importId));
  }

  /** Deletes an import and everything stored for it. */
  async remove(importId: string): Promise<void> {
    try {
      await deleteImport(importId);
    } catch (e) {
      appErrors.report(e);
    }
  }
}

export const catalog = new CatalogState();
