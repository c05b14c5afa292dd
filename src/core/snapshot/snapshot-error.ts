// The typed error of snapshots and share links: which of the expected failures it was, as a code.
import { StocktakeError } from '../errors.ts';

/** Codes of snapshot failures; each has a translated headline in the UI. */
export type SnapshotErrorCode = 'SNAPSHOT_INVALID' | 'SNAPSHOT_TOO_NEW' | 'LINK_CORRUPT' | 'DECRYPT_FAILED';

/** A snapshot, link or encrypted upload that cannot be opened; `code` says why. */
export class SnapshotError extends StocktakeError {
  override name = 'SnapshotError';
  constructor(
    override readonly code: SnapshotErrorCode,
    message: string,
  ) {
    super(code, message);
  }
}
