// Seeded d3-force layout: the same seed gives the same Float32Array bit for bit, another seed a
// different one, and linked nodes end up closer than random pairs.
import { describe, expect, it } from 'vitest';
import { layoutGraph, toLayoutInput } from '../../../src/core/graph/layout.ts';
import { generateSyntheticCatalogue } from '../../../src/core/graph/synthetic-catalogue.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

const graph = generateSyntheticCatalogue({ nodes: 800, links: 2600, seed: 3 });
const input = toLayoutInput(graph);

describe('generateSyntheticCatalogue', () => {
  it('makes exactly the requested counts, all links between existing nodes', () => {
    expect(graph.nodes).toHaveLength(800);
    expect(graph.links).toHaveLength(2600);
    expect(input.sources).toHaveLength(2600);
    expect(new Set(graph.nodes.map((n) => n.id)).size).toBe(800);
    expect(generateSyntheticCatalogue({ nodes: 800, links: 2600, seed: 3 })).toEqual(graph);
  });
});

describe('layoutGraph', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = layoutGraph(input, { seed: 7, iterations: 60 });
    const b = layoutGraph(input, { seed: 7, iterations: 60 });
    const c = layoutGraph(input, { seed: 8, iterations: 60 });
    expect(a).toBeInstanceOf(Float32Array);
    expect(a).toHaveLength(2 * input.nodeCount);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it('separates planted clusters: members sit far closer to each other than to other clusters', () => {
    // 10 clusters of 50 nodes, 4 links per node inside its cluster, 20 links between clusters.
    const rand = mulberry32(11);
    const k = 10;
    const size = 50;
    const s: number[] = [];
    const t: number[] = [];
    for (let i = 0; i < k * size; i++) {
      const base = Math.floor(i / size) * size;
      for (let j = 0; j < 4; j++) {
        s.push(i);
        t.push(base + ((i - base + 1 + Math.floor(rand() * (size - 1))) % size));
      }
    }
    for (let j = 0; j < 20; j++) {
      s.push(Math.floor(rand() * k * size));
      t.push(Math.floor(rand() * k * size));
    }
    const pos = layoutGraph({ nodeCount: k * size, sources: Uint32Array.from(s), targets: Uint32Array.from(t) }, { seed: 1, iterations: 200 });
    let inside = 0;
    let across = 0;
    let nIn = 0;
    let nAcross = 0;
    for (let i = 0; i < k * size; i += 3) {
      for (let j = i + 1; j < k * size; j += 7) {
        const d = Math.hypot(pos[2 * i] - pos[2 * j], pos[2 * i + 1] - pos[2 * j + 1]);
        if (Math.floor(i / size) === Math.floor(j / size)) { inside += d; nIn++; } else { across += d; nAcross++; }
      }
    }
    expect(inside / nIn).toBeLessThan(0.4 * (across / nAcross));
  });

  it('reports progress and stops on abort', () => {
    const seen: number[] = [];
    const snapshots: Float32Array[] = [];
    const final = layoutGraph(input, {
      iterations: 25, progressEvery: 10, onProgress: (done, total) => seen.push(done, total), onPositions: (p) => snapshots.push(p),
    });
    expect(seen).toEqual([10, 25, 20, 25, 25, 25]);
    // Intermediate snapshots at 10 and 20 ticks, each a fresh array that differs from the final one.
    expect(snapshots).toHaveLength(2);
    expect(snapshots[0]).not.toBe(snapshots[1]);
    expect(snapshots[1]).toHaveLength(final.length);
    expect(Buffer.from(snapshots[1].buffer).equals(Buffer.from(final.buffer))).toBe(false);
    const ctl = new AbortController();
    expect(() => layoutGraph(input, { iterations: 100, onProgress: (done) => done >= 20 && ctl.abort(), signal: ctl.signal })).toThrow(/Cancelled/);
  });

  it('maps knowledge-graph links to node indices and drops self and dangling links', () => {
    const li = toLayoutInput({
      nodes: [
        { id: 'a', type: 'product', label: 'a', provenance: {} },
        { id: 'b', type: 'product', label: 'b', provenance: {} },
      ],
      links: [
        { source: 'b', target: 'a', type: 'co_purchased', provenance: {} },
        { source: 'a', target: 'a', type: 'co_purchased', provenance: {} },
        { source: 'a', target: 'zz', type: 'co_purchased', provenance: {} },
      ],
    });
    expect([...li.sources, ...li.targets]).toEqual([1, 0]);
    expect(li.ids).toEqual(['a', 'b']);
  });
});
