// Neighbourhoods, expand/collapse, filters and search on a small graph whose answers are read off
// its drawing: t1 —has_column→ c1; t1 —references→ t2; p1..p3 belong to cat; p1–p2 co-purchased (w 5),
// p2–p3 co-purchased (w 1); p1 sold by s1.
import { describe, expect, it } from 'vitest';
import {
  collapseNode, computeDegrees, createExplorerState, expandNeighbourhood, expandNode, filterGraph, indexGraph,
  listNeighbours, searchNodes, selectVisibleGraph,
} from '../../../src/core/graph/neighbourhood.ts';
import type { GraphLink, GraphNode, GraphNodeType, KnowledgeGraph } from '../../../src/core/graph/types.ts';

const node = (id: string, type: GraphNodeType, label = id): GraphNode => ({ id, type, label, provenance: { rule: 'test' } });
const link = (source: string, target: string, type: GraphLink['type'], weight?: number): GraphLink => ({
  source, target, type, provenance: { rule: 'test' }, ...(weight !== undefined ? { weight } : {}),
});
const graph: KnowledgeGraph = {
  nodes: [
    node('table:t1', 'table', 'orders'), node('column:t1.c1', 'column', 'order_id'), node('table:t2', 'table', 'customers'),
    node('category:cat', 'category', 'Garden'), node('product:p1', 'product', 'Garden hose'), node('product:p2', 'product', 'Hose reel'),
    node('product:p3', 'product', 'Rake'), node('seller:s1', 'seller', 'GreenCo'),
  ],
  links: [
    link('table:t1', 'column:t1.c1', 'has_column'), link('table:t1', 'table:t2', 'references', 1),
    link('product:p1', 'category:cat', 'belongs_to'), link('product:p2', 'category:cat', 'belongs_to'), link('product:p3', 'category:cat', 'belongs_to'),
    link('product:p1', 'product:p2', 'co_purchased', 5), link('product:p2', 'product:p3', 'co_purchased', 1),
    link('product:p1', 'seller:s1', 'sold_by', 4),
  ],
};
const index = indexGraph(graph);
const sorted = (s: Iterable<string>) => [...s].sort();

describe('expandNeighbourhood', () => {
  it('walks k hops in both directions', () => {
    expect(sorted(expandNeighbourhood(index, ['seller:s1'], 0))).toEqual(['seller:s1']);
    expect(sorted(expandNeighbourhood(index, ['seller:s1'], 1))).toEqual(['product:p1', 'seller:s1']);
    expect(sorted(expandNeighbourhood(index, ['seller:s1'], 2))).toEqual(['category:cat', 'product:p1', 'product:p2', 'seller:s1']);
    expect(sorted(expandNeighbourhood(index, ['seller:s1'], 3))).toEqual(['category:cat', 'product:p1', 'product:p2', 'product:p3', 'seller:s1']);
  });

  it('follows only links and enters only nodes that pass the filter', () => {
    expect(sorted(expandNeighbourhood(index, ['product:p1'], 5, { linkTypes: ['co_purchased'] }))).toEqual(['product:p1', 'product:p2', 'product:p3']);
    expect(sorted(expandNeighbourhood(index, ['product:p1'], 5, { linkTypes: ['co_purchased'], minWeight: 2 }))).toEqual(['product:p1', 'product:p2']);
    expect(sorted(expandNeighbourhood(index, ['category:cat'], 2, { nodeTypes: ['category', 'product'] }))).toEqual(['category:cat', 'product:p1', 'product:p2', 'product:p3']);
    expect(sorted(expandNeighbourhood(index, ['nope'], 3))).toEqual([]);
  });

  it('lists neighbours by link type', () => {
    expect(listNeighbours(index, 'category:cat', 'belongs_to').map((n) => n.id)).toEqual(['product:p1', 'product:p2', 'product:p3']);
    expect(listNeighbours(index, 'product:p2').map((n) => n.id)).toEqual(['category:cat', 'product:p1', 'product:p3']);
  });
});

describe('explorer state', () => {
  it('starts on the schema layer, opens the business layer from a node and closes it again', () => {
    const start = createExplorerState(graph);
    expect(sorted(selectVisibleGraph(index, start).nodes.map((n) => n.id))).toEqual(['column:t1.c1', 'table:t1', 'table:t2']);
    expect(selectVisibleGraph(index, start).links).toHaveLength(2);

    const opened = expandNode(start, 'category:cat', 1);
    const v = selectVisibleGraph(index, opened);
    expect(sorted(v.nodes.map((n) => n.id))).toEqual(['category:cat', 'column:t1.c1', 'product:p1', 'product:p2', 'product:p3', 'table:t1', 'table:t2']);
    // Links among visible nodes appear, including co-purchases between the opened products.
    expect(v.links.filter((l) => l.type === 'co_purchased')).toHaveLength(2);

    const more = expandNode(opened, 'product:p1', 1);
    expect(selectVisibleGraph(index, more).nodes.some((n) => n.id === 'seller:s1')).toBe(true);
    const closed = collapseNode(more, 'category:cat');
    expect(sorted(selectVisibleGraph(index, closed).nodes.map((n) => n.id))).toEqual(
      ['category:cat', 'column:t1.c1', 'product:p1', 'product:p2', 'seller:s1', 'table:t1', 'table:t2'],
    );
    expect(createExplorerState(graph, 'tables').base).toEqual(['table:t1', 'table:t2']);
  });

  it('filters the visible graph by link weight', () => {
    const v = selectVisibleGraph(index, expandNode(createExplorerState(graph, 'tables'), 'product:p2', 1), { minWeight: 2 });
    expect(sorted(v.nodes.map((n) => n.id))).toEqual(['category:cat', 'product:p1', 'product:p2', 'table:t1', 'table:t2']);
  });
});

describe('filterGraph, searchNodes, computeDegrees', () => {
  it('keeps links only between kept nodes', () => {
    const g = filterGraph(graph, { nodeTypes: ['product', 'seller'] });
    expect(g.nodes).toHaveLength(4);
    expect(g.links.map((l) => l.type).sort()).toEqual(['co_purchased', 'co_purchased', 'sold_by']);
  });

  it('ranks exact, prefix, substring, then id matches', () => {
    expect(searchNodes(graph, 'hose').map((n) => n.id)).toEqual(['product:p2', 'product:p1']);
    expect(searchNodes(graph, 'HOSE REEL').map((n) => n.id)).toEqual(['product:p2']);
    expect(searchNodes(graph, 'p3').map((n) => n.id)).toEqual(['product:p3']);
    expect(searchNodes(graph, 'o', { types: ['table'] }).map((n) => n.id)).toEqual(['table:t1', 'table:t2']);
    expect(searchNodes(graph, '  ')).toEqual([]);
  });

  it('counts degree per end', () => {
    const d = computeDegrees(graph);
    expect(d.get('product:p2')).toBe(3);
    expect(d.get('category:cat')).toBe(3);
    expect(d.get('column:t1.c1')).toBe(1);
  });
});
