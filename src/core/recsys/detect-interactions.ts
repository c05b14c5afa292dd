// Suggests the interaction table of an inventory (user, item, time, event, quantity columns, joining an
// order header for the user and time when the fact table lacks them) and loads it as an InteractionLog.
import { ident } from '../engine/sql-engine.ts';
import type { SqlEngine } from '../engine/sql-engine.ts';
import type { ColumnProfile, ForeignKey, Inventory, TableProfile } from '../types.ts';
import { RecsError, assertUsableLog, buildInteractionLog, type InteractionLog, type RawInteraction, type RecsProblemCode } from './interactions.ts';

export interface ColumnRef {
  table: string;
  column: string;
}

/** A LEFT JOIN from a column already reachable to a parent table's key. */
export interface JoinStep {
  fromTable: string;
  fromColumn: string;
  toTable: string;
  toColumn: string;
}

/** How the time column encodes instants. */
export type TimeEncoding = 'timestamp' | 'epoch-seconds' | 'epoch-millis' | 'text';

/** The suggested (or user-edited) interaction table. Plain JSON: it is stored with the import. */
export interface InteractionSpec {
  /** The table with one row per interaction (order line, click, invoice line). */
  factTable: string;
  user: ColumnRef;
  item: ColumnRef;
  time: ColumnRef | null;
  timeEncoding: TimeEncoding | null;
  event: ColumnRef | null;
  quantity: ColumnRef | null;
  /** Joins (in order) that bring the user and time from other tables. */
  joins: JoinStep[];
  /** The item catalogue the item column references (for join orphans), from the inferred foreign keys. */
  itemParent: ColumnRef | null;
  /** One sentence per choice, shown beside the picker. */
  reasons: string[];
}

export type DetectResult =
  | { ok: true; spec: InteractionSpec; alternatives: InteractionSpec[] }
  | { ok: false; code: RecsProblemCode; message: string; lookedFor: string[] };

// Name patterns, anchored so that `order_item_id` (a line number) is not taken for an item.
const USER_NAME = /^(user|customer|client|member|buyer|visitor|shopper|account|person|uid|会员|用户|客户)s?[_ ]?(unique[_ ]?)?(id|no|number|key|code)?$/i;
const ITEM_NAME = /^(product|item|sku|stock[_ ]?code|article|goods|asin|offer|listing|movie|book|song|商品|物品)s?[_ ]?(id|code|no|number|key|sku)?$/i;
const EVENT_NAME = /(event|behaviou?r|action|interaction|type|行为)/i;
const EVENT_VALUES = /^(pv|view|click|cart|add[_-]?to[_-]?cart|fav|favorite|like|buy|purchase|order|remove)$/i;
const QUANTITY_NAME = /^(qty|quantity|count|amount|units|数量)$/i;
/** Time names in order of preference: the moment of the interaction first, logistics dates last. */
const TIME_PREFERRED = /(purchase|invoice|order[_ ]?(date|time)|event|created|click|view|timestamp|^ts$|^time$|^date$|时间)/i;
const TIME_LOGISTICS = /(deliver|ship|estimat|approv|answer|limit|carrier|update|modified)/i;
const HEADERLESS = /^column\d+$/;
// Epoch seconds between 2000-01-01 and 2100-01-01; milliseconds the same range × 1000.
const EPOCH_S = [946_684_800, 4_102_444_800];

function columnsOf(inv: Inventory, table: string): ColumnProfile[] {
  return inv.columns.filter((c) => c.table === table).sort((a, b) => a.index - b.index);
}

function numericRange(c: ColumnProfile): [number, number] | null {
  if (c.physicalType !== 'integer' && c.physicalType !== 'double' && c.physicalType !== 'decimal') return null;
  const lo = Number(c.min);
  const hi = Number(c.max);
  return Number.isFinite(lo) && Number.isFinite(hi) ? [lo, hi] : null;
}

/** The encoding of a plausible time column, or null. */
function timeEncodingOf(c: ColumnProfile): TimeEncoding | null {
  if (c.physicalType === 'timestamp' || c.physicalType === 'date') return 'timestamp';
  if (c.semanticType === 'timestamp' || c.semanticType === 'date') return c.physicalType === 'varchar' ? 'text' : null;
  const range = numericRange(c);
  if (!range || c.physicalType !== 'integer') return null;
  if (range[0] >= EPOCH_S[0] && range[1] <= EPOCH_S[1]) return 'epoch-seconds';
  if (range[0] >= EPOCH_S[0] * 1000 && range[1] <= EPOCH_S[1] * 1000) return 'epoch-millis';
  return null;
}

function scoreTime(c: ColumnProfile): number {
  const nonNull = c.rowCount ? (c.rowCount - c.nullCount) / c.rowCount : 0;
  const name = TIME_PREFERRED.test(c.name) ? 2 : TIME_LOGISTICS.test(c.name) ? 0 : 1;
  return name + nonNull;
}

function pickTime(cols: ColumnProfile[]): { col: ColumnProfile; enc: TimeEncoding } | null {
  // A time-named column that is null throughout has no type to go by; picking it lets loading say
  // "all timestamps are null" instead of silently evaluating without time.
  const allNull = (c: ColumnProfile) => c.rowCount > 0 && c.nullCount + c.emptyCount >= c.rowCount && TIME_PREFERRED.test(c.name);
  const found = cols.map((c) => ({ col: c, enc: timeEncodingOf(c) ?? (allNull(c) ? ('text' as const) : null) })).filter((x): x is { col: ColumnProfile; enc: TimeEncoding } => x.enc !== null);
  found.sort((a, b) => scoreTime(b.col) - scoreTime(a.col) || a.col.index - b.col.index);
  return found[0] ?? null;
}

function isEventColumn(c: ColumnProfile): boolean {
  if (c.distinct < 2 || c.distinct > 20 || c.physicalType !== 'varchar') return false;
  const known = c.topValues.filter((v) => EVENT_VALUES.test(v.value.trim())).length;
  return known >= Math.min(2, c.topValues.length) || (EVENT_NAME.test(c.name) && c.semanticType === 'category');
}

function isQuantityColumn(c: ColumnProfile): boolean {
  return (c.semanticType === 'quantity' && !/photo|image|pic/i.test(c.name)) || QUANTITY_NAME.test(c.name);
}

function isIdColumn(c: ColumnProfile): boolean {
  return c.physicalType === 'integer' || c.physicalType === 'varchar' || c.physicalType === 'double' || c.physicalType === 'decimal' || c.physicalType === 'other';
}

function userCandidates(cols: ColumnProfile[]): ColumnProfile[] {
  return cols.filter((c) => USER_NAME.test(c.name) && isIdColumn(c));
}

function itemCandidates(cols: ColumnProfile[]): ColumnProfile[] {
  return cols.filter((c) => ITEM_NAME.test(c.name) && isIdColumn(c));
}

function fkFrom(inv: Inventory, table: string, column: string): ForeignKey | undefined {
  return inv.relations.find((r) => r.fromTable === table && r.fromColumn === column);
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Prefers a person key over a per-order customer id: when `user` references a parent table that also
 * holds a user-named column with fewer distinct values (Olist's `customer_unique_id` beside the
 * per-order `customer_id`), the user becomes that column through one more join.
 */
function preferPersonKey(inv: Inventory, user: ColumnProfile, joins: JoinStep[], reasons: string[]): ColumnProfile {
  const fk = fkFrom(inv, user.table, user.name);
  if (!fk) return user;
  const parentCols = columnsOf(inv, fk.toTable);
  const key = parentCols.find((c) => c.name === fk.toColumn);
  const person = userCandidates(parentCols)
    .filter((c) => c.name !== fk.toColumn && key && c.distinct < key.distinct && c.nullCount === 0)
    .sort((a, b) => a.distinct - b.distinct)[0];
  if (!person || !key) return user;
  joins.push({ fromTable: user.table, fromColumn: user.name, toTable: fk.toTable, toColumn: fk.toColumn });
  reasons.push(
    `user: ${fk.toTable}.${person.name} (${fmt(person.distinct)} people) rather than ${user.table}.${user.name} ` +
      `(${fmt(key.distinct)} ids, ${user.distinct >= (inv.tables.find((t) => t.name === user.table)?.rowCount ?? Infinity) ? 'one per order' : 'more ids than people'}): ` +
      `repeat customers only show up under the person key.`,
  );
  return person;
}

/** Builds the spec for one candidate fact table, or null when it has no item column. */
function specForTable(inv: Inventory, table: TableProfile): InteractionSpec | null {
  const cols = columnsOf(inv, table.name);
  const reasons: string[] = [];
  const joins: JoinStep[] = [];
  const headerless = cols.length > 0 && cols.every((c) => HEADERLESS.test(c.name));

  let item: ColumnProfile | undefined = itemCandidates(cols).find((c) => c.name !== table.primaryKey);
  let user: ColumnProfile | undefined = userCandidates(cols).find((c) => c.name !== table.primaryKey);
  let timeSource: ColumnProfile[] = cols;
  let time = pickTime(cols);
  let event = cols.find(isEventColumn) ?? null;
  const quantity = cols.find(isQuantityColumn) ?? null;

  if (headerless && !item && !user) {
    // No names to go by: the clickstream convention (UserBehavior, MovieLens) puts the user first and
    // the item second among the id-like integer columns that are not the time.
    const ids = cols.filter((c) => c.physicalType === 'integer' && c !== time?.col && timeEncodingOf(c) === null);
    if (ids.length >= 2) {
      user = ids[0];
      item = ids[1];
      reasons.push(`no header: took ${user.name} as the user and ${item.name} as the item by position (user, item, … as in UserBehavior); ${fmt(user.distinct)} and ${fmt(item.distinct)} distinct values.`);
    }
  }
  if (!item) return null;
  if (!headerless) reasons.push(`item: ${table.name}.${item.name} (${fmt(item.distinct)} distinct).`);

  if (!user) {
    // Orders × items: the line table references an order header that carries the customer and time.
    for (const fk of inv.relations.filter((r) => r.fromTable === table.name)) {
      const parentCols = columnsOf(inv, fk.toTable);
      const parentUser = userCandidates(parentCols).find((c) => c.name !== fk.toColumn);
      if (!parentUser) continue;
      joins.push({ fromTable: table.name, fromColumn: fk.fromColumn, toTable: fk.toTable, toColumn: fk.toColumn });
      reasons.push(`user: ${table.name} has no user column; joined ${fk.fromColumn} → ${fk.toTable}.${fk.toColumn} for ${parentUser.name}.`);
      user = parentUser;
      const parentTime = pickTime(parentCols);
      if (parentTime && (!time || scoreTime(parentTime.col) > scoreTime(time.col))) {
        time = parentTime;
        timeSource = parentCols;
      }
      event = event ?? parentCols.find(isEventColumn) ?? null;
      break;
    }
    if (!user) return null;
  } else if (!headerless) reasons.push(`user: ${table.name}.${user.name} (${fmt(user.distinct)} distinct).`);
  user = preferPersonKey(inv, user, joins, reasons);

  if (time) {
    const others = timeSource.filter((c) => c !== time!.col && timeEncodingOf(c) !== null).map((c) => c.name);
    reasons.push(`time: ${time.col.table}.${time.col.name} (${time.enc})${others.length ? `, preferred over ${others.join(', ')}` : ''}.`);
  } else reasons.push('time: none found (no timestamp, date or epoch-seconds column); temporal splits are unavailable.');
  if (event) reasons.push(`event type: ${event.table}.${event.name} (${event.topValues.map((v) => v.value).join(', ')}).`);
  if (quantity) reasons.push(`quantity: ${quantity.table}.${quantity.name}.`);

  const itemFk = fkFrom(inv, table.name, item.name);
  return {
    factTable: table.name,
    user: { table: user.table, column: user.name },
    item: { table: item.table, column: item.name },
    time: time ? { table: time.col.table, column: time.col.name } : null,
    timeEncoding: time?.enc ?? null,
    event: event ? { table: event.table, column: event.name } : null,
    quantity: quantity ? { table: quantity.table, column: quantity.name } : null,
    joins,
    itemParent: itemFk ? { table: itemFk.toTable, column: itemFk.toColumn } : null,
    reasons,
  };
}

function rankSpec(inv: Inventory, s: InteractionSpec): number {
  const rows = inv.tables.find((t) => t.name === s.factTable)?.rowCount ?? 0;
  return (s.time ? 4 : 0) + (s.event ? 1 : 0) + (s.quantity ? 0.5 : 0) + Math.log10(rows + 1) / 10;
}

/**
 * Suggests the interaction table of an inventory. Candidate fact tables are those with an item column
 * that is not their own key (so the product catalogue is skipped) and a user column, directly or through
 * a foreign key to an order header. The best-ranked (has time, event, quantity, more rows) wins.
 */
export function detectInteractions(inv: Inventory): DetectResult {
  const specs = inv.tables.map((t) => specForTable(inv, t)).filter((s): s is InteractionSpec => s !== null);
  if (specs.length === 0) {
    const anyItem = inv.tables.some((t) => itemCandidates(columnsOf(inv, t.name)).some((c) => c.name !== t.primaryKey));
    return anyItem
      ? {
          ok: false,
          code: 'NO_USER_COLUMN',
          message: 'No user column found, in the item tables or in a table they reference.',
          lookedFor: [`a column named like ${USER_NAME.source}`, 'a foreign key from the item table to a table with such a column', 'or, without a header, two integer id columns'],
        }
      : {
          ok: false,
          code: 'NO_ITEM_COLUMN',
          message: 'No item column found in any table (other than as a table\'s own key).',
          lookedFor: [`a column named like ${ITEM_NAME.source}`, 'or, without a header, two integer id columns'],
        };
  }
  specs.sort((a, b) => rankSpec(inv, b) - rankSpec(inv, a));
  return { ok: true, spec: specs[0], alternatives: specs.slice(1) };
}

/** An id column as text, with integral doubles (`17850.0`) written as integers so ids stay stable. */
function idSql(ref: string, c: ColumnProfile | undefined): string {
  if (c && (c.physicalType === 'double' || c.physicalType === 'decimal')) {
    return `CASE WHEN ${ref} = trunc(${ref}) THEN CAST(CAST(${ref} AS BIGINT) AS VARCHAR) ELSE CAST(${ref} AS VARCHAR) END`;
  }
  if (c?.engineType === 'JSON') return `json_extract_string(${ref}, '$')`;
  return `CAST(${ref} AS VARCHAR)`;
}

function timeSql(ref: string, enc: TimeEncoding | null): string {
  switch (enc) {
    case 'timestamp':
      return `epoch(CAST(${ref} AS TIMESTAMP))`;
    case 'epoch-seconds':
      return `CAST(${ref} AS DOUBLE)`;
    case 'epoch-millis':
      return `CAST(${ref} AS DOUBLE) / 1000`;
    case 'text':
      return `epoch(TRY_CAST(${ref} AS TIMESTAMP))`;
    default:
      return 'CAST(NULL AS DOUBLE)';
  }
}

/** Table aliases: the fact table is `f`, joined tables `j1`, `j2`, … in join order. */
function aliasesOf(spec: InteractionSpec): Map<string, string> {
  const aliases = new Map<string, string>([[spec.factTable, 'f']]);
  spec.joins.forEach((j, i) => { if (!aliases.has(j.toTable)) aliases.set(j.toTable, `j${i + 1}`); });
  return aliases;
}

/**
 * The SELECT that yields one row per interaction with columns u, i, t (epoch seconds), e, q and
 * orphan_item, plus `user_missing` (a join found no parent row). Rows with a null item are dropped.
 */
export function buildInteractionSql(spec: InteractionSpec, inv: Inventory): string {
  const aliases = aliasesOf(spec);
  const col = (r: ColumnRef) => `${aliases.get(r.table) ?? 'f'}.${ident(r.column)}`;
  const profile = (r: ColumnRef) => inv.columns.find((c) => c.table === r.table && c.name === r.column);
  for (const r of [spec.user, spec.item, spec.time, spec.event, spec.quantity]) {
    if (r && !aliases.has(r.table)) throw new RecsError('UNKNOWN_TABLE', `${r.table}.${r.column} is neither the fact table nor joined to it.`);
  }
  const from = [`${ident(spec.factTable)} f`];
  spec.joins.forEach((j) => {
    from.push(`LEFT JOIN ${ident(j.toTable)} ${aliases.get(j.toTable)} ON ${aliases.get(j.toTable)}.${ident(j.toColumn)} = ${aliases.get(j.fromTable) ?? 'f'}.${ident(j.fromColumn)}`);
  });
  const orphan = spec.itemParent
    ? `NOT EXISTS (SELECT 1 FROM ${ident(spec.itemParent.table)} p WHERE p.${ident(spec.itemParent.column)} = ${col(spec.item)})`
    : 'false';
  const missing = spec.joins.length
    ? spec.joins.map((j) => `(${aliases.get(j.fromTable) ?? 'f'}.${ident(j.fromColumn)} IS NOT NULL AND ${aliases.get(j.toTable)}.${ident(j.toColumn)} IS NULL)`).join(' OR ')
    : 'false';
  return (
    `SELECT ${idSql(col(spec.user), profile(spec.user))} AS u, ${idSql(col(spec.item), profile(spec.item))} AS i, ` +
    `${timeSql(spec.time ? col(spec.time) : '', spec.time ? spec.timeEncoding : null)} AS t, ` +
    `${spec.event ? `CAST(${col(spec.event)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)'} AS e, ` +
    `${spec.quantity ? `TRY_CAST(${col(spec.quantity)} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)'} AS q, ` +
    `(${orphan}) AS orphan_item, (${missing}) AS user_missing ` +
    `FROM ${from.join(' ')} WHERE ${col(spec.item)} IS NOT NULL`
  );
}

/** What loading dropped or found, reported beside the diagnostics. */
export interface LoadReport {
  sourceRows: number;
  /** Rows dropped because the user is null (UCI's missing CustomerID). */
  nullUserRows: number;
  /** Rows whose order header (or other join parent) is missing: user orphans, dropped. */
  userOrphanRows: number;
  /** Rows kept whose item is missing from the item table. */
  itemOrphanRows: number;
  nullTimeRows: number;
  sql: string;
}

/**
 * Refuses item ids of mixed types. A JSON column that kept its types (`"123"` and `123`) is checked
 * with json_type; a text column (JSON and Parquet reach the browser engine as CSV, where that
 * difference is gone) is checked for one number written several ways (`123`, `0123`, `123.0`), which
 * would otherwise silently count as different items.
 */
async function checkMixedItemIds(engine: SqlEngine, spec: InteractionSpec, inv: Inventory): Promise<void> {
  const c = inv.columns.find((x) => x.table === spec.item.table && x.name === spec.item.column);
  const col = ident(spec.item.column);
  const table = ident(spec.item.table);
  if (c?.engineType === 'JSON') {
    const rows = await engine.query<{ t: string; n: number; ex: string }>(
      `SELECT json_type(${col}) AS t, count(*) AS n, min(CAST(${col} AS VARCHAR)) AS ex FROM ${table} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    const types = rows.filter((r) => r.t !== 'NULL');
    if (types.length > 1) {
      throw new RecsError(
        'MIXED_ITEM_IDS',
        `${spec.item.table}.${spec.item.column} mixes id types (${types.map((r) => `${Number(r.n)} ${r.t} e.g. ${r.ex}`).join('; ')}); ` +
          `"123" and 123 may or may not be the same item. Normalise the ids in the export first.`,
      );
    }
    return;
  }
  if (c?.physicalType !== 'varchar') return;
  const clashes = await engine.query<{ forms: string[]; n: number }>(
    `SELECT list(DISTINCT v ORDER BY v) AS forms, count(*) AS n FROM (SELECT trim(CAST(${col} AS VARCHAR)) AS v FROM ${table}) ` +
      `WHERE regexp_matches(v, '^[+-]?[0-9]+(\.[0-9]+)?$') GROUP BY TRY_CAST(v AS DOUBLE) HAVING count(DISTINCT v) > 1 ORDER BY n DESC, forms LIMIT 3`,
  );
  if (clashes.length) {
    throw new RecsError(
      'MIXED_ITEM_IDS',
      `${spec.item.table}.${spec.item.column} writes the same number as different ids (${clashes.map((r) => r.forms.map((f) => JSON.stringify(f)).join(' vs ')).join('; ')}); ` +
        `text and numeric ids (e.g. "123" and 123 saved as 123.0) must be normalised before they can be counted as one item or two.`,
    );
  }
}

/** Loads the interactions described by `spec` from the engine's tables and checks they are usable. */
export async function loadInteractions(engine: SqlEngine, spec: InteractionSpec, inv: Inventory): Promise<{ log: InteractionLog; report: LoadReport }> {
  await checkMixedItemIds(engine, spec, inv);
  const sql = buildInteractionSql(spec, inv);
  const rows = await engine.query<{ u: string | null; i: string; t: number | null; e: string | null; q: number | null; orphan_item: boolean; user_missing: boolean }>(sql);
  const raw: RawInteraction[] = [];
  let nullUserRows = 0;
  let userOrphanRows = 0;
  let itemOrphanRows = 0;
  let nullTimeRows = 0;
  for (const r of rows) {
    if (r.user_missing) { userOrphanRows++; continue; }
    if (r.u === null) { nullUserRows++; continue; }
    const t = r.t === null ? null : Number(r.t);
    if (t === null || !Number.isFinite(t)) nullTimeRows++;
    if (r.orphan_item) itemOrphanRows++;
    raw.push({ user: r.u, item: r.i, time: t !== null && Number.isFinite(t) ? t : null, event: r.e, quantity: r.q === null ? null : Number(r.q), orphanItem: r.orphan_item });
  }
  const log = buildInteractionLog(raw, { hasQuantity: spec.quantity !== null });
  if (raw.length === 0) {
    throw new RecsError('NO_USER_COLUMN', `${spec.user.table}.${spec.user.column} is null on every one of ${rows.length} rows with an item.`);
  }
  assertUsableLog(log);
  if (spec.time && nullTimeRows === raw.length) {
    throw new RecsError('NO_TIMESTAMPS', `${spec.time.table}.${spec.time.column} is null (or unparseable) on all ${fmt(raw.length)} interactions; choose another time column or none.`);
  }
  return { log, report: { sourceRows: rows.length, nullUserRows, userOrphanRows, itemOrphanRows, nullTimeRows, sql } };
}
