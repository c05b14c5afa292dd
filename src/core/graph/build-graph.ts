// Builds the knowledge graph of an import: a schema layer from the inventory and a business layer
// (products, categories, brands, attributes, sellers, users, purchases, reviews) found by SQL over
// the loaded tables. Every node and link records the table, column and rule that produced it.
import { ident } from '../engine/sql-engine.ts';
import type { Row, SqlEngine } from '../engine/sql-engine.ts';
import { throwIfAborted } from '../errors.ts';
import type { Inventory } from '../types.ts';
import { findBusinessRoles, type BusinessRoles } from './find-business-roles.ts';
import { DEFAULT_SIMILAR_PRODUCTS, findSimilarProducts } from './similar-products.ts';
import type { GraphLink, GraphNode, KnowledgeGraph } from './types.ts';

export interface BuildGraphOptions {
  /** Above this many distinct users, users are collapsed into segments (default 500). */
  maxUsers?: number;
  /** Co-purchase partners kept per product (default 10). A pair stays when either side ranks it. */
  topK?: number;
  /** `similar_to` neighbours kept per product by title similarity (default 5; 0 builds none). */
  similarTopK?: number;
  /** Minimum cosine of two titles for a `similar_to` link (default 0.5). */
  similarThreshold?: number;
  signal?: AbortSignal;
}

/**
 * Name of the temporary table of purchase facts (order, product, seller, user, segment) that the
 * queries of one build share; unique per call so two builds on one engine do not collide.
 */
function createFactsName(): string {
  return `__stocktake_graph_facts_${globalThis.crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`;
}

const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** The schema layer: tables, columns, `has_column`, and `references` for each inferred foreign key. */
export function buildSchemaLayer(inv: Inventory): KnowledgeGraph {
  const nodes: GraphNode[] = [];
  const links: GraphLink[] = [];
  for (const t of inv.tables) {
    nodes.push({
      id: `table:${t.name}`, type: 'table', label: t.name, provenance: { table: t.name, rule: 'schema.table' },
      file: t.file, rows: t.rowCount, columns: t.columnCount, primaryKey: t.primaryKey ?? null,
    });
  }
  const cols = [...inv.columns].sort((a, b) => (a.table === b.table ? a.index - b.index : 0));
  for (const c of cols) {
    const id = `column:${c.table}.${c.name}`;
    nodes.push({
      id, type: 'column', label: c.name, provenance: { table: c.table, column: c.name, rule: 'schema.column' },
      table: c.table, physicalType: c.physicalType, semanticType: c.semanticType, distinct: c.distinct,
      nulls: c.nullCount, isUnique: c.isUnique, pii: c.pii?.kind ?? null,
    });
    links.push({ source: `table:${c.table}`, target: id, type: 'has_column', provenance: { table: c.table, column: c.name, rule: 'schema.column' } });
  }
  for (const fk of inv.relations) {
    links.push({
      source: `table:${fk.fromTable}`, target: `table:${fk.toTable}`, type: 'references', weight: fk.coverage,
      provenance: { table: fk.fromTable, column: fk.fromColumn, rule: 'fk.inferred' },
      fromColumn: fk.fromColumn, toColumn: fk.toColumn, coverage: fk.coverage, orphanRows: fk.orphanRows, childRows: fk.childRows,
    });
  }
  return { nodes, links };
}

/** SQL selecting one purchase fact per order line, with the person-level user and its segment. */
function buildFactsSql(roles: BusinessRoles): string | undefined {
  const { lines, orders, users, segment } = roles;
  if (!lines) return undefined;
  const alias = new Map<string, string>([[lines.table, 'l']]);
  let from = `${ident(lines.table)} l`;
  let userExpr = lines.user ? `l.${ident(lines.user)}` : undefined;
  if (orders) {
    alias.set(orders.table, 'h');
    from += ` LEFT JOIN ${ident(orders.table)} h ON h.${ident(orders.key)} = l.${ident(lines.order)}`;
    if (orders.user) userExpr = `h.${ident(orders.user)}`;
  }
  if (users && userExpr) {
    alias.set(users.table, 'c');
    from += ` LEFT JOIN ${ident(users.table)} c ON c.${ident(users.key)} = ${userExpr}`;
    if (users.identity) userExpr = `coalesce(c.${ident(users.identity)}, ${userExpr})`;
  }
  const segAlias = segment && alias.get(segment.table);
  const segExpr = segAlias ? `CAST(${segAlias}.${ident(segment.column)} AS VARCHAR)` : 'NULL';
  return `SELECT CAST(l.${ident(lines.order)} AS VARCHAR) AS o, CAST(l.${ident(lines.product)} AS VARCHAR) AS p,
    ${lines.seller ? `CAST(l.${ident(lines.seller)} AS VARCHAR)` : 'NULL'} AS s,
    ${userExpr ? `CAST(${userExpr} AS VARCHAR)` : 'NULL'} AS u, ${segExpr} AS g
    FROM ${from} WHERE l.${ident(lines.order)} IS NOT NULL AND l.${ident(lines.product)} IS NOT NULL`;
}

/**
 * Builds the knowledge graph of `inventory`, whose tables must be loaded in `engine` under their
 * `TableProfile.name` (as `buildInventory` leaves them). Returns d3 node-link form.
 */
export async function buildGraph(engine: SqlEngine, inventory: Inventory, options: BuildGraphOptions = {}): Promise<KnowledgeGraph> {
  const maxUsers = options.maxUsers ?? 500;
  const topK = options.topK ?? 10;
  const { signal } = options;
  const graph = buildSchemaLayer(inventory);
  const roles = findBusinessRoles(inventory, { maxUsers });
  const p = roles.product;
  if (!p) return graph;
  const nodes = graph.nodes;
  const links = graph.links;
  const q = async <T extends Row>(sql: string): Promise<T[]> => {
    throwIfAborted(signal);
    return engine.query<T>(sql);
  };

  const factsSql = buildFactsSql(roles);
  const facts = ident(createFactsName());
  if (factsSql) await q(`CREATE TEMP TABLE ${facts} AS ${factsSql}`);
  try {
    // Products, with their category, brand and order counts.
    const catLabel = roles.categoryLabel;
    const col = (c: string | undefined) => (c ? `CAST(min(t.${ident(c)}) AS VARCHAR)` : 'NULL');
    const products = await q<{ id: string; title: string | null; category: string | null; brand: string | null; orders: number | null; units: number | null }>(
      `SELECT CAST(t.${ident(p.key)} AS VARCHAR) AS id, ${col(p.title)} AS title, ${col(p.category)} AS category, ${col(p.brand)} AS brand,
         min(f.orders)::BIGINT AS orders, min(f.units)::BIGINT AS units
       FROM ${ident(p.table)} t
       ${factsSql ? `LEFT JOIN (SELECT p, count(DISTINCT o) AS orders, count(*) AS units FROM ${facts} GROUP BY p) f ON f.p = CAST(t.${ident(p.key)} AS VARCHAR)` : 'LEFT JOIN (SELECT NULL AS orders, NULL AS units) f ON true'}
       WHERE t.${ident(p.key)} IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    const productProv = { table: p.table, column: p.key, rule: p.rule };
    for (const r of products) {
      nodes.push({
        id: `product:${r.id}`, type: 'product', label: str(r.title) ?? r.id, provenance: productProv,
        key: r.id, orders: r.orders === null ? 0 : num(r.orders), units: r.units === null ? 0 : num(r.units),
        ...(p.title ? { title: str(r.title) } : {}), ...(p.category ? { category: str(r.category) } : {}), ...(p.brand ? { brand: str(r.brand) } : {}),
      });
    }

    // Categories (labelled through a lookup table when one is referenced) and belongs_to.
    if (p.category) {
      const cats = await q<{ v: string; n: number; label: string | null }>(
        `SELECT CAST(t.${ident(p.category)} AS VARCHAR) AS v, count(DISTINCT t.${ident(p.key)}) AS n,
           ${catLabel ? `CAST(min(k.${ident(catLabel.label)}) AS VARCHAR)` : 'NULL'} AS label
         FROM ${ident(p.table)} t
         ${catLabel ? `LEFT JOIN ${ident(catLabel.table)} k ON CAST(k.${ident(catLabel.key)} AS VARCHAR) = CAST(t.${ident(p.category)} AS VARCHAR)` : ''}
         WHERE t.${ident(p.category)} IS NOT NULL AND t.${ident(p.key)} IS NOT NULL GROUP BY 1 ORDER BY 1`,
      );
      for (const c of cats) {
        nodes.push({
          id: `category:${c.v}`, type: 'category', label: str(c.label) ?? c.v,
          provenance: { table: p.table, column: p.category, rule: catLabel ? `category labelled by ${catLabel.table}.${catLabel.label}` : 'product.category' },
          value: c.v, products: num(c.n),
        });
      }
      for (const r of products) {
        if (r.category === null) continue;
        links.push({ source: `product:${r.id}`, target: `category:${r.category}`, type: 'belongs_to', provenance: { table: p.table, column: p.category, rule: 'product.category' } });
      }
    }

    // Brands and has_brand.
    if (p.brand) {
      const brands = new Map<string, number>();
      for (const r of products) if (r.brand !== null) brands.set(r.brand, (brands.get(r.brand) ?? 0) + 1);
      for (const [b, n] of [...brands].sort((a, c) => (a[0] < c[0] ? -1 : 1))) {
        nodes.push({ id: `brand:${b}`, type: 'brand', label: b, provenance: { table: p.table, column: p.brand, rule: 'product.brand' }, products: n });
      }
      for (const r of products) {
        if (r.brand === null) continue;
        links.push({ source: `product:${r.id}`, target: `brand:${r.brand}`, type: 'has_brand', provenance: { table: p.table, column: p.brand, rule: 'product.brand' } });
      }
    }

    // Attribute values and has_attribute.
    for (const a of p.attributes) {
      const rows = await q<{ id: string; v: string }>(
        `SELECT DISTINCT CAST(${ident(p.key)} AS VARCHAR) AS id, CAST(${ident(a)} AS VARCHAR) AS v FROM ${ident(p.table)}
         WHERE ${ident(p.key)} IS NOT NULL AND ${ident(a)} IS NOT NULL ORDER BY 1, 2`,
      );
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.v, (counts.get(r.v) ?? 0) + 1);
      const prov = { table: p.table, column: a, rule: 'product.attribute' };
      for (const [v, n] of [...counts].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
        nodes.push({ id: `attribute:${a}=${v}`, type: 'attribute', label: `${a}: ${v}`, provenance: prov, attribute: a, value: v, products: n });
      }
      for (const r of rows) links.push({ source: `product:${r.id}`, target: `attribute:${a}=${r.v}`, type: 'has_attribute', provenance: prov });
    }

    addSimilarProducts(p, products, options, nodes, links);

    if (factsSql && roles.lines) await addFactLayer(q, roles, facts, { maxUsers, topK }, nodes, links);
    if (roles.reviews && (roles.reviews.product || factsSql)) await addProductScores(q, roles, facts, nodes);
  } finally {
    if (factsSql) await engine.query(`DROP TABLE IF EXISTS ${facts}`);
  }
  return { nodes, links: links.filter(isLinkToKnownNodes(nodes)) };
}

/**
 * `similar_to` between products whose titles are alike (character n-gram TF-IDF cosine, top-k per
 * product). Without a title column there is no text to compare (Olist has only category names and
 * name lengths): none are built, and the product table's node says so in `similarTo`.
 */
function addSimilarProducts(
  p: NonNullable<BusinessRoles['product']>, products: { id: string; title: string | null }[], options: BuildGraphOptions, nodes: GraphNode[], links: GraphLink[],
): void {
  const topK = options.similarTopK ?? DEFAULT_SIMILAR_PRODUCTS.topK;
  const threshold = options.similarThreshold ?? DEFAULT_SIMILAR_PRODUCTS.threshold;
  const table = nodes.find((n) => n.id === `table:${p.table}`);
  if (!p.title) {
    if (table) table.similarTo = 'not built: the product table has no title column';
    return;
  }
  if (topK <= 0) return;
  const pairs = findSimilarProducts(products.map((r) => str(r.title)), { topK, threshold });
  const provenance = {
    table: p.table, column: p.title, rule: `title similarity: top ${topK} per product, cosine ≥ ${threshold}`,
    model: `hashed character ${DEFAULT_SIMILAR_PRODUCTS.gram}-gram TF-IDF cosine`,
  };
  for (const { a, b, score } of pairs) {
    links.push({ source: `product:${products[a].id}`, target: `product:${products[b].id}`, type: 'similar_to', weight: score, provenance, score });
  }
  if (table) table.similarTo = `${pairs.length} links from ${p.title}`;
}

/** Drops links whose ends are not nodes (e.g. line items whose product is missing from the dimension). */
function isLinkToKnownNodes(nodes: GraphNode[]): (l: GraphLink) => boolean {
  const ids = new Set(nodes.map((n) => n.id));
  return (l) => ids.has(l.source) && ids.has(l.target);
}

type Query = <T extends Row>(sql: string) => Promise<T[]>;

/** Sellers, users (or segments), purchased, co_purchased and reviewed, all from the purchase facts. */
async function addFactLayer(
  q: Query, roles: BusinessRoles, facts: string, opts: { maxUsers: number; topK: number }, nodes: GraphNode[], links: GraphLink[],
): Promise<void> {
  const lines = roles.lines!;
  const lineProv = { table: lines.table, column: lines.product };

  // Sellers and sold_by.
  if (lines.seller) {
    const sellers = await q<{ s: string; n: number; products: number }>(
      `SELECT s, count(*) AS n, count(DISTINCT p) AS products FROM ${facts} WHERE s IS NOT NULL GROUP BY s ORDER BY s`,
    );
    const prov = { table: lines.table, column: lines.seller, rule: roles.sellers ? `seller: FK to ${roles.sellers.table}` : 'seller: column name' };
    for (const r of sellers) nodes.push({ id: `seller:${r.s}`, type: 'seller', label: r.s, provenance: prov, items: num(r.n), products: num(r.products) });
    const sold = await q<{ p: string; s: string; w: number }>(
      `SELECT p, s, count(*) AS w FROM ${facts} WHERE s IS NOT NULL GROUP BY p, s ORDER BY p, s`,
    );
    for (const r of sold) links.push({ source: `product:${r.p}`, target: `seller:${r.s}`, type: 'sold_by', weight: num(r.w), provenance: { ...prov, rule: 'order lines: product sold by seller' } });
  }

  // Users, or segments of them when there are more than maxUsers.
  const userColumn = roles.users?.identity ?? roles.orders?.user ?? lines.user;
  const userTable = roles.users?.identity ? roles.users.table : roles.orders?.user ? roles.orders.table : lines.table;
  const [{ n: userCount }] = await q<{ n: number }>(`SELECT count(DISTINCT u) AS n FROM ${facts}`);
  let userExpr: string | undefined;
  let userProv = { table: userTable, column: userColumn, rule: 'user: buyer of the order' };
  let segmented = false;
  if (num(userCount) > 0 && userColumn) {
    if (num(userCount) <= opts.maxUsers) userExpr = 'u';
    else if (roles.segment) {
      segmented = true;
      userExpr = `'segment:${roles.segment.column.replaceAll("'", "''")}=' || coalesce(g, '(none)')`;
      userProv = { table: roles.segment.table, column: roles.segment.column, rule: `user segment by ${roles.segment.column} (${num(userCount)} users > maxUsers ${opts.maxUsers})` };
    } else {
      segmented = true;
      userExpr = `'segment:bucket=' || CAST(hash(u) % ${opts.maxUsers} AS VARCHAR)`;
      userProv = { table: userTable, column: userColumn, rule: `user segment by hash bucket (${num(userCount)} users > maxUsers ${opts.maxUsers})` };
    }
  }
  if (userExpr) {
    const users = await q<{ x: string; members: number; orders: number }>(
      `SELECT ${userExpr} AS x, count(DISTINCT u) AS members, count(DISTINCT o) AS orders FROM ${facts} WHERE u IS NOT NULL GROUP BY 1 ORDER BY 1`,
    );
    for (const r of users) {
      const label = segmented ? r.x.slice('segment:'.length).replace('=', ': ') : r.x;
      nodes.push({ id: `user:${r.x}`, type: 'user', label, provenance: userProv, isSegment: segmented, members: num(r.members), orders: num(r.orders) });
    }
    const bought = await q<{ x: string; p: string; w: number; orders: number }>(
      `SELECT ${userExpr} AS x, p, count(*) AS w, count(DISTINCT o) AS orders FROM ${facts} WHERE u IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    for (const r of bought) {
      links.push({ source: `user:${r.x}`, target: `product:${r.p}`, type: 'purchased', weight: num(r.w), provenance: { ...lineProv, rule: 'order lines: user purchased product (count of lines)' }, orders: num(r.orders) });
    }
  }

  // Item-item co-purchases: products in the same order, weighted by shared orders, top-k per item.
  const pairs = await q<{ a: string; b: string; w: number }>(
    `WITH b AS (SELECT DISTINCT o, p FROM ${facts}),
     pairs AS (SELECT x.p AS a, y.p AS b, count(*) AS w FROM b x JOIN b y ON x.o = y.o AND x.p < y.p GROUP BY 1, 2),
     dir AS (SELECT a AS item, b AS other, w FROM pairs UNION ALL SELECT b AS item, a AS other, w FROM pairs),
     ranked AS (SELECT item, other, w, row_number() OVER (PARTITION BY item ORDER BY w DESC, other) AS r FROM dir)
     SELECT DISTINCT least(item, other) AS a, greatest(item, other) AS b, w FROM ranked WHERE r <= ${Math.max(0, Math.floor(opts.topK))} ORDER BY a, b`,
  );
  for (const r of pairs) {
    links.push({ source: `product:${r.a}`, target: `product:${r.b}`, type: 'co_purchased', weight: num(r.w), provenance: { table: lines.table, column: lines.order, rule: `orders: co-purchased, top ${opts.topK} per item` } });
  }

  // Reviews joined through their order: user (or segment) reviewed product, with the mean score.
  const rv = roles.reviews;
  if (rv?.order && userExpr) {
    const rows = await q<{ x: string; p: string; mean: number; n: number }>(
      `SELECT f.x, f.p, avg(r.${ident(rv.score)})::DOUBLE AS mean, count(*) AS n
       FROM ${ident(rv.table)} r JOIN (SELECT DISTINCT o, p, ${userExpr} AS x FROM ${facts} WHERE u IS NOT NULL) f ON f.o = CAST(r.${ident(rv.order)} AS VARCHAR)
       WHERE r.${ident(rv.score)} IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    for (const r of rows) {
      links.push({
        source: `user:${r.x}`, target: `product:${r.p}`, type: 'reviewed', weight: num(r.mean),
        provenance: { table: rv.table, column: rv.score, rule: `reviews joined by ${rv.order}` }, meanScore: num(r.mean), reviews: num(r.n),
      });
    }
  }
}

/** Mean review score and review count on each product node. */
async function addProductScores(q: Query, roles: BusinessRoles, facts: string, nodes: GraphNode[]): Promise<void> {
  const rv = roles.reviews!;
  const sql = rv.product
    ? `SELECT CAST(${ident(rv.product)} AS VARCHAR) AS p, avg(${ident(rv.score)})::DOUBLE AS mean, count(*) AS n FROM ${ident(rv.table)}
       WHERE ${ident(rv.score)} IS NOT NULL GROUP BY 1`
    : rv.order
      ? `SELECT f.p, avg(r.${ident(rv.score)})::DOUBLE AS mean, count(*) AS n FROM ${ident(rv.table)} r
         JOIN (SELECT DISTINCT o, p FROM ${facts}) f ON f.o = CAST(r.${ident(rv.order)} AS VARCHAR) WHERE r.${ident(rv.score)} IS NOT NULL GROUP BY 1`
      : undefined;
  if (!sql) return;
  const byId = new Map(nodes.filter((n) => n.type === 'product').map((n) => [n.id, n]));
  for (const r of await q<{ p: string; mean: number; n: number }>(sql)) {
    const node = byId.get(`product:${r.p}`);
    if (!node) continue;
    node.meanScore = Math.round(num(r.mean) * 1000) / 1000;
    node.reviews = num(r.n);
  }
}

/** Counts of nodes and links by type, for summaries. */
export function countByType(graph: KnowledgeGraph): { nodes: Record<string, number>; links: Record<string, number> } {
  const nodes: Record<string, number> = {};
  const links: Record<string, number> = {};
  for (const n of graph.nodes) nodes[n.type] = (nodes[n.type] ?? 0) + 1;
  for (const l of graph.links) links[l.type] = (links[l.type] ?? 0) + 1;
  return { nodes, links };
}
