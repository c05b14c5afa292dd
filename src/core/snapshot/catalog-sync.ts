// Catalog sync with the optional backend, the pure part: an import's catalog as keyed records
// (`<importId>/<kind>/<name>`), which of them changed since the last sync, and the bookkeeping of
// server versions after a push or a pull. The state class does the I/O.
import { StocktakeError } from '../errors.ts';
import type { ColumnProfile, ForeignKey, ImportRecord, Inventory, TableProfile } from '../types.ts';
import type { PullResult, PushResult, ServerRecord, SyncRecord } from './sync-types.ts';

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
  // Where a pulled copy came from is this browser's bookkeeping, not part of the catalog.
  const { pulled: _pulled, ...imp } = inv.import;
  const items: CatalogItem[] = [{ key: `${id}/import/${inv.import.name}`, kind: 'import', value: imp }];
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

// ---- pull: records back into inventories ---------------------------------------------------------

/** Why a pulled import cannot be stored: records missing (a push cut short) or records of the wrong shape. */
export type PulledProblem = 'incomplete' | 'malformed';

/** Pulled records of one import that do not make a whole catalog; `importId` and `problem` say which and why. */
export class CatalogSyncError extends StocktakeError {
  override name = 'CatalogSyncError';
  constructor(
    readonly importId: string,
    readonly problem: PulledProblem,
    message: string,
  ) {
    super('SYNC_RECORDS_INVALID', message);
  }
}

/**
 * One import rebuilt from pulled records. `inventory.import.pulled` carries the origin (workspace,
 * newest server version among the group's records, who wrote that record and when). Columns come
 * back without samples and top values (push never sends them), and PII columns without min/max.
 */
export type PulledImport =
  | { ok: true; importId: string; inventory: Inventory; records: number }
  | { ok: false; importId: string; error: CatalogSyncError; records: number };

type Json = Record<string, unknown>;
const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** `<importId>/<kind>/<name>` split at its first two slashes (names may hold slashes); null for other keys. */
function splitKey(key: string): { importId: string; kind: CatalogRecordKind; name: string } | null {
  const a = key.indexOf('/');
  const b = a < 0 ? -1 : key.indexOf('/', a + 1);
  if (a <= 0 || b < 0) return null;
  const kind = key.slice(a + 1, b);
  if (kind !== 'import' && kind !== 'table' && kind !== 'column' && kind !== 'relation') return null;
  return { importId: key.slice(0, a), kind, name: key.slice(b + 1) };
}

/** Checks one record's value against its key; returns the problem in words, or null when it fits. */
function checkRecordValue(kind: CatalogRecordKind, importId: string, name: string, v: unknown): string | null {
  if (!isJson(v)) return 'is not an object';
  switch (kind) {
    case 'import':
      if (v.id !== importId) return `has id ${JSON.stringify(v.id)}, not the key's ${importId}`;
      if (!isText(v.name) || !isCount(v.tableCount) || !Array.isArray(v.files) || typeof v.createdAt !== 'number') return 'lacks name, tableCount, files or createdAt';
      return null;
    case 'table':
      if (v.importId !== importId) return `belongs to import ${JSON.stringify(v.importId)}`;
      if (v.name !== name) return `is named ${JSON.stringify(v.name)}, not the key's ${JSON.stringify(name)}`;
      if (!isCount(v.rowCount) || !isCount(v.columnCount)) return 'lacks rowCount or columnCount';
      return null;
    case 'column':
      if (v.importId !== importId) return `belongs to import ${JSON.stringify(v.importId)}`;
      if (!isText(v.table) || !isText(v.name) || `${v.table}.${v.name}` !== name) return `does not name the key's column ${JSON.stringify(name)}`;
      if (!isCount(v.index) || !isText(v.physicalType)) return 'lacks index or physicalType';
      return null;
    case 'relation':
      if (v.importId !== importId) return `belongs to import ${JSON.stringify(v.importId)}`;
      if (![v.fromTable, v.fromColumn, v.toTable, v.toColumn].every(isText)) return 'lacks fromTable, fromColumn, toTable or toColumn';
      return null;
  }
}

interface Group {
  imports: ServerRecord[];
  tables: ServerRecord[];
  columns: ServerRecord[];
  relations: ServerRecord[];
  malformed: string | null;
}

/**
 * Turns pulled records (all of a workspace, as `pull?since=0` gives them) back into inventories, one
 * per import id, in the order of their newest record. A group is refused with a CatalogSyncError
 * when a record does not fit its key (malformed) or when parts are missing (incomplete): no import
 * record, fewer tables than the import counts, columns or relations of a table that is not there, or
 * a table with fewer columns than it counts. Keys this app did not make are left out.
 */
export function inventoriesFromRecords(records: readonly ServerRecord[], workspace: string): PulledImport[] {
  const groups = new Map<string, Group>();
  for (const r of records) {
    const k = splitKey(r.key);
    if (!k) continue;
    let g = groups.get(k.importId);
    if (!g) groups.set(k.importId, (g = { imports: [], tables: [], columns: [], relations: [], malformed: null }));
    const problem = checkRecordValue(k.kind, k.importId, k.name, r.value);
    if (problem && !g.malformed) g.malformed = `record ${r.key} ${problem}`;
    ({ import: g.imports, table: g.tables, column: g.columns, relation: g.relations })[k.kind].push(r);
  }
  const out: (PulledImport & { newest: number })[] = [];
  for (const [importId, g] of groups) {
    const all = [...g.imports, ...g.tables, ...g.columns, ...g.relations];
    const newest = all.reduce((a, b) => (b.version > a.version ? b : a));
    const fail = (problem: PulledProblem, message: string) =>
      out.push({ ok: false, importId, records: all.length, newest: newest.version, error: new CatalogSyncError(importId, problem, `Pulled import ${importId}: ${message}`) });
    if (g.malformed) {
      fail('malformed', g.malformed);
      continue;
    }
    if (g.imports.length === 0) {
      fail('incomplete', `${all.length} records but no import record (was its push cut short?)`);
      continue;
    }
    // A renamed import leaves its old key behind: the newest import record is the current one.
    const impRecord = g.imports.reduce((a, b) => (b.version > a.version ? b : a));
    const imp = impRecord.value as ImportRecord;
    const tables = g.tables.map((r) => r.value as TableProfile).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const byTable = new Map(tables.map((t) => [t.name, 0]));
    const missing: string[] = [];
    const columns: ColumnProfile[] = [];
    for (const r of g.columns) {
      const c = r.value as Omit<ColumnProfile, 'samples' | 'topValues'>;
      const n = byTable.get(c.table);
      if (n === undefined) missing.push(`columns of table "${c.table}" whose table record is missing`);
      else byTable.set(c.table, n + 1);
      columns.push({ ...c, samples: [], topValues: [] });
    }
    // A Dexie row id is this browser's, never the sender's.
    const relations = g.relations.map((r) => {
      const { id: _id, ...fk } = r.value as ForeignKey & { id?: unknown };
      return fk;
    });
    for (const fk of relations) {
      for (const t of [fk.fromTable, fk.toTable]) if (!byTable.has(t)) missing.push(`a relation of table "${t}" whose table record is missing`);
    }
    if (tables.length < imp.tableCount) missing.push(`${tables.length} of the ${imp.tableCount} tables`);
    for (const t of tables) {
      const n = byTable.get(t.name) ?? 0;
      if (n < t.columnCount) missing.push(`${n} of the ${t.columnCount} columns of table "${t.name}"`);
    }
    if (missing.length) {
      fail('incomplete', [...new Set(missing)].join('; '));
      continue;
    }
    const pulled = { workspace, version: newest.version, clientId: newest.clientId, updatedAt: newest.updatedAt };
    out.push({ ok: true, importId, records: all.length, newest: newest.version, inventory: { import: { ...imp, pulled }, tables, columns, relations } });
  }
  return out.sort((a, b) => b.newest - a.newest).map(({ newest: _n, ...p }) => p as PulledImport);
}

/** What storing a pulled import does, given what this browser holds under its id. */
export type PulledSaveDecision =
  | { action: 'add' }
  | { action: 'update'; from: number }
  | { action: 'unchanged'; version: number }
  /** The local import has its rows here: a profile-only copy would lose them (and its samples). */
  | { action: 'keep-local'; reason: 'has-rows' }
  /** Profiled on this machine (not pulled): it holds samples and top values the pulled copy lacks. */
  | { action: 'keep-local'; reason: 'profiled-here' };

/**
 * The save rules of a pulled import: new ids are added; a copy pulled before is replaced only by a
 * newer server version; a local import that has rows, or that was profiled here, is never overwritten.
 */
export function decidePulledSave(local: { record: ImportRecord; hasRows: boolean } | undefined, incomingVersion: number): PulledSaveDecision {
  if (!local) return { action: 'add' };
  if (local.hasRows) return { action: 'keep-local', reason: 'has-rows' };
  const from = local.record.pulled?.version;
  if (from === undefined) return { action: 'keep-local', reason: 'profiled-here' };
  return incomingVersion > from ? { action: 'update', from } : { action: 'unchanged', version: from };
}
