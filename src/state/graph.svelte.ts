// The Graph view's state: the open import's knowledge graph (built in the data worker), what the
// explorer shows (schema layer plus expanded k-hop neighbourhoods, filtered), the selected node and
// its neighbours by link type, the layout from the layout worker, the render worker that draws big
// graphs, and the graph's downloads.
import { exportCsv, exportGraphMl, exportJsonLd } from '../core/graph/export.ts';
import { toLayoutInput, suggestLayoutOptions } from '../core/graph/layout.ts';
import {
  collapseNode,
  computeDegrees,
  createExplorerState,
  expandNode,
  indexGraph,
  searchNodes,
  type ExplorerState,
  type GraphFilter,
  type GraphIndex,
} from '../core/graph/neighbourhood.ts';
import type { GraphLinkType, GraphNode, GraphNodeType, KnowledgeGraph } from '../core/graph/types.ts';
import { countNodeTypes, groupNeighbours, indexProducedBy, LINK_TYPES, NODE_TYPES, selectExplorerGraph, type NeighbourGroup } from './graph-model.ts';
import { loadInventory } from '../db/repository.ts';
import { startLayout, type LayoutJob } from '../lib/graph-client.ts';
import { GraphRenderClient } from '../lib/graph-render-client.ts';
import { buildGraph } from '../lib/inventory-client.ts';
import { appErrors } from './errors.svelte.ts';
import { offerDownload } from '../lib/download.ts';

export { LINK_TYPES, NODE_TYPES, groupNeighbours, type NeighbourEntry, type NeighbourGroup } from './graph-model.ts';

/** Positions of the visible graph by node id, with the graph they belong to. */
export interface GraphLayout {
  graph: KnowledgeGraph;
  positions: Float32Array;
  ids: string[];
  /** The graph's links as node indices (what was laid out), so drawing needs no id lookups. */
  sources: Uint32Array;
  targets: Uint32Array;
}

export type GraphStatus = 'idle' | 'building' | 'ready' | 'failed';


class GraphState {
  /** Draws big graphs in the render worker (started on first use; the canvas stops it when it goes). */
  readonly renderer = new GraphRenderClient();
  #openId: string | null = $state(null);
  status: GraphStatus = $state('idle');
  graph: KnowledgeGraph | null = $state.raw(null);
  index: GraphIndex | null = $state.raw(null);
  /** Degree of every node in the whole graph (node size). */
  degrees: Map<string, number> = $state.raw(new Map());
  /** Business node ids by the table that produced them (what "Expand" on a table opens). */
  producedBy: Map<string, string[]> = $state.raw(new Map());
  explorer: ExplorerState = $state.raw({ base: [], expanded: {} });
  nodeTypes: GraphNodeType[] = $state([...NODE_TYPES]);
  linkTypes: GraphLinkType[] = $state([...LINK_TYPES]);
  minWeight = $state(0);
  selected: string | null = $state(null);
  query = $state('');
  /** Hops opened by "Expand". */
  hops = $state(1);
  layout: GraphLayout | null = $state.raw(null);
  /** Layout progress 0..1 while a layout runs, null when settled. */
  layoutProgress: number | null = $state(null);
  buildMs = $state(0);
  layoutMs = $state(0);
  #job: LayoutJob | null = null;
  #layoutKey = '';

  readonly filter: GraphFilter = $derived({ nodeTypes: this.nodeTypes, linkTypes: this.linkTypes, minWeight: this.minWeight > 0 ? this.minWeight : undefined });

  /** The subgraph on screen: base layer plus expansions, filtered. */
  readonly visible: KnowledgeGraph = $derived.by(() => (this.index ? selectExplorerGraph(this.index, this.explorer, this.producedBy, this.filter) : { nodes: [], links: [] }));

  /** Visible nodes by type (the legend's counts). */
  readonly visibleCounts: Record<string, number> = $derived(countNodeTypes(this.visible));

  readonly selectedNode: GraphNode | null = $derived(this.selected && this.index ? (this.index.nodes.get(this.selected) ?? null) : null);
  readonly neighbours: NeighbourGroup[] = $derived(this.selected && this.index ? groupNeighbours(this.index, this.selected) : []);
  readonly searchResults: GraphNode[] = $derived(this.graph && this.query.trim() ? searchNodes(this.graph, this.query, { limit: 20 }) : []);

  get importId(): string | null {
    return this.#openId;
  }

  /** Opens `importId`: builds its graph in the data worker (every open, since it is cheap to rebuild). */
  async open(importId: string): Promise<void> {
    if (importId === this.#openId) return;
    this.#openId = importId;
    this.#job?.cancel();
    this.graph = null;
    this.index = null;
    this.layout = null;
    this.selected = null;
    this.status = 'building';
    try {
      const inventory = await loadInventory(importId);
      if (!inventory) throw new Error('This import is not in the catalog.');
      const started = performance.now();
      const graph = await buildGraph(importId, inventory);
      if (this.#openId !== importId) return;
      this.buildMs = performance.now() - started;
      this.graph = graph;
      this.index = indexGraph(graph);
      this.degrees = computeDegrees(graph);
      this.producedBy = indexProducedBy(graph);
      this.explorer = createExplorerState(graph, 'tables');
      this.status = 'ready';
    } catch (e) {
      if (this.#openId !== importId) return;
      this.status = 'failed';
      appErrors.report(e);
    }
  }

  close(): void {
    this.#job?.cancel();
    this.#openId = null;
  }

  /** Selects a node (details panel); a node off screen is added to the view. */
  select(id: string | null): void {
    this.selected = id;
    if (id && !this.visible.nodes.some((n) => n.id === id)) this.explorer = expandNode(this.explorer, id, 0);
  }

  /** Opens the k-hop neighbourhood of `id` (the business layer from a table or any node). */
  expand(id: string, hops = this.hops): void {
    this.explorer = expandNode(this.explorer, id, hops);
  }

  collapse(id: string): void {
    this.explorer = collapseNode(this.explorer, id);
  }

  isExpanded(id: string): boolean {
    return id in this.explorer.expanded && this.explorer.expanded[id] > 0;
  }

  /** Back to the schema layer. */
  reset(): void {
    if (this.graph) this.explorer = createExplorerState(this.graph, 'tables');
    this.selected = null;
  }

  toggleNodeType(type: GraphNodeType): void {
    this.nodeTypes = this.nodeTypes.includes(type) ? this.nodeTypes.filter((t) => t !== type) : [...this.nodeTypes, type];
  }

  toggleLinkType(type: GraphLinkType): void {
    this.linkTypes = this.linkTypes.includes(type) ? this.linkTypes.filter((t) => t !== type) : [...this.linkTypes, type];
  }

  /** Lays out the visible graph in the worker unless that exact graph is laid out already. */
  relayout(): void {
    const graph = this.visible;
    const key = `${graph.nodes.length}:${graph.links.length}:${graph.nodes.map((n) => n.id).join('\u0001')}`;
    if (key === this.#layoutKey) return;
    this.#layoutKey = key;
    this.#job?.cancel();
    const input = toLayoutInput(graph);
    const started = performance.now();
    this.layoutProgress = 0;
    const job = startLayout(input, suggestLayoutOptions(input.nodeCount), (done, total) => {
      if (this.#job === job) this.layoutProgress = done / total;
    });
    this.#job = job;
    job.result.then(
      (positions) => {
        if (this.#job !== job) return;
        this.layoutMs = performance.now() - started;
        this.layout = { graph, positions, ids: input.ids, sources: input.sources, targets: input.targets };
        this.layoutProgress = null;
        this.#job = null;
      },
      (e) => {
        if (this.#job !== job) return;
        this.layoutProgress = null;
        this.#job = null;
        if (!(e instanceof DOMException && e.name === 'AbortError')) appErrors.report(e);
      },
    );
  }

  #fileBase(): string {
    return `graph-${this.#openId ?? 'import'}`;
  }

  downloadGraphMl(): void {
    if (this.graph) offerDownload(exportGraphMl(this.graph), `${this.#fileBase()}.graphml`, 'application/graphml+xml');
  }

  downloadJsonLd(): void {
    if (this.graph) offerDownload(JSON.stringify(exportJsonLd(this.graph), null, 1), `${this.#fileBase()}.jsonld`, 'application/ld+json');
  }

  downloadCsv(): void {
    if (!this.graph) return;
    const csv = exportCsv(this.graph);
    offerDownload(csv.nodes, `${this.#fileBase()}.nodes.csv`, 'text/csv');
    offerDownload(csv.edges, `${this.#fileBase()}.edges.csv`, 'text/csv');
  }

  /** The canvas as it is drawn now, as a PNG download. */
  downloadPng(canvas: HTMLCanvasElement): void {
    canvas.toBlob((blob) => {
      if (blob) offerDownload(blob, `${this.#fileBase()}.png`, 'image/png');
    }, 'image/png');
  }
}

export const graphView = new GraphState();
