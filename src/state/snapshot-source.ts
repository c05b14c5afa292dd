// Which shared snapshot a page address points at: `#s=<snapshot>` anywhere, or `/s/<id>#k=<key>` (an
// encrypted upload on the backend serving the app). Pure, so it is tested in Node.
import { hasSnapshotHash, readHashParam } from '../core/snapshot/link.ts';

/** Where a shared snapshot comes from, read from the page address. */
export type SnapshotSource = { kind: 'hash'; hash: string } | { kind: 'upload'; id: string; key: string | null };

/** The snapshot a page address points at, or null for an ordinary page. */
export function readSnapshotSource(pathname: string, hash: string): SnapshotSource | null {
  const upload = /^\/s\/([A-Za-z0-9_-]+)\/?$/.exec(pathname);
  if (upload) {
    // `/s/<id>` with an app route in the hash (`#/…`) is the user leaving the viewer.
    if (hash.startsWith('#/')) return null;
    return { kind: 'upload', id: upload[1], key: readHashParam(hash, 'k') };
  }
  return hasSnapshotHash(hash) ? { kind: 'hash', hash } : null;
}
