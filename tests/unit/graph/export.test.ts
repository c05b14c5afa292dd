// Exports of a small hand-made graph whose labels hold every character that needs escaping:
// GraphML round-trips through a strict XML reader, CSV through an RFC 4180 reader, JSON-LD by type.
import { describe, expect, it } from 'vitest';
import { escapeXml, exportCsv, exportGraphMl, exportJsonLd, formatCsvField, toEdgesPath } from '../../../src/core/graph/export.ts';
import type { KnowledgeGraph } from '../../../src/core/graph/types.ts';
import { parseXml } from './xml-check.ts';

const nasty = 'Tom & "Jerry" <b>\'s\', a,b\r\nline2 \u0001雨伞';
const graph: KnowledgeGraph = {
  nodes: [
    { id: 'product:p1', type: 'product', label: nasty, provenance: { table: 'products', column: 'id', rule: 'test' }, key: 'p1', orders: 3, meanScore: 4.5, reviews: 2 },
    { id: 'product:p&2', type: 'product', label: 'plain', provenance: { table: 'products', rule: 'test' }, key: 'p&2', orders: 0, category: null },
    { id: 'brand:Acme', type: 'brand', label: 'Acme', provenance: { table: 'products', column: 'brand', rule: 'test' } },
    { id: 'category:c', type: 'category', label: 'Umbrellas', provenance: { table: 'products', column: 'cat', rule: 'test' }, value: 'c' },
    { id: 'seller:s', type: 'seller', label: 's', provenance: { table: 'items', rule: 'test' } },
    { id: 'user:u', type: 'user', label: 'u', provenance: { table: 'orders', rule: 'test' }, isSegment: false },
  ],
  links: [
    { source: 'product:p1', target: 'brand:Acme', type: 'has_brand', provenance: { table: 'products', rule: 'test' } },
    { source: 'product:p1', target: 'category:c', type: 'belongs_to', provenance: { table: 'products', rule: 'test' } },
    { source: 'product:p1', target: 'seller:s', type: 'sold_by', weight: 2, provenance: { table: 'items', rule: 'test' } },
    { source: 'product:p1', target: 'product:p&2', type: 'co_purchased', weight: 1, provenance: { table: 'items', rule: nasty } },
    { source: 'user:u', target: 'product:p1', type: 'reviewed', weight: 4.5, provenance: { table: 'reviews', rule: 'test' }, meanScore: 4.5, reviews: 2 },
  ],
};

/** RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      field += ch; i++; continue;
    }
    if (ch === '"' && field === '') { quoted = true; i++; continue; }
    if (ch === ',') { row.push(field); field = ''; i++; continue; }
    if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i += 2; continue; }
    if (ch === '"' || ch === '\n' || ch === '\r') throw new Error(`bare ${JSON.stringify(ch)} at ${i}`);
    field += ch; i++;
  }
  if (field || row.length) throw new Error('last record not terminated by CRLF');
  return rows;
}

describe('GraphML', () => {
  it('is well-formed XML whose node and edge data decode back to the labels, minus XML-illegal characters', () => {
    const doc = parseXml(exportGraphMl(graph));
    const g = doc.root.children.find((c) => c.name === 'graph')!;
    expect(g.attrs.edgedefault).toBe('directed');
    const nodes = g.children.filter((c) => c.name === 'node');
    const edges = g.children.filter((c) => c.name === 'edge');
    expect(nodes.map((n) => n.attrs.id)).toEqual(graph.nodes.map((n) => n.id));
    expect(edges).toHaveLength(graph.links.length);
    const label = nodes[0].children.find((d) => d.attrs.key === 'n_label')!.text;
    expect(label).toBe(nasty.replace('\u0001', ''));
    expect(edges[3].attrs.target).toBe('product:p&2');
    expect(edges[3].children.find((d) => d.attrs.key === 'e_prov_rule')!.text).toBe(nasty.replace('\u0001', ''));
  });

  it('declares typed keys for the extra properties and omits nulls', () => {
    const doc = parseXml(exportGraphMl(graph));
    const keys = Object.fromEntries(doc.root.children.filter((c) => c.name === 'key').map((k) => [k.attrs.id, k.attrs['attr.type']]));
    expect(keys).toMatchObject({ n_orders: 'double', n_isSegment: 'boolean', n_key: 'string', e_weight: 'double', e_meanScore: 'double' });
    const p2 = doc.root.children.find((c) => c.name === 'graph')!.children[1];
    expect(p2.children.some((d) => d.attrs.key === 'n_category')).toBe(false);
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and reads back to the same values', () => {
    const { nodes, edges } = exportCsv(graph);
    const rows = readCsv(nodes);
    expect(rows[0].slice(0, 7)).toEqual(['id', 'type', 'label', 'prov_table', 'prov_column', 'prov_rule', 'prov_model']);
    expect(rows).toHaveLength(graph.nodes.length + 1);
    expect(rows[1][2]).toBe(nasty);
    const header = rows[0];
    expect(rows[1][header.indexOf('orders')]).toBe('3');
    expect(rows[2][header.indexOf('category')]).toBe('');
    const e = readCsv(edges);
    expect(e[0].slice(0, 4)).toEqual(['source', 'target', 'type', 'weight']);
    expect(e[4][e[0].indexOf('prov_rule')]).toBe(nasty);
    expect(e.every((r) => r.length === e[0].length)).toBe(true);
  });

  it('leaves simple fields bare and names the edges file after the nodes file', () => {
    expect(formatCsvField('abc')).toBe('abc');
    expect(formatCsvField(1.5)).toBe('1.5');
    expect(formatCsvField('a"b')).toBe('"a""b"');
    expect(toEdgesPath('out/graph.csv')).toBe('out/graph.edges.csv');
    expect(toEdgesPath('out.d/graph')).toBe('out.d/graph.edges.csv');
  });
});

describe('JSON-LD', () => {
  it('types products, brands, offers and reviews with schema.org and links them by @id', () => {
    const doc = JSON.parse(JSON.stringify(exportJsonLd(graph))) as { '@context': string; '@graph': Record<string, any>[] };
    expect(doc['@context']).toBe('https://schema.org/');
    const types = doc['@graph'].map((x) => x['@type']).sort();
    expect(types).toEqual(['Brand', 'CategoryCode', 'Organization', 'Person', 'Product', 'Product', 'Review'].sort());
    const p1 = doc['@graph'].find((x) => x['@id'] === 'product:p1')!;
    expect(p1.brand).toEqual([{ '@id': 'brand:Acme' }]);
    expect(p1.category).toEqual([{ '@id': 'category:c' }]);
    expect(p1.offers).toEqual([{ '@type': 'Offer', seller: { '@id': 'seller:s' } }]);
    expect(p1.isRelatedTo).toEqual([{ '@id': 'product:p&2' }]);
    expect(p1.aggregateRating).toEqual({ '@type': 'AggregateRating', ratingValue: 4.5, reviewCount: 2 });
    const review = doc['@graph'].find((x) => x['@type'] === 'Review')!;
    expect(review.itemReviewed).toEqual({ '@id': 'product:p1' });
    expect(review.author).toEqual({ '@id': 'user:u' });
    expect(review.reviewRating).toEqual({ '@type': 'Rating', ratingValue: 4.5 });
  });
});
