// Pure logic of the Graph view (tested in Node): neighbours of a node grouped by link type, and the
// visible graph, where expanding a table also opens the business nodes that table produced.
import { selectSubgraph, selectVisibleGraph, type ExplorerState, type GraphFilter, type GraphIndex } from '../core/graph/neighbourhood.ts';
import type { GraphLinkType, GraphNode, GraphNodeType, KnowledgeGraph } from '../core/graph/types.ts';

export const NODE_TYPES: readonly GraphNodeType[] = ['table', 'column', 'product', 'category', 'brand', 'seller', 'user', 'attribute'];
export const LINK_TYPES: readonly GraphLinkType[] = [
  'has_column', 'references', 'belongs_to', 'has_brand', 'has_attribute', 'sold_by', 'purchased', 'co_purchased', 'similar_to', 'reviewed',
];

/** One neighbour of the selected node, through its heaviest link of one type. */
export interface NeighbourEntry {
  node: GraphNode;
  weight: number | undefined;
}

/** Neighbours of a node through links of one type. */
export interface NeighbourGroup {
  type: GraphLinkType;
  entries: NeighbourEntry[];
}

const byId = (a: GraphNode, b: GraphNode) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Neighbours of `id` grouped by link type (LINK_TYPES order); in a group heaviest first, then label, then id. */
export function groupNeighbours(index: GraphIndex, id: string): NeighbourGroup[] {
  const byType = new Map<GraphLinkType, Map<string, NeighbourEntry>>();
  for (const i of index.incident.get(id) ?? []) {
    const l = index.graph.links[i];
    const other = l.source === id ? l.target : l.source;
    const node = index.nodes.get(other);
    if (!node || other === id) continue;
    let group = byType.get(l.type);
    if (!group) byType.set(l.type, (group = new Map()));
    const prev = group.get(other);
    if (!prev || (l.weight ?? 0) > (prev.weight ?? 0)) group.set(other, { node, weight: l.weight });
  }
  return LINK_TYPES.filter((t) => byType.has(t)).map((type) => ({
    type,
    entries: [...byType.get(type)!.values()].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0) || a.node.label.localeCompare(b.node.label) || byId(a.node, b.node)),
  }));
}

/**
 * Business nodes (not tables or columns) by the table their provenance names: a table node has no
 * links into the business layer, so this is how "Expand" on a table opens its products, sellers….
 */
export function indexProducedBy(graph: KnowledgeGraph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const n of graph.nodes) {
    if (n.type === 'table' || n.type === 'column' || !n.provenance.table) continue;
    const list = out.get(n.provenance.table);
    if (list) list.push(n.id);
    else out.set(n.provenance.table, [n.id]);
  }
  return out;
}

/**
 * What the explorer shows: base nodes, the k-hop neighbourhood of each expanded node, and for each
 * expanded table the business nodes it produced (filtered by node type), with the links among them.
 */
export function selectExplorerGraph(index: GraphIndex, state: ExplorerState, producedBy: Map<string, string[]>, filter?: GraphFilter): KnowledgeGraph {
  const opened: string[] = [];
  for (const [id, hops] of Object.entries(state.expanded)) {
    const node = index.nodes.get(id);
    if (node?.type === 'table' && hops > 0) opened.push(...(producedBy.get(node.label) ?? []));
  }
  if (opened.length === 0) return selectVisibleGraph(index, state, filter);
  const ids = new Set(selectVisibleGraph(index, state, filter).nodes.map((n) => n.id));
  for (const id of opened) ids.add(id);
  return selectSubgraph(index, ids, filter);
}

/** Nodes per type, for the legend. */
export function countNodeTypes(graph: KnowledgeGraph): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of graph.nodes) out[n.type] = (out[n.type] ?? 0) + 1;
  return out;
}
