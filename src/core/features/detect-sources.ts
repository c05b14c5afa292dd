// Finds what the feature tables are built from (order lines, the person key, the order time, product
// attributes, reviews, region) from the inventory alone, reusing the business roles and the
// interaction spec, and says in words which key and which fallbacks were used.
import { findBusinessRoles } from '../graph/find-business-roles.ts';
import { detectInteractions, type InteractionSpec } from '../recsys/detect-interactions.ts';
import type { ColumnProfile, Inventory } from '../types.ts';
import type { DetectFeatureSourcesResult, FeatureSources, SourceRef } from './types.ts';

const FREIGHT_NAME = /(freight|shipping|postage|delivery_?fee|运费)/i;
const LIST_PRICE_NAME = /(list|original|regular|msrp|compare|retail|标价|原价)/i;
const PRICE_NAME = /(price|amount|value|金额|价格|单价)/i;
const TITLE_LENGTH_NAME = /(name|title).*(len|lenght|length)/i;
const DESCRIPTION_LENGTH_NAME = /desc.*(len|lenght|length)/i;
const DESCRIPTION_NAME = /(description|desc$|details|描述|详情)/i;
const REVIEW_TIME_PREFERRED = /(creat|review_?date|review_?time|^date$|^time$|timestamp)/i;
const REVIEW_TIME_LATE = /(answer|update|modified|reply)/i;
const REVIEW_ID_NAME = /review.*id|^id$/i;

function columnsOf(inv: Inventory, table: string): ColumnProfile[] {
  return inv.columns.filter((c) => c.table === table).sort((a, b) => a.index - b.index);
}

function isNumeric(c: ColumnProfile): boolean {
  return c.physicalType === 'integer' || c.physicalType === 'double' || c.physicalType === 'decimal';
}

function isTime(c: ColumnProfile): boolean {
  return c.physicalType === 'timestamp' || c.physicalType === 'date' || ((c.semanticType === 'timestamp' || c.semanticType === 'date') && c.physicalType === 'varchar');
}

/** Price, freight and list price among the line table's numeric columns. */
function pickMoney(cols: ColumnProfile[]): { price?: string; freight?: string; listPrice?: string } {
  const money = cols.filter((c) => isNumeric(c) && (c.semanticType === 'price' || PRICE_NAME.test(c.name)) && !/total|payment/i.test(c.name));
  const freight = money.find((c) => FREIGHT_NAME.test(c.name));
  const listPrice = money.find((c) => c !== freight && LIST_PRICE_NAME.test(c.name));
  const price = money.find((c) => c !== freight && c !== listPrice && /price|单价|价格/i.test(c.name)) ?? money.find((c) => c !== freight && c !== listPrice);
  return { price: price?.name, freight: freight?.name, listPrice: listPrice?.name };
}

function pickReviewTime(cols: ColumnProfile[]): string | undefined {
  const times = cols.filter(isTime).filter((c) => !REVIEW_TIME_LATE.test(c.name));
  return (times.find((c) => REVIEW_TIME_PREFERRED.test(c.name)) ?? times[0])?.name;
}

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * Detects the feature sources. Needs order lines (a table with an item and an order column); the user
 * is the interaction spec's user (already the person key where the export has one beside a per-order
 * id), else — said so — the order id itself, so profiles are per order.
 */
export function detectFeatureSources(inv: Inventory): DetectFeatureSourcesResult {
  const roles = findBusinessRoles(inv, { maxUsers: Number.MAX_SAFE_INTEGER });
  if (!roles.lines) {
    return { ok: false, code: 'NO_ORDER_LINES', message: 'No order lines found: feature tables need a table with an item column and an order column (order lines or a flat order export).' };
  }
  const lines = roles.lines;
  const notes: string[] = [];
  const detected = detectInteractions(inv);
  const spec: InteractionSpec | undefined = detected.ok ? [detected.spec, ...detected.alternatives].find((s) => s.factTable === lines.table) : undefined;
  const lineCols = columnsOf(inv, lines.table);
  const money = pickMoney(lineCols);
  const joins = spec ? [...spec.joins] : [];

  // The user key: the spec's user, judged person / user / per order; failing any, the order id.
  let user: FeatureSources['user'];
  const orderCount = roles.orders ? inv.tables.find((t) => t.name === roles.orders!.table)?.rowCount ?? 0 : (lineCols.find((c) => c.name === lines.order)?.distinct ?? 0);
  if (spec) {
    const profile = inv.columns.find((c) => c.table === spec.user.table && c.name === spec.user.column);
    if (roles.users?.identity === spec.user.column && roles.users.table === spec.user.table) {
      user = { ...spec.user, kind: 'person', perOrderKey: { table: roles.users.table, column: roles.users.key } };
      notes.push(`User profiles are keyed by the person key ${spec.user.table}.${spec.user.column} (≈${fmt(profile?.distinct ?? 0)} people), not the per-order ${roles.users.table}.${roles.users.key}: repeat buyers are one user.`);
    } else if (profile && orderCount > 0 && profile.distinct >= orderCount * 0.98 && profile.isUnique) {
      user = { ...spec.user, kind: 'per-order' };
      notes.push(`No person key found: ${spec.user.table}.${spec.user.column} has one id per order (${fmt(profile.distinct)} ids for ${fmt(orderCount)} orders), so user profiles are per order and frequency is always 1.`);
    } else {
      user = { ...spec.user, kind: 'user' };
      notes.push(`User profiles are keyed by ${spec.user.table}.${spec.user.column}.`);
    }
  } else {
    user = { table: lines.table, column: lines.order, kind: 'per-order' };
    notes.push(`No user or person key found: user profiles fall back to the per-order key ${lines.table}.${lines.order}, so each profile is one order.`);
  }

  // Time: the spec's, else a time column of the lines table or the order header.
  let time: FeatureSources['time'] = spec?.time && spec.timeEncoding ? { ...spec.time, encoding: spec.timeEncoding } : null;
  if (!spec) {
    const t = lineCols.find(isTime);
    if (t) time = { table: lines.table, column: t.name, encoding: t.physicalType === 'varchar' ? 'text' : 'timestamp' };
  }
  if (time) notes.push(`Order time: ${time.table}.${time.column}; every feature reads only rows strictly before the cut-off.`);
  else notes.push('No timestamp column: the 7/30/90-day windows, recency, days since first/last sale and the leakage checks on time are off; features use all rows.');

  const product: FeatureSources['product'] = roles.product
    ? (() => {
        const p = roles.product!;
        const pcols = columnsOf(inv, p.table);
        const textCols = pcols.filter((c) => c.physicalType === 'varchar');
        const description = textCols.find((c) => c.name !== p.title && DESCRIPTION_NAME.test(c.name) && (c.semanticType === 'text' || c.semanticType === 'title'))?.name;
        const titleLength = pcols.find((c) => isNumeric(c) && TITLE_LENGTH_NAME.test(c.name))?.name;
        const descriptionLength = pcols.find((c) => isNumeric(c) && DESCRIPTION_LENGTH_NAME.test(c.name))?.name;
        return { table: p.table, key: p.key, category: p.category, categoryLabel: roles.categoryLabel, brand: p.brand, title: p.title, description, titleLength: p.title ? undefined : titleLength, descriptionLength: description ? undefined : descriptionLength };
      })()
    : undefined;
  if (product && !product.category) notes.push('No category column: favourite categories and the user × category table are empty.');
  if (product && !product.brand) notes.push('No brand column: brand features are left out.');

  // List price may also live on the product dimension.
  let listPrice: SourceRef | undefined = money.listPrice ? { table: lines.table, column: money.listPrice } : undefined;
  if (!listPrice && product && product.table !== lines.table) {
    const lp = columnsOf(inv, product.table).find((c) => isNumeric(c) && LIST_PRICE_NAME.test(c.name) && PRICE_NAME.test(c.name));
    if (lp) listPrice = { table: product.table, column: lp.name };
  }
  if (!listPrice) notes.push('No list price column: discount is left out.');

  let reviews: FeatureSources['reviews'];
  if (roles.reviews) {
    const rcols = columnsOf(inv, roles.reviews.table);
    const rt = inv.tables.find((t) => t.name === roles.reviews!.table);
    const id = rt?.primaryKey ?? rcols.find((c) => REVIEW_ID_NAME.test(c.name) && c.semanticType === 'id')?.name;
    reviews = { table: roles.reviews.table, score: roles.reviews.score, order: roles.reviews.order, product: roles.reviews.product, id, time: pickReviewTime(rcols) };
    if (time && !reviews.time) notes.push(`Reviews (${reviews.table}) have no time column: a review counts when its order is before the cut-off, which may include reviews written after it.`);
  } else notes.push('No review table with a score: review features are left out.');

  // Region: state / city in a table the user rows reach (fact, joined, or the user column's dimension).
  const reachable = [lines.table, ...joins.map((j) => j.toTable)].filter((t) => t !== product?.table && t !== roles.sellers?.table);
  let region: FeatureSources['region'];
  for (const t of reachable) {
    const cols = columnsOf(inv, t);
    const state = cols.find((c) => c.semanticType === 'state')?.name;
    const city = cols.find((c) => c.semanticType === 'city')?.name;
    if (state || city) { region = { table: t, state, city }; break; }
  }
  if (!region) {
    const fk = inv.relations.find((r) => r.fromTable === user.table && r.fromColumn === user.column);
    if (fk && fk.toTable !== product?.table) {
      const cols = columnsOf(inv, fk.toTable);
      const state = cols.find((c) => c.semanticType === 'state')?.name;
      const city = cols.find((c) => c.semanticType === 'city')?.name;
      if (state || city) {
        joins.push({ fromTable: fk.fromTable, fromColumn: fk.fromColumn, toTable: fk.toTable, toColumn: fk.toColumn });
        region = { table: fk.toTable, state, city };
      }
    }
  }
  if (!region) notes.push('No state or city column reachable from the user: region is left out.');

  return {
    ok: true,
    sources: {
      lines: { table: lines.table, order: lines.order, item: lines.product, price: money.price, freight: money.freight, quantity: spec?.quantity?.table === lines.table ? spec.quantity.column : undefined, listPrice: listPrice?.table === lines.table ? listPrice.column : undefined },
      joins,
      user,
      time,
      product: product ? { ...product, listPrice: listPrice && listPrice.table === product.table && product.table !== lines.table ? listPrice.column : undefined } : undefined,
      reviews,
      region,
      notes,
    },
  };
}
