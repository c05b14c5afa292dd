// `stocktake graph`: --json writes d3 node-link JSON; --format csv writes the nodes file and its
// `.edges.csv` sibling; GraphML and JSON-LD files parse; bad options fail with BAD_ARGUMENT.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGraphCommand } from '../../../src/cli/commands/graph.ts';
import type { KnowledgeGraph } from '../../../src/core/graph/types.ts';
import { parseXml } from './xml-check.ts';

const dir = resolve(process.cwd(), '../shared/data/uci-online-retail');
const out = mkdtempSync(join(tmpdir(), 'stocktake-graph-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('runGraphCommand', () => {
  it('writes JSON and CSV nodes + edges in one run, with matching counts', async () => {
    const json = join(out, 'g.json');
    const csv = join(out, 'g.csv');
    expect(await runGraphCommand([dir, '--json', json, '--format', 'csv', '--out', csv, '--top-k', '3'])).toBe(0);
    const graph = JSON.parse(readFileSync(json, 'utf8')) as KnowledgeGraph;
    expect(Object.keys(graph)).toEqual(['nodes', 'links']);
    expect(graph.nodes.every((n) => typeof n.id === 'string' && typeof n.type === 'string' && typeof n.label === 'string')).toBe(true);
    expect(graph.links.every((l) => typeof l.source === 'string' && typeof l.target === 'string')).toBe(true);
    // Stock descriptions hold no quotes or line breaks, so records are lines.
    expect(readFileSync(csv, 'utf8').split('\r\n').filter(Boolean)).toHaveLength(graph.nodes.length + 1);
    expect(readFileSync(join(out, 'g.edges.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(graph.links.length + 1);
  }, 120_000);

  it('writes GraphML and JSON-LD that parse', async () => {
    const gml = join(out, 'g.graphml');
    expect(await runGraphCommand([dir, '--format', 'graphml', '--out', gml])).toBe(0);
    const doc = parseXml(readFileSync(gml, 'utf8'));
    expect(doc.root.name).toBe('graphml');
    const ld = join(out, 'g.jsonld');
    expect(await runGraphCommand([dir, '--format', 'jsonld', '--out', ld])).toBe(0);
    const types = new Set((JSON.parse(readFileSync(ld, 'utf8'))['@graph'] as { '@type': string }[]).map((x) => x['@type']));
    expect(types.has('Product')).toBe(true);
  }, 120_000);

  it('rejects an unknown format, a format without --out and a bad --top-k', async () => {
    await expect(runGraphCommand([dir, '--format', 'xml', '--out', join(out, 'x')])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(runGraphCommand([dir, '--format', 'csv'])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
    await expect(runGraphCommand([dir, '--json', join(out, 'y.json'), '--top-k', '0'])).rejects.toMatchObject({ code: 'BAD_ARGUMENT' });
  });
});
