// Finds the business roles of an inventory's tables (products, order lines, orders, users, sellers,
// reviews) from semantic types, names and inferred foreign keys, without reading any data.
import type { ColumnProfile, ForeignKey, Inventory, TableProfile } from '../types.ts';

/** Where each business concept lives. Every field names a loaded table and its columns. */
export interface BusinessRoles {
  /** The product dimension (or, for a flat export, the transaction table grouped by the product column). */
  product?: {
    table: string;
    key: string;
    /** True when `key` is unique in `table` (a real dimension); false for a flat export. */
    isDimension: boolean;
    title?: string;
    category?: string;
    brand?: string;
    /** Low-cardinality categorical columns that become attribute values. */
    attributes: string[];
    /** Why this table was chosen, for provenance. */
    rule: string;
  };
  /** A lookup table giving categories a readable label (Olist's translation table). */
  categoryLabel?: { table: string; key: string; label: string };
  /** Order lines: one row per product bought in an order. */
  lines?: { table: string; order: string; product: string; seller?: string; user?: string };
  /** The order header, reached from `lines.order`, carrying the user. */
  orders?: { table: string; key: string; user?: string };
  /** The user dimension reached from the order's user column. */
  users?: { table: string; key: string; /** A person-level id when the key is per order (`customer_unique_id`). */ identity?: string };
  /** Where users are segmented by (state, country, city) when there are too many of them. */
  segment?: { table: string; column: string; /** Column in `table` that joins to the user column used in facts. */ join: string };
  /** The seller dimension `lines.seller` references, if any. */
  sellers?: { table: string; key: string };
  /** Reviews with a score, joined to orders or to products. */
  reviews?: { table: string; score: string; order?: string; product?: string; user?: string };
}

const ORDER_NAME = /(^|_)(order|invoice|basket|transaction|cart|receipt)(s)?(_|$|no|id)|^(order|invoice)/i;
const PRODUCT_NAME = /(^|_)(product|item|sku|asin|stock_?code|goods|article)(s)?(_|$|id|code)/i;
const SELLER_NAME = /(seller|vendor|merchant|shop|store|supplier)/i;
const USER_NAME = /(customer|user|buyer|member|client|shopper)/i;
const BRAND_NAME = /(brand|manufacturer|maker|品牌)/i;
const CATEGORY_NAME = /(categor|类目|分类|department|product_type)/i;
const LABEL_NAME = /(english|_en$|name|label|title)/i;
const REVIEW_NAME = /(review|rating|feedback|comment)/i;
/** Columns that measure a product rather than describe it: never attribute values. */
const NOT_ATTRIBUTE = /(rating|score|review|count|price|qty|quantity|discount|amount)/i;

function columnsOf(inv: Inventory, table: string): ColumnProfile[] {
  return inv.columns.filter((c) => c.table === table).sort((a, b) => a.index - b.index);
}

function isKeyOf(t: TableProfile, column: string): boolean {
  return t.primaryKey === column || t.keyCandidates.some((k) => k.length === 1 && k[0] === column);
}

function isIdColumn(c: ColumnProfile): boolean {
  return c.semanticType === 'id' || c.semanticType === 'code';
}

/** Foreign keys out of `table`, and the one on `column` if any. */
function fkFrom(inv: Inventory, table: string, column: string): ForeignKey | undefined {
  return inv.relations.find((r) => r.fromTable === table && r.fromColumn === column);
}

function pickTitle(cols: ColumnProfile[]): string | undefined {
  return (cols.find((c) => c.semanticType === 'title') ?? cols.find((c) => c.semanticType === 'text' && /(name|title|description|desc)/i.test(c.name)))?.name;
}

function pickCategory(cols: ColumnProfile[], exclude: Set<string>): string | undefined {
  const cands = cols.filter((c) => !exclude.has(c.name) && c.semanticType === 'category' && !BRAND_NAME.test(c.name) && !NOT_ATTRIBUTE.test(c.name));
  return (cands.find((c) => CATEGORY_NAME.test(c.name)) ?? cands.find((c) => !ORDER_NAME.test(c.name) && !USER_NAME.test(c.name)))?.name;
}

function pickBrand(cols: ColumnProfile[], exclude: Set<string>): string | undefined {
  return cols.find((c) => !exclude.has(c.name) && BRAND_NAME.test(c.name) && c.physicalType === 'varchar')?.name;
}

/** The order column of a line table: an FK into an order-like table, else an order-like id column. */
function findOrderColumn(inv: Inventory, table: string, exclude: string): string | undefined {
  const cols = columnsOf(inv, table).filter((c) => c.name !== exclude);
  const viaFk = cols.find((c) => {
    const fk = fkFrom(inv, table, c.name);
    return fk && (ORDER_NAME.test(fk.toTable) || ORDER_NAME.test(c.name));
  });
  return (viaFk ?? cols.find((c) => isIdColumn(c) && ORDER_NAME.test(c.name)))?.name;
}

function findSellerColumn(inv: Inventory, table: string): string | undefined {
  return columnsOf(inv, table).find((c) => {
    const fk = fkFrom(inv, table, c.name);
    return (fk && SELLER_NAME.test(fk.toTable)) || (isIdColumn(c) && SELLER_NAME.test(c.name));
  })?.name;
}

function findUserColumn(inv: Inventory, table: string): string | undefined {
  return columnsOf(inv, table).find((c) => {
    const fk = fkFrom(inv, table, c.name);
    return (fk && USER_NAME.test(fk.toTable)) || (isIdColumn(c) && USER_NAME.test(c.name));
  })?.name;
}

/** Picks a segment column (state before country before city) with at most `maxSegments` values. */
function findSegmentColumn(cols: ColumnProfile[], maxSegments: number): string | undefined {
  for (const kind of ['state', 'country', 'city'] as const) {
    const c = cols.find((x) => x.semanticType === kind && x.distinct <= maxSegments);
    if (c) return c.name;
  }
  return undefined;
}

/**
 * Finds the business roles. The product table is the table whose key is referenced by an
 * order-lines table (one that also has an order column) and that has a category or title column;
 * failing that, a flat export with a product-like and an order-like column plays both roles.
 */
export function findBusinessRoles(inv: Inventory, options: { maxUsers: number }): BusinessRoles {
  const roles: BusinessRoles = {};
  const tables = new Map(inv.tables.map((t) => [t.name, t]));

  // 1. Normalised export: lines table → product dimension through an inferred FK.
  let best: { product: TableProfile; key: string; lines: string; order: string; rows: number } | undefined;
  for (const fk of inv.relations) {
    const parent = tables.get(fk.toTable);
    if (!parent || !isKeyOf(parent, fk.toColumn) || fk.fromTable === fk.toTable) continue;
    const pcols = columnsOf(inv, parent.name);
    if (!pickCategory(pcols, new Set([fk.toColumn])) && !pickTitle(pcols)) continue;
    if (ORDER_NAME.test(parent.name) || USER_NAME.test(parent.name) || SELLER_NAME.test(parent.name)) continue;
    const order = findOrderColumn(inv, fk.fromTable, fk.fromColumn);
    if (!order) continue;
    const rows = tables.get(fk.fromTable)?.rowCount ?? 0;
    const score = rows + (PRODUCT_NAME.test(fk.fromColumn) ? 1e12 : 0);
    if (!best || score > best.rows) best = { product: parent, key: fk.toColumn, lines: fk.fromTable, order, rows: score };
  }

  if (best) {
    const pcols = columnsOf(inv, best.product.name);
    const used = new Set([best.key]);
    const title = pickTitle(pcols);
    if (title) used.add(title);
    const brand = pickBrand(pcols, used);
    if (brand) used.add(brand);
    const category = pickCategory(pcols, used);
    if (category) used.add(category);
    const attributes = pcols
      .filter((c) => !used.has(c.name) && c.semanticType === 'category' && c.distinct <= 100 && c.distinct >= 2 && !NOT_ATTRIBUTE.test(c.name))
      .map((c) => c.name);
    roles.product = {
      table: best.product.name, key: best.key, isDimension: true, title, category, brand, attributes,
      rule: `product table: key referenced by order lines ${best.lines}`,
    };
    roles.lines = { table: best.lines, order: best.order, product: findLineProductColumn(inv, best.lines, best.product.name, best.key) };
    roles.lines.seller = findSellerColumn(inv, best.lines) ?? undefined;
    const orderFk = fkFrom(inv, best.lines, best.order);
    if (orderFk && orderFk.toTable !== best.lines) {
      const user = findUserColumn(inv, orderFk.toTable);
      roles.orders = { table: orderFk.toTable, key: orderFk.toColumn, user };
    }
    if (!roles.orders?.user) roles.lines.user = findUserColumn(inv, best.lines);
  } else {
    // 2. Flat export (one row per order line): product and order columns in the same table.
    for (const t of inv.tables) {
      const cols = columnsOf(inv, t.name);
      const product = cols.find((c) => (isIdColumn(c) || c.physicalType === 'varchar' || c.physicalType === 'integer') && PRODUCT_NAME.test(c.name));
      if (!product) continue;
      const order = findOrderColumn(inv, t.name, product.name);
      if (!order) continue;
      const used = new Set([product.name, order]);
      const title = pickTitle(cols);
      if (title) used.add(title);
      const brand = pickBrand(cols, used);
      if (brand) used.add(brand);
      const category = cols.find((c) => !used.has(c.name) && c.semanticType === 'category' && CATEGORY_NAME.test(c.name))?.name;
      roles.product = {
        table: t.name, key: product.name, isDimension: false, title, category, brand, attributes: [],
        rule: `flat export: product column ${product.name} with order column ${order}`,
      };
      roles.lines = { table: t.name, order, product: product.name, seller: findSellerColumn(inv, t.name), user: findUserColumn(inv, t.name) };
      break;
    }
  }
  if (!roles.product) {
    // 3. Catalogue only (no orders): a table keyed by a product-like column (or, failing that, its
    //    primary key when it has a title and a price or brand) with a category or title.
    for (const t of inv.tables) {
      const cols = columnsOf(inv, t.name);
      // A unique product id first, then any product id column (rows of one product are grouped).
      const ids = cols.filter((c) => PRODUCT_NAME.test(c.name) && (isIdColumn(c) || /id$/i.test(c.name)));
      // Else the table's own key when it reads like a catalogue: a title and a price or brand.
      const looksLikeCatalogue = cols.some((c) => c.semanticType === 'title') && cols.some((c) => c.semanticType === 'price' || BRAND_NAME.test(c.name));
      const key = ids.find((c) => isKeyOf(t, c.name)) ?? ids[0] ?? (looksLikeCatalogue ? cols.find((c) => c.name === t.primaryKey) : undefined);
      if (!key) continue;
      const used = new Set([key.name]);
      const title = pickTitle(cols);
      if (title) used.add(title);
      const brand = pickBrand(cols, used);
      if (brand) used.add(brand);
      const category = pickCategory(cols, used);
      if (category) used.add(category);
      if (!title && !category) continue;
      const attributes = cols
        .filter((c) => !used.has(c.name) && c.semanticType === 'category' && c.distinct <= 100 && c.distinct >= 2 && !NOT_ATTRIBUTE.test(c.name))
        .map((c) => c.name);
      roles.product = { table: t.name, key: key.name, isDimension: isKeyOf(t, key.name), title, category, brand, attributes, rule: `catalogue: table keyed by ${key.name}` };
      break;
    }
  }
  if (!roles.product) return roles;

  // Category labels from a lookup table the category column references (Olist's translation).
  const p = roles.product;
  if (p.category) {
    const fk = fkFrom(inv, p.table, p.category);
    if (fk) {
      const label = columnsOf(inv, fk.toTable).find((c) => c.name !== fk.toColumn && c.physicalType === 'varchar' && LABEL_NAME.test(c.name));
      if (label) roles.categoryLabel = { table: fk.toTable, key: fk.toColumn, label: label.name };
    }
  }

  // Sellers dimension.
  const lines = roles.lines;
  if (lines?.seller) {
    const fk = fkFrom(inv, lines.table, lines.seller);
    if (fk) roles.sellers = { table: fk.toTable, key: fk.toColumn };
  }

  // Users: dimension, person-level identity and segment column.
  const userHost = roles.orders?.user ? { table: roles.orders.table, column: roles.orders.user } : lines?.user ? { table: lines.table, column: lines.user } : undefined;
  if (userHost) {
    const fk = fkFrom(inv, userHost.table, userHost.column);
    if (fk) {
      const ucols = columnsOf(inv, fk.toTable);
      // Olist's customer_id is per order; customer_unique_id is the person.
      const identity = ucols.find((c) => c.name !== fk.toColumn && isIdColumn(c) && /unique|person|member/i.test(c.name))?.name;
      roles.users = { table: fk.toTable, key: fk.toColumn, identity };
      const seg = findSegmentColumn(ucols, options.maxUsers);
      if (seg) roles.segment = { table: fk.toTable, column: seg, join: fk.toColumn };
    } else {
      const seg = findSegmentColumn(columnsOf(inv, userHost.table), options.maxUsers);
      if (seg) roles.segment = { table: userHost.table, column: seg, join: userHost.column };
    }
  }

  // Reviews: a table with a rating column that joins to orders or to products.
  for (const t of inv.tables) {
    if (t.name === p.table && !p.isDimension) continue;
    const cols = columnsOf(inv, t.name);
    const score = cols.find((c) => c.semanticType === 'rating' && (c.physicalType === 'integer' || c.physicalType === 'decimal' || c.physicalType === 'double'));
    if (!score) continue;
    const toOrders = lines && cols.find((c) => {
      const fk = fkFrom(inv, t.name, c.name);
      return fk && ((roles.orders && fk.toTable === roles.orders.table) || fk.toTable === lines.table);
    });
    const toProduct = cols.find((c) => {
      const fk = fkFrom(inv, t.name, c.name);
      return (fk && fk.toTable === p.table && fk.toColumn === p.key) || (c.name === p.key && t.name !== p.table);
    });
    if (!toOrders && !toProduct && !REVIEW_NAME.test(t.name)) continue;
    if (!toOrders && !toProduct) continue;
    roles.reviews = { table: t.name, score: score.name, order: toOrders?.name, product: toProduct?.name, user: toProduct ? findUserColumn(inv, t.name) : undefined };
    break;
  }
  return roles;
}

/** The column of the lines table that references the product key. */
function findLineProductColumn(inv: Inventory, lines: string, product: string, key: string): string {
  const fk = inv.relations.find((r) => r.fromTable === lines && r.toTable === product && r.toColumn === key);
  return fk ? fk.fromColumn : key;
}
