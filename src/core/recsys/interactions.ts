// The interaction log every recsys module works on: dictionary-encoded users, items and events in typed
// arrays, plus the typed problems (no user column, single item, …) that stop a recommender analysis.
import { StocktakeError } from '../errors.ts';

/** Why an interaction table cannot be analysed; the UI maps these to a headline. */
export type RecsProblemCode =
  | 'NO_USER_COLUMN'
  | 'NO_ITEM_COLUMN'
  | 'SINGLE_USER'
  | 'SINGLE_ITEM'
  | 'NO_TIMESTAMPS'
  | 'MIXED_ITEM_IDS'
  | 'EMPTY_SPLIT'
  | 'UNKNOWN_TABLE';

/**
 * A typed recsys failure. `code` stays `BAD_ARGUMENT` (the shared ErrorCode set) and the message starts
 * with the specific `reason`, because only name, code and message cross a worker boundary.
 */
export class RecsError extends StocktakeError {
  override name = 'RecsError';
  constructor(
    readonly reason: RecsProblemCode,
    message: string,
  ) {
    super('BAD_ARGUMENT', `${reason}: ${message}`);
  }
}

/**
 * Interactions in columnar form. Row r is user `users[user[r]]` meeting item `items[item[r]]` at
 * `time[r]` (epoch seconds, NaN when missing) with event `events[event[r]]` (-1 when there is no event
 * column). Rows keep the source order; modules sort index arrays, never the log.
 */
export interface InteractionLog {
  users: string[];
  items: string[];
  events: string[];
  user: Int32Array;
  item: Int32Array;
  time: Float64Array;
  event: Int16Array;
  /** Quantity per row (NaN when missing), null when there is no quantity column. */
  quantity: Float64Array | null;
  /** 1 where the item has no row in the item table (join orphan); all 0 when there is no item table. */
  orphanItem: Uint8Array;
}

/** One raw row as read from SQL or generated: ids as text, time in epoch seconds or null. */
export interface RawInteraction {
  user: string;
  item: string;
  time: number | null;
  event?: string | null;
  quantity?: number | null;
  orphanItem?: boolean;
}

/** Dictionary-encodes raw rows into a log; ids keep their first-seen order. */
export function buildInteractionLog(rows: readonly RawInteraction[], options: { hasQuantity?: boolean } = {}): InteractionLog {
  const n = rows.length;
  const userIndex = new Map<string, number>();
  const itemIndex = new Map<string, number>();
  const eventIndex = new Map<string, number>();
  const user = new Int32Array(n);
  const item = new Int32Array(n);
  const time = new Float64Array(n);
  const event = new Int16Array(n).fill(-1);
  const hasQuantity = options.hasQuantity ?? rows.some((r) => r.quantity != null);
  const quantity = hasQuantity ? new Float64Array(n) : null;
  const orphanItem = new Uint8Array(n);
  const encode = (map: Map<string, number>, key: string) => {
    let i = map.get(key);
    if (i === undefined) map.set(key, (i = map.size));
    return i;
  };
  for (let r = 0; r < n; r++) {
    const row = rows[r];
    user[r] = encode(userIndex, row.user);
    item[r] = encode(itemIndex, row.item);
    time[r] = row.time ?? NaN;
    if (row.event != null) event[r] = encode(eventIndex, row.event);
    if (quantity) quantity[r] = row.quantity ?? NaN;
    orphanItem[r] = row.orphanItem ? 1 : 0;
  }
  return {
    users: [...userIndex.keys()],
    items: [...itemIndex.keys()],
    events: [...eventIndex.keys()],
    user, item, time, event, quantity, orphanItem,
  };
}

/** Keeps the rows where `keep[r]` is 1, re-encoding ids so that every user and item still occurs. */
export function filterInteractionLog(log: InteractionLog, keep: Uint8Array): InteractionLog {
  let n = 0;
  for (let r = 0; r < keep.length; r++) n += keep[r];
  const userMap = new Int32Array(log.users.length).fill(-1);
  const itemMap = new Int32Array(log.items.length).fill(-1);
  const users: string[] = [];
  const items: string[] = [];
  const out: InteractionLog = {
    users, items, events: log.events,
    user: new Int32Array(n), item: new Int32Array(n), time: new Float64Array(n), event: new Int16Array(n),
    quantity: log.quantity ? new Float64Array(n) : null, orphanItem: new Uint8Array(n),
  };
  let w = 0;
  for (let r = 0; r < keep.length; r++) {
    if (!keep[r]) continue;
    const u = log.user[r];
    const i = log.item[r];
    if (userMap[u] < 0) { userMap[u] = users.length; users.push(log.users[u]); }
    if (itemMap[i] < 0) { itemMap[i] = items.length; items.push(log.items[i]); }
    out.user[w] = userMap[u];
    out.item[w] = itemMap[i];
    out.time[w] = log.time[r];
    out.event[w] = log.event[r];
    if (out.quantity && log.quantity) out.quantity[w] = log.quantity[r];
    out.orphanItem[w] = log.orphanItem[r];
    w++;
  }
  return out;
}

/** Throws the typed problems that make any recommender analysis meaningless. */
export function assertUsableLog(log: InteractionLog): void {
  if (log.users.length < 2) {
    throw new RecsError('SINGLE_USER', `the interactions have ${log.users.length} distinct user(s); recommendations need at least two users to compare.`);
  }
  if (log.items.length < 2) {
    throw new RecsError('SINGLE_ITEM', `the interactions have ${log.items.length} distinct item(s); there is nothing to rank.`);
  }
}

/** Row indices ordered by (user, time, row); rows without time sort last within their user. */
export function sortByUserTime(log: InteractionLog): Int32Array {
  const n = log.user.length;
  const order = new Int32Array(n);
  for (let r = 0; r < n; r++) order[r] = r;
  const t = log.time;
  order.sort((a, b) => {
    const du = log.user[a] - log.user[b];
    if (du !== 0) return du;
    const ta = Number.isNaN(t[a]) ? Infinity : t[a];
    const tb = Number.isNaN(t[b]) ? Infinity : t[b];
    return ta - tb || a - b;
  });
  return order;
}
