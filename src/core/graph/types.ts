// The knowledge graph's data model: typed nodes and links in d3's node-link form, each with provenance.

export type GraphNodeType = 'table' | 'column' | 'product' | 'category' | 'brand' | 'seller' | 'user' | 'attribute';

export type GraphLinkType =
  | 'has_column'
  | 'references'
  | 'belongs_to'
  | 'has_brand'
  | 'has_attribute'
  | 'sold_by'
  | 'purchased'
  | 'co_purchased'
  | 'similar_to'
  | 'reviewed';

/** Which table, column, rule or model produced a node or link (shown in the details panel). */
export interface Provenance {
  table?: string;
  column?: string;
  /** Short rule name, e.g. `schema.table`, `fk.inferred`, `orders.co-purchase`. */
  rule?: string;
  model?: string;
}

/** Scalar properties only, so every exporter (GraphML, CSV, JSON-LD) can write them. */
export type GraphValue = string | number | boolean | null;

/**
 * A node. Ids are prefixed by type (`table:orders`, `column:orders.order_id`, `product:<key>`,
 * `category:<value>`, `user:<id>` or `user:segment:<column>=<value>` …) so they never collide.
 * Extra scalar properties (rows, counts, semantic type …) sit beside the fixed fields.
 */
export interface GraphNode {
  id: string;
  type: GraphNodeType;
  label: string;
  provenance: Provenance;
  [prop: string]: GraphValue | Provenance | undefined;
}

/** A link between two node ids. `weight` is a count (purchases, co-purchases) or a score. */
export interface GraphLink {
  source: string;
  target: string;
  type: GraphLinkType;
  weight?: number;
  provenance: Provenance;
  [prop: string]: GraphValue | Provenance | undefined;
}

/** d3 node-link form: `{ nodes, links }`, exactly what `--json` writes. */
export interface KnowledgeGraph {
  nodes: GraphNode[];
  links: GraphLink[];
}

/** Fixed fields of nodes and links; everything else is a property. */
export const NODE_FIELDS: ReadonlySet<string> = new Set(['id', 'type', 'label', 'provenance']);
export const LINK_FIELDS: ReadonlySet<string> = new Set(['source', 'target', 'type', 'weight', 'provenance']);

/** The extra scalar properties of a node or link, in insertion order. */
export function listProps(item: GraphNode | GraphLink, fixed: ReadonlySet<string>): [string, GraphValue][] {
  const out: [string, GraphValue][] = [];
  for (const [k, v] of Object.entries(item)) {
    if (fixed.has(k) || v === undefined || (typeof v === 'object' && v !== null)) continue;
    out.push([k, v]);
  }
  return out;
}
