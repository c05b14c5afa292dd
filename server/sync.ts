// The catalog sync merge rule, pure so it is unit-tested apart from the database.

/** What the server knows of a record's last write. */
export interface WriteStamp {
  clientId: string;
  updatedAt: number;
}

/** How one pushed record is decided against the record the server holds. */
export type MergeDecision =
  /** The pushed value is the value held: nothing to write, nothing to decide, whatever the base version. */
  | { kind: 'unchanged' }
  /** No concurrent edit: the record is new, or the client edited the version the server holds. */
  | { kind: 'apply' }
  /** Concurrent edit, the pushed write wins: it is applied, the held value is kept as the conflict's loser. */
  | { kind: 'incoming-wins' }
  /** Concurrent edit, the held write wins: it stays, the pushed value is kept as the conflict's loser. */
  | { kind: 'current-wins' };

/**
 * True when write `a` beats write `b`: the later `updatedAt` wins; on equal times the larger `clientId`
 * (plain string comparison, by UTF-16 code units) wins. Two writes with the same time and client cannot
 * be ordered; then `a` does not win, so the write the server already holds stays (see `decideMerge`).
 */
export function isLaterWrite(a: WriteStamp, b: WriteStamp): boolean {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt;
  return a.clientId > b.clientId;
}

/**
 * The sync conflict rule. A push names the `baseVersion` it edited. When the pushed value equals the
 * held one (as JSON text) nothing happens: two clients that agree never conflict. When the base is the
 * version the server holds (or the key is new), the write is applied. Otherwise another client wrote
 * in between: a concurrent edit, decided deterministically by `isLaterWrite` — the later `updatedAt`
 * wins, ties go to the larger `clientId` — whatever order the pushes arrive in. The losing value is
 * never dropped: the caller stores it in the conflicts table and reports it in the push response.
 */
export function decideMerge(
  current: (WriteStamp & { version: number; valueJson: string }) | undefined,
  incoming: WriteStamp & { baseVersion: number; valueJson: string },
): MergeDecision {
  if (current && current.valueJson === incoming.valueJson) return { kind: 'unchanged' };
  if (!current || incoming.baseVersion === current.version) return { kind: 'apply' };
  return isLaterWrite(incoming, current) ? { kind: 'incoming-wins' } : { kind: 'current-wins' };
}
