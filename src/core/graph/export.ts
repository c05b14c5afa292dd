// Knowledge-graph exports: GraphML (XML), JSON-LD (schema.org), and CSV nodes + edges (RFC 4180).
import { LINK_FIELDS, NODE_FIELDS, listProps, type GraphLink, type GraphNode, type GraphValue, type KnowledgeGraph, type Provenance } from './types.ts';

const PROVENANCE_KEYS = ['table', 'column', 'rule', 'model'] as const satisfies readonly (keyof Provenance)[];

// XML 1.0 forbids most control characters even when escaped, so they are dropped.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for XML element content and attribute values. */
export function escapeXml(text: string): string {
  return text
    .replace(XML_INVALID, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

type GraphMlType = 'string' | 'double' | 'boolean';

function graphMlTypeOf(v: GraphValue): GraphMlType {
  return typeof v === 'number' ? 'double' : typeof v === 'boolean' ? 'boolean' : 'string';
}

/** Declares one GraphML key per property name; a name with mixed value types is written as string. */
function collectKeys(items: (GraphNode | GraphLink)[], fixed: ReadonlySet<string>): Map<string, GraphMlType> {
  const keys = new Map<string, GraphMlType>();
  for (const item of items) {
    for (const [k, v] of listProps(item, fixed)) {
      if (v === null) {
        if (!keys.has(k)) keys.set(k, 'string');
        continue;
      }
      const t = graphMlTypeOf(v);
      const seen = keys.get(k);
      keys.set(k, seen === undefined || seen === t ? t : 'string');
    }
  }
  return keys;
}

/**
 * GraphML with typed `<key>`s: `type`, `label`, `weight`, `prov_table|column|rule|model`, then every
 * extra property. Links become directed `<edge>`s; property values are escaped text.
 */
export function exportGraphMl(graph: KnowledgeGraph): string {
  const nodeKeys = collectKeys(graph.nodes, NODE_FIELDS);
  const linkKeys = collectKeys(graph.links, LINK_FIELDS);
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  const key = (id: string, forWhat: 'node' | 'edge', name: string, type: GraphMlType) =>
    out.push(`  <key id="${escapeXml(id)}" for="${forWhat}" attr.name="${escapeXml(name)}" attr.type="${type}"/>`);
  key('n_type', 'node', 'type', 'string');
  key('n_label', 'node', 'label', 'string');
  for (const p of PROVENANCE_KEYS) key(`n_prov_${p}`, 'node', `prov_${p}`, 'string');
  for (const [k, t] of nodeKeys) key(`n_${k}`, 'node', k, t);
  key('e_type', 'edge', 'type', 'string');
  key('e_weight', 'edge', 'weight', 'double');
  for (const p of PROVENANCE_KEYS) key(`e_prov_${p}`, 'edge', `prov_${p}`, 'string');
  for (const [k, t] of linkKeys) key(`e_${k}`, 'edge', k, t);
  out.push('  <graph id="G" edgedefault="directed">');
  const data = (k: string, v: GraphValue | undefined) =>
    v === null || v === undefined ? '' : `<data key="${escapeXml(k)}">${escapeXml(String(v))}</data>`;
  for (const n of graph.nodes) {
    let s = `    <node id="${escapeXml(n.id)}">${data('n_type', n.type)}${data('n_label', n.label)}`;
    for (const p of PROVENANCE_KEYS) s += data(`n_prov_${p}`, n.provenance[p]);
    for (const [k, v] of listProps(n, NODE_FIELDS)) s += data(`n_${k}`, v);
    out.push(s + '</node>');
  }
  graph.links.forEach((l, i) => {
    let s = `    <edge id="e${i}" source="${escapeXml(l.source)}" target="${escapeXml(l.target)}">${data('e_type', l.type)}${data('e_weight', l.weight)}`;
    for (const p of PROVENANCE_KEYS) s += data(`e_prov_${p}`, l.provenance[p]);
    for (const [k, v] of listProps(l, LINK_FIELDS)) s += data(`e_${k}`, v);
    out.push(s + '</edge>');
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

type JsonLd = Record<string, unknown>;

/**
 * JSON-LD over schema.org: products as `Product` (category, brand, `offers` as `Offer`s by seller
 * `Organization`s, `isRelatedTo` co-purchases, `isSimilarTo` neighbours, `aggregateRating`), brands as
 * `Brand`, categories as `CategoryCode`, users (or segments) as `Person` / `Audience`, each `reviewed`
 * link as a `Review` with its mean score, tables as `Dataset` with their columns as `variableMeasured`.
 */
export function exportJsonLd(graph: KnowledgeGraph): JsonLd {
  const items = new Map<string, JsonLd>();
  const ref = (id: string) => ({ '@id': id });
  const push = (obj: JsonLd, key: string, value: unknown) => {
    const cur = obj[key];
    obj[key] = cur === undefined ? [value] : [...(cur as unknown[]), value];
  };
  for (const n of graph.nodes) {
    const base: JsonLd = { '@id': n.id, name: n.label };
    switch (n.type) {
      case 'product':
        items.set(n.id, { ...base, '@type': 'Product', productID: n.key ?? n.id,
          ...(typeof n.meanScore === 'number' ? { aggregateRating: { '@type': 'AggregateRating', ratingValue: n.meanScore, reviewCount: n.reviews } } : {}) });
        break;
      case 'brand': items.set(n.id, { ...base, '@type': 'Brand' }); break;
      case 'category': items.set(n.id, { ...base, '@type': 'CategoryCode', codeValue: n.value ?? n.label }); break;
      case 'seller': items.set(n.id, { ...base, '@type': 'Organization', identifier: n.label }); break;
      case 'user': items.set(n.id, n.isSegment ? { ...base, '@type': 'Audience', audienceType: n.label } : { ...base, '@type': 'Person', identifier: n.label }); break;
      case 'attribute': items.set(n.id, { ...base, '@type': 'PropertyValue', propertyID: n.attribute ?? null, value: n.value ?? n.label }); break;
      case 'table': items.set(n.id, { ...base, '@type': 'Dataset', ...(typeof n.rows === 'number' ? { size: `${n.rows} rows` } : {}) }); break;
      case 'column': {
        items.set(n.id, { ...base, '@type': 'PropertyValue', propertyID: n.label, ...(n.semanticType ? { description: `semantic type ${n.semanticType}` } : {}) });
        break;
      }
    }
  }
  const reviews: JsonLd[] = [];
  graph.links.forEach((l, i) => {
    const s = items.get(l.source);
    const t = items.get(l.target);
    if (!s || !t) return;
    switch (l.type) {
      case 'belongs_to': push(s, 'category', ref(l.target)); break;
      case 'has_brand': push(s, 'brand', ref(l.target)); break;
      case 'has_attribute': push(s, 'additionalProperty', ref(l.target)); break;
      case 'sold_by': push(s, 'offers', { '@type': 'Offer', seller: ref(l.target) }); break;
      case 'co_purchased': push(s, 'isRelatedTo', ref(l.target)); push(t, 'isRelatedTo', ref(l.source)); break;
      case 'similar_to': push(s, 'isSimilarTo', ref(l.target)); break;
      case 'has_column': push(s, 'variableMeasured', ref(l.target)); break;
      case 'references': push(s, 'isBasedOn', ref(l.target)); break;
      case 'reviewed':
        reviews.push({
          '@id': `review:${i}`, '@type': 'Review', itemReviewed: ref(l.target), author: ref(l.source),
          reviewRating: { '@type': 'Rating', ratingValue: l.meanScore ?? l.weight ?? null },
          ...(typeof l.reviews === 'number' ? { reviewCount: l.reviews } : {}),
        });
        break;
      case 'purchased': break; // no schema.org property links a buyer to a product without an order
    }
  });
  return { '@context': 'https://schema.org/', '@graph': [...items.values(), ...reviews] };
}

/** Quotes one CSV field per RFC 4180: fields with comma, quote, CR or LF are quoted, quotes doubled. */
export function formatCsvField(v: GraphValue | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function formatCsv(rows: (GraphValue | undefined)[][]): string {
  return rows.map((r) => r.map(formatCsvField).join(',')).join('\r\n') + '\r\n';
}

function collectPropNames(items: (GraphNode | GraphLink)[], fixed: ReadonlySet<string>): string[] {
  const names = new Set<string>();
  for (const item of items) for (const [k] of listProps(item, fixed)) names.add(k);
  return [...names];
}

/**
 * CSV nodes and edges (RFC 4180, CRLF, header line): `id,type,label,prov_*,<props>` and
 * `source,target,type,weight,prov_*,<props>`; a property absent on a row is an empty field.
 */
export function exportCsv(graph: KnowledgeGraph): { nodes: string; edges: string } {
  const nodeProps = collectPropNames(graph.nodes, NODE_FIELDS);
  const linkProps = collectPropNames(graph.links, LINK_FIELDS);
  const provHeader = PROVENANCE_KEYS.map((p) => `prov_${p}`);
  const nodes = formatCsv([
    ['id', 'type', 'label', ...provHeader, ...nodeProps],
    ...graph.nodes.map((n) => [n.id, n.type, n.label, ...PROVENANCE_KEYS.map((p) => n.provenance[p]), ...nodeProps.map((k) => n[k] as GraphValue | undefined)]),
  ]);
  const edges = formatCsv([
    ['source', 'target', 'type', 'weight', ...provHeader, ...linkProps],
    ...graph.links.map((l) => [l.source, l.target, l.type, l.weight, ...PROVENANCE_KEYS.map((p) => l.provenance[p]), ...linkProps.map((k) => l[k] as GraphValue | undefined)]),
  ]);
  return { nodes, edges };
}

/** The edges file that goes with a CSV nodes file: `graph.csv` → `graph.edges.csv`. */
export function toEdgesPath(nodesPath: string): string {
  const slash = Math.max(nodesPath.lastIndexOf('/'), nodesPath.lastIndexOf('\\'));
  const dot = nodesPath.lastIndexOf('.');
  const stem = dot > slash ? nodesPath.slice(0, dot) : nodesPath;
  return `${stem}.edges.csv`;
}
