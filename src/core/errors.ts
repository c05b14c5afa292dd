// Typed errors of src/core. Only `name`, `code` and `message` survive a worker boundary, so that is
// all they carry; the UI maps `code` to a translated headline and shows `message` beneath it.

export type ErrorCode =
  | 'EMPTY_FILE'
  | 'BINARY_FILE'
  | 'BAD_ZIP'
  | 'INVALID_UTF8'
  | 'UNSUPPORTED_FORMAT'
  | 'TOO_LARGE'
  | 'TOO_MANY_COLUMNS'
  | 'PARSE_ERROR'
  | 'NO_TABLES'
  | 'ENGINE_ERROR'
  | 'BAD_ARGUMENT'
  | 'STORAGE_ERROR'
  | 'MODEL_ERROR'
  // Snapshots and share links (core/snapshot): garbage or another format, a newer version, a damaged link, a wrong key.
  | 'SNAPSHOT_INVALID'
  | 'SNAPSHOT_TOO_NEW'
  | 'LINK_CORRUPT'
  | 'DECRYPT_FAILED'
  // The optional backend (src/lib/backend-client.ts): not reachable, token refused, too large, unknown id, throttled, odd answer.
  | 'BACKEND_UNREACHABLE'
  | 'BACKEND_AUTH'
  | 'BACKEND_TOO_LARGE'
  | 'BACKEND_NOT_FOUND'
  | 'BACKEND_RATE_LIMITED'
  | 'BACKEND_BAD_RESPONSE'
  // Catalog sync (core/snapshot/catalog-sync.ts): pulled records that do not make a whole import.
  | 'SYNC_RECORDS_INVALID';

export class StocktakeError extends Error {
  override name = 'StocktakeError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The file the error is about, when there is one. */
    readonly file?: string,
    /** 1-based line in that file, when it makes sense. */
    readonly line?: number,
  ) {
    super(message);
  }
}

/** True for a user's cancel: not an error to show. */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** Throws the platform AbortError when `signal` is aborted; call between units of work. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DOMException('Cancelled', 'AbortError');
}
