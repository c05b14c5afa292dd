// Seeded typed-array force layout: the same seed gives the same Float32Array bit for bit, another seed
// a different one; with Barnes–Hut off it is d3-force's own result, with it on it matches d3-force's
// quality; the flat quadtree's forces equal the brute-force sum; links settle near their rest length.
import { describe, expect, it } from 'vitest';
import { BarnesHutTree } from '../../../src/core/graph/barnes-hut.ts';
import { layoutGraphD3 } from '../../../src/core/graph/d3-layout.ts';
import { layoutGraph, placeOnSpiral, toLayoutInput, type LayoutInput } from '../../../src/core/graph/layout.ts';
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

/** Mean linked-pair distance over mean distance of seeded random pairs: lower means linked nodes sit closer. */
function measureQuality(li: LayoutInput, pos: Float32Array): { ratio: number; meanLink: number } {
  const d = (a: number, b: number) => Math.hypot(pos[2 * a] - pos[2 * b], pos[2 * a + 1] - pos[2 * b + 1]);
  let link = 0;
  for (let e = 0; e < li.sources.length; e++) link += d(li.sources[e], li.targets[e]);
  const rand = mulberry32(9);
  let pair = 0;
  const pairs = 20_000;
  for (let k = 0; k < pairs; k++) pair += d(Math.floor(rand() * li.nodeCount), Math.floor(rand() * li.nodeCount));
  return { ratio: link / li.sources.length / (pair / pairs), meanLink: link / li.sources.length };
}

describe('layoutGraph against d3-force', () => {
  it('equals d3-force bit for bit (Float32) when Barnes–Hut is effectively off (theta 0.001)', () => {
    const small = toLayoutInput(generateSyntheticCatalogue({ nodes: 120, links: 300, seed: 5 }));
    for (const iterations of [5, 100]) {
      const ours = layoutGraph(small, { seed: 3, iterations, theta: 1e-3 });
      const d3s = layoutGraphD3(small, { seed: 3, iterations, theta: 1e-3 });
      expect(Buffer.from(ours.buffer).equals(Buffer.from(d3s.buffer))).toBe(true);
    }
  });

  it('matches d3-force quality on a mid-size graph with Barnes–Hut on (theta 0.9, 300 ticks)', () => {
    const mid = toLayoutInput(generateSyntheticCatalogue({ nodes: 1200, links: 4200, seed: 21 }));
    const ours = measureQuality(mid, layoutGraph(mid, { seed: 1 }));
    const d3s = measureQuality(mid, layoutGraphD3(mid, { seed: 1 }));
    expect(Math.abs(ours.ratio - d3s.ratio)).toBeLessThan(0.03 * d3s.ratio);
    expect(Math.abs(ours.meanLink - d3s.meanLink)).toBeLessThan(0.05 * d3s.meanLink);
    // And linked nodes really sit closer than random pairs.
    expect(ours.ratio).toBeLessThan(0.75);
  });
});

describe('layoutGraph on a small graph', () => {
  it('settles a ring of 12 near the rest length, evenly, with far less spring energy than at the start', () => {
    const n = 12;
    const ring: LayoutInput = { nodeCount: n, sources: Uint32Array.from({ length: n }, (_, i) => i), targets: Uint32Array.from({ length: n }, (_, i) => (i + 1) % n) };
    const start = placeOnSpiral(n, mulberry32(1));
    const pos = layoutGraph(ring, { seed: 1 });
    const lengths = Array.from({ length: n }, (_, i) => Math.hypot(pos[2 * i] - pos[2 * ((i + 1) % n)], pos[2 * i + 1] - pos[2 * ((i + 1) % n) + 1]));
    const mean = lengths.reduce((a, b) => a + b, 0) / n;
    expect(mean).toBeGreaterThan(25);
    expect(mean).toBeLessThan(60);
    for (const l of lengths) expect(Math.abs(l - mean)).toBeLessThan(0.2 * mean);
    const energy = (len: (i: number) => number) => Array.from({ length: n }, (_, i) => (len(i) - 30) ** 2).reduce((a, b) => a + b, 0);
    const before = energy((i) => Math.hypot(start.xs[i] - start.xs[(i + 1) % n], start.ys[i] - start.ys[(i + 1) % n]));
    const after = energy((i) => lengths[i]);
    expect(after).toBeLessThan(0.2 * before);
    // The ring opens into a cycle: opposite nodes sit about a diameter apart, not folded together.
    const opposite = Math.hypot(pos[0] - pos[2 * (n / 2)], pos[1] - pos[2 * (n / 2) + 1]);
    expect(opposite).toBeGreaterThan((0.6 * n * mean) / Math.PI);
  });
});

describe('BarnesHutTree', () => {
  // Seeded points with a few exact duplicates, which d3 separates by a seeded jiggle.
  const rand = mulberry32(4);
  const n = 300;
  const xs = Float64Array.from({ length: n }, () => (rand() - 0.5) * 400);
  const ys = Float64Array.from({ length: n }, () => (rand() - 0.5) * 400);
  xs[7] = xs[3];
  ys[7] = ys[3];

  function bruteForce(alpha: number): { vx: Float64Array; vy: Float64Array } {
    const vx = new Float64Array(n);
    const vy = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const dx = xs[j] - xs[i], dy = ys[j] - ys[i];
        let l = dx * dx + dy * dy;
        if (l === 0) continue;
        if (l < 1) l = Math.sqrt(l);
        vx[i] += (dx * -30 * alpha) / l;
        vy[i] += (dy * -30 * alpha) / l;
      }
    }
    return { vx, vy };
  }

  it('gives the exact pairwise sum with theta 0 and stays within 2% of it with theta 0.9', () => {
    const exact = bruteForce(0.5);
    const tree = new BarnesHutTree();
    tree.build(xs, ys, n);
    for (const [theta, tolerance] of [[0, 1e-9], [0.9, 0.02]] as const) {
      const vx = new Float64Array(n);
      const vy = new Float64Array(n);
      tree.applyManyBody(xs, ys, vx, vy, n, -30, 0.5, theta, Infinity, mulberry32(1));
      let err = 0;
      let norm = 0;
      for (let i = 0; i < n; i++) {
        if (i === 3 || i === 7) continue; // the duplicate pair's mutual push is a seeded jiggle
        err += Math.hypot(vx[i] - exact.vx[i], vy[i] - exact.vy[i]);
        norm += Math.hypot(exact.vx[i], exact.vy[i]);
      }
      expect(err / norm).toBeLessThan(tolerance);
      expect(vx.every(Number.isFinite) && vy.every(Number.isFinite)).toBe(true);
    }
  });

  it('ignores bodies beyond distanceMax', () => {
    const tree = new BarnesHutTree();
    const px = Float64Array.from([0, 10, 1000]);
    const py = Float64Array.from([0, 0, 0]);
    tree.build(px, py, 3);
    const vx = new Float64Array(3);
    const vy = new Float64Array(3);
    tree.applyManyBody(px, py, vx, vy, 3, -30, 1, 0.9, 100, mulberry32(1));
    expect(vx[0]).toBeCloseTo(-3, 12); // pushed away from node 1 only: 10 · -30 / 100
    expect(vx[2]).toBe(0);
  });
});
