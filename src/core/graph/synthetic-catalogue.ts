// A seeded synthetic catalogue graph of any size (products, categories, brands, sellers, users with
// skewed popularity), for layout and rendering benchmarks where no real export is that large.
import { mulberry32 } from '../util/random.ts';
import type { GraphLink, GraphLinkType, GraphNode, GraphNodeType, KnowledgeGraph } from './types.ts';

export interface SyntheticCatalogueOptions {
  nodes: number;
  links: number;
  seed?: number;
}

/**
 * Exactly `nodes` nodes and `links` links: 88% products, the rest categories, brands, sellers and
 * users; every product belongs to a category, has a brand and is sold by a seller, and the remaining
 * links are purchases and co-purchases drawn with a popularity skew (index ∝ u²).
 */
export function generateSyntheticCatalogue(options: SyntheticCatalogueOptions): KnowledgeGraph {
  const rand = mulberry32(options.seed ?? 42);
  const total = options.nodes;
  const counts: [GraphNodeType, number][] = [
    ['category', Math.max(1, Math.round(total * 0.004))],
    ['brand', Math.max(1, Math.round(total * 0.036))],
    ['seller', Math.max(1, Math.round(total * 0.06))],
    ['user', Math.max(1, Math.round(total * 0.02))],
  ];
  const products = total - counts.reduce((s, [, c]) => s + c, 0);
  const nodes: GraphNode[] = [];
  const ids: Record<string, string[]> = {};
  const prov = { rule: 'synthetic' };
  for (const [type, count] of [['product', products], ...counts] as [GraphNodeType, number][]) {
    ids[type] = [];
    for (let i = 0; i < count; i++) {
      const id = `${type}:${i}`;
      ids[type].push(id);
      nodes.push({ id, type, label: `${type} ${i}`, provenance: prov });
    }
  }
  const skewed = (list: string[]) => list[Math.floor(rand() * rand() * list.length)];
  const uniform = (list: string[]) => list[Math.floor(rand() * list.length)];
  const links: GraphLink[] = [];
  const add = (source: string, target: string, type: GraphLinkType, weight?: number) => {
    if (links.length < options.links) links.push({ source, target, type, provenance: prov, ...(weight !== undefined ? { weight } : {}) });
  };
  for (const p of ids.product) add(p, skewed(ids.category), 'belongs_to');
  for (const p of ids.product) add(p, skewed(ids.brand), 'has_brand');
  for (const p of ids.product) add(p, skewed(ids.seller), 'sold_by');
  const rest = options.links - links.length;
  for (let i = 0; links.length < options.links; i++) {
    if (i < rest / 2) add(uniform(ids.user), skewed(ids.product), 'purchased', 1 + Math.floor(rand() * 5));
    else {
      const a = skewed(ids.product);
      let b = skewed(ids.product);
      if (a === b) b = uniform(ids.product);
      if (a !== b) add(a, b, 'co_purchased', 1 + Math.floor(rand() * 3));
    }
  }
  return { nodes, links };
}
