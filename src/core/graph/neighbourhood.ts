// Exploring a knowledge graph: k-hop neighbourhoods, expand/collapse state, filters and label search.
import type { GraphLink, GraphLinkType, GraphNode, GraphNodeType, KnowledgeGraph } from './types.ts';

/** Which nodes and links are shown. Links without a weight always pass `minWeight`. */
export interface GraphFilter {
  nodeTypes?: readonly GraphNodeType[];
  linkTypes?: readonly GraphLinkType[];
  minWeight?: number;
}

/** Adjacency of a graph (both directions), built once and reused by every query. */
export interface GraphIndex {
  graph: KnowledgeGraph;
  nodes: Map<string, GraphNode>;
  /** Node id → indices into `graph.links` of the links touching it. */
  incident: Map<string, number[]>;
}

export function indexGraph(graph: KnowledgeGraph): GraphIndex {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const incident = new Map<string, number[]>();
  const add = (id: string, i: number) => {
    const list = incident.get(id);
    if (list) list.push(i);
    else incident.set(id, [i]);
  };
  graph.links.forEach((l, i) => {
    add(l.source, i);
    if (l.target !== l.source) add(l.target, i);
  });
  return { graph, nodes, incident };
}

function makeNodeTest(filter: GraphFilter | undefined): (n: GraphNode | undefined) => boolean {
  const types = filter?.nodeTypes ? new Set(filter.nodeTypes) : undefined;
  return (n) => n !== undefined && (!types || types.has(n.type));
}

function makeLinkTest(filter: GraphFilter | undefined): (l: GraphLink) => boolean {
  const types = filter?.linkTypes ? new Set(filter.linkTypes) : undefined;
  const min = filter?.minWeight;
  return (l) => (!types || types.has(l.type)) && (min === undefined || l.weight === undefined || l.weight >= min);
}

/**
 * Node ids within `hops` links of any seed, following links in both directions that pass `filter`
 * and entering only nodes that pass it. Seeds are always included (when they exist).
 */
export function expandNeighbourhood(index: GraphIndex, seeds: Iterable<string>, hops: number, filter?: GraphFilter): Set<string> {
  const nodeOk = makeNodeTest(filter);
  const linkOk = makeLinkTest(filter);
  const seen = new Set<string>();
  let frontier: string[] = [];
  for (const s of seeds) {
    if (index.nodes.has(s) && !seen.has(s)) {
      seen.add(s);
      frontier.push(s);
    }
  }
  for (let h = 0; h < hops && frontier.length > 0; h++) {
    const next: string[] = [];
    for (const id of frontier) {
      for (const i of index.incident.get(id) ?? []) {
        const l = index.graph.links[i];
        if (!linkOk(l)) continue;
        const other = l.source === id ? l.target : l.source;
        if (seen.has(other) || !nodeOk(index.nodes.get(other))) continue;
        seen.add(other);
        next.push(other);
      }
    }
    frontier = next;
  }
  return seen;
}

/** Nodes directly linked to `id` by links of `type` (either direction), sorted by id. */
export function listNeighbours(index: GraphIndex, id: string, type?: GraphLinkType): GraphNode[] {
  const out = new Map<string, GraphNode>();
  for (const i of index.incident.get(id) ?? []) {
    const l = index.graph.links[i];
    if (type && l.type !== type) continue;
    const other = l.source === id ? l.target : l.source;
    const n = index.nodes.get(other);
    if (n) out.set(other, n);
  }
  return [...out.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The subgraph induced by `ids`: those nodes and every link between two of them that passes `filter`. */
export function selectSubgraph(index: GraphIndex, ids: ReadonlySet<string>, filter?: GraphFilter): KnowledgeGraph {
  const nodeOk = makeNodeTest(filter);
  const linkOk = makeLinkTest(filter);
  const nodes = index.graph.nodes.filter((n) => ids.has(n.id) && nodeOk(n));
  const kept = new Set(nodes.map((n) => n.id));
  const links = index.graph.links.filter((l) => kept.has(l.source) && kept.has(l.target) && linkOk(l));
  return { nodes, links };
}

/** The whole graph with only nodes and links passing `filter` (links need both ends kept). */
export function filterGraph(graph: KnowledgeGraph, filter: GraphFilter): KnowledgeGraph {
  return selectSubgraph(indexGraph(graph), new Set(graph.nodes.map((n) => n.id)), filter);
}

/**
 * What the explorer shows: the `base` nodes (the schema layer at first) plus the k-hop
 * neighbourhood of each expanded node. Plain data, so it can live in a rune state or a URL.
 */
export interface ExplorerState {
  base: readonly string[];
  /** Expanded node id → hops opened around it. */
  expanded: Readonly<Record<string, number>>;
}

/** The starting view: tables and columns (the schema layer). */
export function createExplorerState(graph: KnowledgeGraph, layer: 'tables' | 'schema' = 'schema'): ExplorerState {
  const types: GraphNodeType[] = layer === 'tables' ? ['table'] : ['table', 'column'];
  return { base: graph.nodes.filter((n) => types.includes(n.type)).map((n) => n.id), expanded: {} };
}

export function expandNode(state: ExplorerState, id: string, hops = 1): ExplorerState {
  return { ...state, expanded: { ...state.expanded, [id]: Math.max(hops, state.expanded[id] ?? 0) } };
}

/** Undoes an expansion; nodes still reached from the base or another expansion stay. */
export function collapseNode(state: ExplorerState, id: string): ExplorerState {
  const expanded = { ...state.expanded };
  delete expanded[id];
  return { ...state, expanded };
}

/** The visible subgraph of an explorer state, expansions following only links that pass `filter`. */
export function selectVisibleGraph(index: GraphIndex, state: ExplorerState, filter?: GraphFilter): KnowledgeGraph {
  const ids = new Set(state.base);
  for (const [id, hops] of Object.entries(state.expanded)) {
    for (const n of expandNeighbourhood(index, [id], hops, filter)) ids.add(n);
  }
  return selectSubgraph(index, ids, filter);
}

/**
 * Nodes whose label or id contains `query` (case-insensitive), best first: exact label, label
 * prefix, label substring, then id substring; ties by label length then id.
 */
export function searchNodes(graph: KnowledgeGraph, query: string, options: { limit?: number; types?: readonly GraphNodeType[] } = {}): GraphNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const types = options.types ? new Set(options.types) : undefined;
  const hits: { n: GraphNode; rank: number }[] = [];
  for (const n of graph.nodes) {
    if (types && !types.has(n.type)) continue;
    const label = n.label.toLowerCase();
    const rank = label === q ? 0 : label.startsWith(q) ? 1 : label.includes(q) ? 2 : n.id.toLowerCase().includes(q) ? 3 : -1;
    if (rank >= 0) hits.push({ n, rank });
  }
  hits.sort((a, b) => a.rank - b.rank || a.n.label.length - b.n.label.length || (a.n.id < b.n.id ? -1 : a.n.id > b.n.id ? 1 : 0));
  return hits.slice(0, options.limit ?? 50).map((h) => h.n);
}

/** Degree of every node (links counted once per end), for sizing nodes by degree. */
export function computeDegrees(graph: KnowledgeGraph): Map<string, number> {
  const deg = new Map<string, number>(graph.nodes.map((n) => [n.id, 0]));
  for (const l of graph.links) {
    deg.set(l.source, (deg.get(l.source) ?? 0) + 1);
    deg.set(l.target, (deg.get(l.target) ?? 0) + 1);
  }
  return deg;
}
