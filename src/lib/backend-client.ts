// The only module of the app that talks to the optional backend (server/). Every call takes the
// backend's address and write token, checks the answer's shape, and turns each failure into a
// BackendError whose code says what to tell the user. The app works without a backend; nothing else
// here runs unless the user configured one or opened a share link that names one.
import { StocktakeError, type ErrorCode } from '../core/errors.ts';
import type { PullResult, PushResult, ServerRecord, SnapshotInfo, StoredConflict, SyncRecord } from '../core/snapshot/sync-types.ts';

export type { PullResult, PushResult, SnapshotInfo, StoredConflict, SyncRecord };

/** Where the backend is. `baseUrl` '' means the app's own origin (the app served by the backend). */
export interface BackendConfig {
  baseUrl: string;
  /** The write token; needed to store, list, delete and sync, not to fetch a shared snapshot. */
  token?: string;
}

export type BackendErrorCode = Extract<ErrorCode, `BACKEND_${string}`>;

/** A failed backend call. `status` is the HTTP status when the server answered. */
export class BackendError extends StocktakeError {
  override name = 'BackendError';
  constructor(
    override readonly code: BackendErrorCode,
    message: string,
    readonly status?: number,
    /** Seconds to wait, from Retry-After, on 'BACKEND_RATE_LIMITED'. */
    readonly retryAfterSeconds?: number,
  ) {
    super(code, message);
  }
}

/** Uploads get longer than the small JSON calls: 20 MiB on a slow uplink. */
const TIMEOUT_MS = 30_000;
const UPLOAD_TIMEOUT_MS = 300_000;

function urlOf(cfg: BackendConfig, path: string): string {
  return `${cfg.baseUrl.trim().replace(/\/+$/, '')}${path}`;
}

function authHeaders(cfg: BackendConfig, op: string): Record<string, string> {
  if (!cfg.token) throw new BackendError('BACKEND_AUTH', `${op} needs the backend's write token; enter it in the Backend settings`);
  return { Authorization: `Bearer ${cfg.token}` };
}

/** The server's `{ error, message }` body, when it sent one. */
async function serverMessage(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.json()) as { message?: unknown };
    return typeof body.message === 'string' ? body.message : undefined;
  } catch {
    return undefined;
  }
}

async function request(cfg: BackendConfig, path: string, init: RequestInit, timeoutMs = TIMEOUT_MS): Promise<Response> {
  const where = cfg.baseUrl || 'this site';
  let res: Response;
  try {
    res = await fetch(urlOf(cfg, path), { ...init, signal: AbortSignal.timeout(timeoutMs), credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch (e) {
    const timedOut = e instanceof DOMException && e.name === 'TimeoutError';
    throw new BackendError(
      'BACKEND_UNREACHABLE',
      timedOut
        ? `The backend at ${where} did not answer within ${timeoutMs / 1000} s`
        : `Could not reach the backend at ${where} (is it running, and does it allow this site's origin?): ${(e as Error).message}`,
    );
  }
  if (res.ok) return res;
  const msg = (await serverMessage(res)) ?? `HTTP ${res.status} ${res.statusText}`.trim();
  switch (res.status) {
    case 401:
    case 403:
      throw new BackendError('BACKEND_AUTH', msg, res.status);
    case 404:
      throw new BackendError('BACKEND_NOT_FOUND', msg, res.status);
    case 413:
      throw new BackendError('BACKEND_TOO_LARGE', msg, res.status);
    case 429: {
      const retry = Number(res.headers.get('retry-after'));
      throw new BackendError('BACKEND_RATE_LIMITED', msg, res.status, Number.isFinite(retry) && retry > 0 ? retry : undefined);
    }
    default:
      throw new BackendError('BACKEND_BAD_RESPONSE', `The backend answered ${res.status}: ${msg}`, res.status);
  }
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    throw new BackendError('BACKEND_BAD_RESPONSE', `The backend's answer is not JSON (is ${res.url} a Stocktake backend?)`, res.status);
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function shapeError(what: string): never {
  throw new BackendError('BACKEND_BAD_RESPONSE', `The backend's answer to ${what} has an unexpected shape (is it a Stocktake backend of a matching version?)`);
}

function checkSnapshotInfo(v: unknown): v is SnapshotInfo {
  return isObj(v) && typeof v.id === 'string' && isNum(v.bytes) && isNum(v.createdAt) && isNum(v.expiresAt);
}

/** `GET /healthz`: whether a Stocktake backend answers at `cfg.baseUrl`, its version and snapshot count. */
export async function getHealth(cfg: BackendConfig): Promise<{ ok: true; version: string; snapshots: number }> {
  const body = await readJson(await request(cfg, '/healthz', { method: 'GET' }));
  if (!isObj(body) || body.ok !== true || typeof body.version !== 'string' || !isNum(body.snapshots)) shapeError('the health check');
  return { ok: true, version: body.version, snapshots: body.snapshots };
}

/** Stores already-encrypted bytes; the server keeps them `expiresInDays` (default: the server's, 30). */
export async function uploadSnapshot(
  cfg: BackendConfig,
  bytes: Uint8Array,
  opts: { expiresInDays?: number } = {},
): Promise<{ id: string; expiresAt: number; bytes: number }> {
  const headers = { ...authHeaders(cfg, 'Uploading a snapshot'), 'Content-Type': 'application/octet-stream' };
  const q = opts.expiresInDays === undefined ? '' : `?expiresInDays=${encodeURIComponent(String(opts.expiresInDays))}`;
  // A copy into a plain ArrayBuffer: `bytes` may be a view into a larger or shared buffer.
  const body = bytes.slice().buffer;
  const res = await request(cfg, `/api/snapshots${q}`, { method: 'POST', headers, body }, UPLOAD_TIMEOUT_MS);
  const out = await readJson(res);
  if (!isObj(out) || typeof out.id !== 'string' || !isNum(out.expiresAt) || !isNum(out.bytes)) shapeError('the upload');
  return { id: out.id, expiresAt: out.expiresAt, bytes: out.bytes };
}

/** Fetches a shared snapshot's bytes (no token: the id is the capability). */
export async function fetchSnapshot(cfg: BackendConfig, id: string): Promise<Uint8Array> {
  const res = await request(cfg, `/api/snapshots/${encodeURIComponent(id)}`, { method: 'GET' }, UPLOAD_TIMEOUT_MS);
  return new Uint8Array(await res.arrayBuffer());
}

/** The snapshots stored with this token that have not expired, newest first. */
export async function listSnapshots(cfg: BackendConfig): Promise<SnapshotInfo[]> {
  const body = await readJson(await request(cfg, '/api/snapshots', { method: 'GET', headers: authHeaders(cfg, 'Listing snapshots') }));
  if (!Array.isArray(body) || !body.every(checkSnapshotInfo)) shapeError('the snapshot list');
  return body.map(({ id, bytes, createdAt, expiresAt }) => ({ id, bytes, createdAt, expiresAt }));
}

export async function deleteSnapshot(cfg: BackendConfig, id: string): Promise<void> {
  await request(cfg, `/api/snapshots/${encodeURIComponent(id)}`, { method: 'DELETE', headers: authHeaders(cfg, 'Deleting a snapshot') });
}

function checkConflict(v: unknown): boolean {
  return (
    isObj(v) &&
    typeof v.key === 'string' &&
    isObj(v.winner) &&
    typeof v.winner.clientId === 'string' &&
    isNum(v.winner.version) &&
    isObj(v.loser) &&
    typeof v.loser.clientId === 'string' &&
    'value' in v.loser
  );
}

/**
 * Pushes catalog records to `workspace`. Each record's `baseVersion` is the server version it was
 * edited from (0 for a new key). Concurrent edits come back in `conflicts`, decided by the server's
 * rule (later `updatedAt` wins, ties to the larger clientId); the losing value is kept on the server.
 */
export async function pushCatalog(cfg: BackendConfig, workspace: string, clientId: string, records: SyncRecord[]): Promise<PushResult> {
  const headers = { ...authHeaders(cfg, 'Syncing the catalog'), 'Content-Type': 'application/json' };
  const res = await request(cfg, `/api/sync/${encodeURIComponent(workspace)}/push`, { method: 'POST', headers, body: JSON.stringify({ clientId, records }) });
  const body = await readJson(res);
  if (!isObj(body) || !Array.isArray(body.applied) || !Array.isArray(body.conflicts) || !isNum(body.serverVersion) || !body.conflicts.every(checkConflict)) {
    shapeError('the sync push');
  }
  return body as unknown as PushResult;
}

/** Every record of `workspace` written after server version `since`, following the server's pages. */
export async function pullCatalog(cfg: BackendConfig, workspace: string, since: number): Promise<PullResult> {
  const headers = authHeaders(cfg, 'Syncing the catalog');
  const records: ServerRecord[] = [];
  let at = since;
  for (;;) {
    const res = await request(cfg, `/api/sync/${encodeURIComponent(workspace)}/pull?since=${at}`, { method: 'GET', headers });
    const body = await readJson(res);
    if (!isObj(body) || !Array.isArray(body.records) || !isNum(body.serverVersion) || typeof body.hasMore !== 'boolean') shapeError('the sync pull');
    records.push(...(body.records as ServerRecord[]));
    // A page that does not move forward would loop for ever: stop and take what came.
    if (!body.hasMore || body.serverVersion <= at) return { records, serverVersion: body.serverVersion, hasMore: false };
    at = body.serverVersion;
  }
}

/** The workspace's recorded conflicts, newest first (each with the losing value). */
export async function listConflicts(cfg: BackendConfig, workspace: string): Promise<StoredConflict[]> {
  const res = await request(cfg, `/api/sync/${encodeURIComponent(workspace)}/conflicts`, { method: 'GET', headers: authHeaders(cfg, 'Listing sync conflicts') });
  const body = await readJson(res);
  if (!Array.isArray(body) || !body.every(checkConflict)) shapeError('the conflict list');
  return body as StoredConflict[];
}
