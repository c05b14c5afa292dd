// Wire types of the optional backend (server/) shared by the server and the browser client, plus the
// shape checks both sides run on them. Pure: no DOM, no Node, so server/ and src/lib import the same file.

/** One catalog record a client pushes: `baseVersion` is the record's server version the client last saw (0: new). */
export interface SyncRecord {
  key: string;
  baseVersion: number;
  /** Any JSON value; the server stores it as given. */
  value: unknown;
  /** When the client made this change (ms since epoch): decides concurrent edits. */
  updatedAt: number;
}

/** Body of `POST /api/sync/<workspace>/push`. */
export interface PushRequest {
  clientId: string;
  records: SyncRecord[];
}

/** A record as the server holds it: `version` is the workspace's server version of its last write. */
export interface ServerRecord {
  key: string;
  version: number;
  value: unknown;
  updatedAt: number;
  clientId: string;
}

/** A concurrent edit and how it was decided. The loser's value is kept, never dropped. */
export interface SyncConflict {
  key: string;
  winner: { clientId: string; updatedAt: number; version: number };
  loser: { clientId: string; updatedAt: number; value: unknown };
}

/** A stored conflict, as `GET /api/sync/<workspace>/conflicts` lists it. */
export interface StoredConflict extends SyncConflict {
  id: number;
  createdAt: number;
}

/** Answer to a push: the records now at a new version, and the conflicts the push ran into. */
export interface PushResult {
  /** Records the server now holds as pushed, with their version (unchanged when the value was already there). */
  applied: { key: string; version: number }[];
  conflicts: SyncConflict[];
  /** The workspace's server version after this push. */
  serverVersion: number;
}

/** Answer to `GET /api/sync/<workspace>/pull?since=N`: records written after server version N, oldest first. */
export interface PullResult {
  records: ServerRecord[];
  /** Pass this as `since` next time (the version of the last record returned, or the current one). */
  serverVersion: number;
  /** True when more records follow: pull again from `serverVersion`. */
  hasMore: boolean;
}

/** A snapshot as `GET /api/snapshots` lists it (times in ms since epoch). */
export interface SnapshotInfo {
  id: string;
  bytes: number;
  createdAt: number;
  expiresAt: number;
}

/** Limits both sides agree on, so the client can refuse early with the same words. */
export const SYNC_LIMITS = {
  maxKeyLength: 512,
  maxClientIdLength: 128,
  maxRecordsPerPush: 5000,
  workspacePattern: /^[A-Za-z0-9._-]{1,64}$/,
} as const;

/** Snapshot ids: 128 random bits as unpadded base64url. */
export const SNAPSHOT_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Checks a parsed push body. Returns the typed request, or the first problem found, naming the field
 * (`records[3].baseVersion must be a non-negative integer`), so a 400 tells the caller what to fix.
 */
export function checkPushRequest(body: unknown): { ok: true; value: PushRequest } | { ok: false; error: string } {
  if (!isObject(body)) return { ok: false, error: 'the body must be a JSON object {clientId, records}' };
  const { clientId, records } = body;
  if (typeof clientId !== 'string' || clientId.length === 0 || clientId.length > SYNC_LIMITS.maxClientIdLength) {
    return { ok: false, error: `clientId must be a non-empty string of at most ${SYNC_LIMITS.maxClientIdLength} characters` };
  }
  if (!Array.isArray(records)) return { ok: false, error: 'records must be an array' };
  if (records.length > SYNC_LIMITS.maxRecordsPerPush) {
    return { ok: false, error: `records has ${records.length} entries; at most ${SYNC_LIMITS.maxRecordsPerPush} per push` };
  }
  const seen = new Set<string>();
  for (let i = 0; i < records.length; i++) {
    const r: unknown = records[i];
    const at = `records[${i}]`;
    if (!isObject(r)) return { ok: false, error: `${at} must be an object {key, baseVersion, value, updatedAt}` };
    if (typeof r.key !== 'string' || r.key.length === 0 || r.key.length > SYNC_LIMITS.maxKeyLength) {
      return { ok: false, error: `${at}.key must be a non-empty string of at most ${SYNC_LIMITS.maxKeyLength} characters` };
    }
    if (seen.has(r.key)) return { ok: false, error: `${at}.key "${r.key}" appears twice in one push` };
    seen.add(r.key);
    if (!isNonNegInt(r.baseVersion)) return { ok: false, error: `${at}.baseVersion must be a non-negative integer` };
    if (!('value' in r) || r.value === undefined) return { ok: false, error: `${at}.value is missing` };
    if (!isNonNegInt(r.updatedAt)) return { ok: false, error: `${at}.updatedAt must be a non-negative integer (ms since epoch)` };
  }
  return { ok: true, value: { clientId, records: records as SyncRecord[] } };
}
