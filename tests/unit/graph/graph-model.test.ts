// The Graph view's pure logic on a small planted shop: neighbours grouped by link type (heaviest
// first), and "Expand" on a table opening the business nodes it produced.
import { describe, expect, it } from 'vitest';
import { createExplorerState, expandNode, indexGraph } from '../../../src/core/graph/neighbourhood.ts';
import type { GraphLink, GraphNode, KnowledgeGraph } from '../../../src/core/graph/types.ts';
import { countNodeTypes, groupNeighbours, indexProducedBy, selectExplorerGraph } from '../../../src/state/graph-model.ts';

const node = (id: string, type: GraphNode['type'], table: string): GraphNode => ({ id, type, label: id.split(':')[1], provenance: { table } });
const link = (source: string, target: string, type: GraphLink['type'], weight?: number): GraphLink => ({ source, target, type, provenance: {}, ...(weight === undefined ? {} : { weight }) });

const graph: KnowledgeGraph = {
  nodes: [
    node('table:products', 'table', 'products'),
    node('table:items', 'table', 'items'),
    node('table:sellers', 'table', 'sellers'),
    node('column:products.id', 'column', 'products'),
    node('product:p1', 'product', 'products'),
    node('product:p2', 'product', 'products'),
    node('product:p3', 'product', 'products'),
    node('category:toys', 'category', 'products'),
    node('seller:s1', 'seller', 'items'),
    node('seller:s2', 'seller', 'items'),
  ],
  links: [
    link('table:products', 'column:products.id', 'has_column'),
    link('table:items', 'table:products', 'references', 0.98),
    link('table:items', 'table:sellers', 'references', 1),
    link('product:p1', 'category:toys', 'belongs_to'),
    link('product:p2', 'category:toys', 'belongs_to'),
    link('product:p1', 'seller:s1', 'sold_by', 2),
    link('product:p1', 'seller:s2', 'sold_by', 5),
    link('product:p2', 'seller:s2', 'sold_by', 1),
    link('product:p1', 'product:p2', 'co_purchased', 3),
    link('product:p3', 'product:p1', 'co_purchased', 7),
  ],
};
const index = indexGraph(graph);

describe('groupNeighbours', () => {
  it('groups by link type in a fixed order, heaviest link first', () => {
    const groups = groupNeighbours(index, 'product:p1');
    expect(groups.map((g) => g.type)).toEqual(['belongs_to', 'sold_by', 'co_purchased']);
    expect(groups[1].entries.map((e) => [e.node.id, e.weight])).toEqual([['seller:s2', 5], ['seller:s1', 2]]);
    // co_purchased is undirected: p3 → p1 shows on p1 too.
    expect(groups[2].entries.map((e) => [e.node.id, e.weight])).toEqual([['product:p3', 7], ['product:p2', 3]]);
  });

  it('lists a category’s products and nothing for an unknown id', () => {
    expect(groupNeighbours(index, 'category:toys')).toEqual([
      { type: 'belongs_to', entries: [{ node: index.nodes.get('product:p1'), weight: undefined }, { node: index.nodes.get('product:p2'), weight: undefined }] },
    ]);
    expect(groupNeighbours(index, 'nope')).toEqual([]);
  });
});

describe('selectExplorerGraph', () => {
  const producedBy = indexProducedBy(graph);

  it('indexes business nodes by the table that produced them', () => {
    expect(producedBy.get('products')).toEqual(['product:p1', 'product:p2', 'product:p3', 'category:toys']);
    expect(producedBy.get('items')).toEqual(['seller:s1', 'seller:s2']);
    expect(producedBy.has('sellers')).toBe(false);
  });

  it('starts on the tables and their references', () => {
    const start = createExplorerState(graph, 'tables');
    const shown = selectExplorerGraph(index, start, producedBy);
    expect(countNodeTypes(shown)).toEqual({ table: 3 });
    expect(shown.links.map((l) => l.type)).toEqual(['references', 'references']);
  });

  it('expanding a table opens its columns and the business nodes it produced, with the links among them', () => {
    const state = expandNode(createExplorerState(graph, 'tables'), 'table:products', 1);
    const shown = selectExplorerGraph(index, state, producedBy);
    expect(countNodeTypes(shown)).toEqual({ table: 3, column: 1, product: 3, category: 1 });
    expect(shown.links.filter((l) => l.type === 'co_purchased')).toHaveLength(2);
    expect(shown.links.filter((l) => l.type === 'sold_by')).toHaveLength(0);
    // A node-type filter applies to what the table opens too.
    const noCats = selectExplorerGraph(index, state, producedBy, { nodeTypes: ['table', 'column', 'product'] });
    expect(countNodeTypes(noCats)).toEqual({ table: 3, column: 1, product: 3 });
  });

  it('expanding a business node opens its k-hop neighbourhood, filtered by weight', () => {
    const state = expandNode(createExplorerState(graph, 'tables'), 'product:p1', 1);
    expect(countNodeTypes(selectExplorerGraph(index, state, producedBy))).toEqual({ table: 3, product: 3, category: 1, seller: 2 });
    const heavy = selectExplorerGraph(index, state, producedBy, { minWeight: 4 });
    expect(heavy.nodes.filter((n) => n.type !== 'table').map((n) => n.id).sort()).toEqual(['category:toys', 'product:p1', 'product:p3', 'seller:s2']);
  });
});
