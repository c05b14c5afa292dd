// Pure helpers of the Backend panel: checking the address the user typed, and summing up what a sync
// brought back. Kept out of the rune module so they are tested in Node.
import { kindOfKey, type CatalogRecordKind } from '../core/snapshot/catalog-sync.ts';
import type { ServerRecord } from '../core/snapshot/sync-types.ts';

/** Workspace names the server accepts (its SYNC_LIMITS.workspacePattern). */
export const WORKSPACE_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export type UrlCheck = { ok: true; baseUrl: string } | { ok: false; reason: 'scheme' | 'invalid' | 'path' };

/**
 * The backend address as the client uses it: '' (blank) for this site's own origin, else an http(s)
 * origin with an optional path prefix, without a trailing slash. Credentials, queries and fragments
 * in the address are refused: the token goes in its own field, never in a URL.
 */
export function checkBaseUrl(input: string): UrlCheck {
  const s = input.trim();
  if (s === '') return { ok: true, baseUrl: '' };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (url.username || url.password || url.search || url.hash) return { ok: false, reason: 'path' };
  return { ok: true, baseUrl: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/** Counts of pulled records per kind and per client that wrote them. */
export function summarizePulled(records: readonly ServerRecord[]): { byKind: Record<CatalogRecordKind | 'other', number>; clients: string[] } {
  const byKind = { import: 0, table: 0, column: 0, relation: 0, other: 0 };
  const clients = new Set<string>();
  for (const r of records) {
    byKind[kindOfKey(r.key)] += 1;
    clients.add(r.clientId);
  }
  return { byKind, clients: [...clients].sort() };
}
