// Catalog sync with the optional backend, the pure part: an import's catalog as keyed records
// (`<importId>/<kind>/<name>`), which of them changed since the last sync, and the bookkeeping of
// server versions after a push or a pull. The state class does the I/O.
import type { Inventory } from '../types.ts';
import type { PullResult, PushResult, SyncRecord } from './sync-types.ts';

export type CatalogRecordKind = 'import' | 'table' | 'column' | 'relation';

export interface CatalogItem {
  key: string;
  kind: CatalogRecordKind;
  value: unknown;
}

/** What this browser remembers per workspace between syncs (kept in settings). */
export interface CatalogSyncState {
  /** Server version of the last pull: the next pull asks for what came after it. */
  since: number;
  /** Per key: the server version this browser last saw, and a hash of the value it last sent. */
  known: Record<string, { version: number; hash: string }>;
}

export const EMPTY_SYNC_STATE: CatalogSyncState = { since: 0, known: {} };

/**
 * The import's catalog as sync records. Raw values never leave the browser: column samples and top
 * values are dropped, and min/max too when the column holds PII; counts, types, sketches of numbers
 * and value patterns stay.
 */
export function buildCatalogItems(inv: Inventory): CatalogItem[] {
  const id = inv.import.id;
  const items: CatalogItem[] = [{ key: `${id}/import/${inv.import.name}`, kind: 'import', value: inv.import }];
  for (const t of inv.tables) items.push({ key: `${id}/table/${t.name}`, kind: 'table', value: t });
  for (const c of inv.columns) {
    const { samples: _samples, topValues: _top, ...rest } = c;
    const value = c.pii ? { ...rest, min: null, max: null } : rest;
    items.push({ key: `${id}/column/${c.table}.${c.name}`, kind: 'column', value });
  }
  for (const r of inv.relations) {
    items.push({ key: `${id}/relation/${r.fromTable}.${r.fromColumn}->${r.toTable}.${r.toColumn}`, kind: 'relation', value: r });
  }
  return items;
}

/** JSON with object keys sorted, so equal values hash equally whatever order their keys were built in. */
function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A 53-bit hash (cyrb53) of a value's stable JSON, as hex: enough to notice a changed record. */
export function hashValue(v: unknown): string {
  const s = stableJson(v);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16);
}

/** The records to push: those whose value changed since this browser last sent it, based on the version it last saw. */
export function planPush(items: CatalogItem[], state: CatalogSyncState, now: number): SyncRecord[] {
  return items
    .filter((it) => state.known[it.key]?.hash !== hashValue(it.value))
    .map((it) => ({ key: it.key, baseVersion: state.known[it.key]?.version ?? 0, value: it.value, updatedAt: now }));
}

/**
 * Remembers what a push did. Applied records and conflicts alike count as sent: a local change that
 * lost a conflict is reported (and kept on the server), not pushed again until it changes again.
 */
export function afterPush(state: CatalogSyncState, pushed: SyncRecord[], result: PushResult): CatalogSyncState {
  const known = { ...state.known };
  const version = new Map<string, number>(result.applied.map((a) => [a.key, a.version]));
  for (const c of result.conflicts) if (!version.has(c.key)) version.set(c.key, c.winner.version);
  for (const r of pushed) {
    const v = version.get(r.key);
    if (v !== undefined) known[r.key] = { version: v, hash: hashValue(r.value) };
  }
  return { ...state, known };
}

/** Remembers the versions a pull brought; a key never sent from here takes the server value's hash. */
export function afterPull(state: CatalogSyncState, pull: PullResult): CatalogSyncState {
  const known = { ...state.known };
  for (const r of pull.records) known[r.key] = { version: r.version, hash: known[r.key]?.hash ?? hashValue(r.value) };
  return { since: Math.max(state.since, pull.serverVersion), known };
}

/** Splits records into pushes of at most `maxBytes` of UTF-8 JSON and `maxRecords` records each. */
export function chunkRecords(records: SyncRecord[], maxBytes: number, maxRecords: number): SyncRecord[][] {
  const chunks: SyncRecord[][] = [];
  let cur: SyncRecord[] = [];
  let size = 0;
  const enc = new TextEncoder();
  for (const r of records) {
    const n = enc.encode(JSON.stringify(r)).byteLength + 1;
    if (cur.length > 0 && (size + n > maxBytes || cur.length >= maxRecords)) {
      chunks.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(r);
    size += n;
  }
  if (cur.length) chunks.push(cur);
  return chunks;
}

/** The kind of a record key `<importId>/<kind>/<name>`, or 'other' for keys this app did not make. */
export function kindOfKey(key: string): CatalogRecordKind | 'other' {
  const kind = key.split('/')[1];
  return kind === 'import' || kind === 'table' || kind === 'column' || kind === 'relation' ? kind : 'other';
}
