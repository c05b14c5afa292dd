// SQL builders (DuckDB dialect) for the three feature tables — item features, user profiles and
// user × category affinities — over one per-line `base` CTE filtered to rows strictly before the
// cut-off. Each feature is described once (name, expression, zh/en text, sources), so the data
// dictionary and the SQL can never disagree.
import { ident, literal } from '../engine/sql-engine.ts';
import type { TimeEncoding } from '../recsys/detect-interactions.ts';
import type { FeatureEntity, FeatureSources, FeatureType, TagTableRef } from './types.ts';

/** Popularity windows, in days before the cut-off. */
export const WINDOWS = [7, 30, 90] as const;
/** Number of favourite categories kept on a user profile. */
export const FAVOURITES = 3;
/** Price bands (quantiles of a user's mean item price). */
export const PRICE_BANDS = 5;

/** One feature before measurement: what the dictionary says and the expression that computes it. */
export interface FeatureDef {
  name: string;
  /** The expression over its CTE (`agg` over `base` for most), as written in the SELECT. */
  sql: string;
  en: string;
  zh: string;
  sources: string[];
  type: FeatureType;
  timeFiltered: boolean;
  isKey?: boolean;
  /** Set when the rows it reads may include some at or after the cut-off (reviews with no time column). */
  leakRisk?: string;
}

/** A feature table's full SELECT and its dictionary before measurement. */
export interface FeatureTableSql {
  name: string;
  entity: FeatureEntity;
  key: string;
  sql: string;
  features: FeatureDef[];
}

export interface BuildSqlOptions {
  /** `YYYY-MM-DD` or null without a time column. */
  cutoff: string | null;
  affinityK: number;
  sentiment?: TagTableRef;
  attributes?: TagTableRef;
}

/** The instant expression of a time column, as TIMESTAMP. */
export function timestampSql(ref: string, encoding: TimeEncoding): string {
  switch (encoding) {
    case 'timestamp':
      return `CAST(${ref} AS TIMESTAMP)`;
    case 'epoch-seconds':
      return `(TIMESTAMP '1970-01-01' + to_microseconds(CAST(round(CAST(${ref} AS DOUBLE) * 1e6) AS BIGINT)))`;
    case 'epoch-millis':
      return `(TIMESTAMP '1970-01-01' + to_microseconds(CAST(round(CAST(${ref} AS DOUBLE) * 1e3) AS BIGINT)))`;
    case 'text':
      return `TRY_CAST(${ref} AS TIMESTAMP)`;
  }
}

/** The cut-off as a TIMESTAMP literal (midnight of the day). */
export function cutoffSql(cutoff: string): string {
  return `TIMESTAMP ${literal(cutoff + ' 00:00:00')}`;
}

const src = (table: string, column: string) => `${table}.${column}`;

interface BaseLayout {
  sql: string;
  /** Source `table.column` of each base column, for the dictionary. */
  origin: Record<string, string[]>;
  has: { price: boolean; freight: boolean; listPrice: boolean; category: boolean; brand: boolean; titleLen: boolean; descLen: boolean; state: boolean; city: boolean; time: boolean };
}

/**
 * The per-line SELECT: order_id, user_id, item_id, ts, price, freight, qty, list_price, category,
 * brand, title_len, desc_len, state, city. `range` keeps rows with `from <= ts < to` (either side open).
 */
export function buildBaseSql(s: FeatureSources, range: { from?: string; to?: string }): BaseLayout {
  const aliases = new Map<string, string>([[s.lines.table, 'f']]);
  const from = [`${ident(s.lines.table)} f`];
  s.joins.forEach((j, i) => {
    if (aliases.has(j.toTable)) return;
    const a = `j${i + 1}`;
    aliases.set(j.toTable, a);
    from.push(`LEFT JOIN ${ident(j.toTable)} ${a} ON ${a}.${ident(j.toColumn)} = ${aliases.get(j.fromTable) ?? 'f'}.${ident(j.fromColumn)}`);
  });
  const p = s.product;
  if (p && !aliases.has(p.table)) {
    aliases.set(p.table, 'p');
    from.push(`LEFT JOIN ${ident(p.table)} p ON p.${ident(p.key)} = f.${ident(s.lines.item)}`);
  }
  const pa = p ? aliases.get(p.table)! : 'p';
  if (p?.brandTags) {
    const b = p.brandTags;
    from.push(`LEFT JOIN (SELECT CAST(${ident(b.key)} AS VARCHAR) AS k, min(CAST(${ident(b.label)} AS VARCHAR)) AS brand FROM ${ident(b.table)} GROUP BY 1) tb ON tb.k = CAST(f.${ident(s.lines.item)} AS VARCHAR)`);
  }
  // A predicted category fills only gaps: where the category column has a value, it is the export's own.
  const rawCategory = p?.category ? (p.categoryTags ? `coalesce(nullif(trim(CAST(${pa}.${ident(p.category)} AS VARCHAR)), ''), tc.category)` : `${pa}.${ident(p.category)}`) : null;
  if (p?.category && p.categoryTags) {
    const c = p.categoryTags;
    from.push(`LEFT JOIN (SELECT CAST(${ident(c.key)} AS VARCHAR) AS k, min(CAST(${ident(c.label)} AS VARCHAR)) AS category FROM ${ident(c.table)} GROUP BY 1) tc ON tc.k = CAST(f.${ident(s.lines.item)} AS VARCHAR)`);
  }
  if (p?.category && p.categoryLabel) {
    // Predicted values are raw category values too, so they get the readable label the same way.
    const on = p.categoryTags ? `CAST(cl.${ident(p.categoryLabel.key)} AS VARCHAR) = ${rawCategory}` : `cl.${ident(p.categoryLabel.key)} = ${rawCategory}`;
    from.push(`LEFT JOIN ${ident(p.categoryLabel.table)} cl ON ${on}`);
  }
  const col = (table: string, column: string) => `${aliases.get(table) ?? 'f'}.${ident(column)}`;
  const num = (e: string | null) => (e ? `TRY_CAST(${e} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)');
  const txt = (e: string | null) => (e ? `CAST(${e} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)');
  const L = s.lines;
  const ts = s.time ? timestampSql(col(s.time.table, s.time.column), s.time.encoding) : 'CAST(NULL AS TIMESTAMP)';
  const category = rawCategory ? (p?.categoryLabel ? `coalesce(CAST(cl.${ident(p.categoryLabel.label)} AS VARCHAR), CAST(${rawCategory} AS VARCHAR))` : rawCategory) : null;
  const listPrice = L.listPrice ? `f.${ident(L.listPrice)}` : p?.listPrice ? `${pa}.${ident(p.listPrice)}` : null;
  const titleLen = p?.title ? `length(CAST(${pa}.${ident(p.title)} AS VARCHAR))` : p?.titleLength ? `${pa}.${ident(p.titleLength)}` : null;
  const descLen = p?.description ? `length(CAST(${pa}.${ident(p.description)} AS VARCHAR))` : p?.descriptionLength ? `${pa}.${ident(p.descriptionLength)}` : null;
  // A tagged brand fills only gaps: the brand column, where it has a value, is the export's own word.
  const givenBrand = p?.brand ? `${pa}.${ident(p.brand)}` : null;
  const brand = p?.brandTags ? (givenBrand ? `coalesce(nullif(trim(CAST(${givenBrand} AS VARCHAR)), ''), tb.brand)` : 'tb.brand') : givenBrand;
  const r = s.region;
  const select = [
    `CAST(f.${ident(L.order)} AS VARCHAR) AS order_id`,
    `CAST(${col(s.user.table, s.user.column)} AS VARCHAR) AS user_id`,
    `CAST(f.${ident(L.item)} AS VARCHAR) AS item_id`,
    `${ts} AS ts`,
    `${num(L.price ? `f.${ident(L.price)}` : null)} AS price`,
    `${num(L.freight ? `f.${ident(L.freight)}` : null)} AS freight`,
    `${L.quantity ? `coalesce(TRY_CAST(f.${ident(L.quantity)} AS DOUBLE), 1)` : 'CAST(1 AS DOUBLE)'} AS qty`,
    `${num(listPrice)} AS list_price`,
    `${txt(category)} AS category`,
    `${txt(brand)} AS brand`,
    `${num(titleLen)} AS title_len`,
    `${num(descLen)} AS desc_len`,
    `${txt(r?.state ? col(r.table, r.state) : null)} AS state`,
    `${txt(r?.city ? col(r.table, r.city) : null)} AS city`,
  ];
  const where = [`f.${ident(L.item)} IS NOT NULL`, `${col(s.user.table, s.user.column)} IS NOT NULL`];
  if (s.time && range.to) where.push(`${ts} < ${cutoffSql(range.to)}`);
  if (s.time && range.from) where.push(`${ts} >= ${cutoffSql(range.from)}`);
  const origin: Record<string, string[]> = {
    order_id: [src(L.table, L.order)],
    user_id: [src(s.user.table, s.user.column)],
    item_id: [src(L.table, L.item)],
    ts: s.time ? [src(s.time.table, s.time.column)] : [],
    price: L.price ? [src(L.table, L.price)] : [],
    freight: L.freight ? [src(L.table, L.freight)] : [],
    qty: L.quantity ? [src(L.table, L.quantity)] : [],
    list_price: L.listPrice ? [src(L.table, L.listPrice)] : p?.listPrice ? [src(p.table, p.listPrice)] : [],
    category: p?.category ? [src(p.table, p.category), ...(p.categoryTags ? [src(p.categoryTags.table, p.categoryTags.label)] : []), ...(p.categoryLabel ? [src(p.categoryLabel.table, p.categoryLabel.label)] : [])] : [],
    brand: [...(p?.brand ? [src(p.table, p.brand)] : []), ...(p?.brandTags ? [src(p.brandTags.table, p.brandTags.label)] : [])],
    title_len: p?.title ? [src(p.table, p.title)] : p?.titleLength ? [src(p.table, p.titleLength)] : [],
    desc_len: p?.description ? [src(p.table, p.description)] : p?.descriptionLength ? [src(p.table, p.descriptionLength)] : [],
    state: r?.state ? [src(r.table, r.state)] : [],
    city: r?.city ? [src(r.table, r.city)] : [],
  };
  return {
    sql: `SELECT ${select.join(', ')} FROM ${from.join(' ')} WHERE ${where.join(' AND ')}`,
    origin,
    has: {
      price: !!L.price, freight: !!L.freight, listPrice: listPrice !== null, category: category !== null, brand: brand !== null,
      titleLen: titleLen !== null, descLen: descLen !== null, state: !!r?.state, city: !!r?.city, time: !!s.time,
    },
  };
}

/** The reviews CTE (order_id, item_id, score, positive) with reviews strictly before the cut-off. */
function buildReviewSql(s: FeatureSources, o: BuildSqlOptions): { sql: string; origin: string[]; leakRisk?: string } | null {
  const rv = s.reviews;
  if (!rv) return null;
  const where: string[] = [`TRY_CAST(r.${ident(rv.score)} AS DOUBLE) IS NOT NULL`];
  let leakRisk: string | undefined;
  if (o.cutoff && rv.time) where.push(`TRY_CAST(r.${ident(rv.time)} AS TIMESTAMP) < ${cutoffSql(o.cutoff)}`);
  else if (o.cutoff) leakRisk = `${rv.table} has no time column: reviews of orders before the cut-off count even if written after it.`;
  // Only reviews of orders inside the base (before the cut-off) count, when reviews join to orders.
  if (rv.order) where.push(`CAST(r.${ident(rv.order)} AS VARCHAR) IN (SELECT order_id FROM base)`);
  const sent = o.sentiment && rv.id
    ? { join: `LEFT JOIN (SELECT CAST(${ident(o.sentiment.key)} AS VARCHAR) AS k, bool_or(CAST(${ident(o.sentiment.label)} AS VARCHAR) = ${literal(o.sentiment.positive ?? 'positive')}) AS positive FROM ${ident(o.sentiment.table)} GROUP BY 1) st ON st.k = CAST(r.${ident(rv.id)} AS VARCHAR)`, expr: 'st.positive' }
    : { join: '', expr: 'CAST(NULL AS BOOLEAN)' };
  const sql =
    `SELECT ${rv.order ? `CAST(r.${ident(rv.order)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)'} AS order_id, ` +
    `${rv.product ? `CAST(r.${ident(rv.product)} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)'} AS item_id, ` +
    `TRY_CAST(r.${ident(rv.score)} AS DOUBLE) AS score, ${sent.expr} AS positive ` +
    `FROM ${ident(rv.table)} r ${sent.join} WHERE ${where.join(' AND ')}`;
  return { sql, origin: [src(rv.table, rv.score), ...(rv.time ? [src(rv.table, rv.time)] : [])], leakRisk };
}

const days = (cutoff: string, e: string) => `round(date_diff('second', ${e}, ${cutoffSql(cutoff)}) / 86400.0, 3)`;

function def(name: string, sql: string, en: string, zh: string, sources: string[], type: FeatureType, timeFiltered: boolean, extra: Partial<FeatureDef> = {}): FeatureDef {
  return { name, sql, en, zh, sources: [...new Set(sources)], type, timeFiltered, ...extra };
}

/** Whether a sentiment table can be used: it needs reviews with an id to join to. */
function sentimentUsable(s: FeatureSources, o: BuildSqlOptions): boolean {
  return !!(o.sentiment && s.reviews?.id);
}

/** Item features: popularity in windows, price, discount, freight share, reviews, sentiment, category, brand, text length, tags, recency of sales. */
export function buildItemSql(s: FeatureSources, o: BuildSqlOptions): FeatureTableSql {
  const base = buildBaseSql(s, { to: o.cutoff ?? undefined });
  const g = base.origin;
  const tf = !!o.cutoff;
  const C = o.cutoff;
  const f: FeatureDef[] = [def('item_id', 'item_id', 'Item (product) id.', '商品 ID。', g.item_id, 'text', tf, { isKey: true })];
  f.push(def('orders_total', 'count(DISTINCT order_id)', 'Orders containing the item before the cut-off.', '截止日前包含该商品的订单数。', [...g.order_id, ...g.ts], 'integer', tf));
  f.push(def('buyers_total', 'count(DISTINCT user_id)', 'Distinct buyers of the item before the cut-off.', '截止日前购买该商品的不同买家数。', [...g.user_id, ...g.ts], 'integer', tf));
  if (C) {
    for (const d of WINDOWS) {
      const w = `ts >= ${cutoffSql(C)} - INTERVAL ${d} DAY`;
      f.push(def(`orders_${d}d`, `count(DISTINCT order_id) FILTER (WHERE ${w})`, `Orders containing the item in the ${d} days before the cut-off.`, `截止日前 ${d} 天内包含该商品的订单数。`, [...g.order_id, ...g.ts], 'integer', true));
      f.push(def(`buyers_${d}d`, `count(DISTINCT user_id) FILTER (WHERE ${w})`, `Distinct buyers of the item in the ${d} days before the cut-off.`, `截止日前 ${d} 天内购买该商品的不同买家数。`, [...g.user_id, ...g.ts], 'integer', true));
    }
  }
  if (base.has.price) {
    f.push(def('price_mean', 'avg(price)', 'Mean selling price over its order lines.', '订单行上的平均售价。', g.price, 'double', tf));
    f.push(def('price_min', 'min(price)', 'Lowest selling price.', '最低售价。', g.price, 'double', tf));
    f.push(def('price_max', 'max(price)', 'Highest selling price.', '最高售价。', g.price, 'double', tf));
    f.push(def('price_std', 'stddev_samp(price)', 'Standard deviation of the selling price (null with one sale).', '售价的标准差（仅一次销售时为空）。', g.price, 'double', tf));
  }
  if (base.has.listPrice && base.has.price) {
    f.push(def('discount_mean', 'avg(CASE WHEN list_price > 0 THEN 1 - price / list_price END)', 'Mean discount: 1 − price / list price.', '平均折扣：1 − 售价 / 标价。', [...g.price, ...g.list_price], 'double', tf));
  }
  if (base.has.freight && base.has.price) {
    f.push(def('freight_share', 'sum(freight) / nullif(sum(price + freight), 0)', 'Freight as a share of price plus freight.', '运费占（售价 + 运费）的比例。', [...g.price, ...g.freight], 'double', tf));
  }
  if (base.has.category) {
    const predicted = !!s.product?.categoryTags;
    const en = predicted ? 'Product category (readable label where the export has one); where the category column is empty, the category a Tagging classifier predicted fills the gap.' : 'Product category (readable label where the export has one).';
    const zh = predicted ? '商品类目（有译名时用译名）；类目列为空时，用“打标”分类器预测的类目补全。' : '商品类目（有译名时用译名）。';
    f.push(def('category', 'max(category)', en, zh, g.category, 'text', false));
  }
  if (base.has.brand) {
    const tagged = !!s.product?.brandTags;
    const en = tagged ? (s.product?.brand ? 'Brand: the brand column; where it is empty, the brand tagged in the title (Tagging → Attributes).' : 'Brand tagged in the title (Tagging → Attributes); the export has no brand column.') : 'Brand.';
    const zh = tagged ? (s.product?.brand ? '品牌：取品牌列；该列为空时用标题中打标的品牌补全（打标 → 属性）。' : '标题中打标的品牌（打标 → 属性）；导出中没有品牌列。') : '品牌。';
    f.push(def('brand', 'max(brand)', en, zh, g.brand, 'text', false));
  }
  if (base.has.titleLen) f.push(def('title_length', 'max(title_len)', 'Length of the product title in characters.', '商品标题的字符长度。', g.title_len, 'integer', false));
  if (base.has.descLen) f.push(def('description_length', 'max(desc_len)', 'Length of the product description in characters.', '商品描述的字符长度。', g.desc_len, 'integer', false));
  if (C) {
    f.push(def('days_since_first_sale', days(C, 'min(ts)'), 'Days from the first sale to the cut-off.', '从首次售出到截止日的天数。', g.ts, 'double', true));
    f.push(def('days_since_last_sale', days(C, 'max(ts)'), 'Days from the last sale to the cut-off.', '从最近一次售出到截止日的天数。', g.ts, 'double', true));
  }
  const aggCols = f.filter((x) => !x.isKey).map((x) => `${x.sql} AS ${ident(x.name)}`);
  const ctes = [`base AS MATERIALIZED (${base.sql})`, `agg AS (SELECT item_id, ${aggCols.join(', ')} FROM base GROUP BY item_id)`];
  const joins: string[] = [];
  const outer: string[] = [];
  const rev = buildReviewSql(s, o);
  if (rev) {
    ctes.push(`rev AS (${rev.sql})`);
    const link = s.reviews!.order ? 'rev JOIN (SELECT DISTINCT order_id, item_id AS line_item FROM base) o USING (order_id)' : 'rev';
    const itemCol = s.reviews!.order ? 'line_item' : 'item_id';
    const sent = sentimentUsable(s, o);
    ctes.push(`ir AS (SELECT ${itemCol} AS item_id, count(*) AS review_count, avg(score) AS review_score_mean${sent ? ', avg(CAST(positive AS DOUBLE)) AS sentiment_positive_share' : ''} FROM ${link} GROUP BY 1)`);
    joins.push('LEFT JOIN ir USING (item_id)');
    const extra = { leakRisk: rev.leakRisk };
    f.push(def('review_count', 'coalesce(ir.review_count, 0)', 'Reviews of orders containing the item, written before the cut-off.', '截止日前针对包含该商品订单的评价数。', rev.origin, 'integer', tf, extra));
    f.push(def('review_score_mean', 'ir.review_score_mean', 'Mean review score of those reviews.', '这些评价的平均评分。', rev.origin, 'double', tf, extra));
    outer.push('coalesce(ir.review_count, 0) AS review_count', 'ir.review_score_mean AS review_score_mean');
    if (sent) {
      f.push(def('sentiment_positive_share', 'ir.sentiment_positive_share', 'Share of its tagged reviews whose sentiment is positive.', '已打标评价中情感为正面的比例。', [...rev.origin, src(o.sentiment!.table, o.sentiment!.label)], 'double', tf, extra));
      outer.push('ir.sentiment_positive_share AS sentiment_positive_share');
    }
  }
  if (o.attributes) {
    const a = o.attributes;
    ctes.push(`it AS (SELECT CAST(${ident(a.key)} AS VARCHAR) AS item_id, count(DISTINCT ${ident(a.label)}) AS attribute_tag_count FROM ${ident(a.table)} GROUP BY 1)`);
    joins.push('LEFT JOIN it USING (item_id)');
    f.push(def('attribute_tag_count', 'coalesce(it.attribute_tag_count, 0)', 'Distinct attribute tags of the item.', '商品的不同属性标签数。', [src(a.table, a.key), src(a.table, a.label)], 'integer', false));
    outer.push('coalesce(it.attribute_tag_count, 0) AS attribute_tag_count');
  }
  const sql = `WITH ${ctes.join(', ')} SELECT agg.*${outer.length ? ', ' + outer.join(', ') : ''} FROM agg ${joins.join(' ')} ORDER BY item_id`;
  return { name: 'item_features', entity: 'item', key: 'item_id', sql, features: f };
}

/** The user's ranked categories (`ucr`: user_id, category, n, share, rk) over `base`, for profiles and affinities. */
function rankedSql(column: 'category' | 'brand', name: string): string {
  return (
    `${name}_n AS (SELECT user_id, ${column} AS value, sum(qty) AS n FROM base WHERE ${column} IS NOT NULL GROUP BY 1, 2), ` +
    `${name} AS (SELECT c.user_id, c.value, c.n, c.n / t.total AS share, row_number() OVER (PARTITION BY c.user_id ORDER BY c.n DESC, c.value) AS rk ` +
    `FROM ${name}_n c JOIN (SELECT user_id, sum(qty) AS total FROM base GROUP BY 1) t USING (user_id))`
  );
}

/** User profiles (用户画像): RFM, basket size, favourite categories and brand, price band, reviews, region. */
export function buildUserSql(s: FeatureSources, o: BuildSqlOptions): FeatureTableSql {
  const base = buildBaseSql(s, { to: o.cutoff ?? undefined });
  const g = base.origin;
  const tf = !!o.cutoff;
  const C = o.cutoff;
  const keyText = s.user.kind === 'person' ? 'Person key' : s.user.kind === 'per-order' ? 'Per-order key (no person key in the export)' : 'User id';
  const keyZh = s.user.kind === 'person' ? '个人键' : s.user.kind === 'per-order' ? '订单级键（导出中没有个人键）' : '用户 ID';
  const f: FeatureDef[] = [def('user_id', 'user_id', `${keyText}: ${s.user.table}.${s.user.column}.`, `${keyZh}：${s.user.table}.${s.user.column}。`, g.user_id, 'text', tf, { isKey: true })];
  if (C) f.push(def('recency_days', days(C, 'max(ts)'), 'Recency: days from the last order to the cut-off.', '最近一次购买距截止日的天数（R）。', g.ts, 'double', true));
  f.push(def('frequency', 'count(DISTINCT order_id)', 'Frequency: orders before the cut-off.', '截止日前的订单数（F）。', [...g.order_id, ...g.ts], 'integer', tf));
  if (C) f.push(def('orders_90d', `count(DISTINCT order_id) FILTER (WHERE ts >= ${cutoffSql(C)} - INTERVAL 90 DAY)`, 'Orders in the 90 days before the cut-off.', '截止日前 90 天内的订单数。', [...g.order_id, ...g.ts], 'integer', true));
  if (base.has.price) {
    f.push(def('monetary', 'sum(price * qty)', 'Monetary value: total spent on items before the cut-off.', '截止日前购买商品的总金额（M）。', [...g.price, ...g.qty], 'double', tf));
    f.push(def('mean_item_price', 'avg(price)', 'Mean price of the items bought.', '所购商品的平均价格。', g.price, 'double', tf));
  }
  f.push(def('basket_size_mean', 'sum(qty) / count(DISTINCT order_id)', 'Mean items per order.', '平均每单商品件数。', [...g.order_id, ...g.qty], 'double', tf));
  if (C) f.push(def('tenure_days', days(C, 'min(ts)'), 'Days from the first order to the cut-off.', '首次购买距截止日的天数。', g.ts, 'double', true));
  const latest = (c: string) => (C ? `arg_max(${c}, ts)` : `max(${c})`);
  if (base.has.state) f.push(def('state', latest('state'), 'State (region) of the latest order before the cut-off.', '截止日前最近一单的州/省。', g.state, 'text', tf));
  if (base.has.city) f.push(def('city', latest('city'), 'City of the latest order before the cut-off.', '截止日前最近一单的城市。', g.city, 'text', tf));
  const aggCols = f.filter((x) => !x.isKey).map((x) => `${x.sql} AS ${ident(x.name)}`);
  const ctes = [`base AS MATERIALIZED (${base.sql})`, `agg AS (SELECT user_id, ${aggCols.join(', ')} FROM base GROUP BY user_id)`];
  const joins: string[] = [];
  const outer: string[] = [];
  if (base.has.price) {
    const band = `CASE WHEN agg.mean_item_price IS NULL THEN NULL ELSE ntile(${PRICE_BANDS}) OVER (PARTITION BY agg.mean_item_price IS NULL ORDER BY agg.mean_item_price, agg.user_id) END`;
    f.push(def('price_band', band, `Price band 1–${PRICE_BANDS}: the quantile band of the user's mean item price among all users.`, `价格档 1–${PRICE_BANDS}：用户平均商品价格在所有用户中的分位档。`, g.price, 'integer', tf));
    outer.push(`${band} AS price_band`);
  }
  if (base.has.category) {
    ctes.push(rankedSql('category', 'ucr'));
    const pick = (k: number, c: string) => `max(${c}) FILTER (WHERE rk = ${k})`;
    const cols: string[] = [];
    for (let k = 1; k <= FAVOURITES; k++) {
      cols.push(`${pick(k, 'value')} AS top_category_${k}`, `${pick(k, 'share')} AS top_category_${k}_share`);
      f.push(def(`top_category_${k}`, `uf.top_category_${k}`, `Favourite category #${k} (by items bought).`, `第 ${k} 喜爱类目（按购买件数）。`, g.category, 'text', tf));
      f.push(def(`top_category_${k}_share`, `uf.top_category_${k}_share`, `Share of the user's items in favourite category #${k}.`, `用户购买中第 ${k} 喜爱类目所占比例。`, [...g.category, ...g.qty], 'double', tf));
      outer.push(`uf.top_category_${k} AS top_category_${k}`, `uf.top_category_${k}_share AS top_category_${k}_share`);
    }
    ctes.push(`uf AS (SELECT user_id, ${cols.join(', ')} FROM ucr WHERE rk <= ${FAVOURITES} GROUP BY 1)`);
    joins.push('LEFT JOIN uf USING (user_id)');
  }
  if (base.has.brand) {
    ctes.push(rankedSql('brand', 'ubr'));
    ctes.push(`ub AS (SELECT user_id, max(value) FILTER (WHERE rk = 1) AS top_brand, max(share) FILTER (WHERE rk = 1) AS top_brand_share FROM ubr WHERE rk = 1 GROUP BY 1)`);
    joins.push('LEFT JOIN ub USING (user_id)');
    f.push(def('top_brand', 'ub.top_brand', 'Favourite brand (by items bought).', '最喜爱品牌（按购买件数）。', g.brand, 'text', tf));
    f.push(def('top_brand_share', 'ub.top_brand_share', "Share of the user's items in the favourite brand.", '用户购买中最喜爱品牌所占比例。', [...g.brand, ...g.qty], 'double', tf));
    outer.push('ub.top_brand AS top_brand', 'ub.top_brand_share AS top_brand_share');
  }
  const rev = buildReviewSql(s, o);
  if (rev && s.reviews!.order) {
    ctes.push(`rev AS (${rev.sql})`);
    ctes.push(`ur AS (SELECT o.user_id, count(*) AS review_count, avg(score) AS review_score_mean FROM rev JOIN (SELECT DISTINCT order_id, user_id FROM base) o USING (order_id) GROUP BY 1)`);
    joins.push('LEFT JOIN ur USING (user_id)');
    const extra = { leakRisk: rev.leakRisk };
    f.push(def('review_count', 'coalesce(ur.review_count, 0)', 'Reviews the user wrote (through their orders) before the cut-off.', '截止日前用户（通过其订单）写的评价数。', rev.origin, 'integer', tf, extra));
    f.push(def('review_score_mean', 'ur.review_score_mean', 'Mean score the user gave.', '用户给出的平均评分。', rev.origin, 'double', tf, extra));
    outer.push('coalesce(ur.review_count, 0) AS review_count', 'ur.review_score_mean AS review_score_mean');
  }
  const sql = `WITH ${ctes.join(', ')} SELECT agg.*${outer.length ? ', ' + outer.join(', ') : ''} FROM agg ${joins.join(' ')} ORDER BY user_id`;
  return { name: 'user_profiles', entity: 'user', key: 'user_id', sql, features: f };
}

/** User × category affinities: the top-k categories per user, score = share of the user's items. */
export function buildUserCategorySql(s: FeatureSources, o: BuildSqlOptions): FeatureTableSql | null {
  const base = buildBaseSql(s, { to: o.cutoff ?? undefined });
  if (!base.has.category) return null;
  const g = base.origin;
  const tf = !!o.cutoff;
  const f: FeatureDef[] = [
    def('user_id', 'user_id', 'User key (same as user_profiles).', '用户键（与用户画像相同）。', g.user_id, 'text', tf, { isKey: true }),
    def('category', 'value', 'Category.', '类目。', g.category, 'text', tf, { isKey: true }),
    def('rank', 'rk', `Rank of the category for the user (1 = most bought, up to ${o.affinityK}).`, `该类目在用户中的排名（1 = 购买最多，最多 ${o.affinityK}）。`, [...g.category, ...g.qty], 'integer', tf),
    def('purchases', 'n', 'Items the user bought in the category before the cut-off.', '截止日前用户在该类目购买的件数。', [...g.category, ...g.qty], 'double', tf),
    def('affinity', 'share', "Affinity score: the category's share of the user's items.", '亲和度：该类目占用户购买件数的比例。', [...g.category, ...g.qty], 'double', tf),
  ];
  const sql = `WITH base AS (${base.sql}), ${rankedSql('category', 'ucr')} SELECT user_id, value AS category, rk AS rank, n AS purchases, share AS affinity FROM ucr WHERE rk <= ${Math.max(1, Math.floor(o.affinityK))} ORDER BY user_id, rk`;
  return { name: 'user_category_affinity', entity: 'user_category', key: 'user_id,category', sql, features: f };
}
