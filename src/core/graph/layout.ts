// Seeded force-directed layout of a graph on typed arrays: d3-force's forces and schedule (Barnes–Hut
// many-body, link springs with d3's strength and bias, x/y gravity, velocity decay, alpha decay) with
// Float64Array state and a flat quadtree per tick, no timers, so it runs the same in a Web Worker, in
// Node tests and in the benchmark, about 15-20x faster than d3-force's object graph on 50k nodes.
import { throwIfAborted } from '../errors.ts';
import { mulberry32, shuffleInPlace } from '../util/random.ts';
import { BarnesHutTree, jiggle } from './barnes-hut.ts';
import type { KnowledgeGraph } from './types.ts';

/** A graph as index arrays: link i joins node `sources[i]` to node `targets[i]`. Transferable. */
export interface LayoutInput {
  nodeCount: number;
  sources: Uint32Array;
  targets: Uint32Array;
}

export interface LayoutOptions {
  /** Seed of the initial placement and of the jiggle of coincident points (default 1). */
  seed?: number;
  /** Ticks to run; alpha decays to alphaMin over exactly this many (default 300, d3's own). */
  iterations?: number;
  /** Barnes–Hut accuracy: larger is faster and coarser (default 0.9, d3's own). */
  theta?: number;
  /** Many-body strength, negative repels (default -30, d3's own). */
  charge?: number;
  /** Many-body cut-off distance, which bounds the work per node on big graphs (default Infinity). */
  distanceMax?: number;
  /** Link rest length (default 30, d3's own). */
  linkDistance?: number;
  /** Pull towards the origin that keeps disconnected parts on screen (default 0.05). */
  gravity?: number;
  /** Fraction of velocity lost per tick (default 0.4, d3's own). */
  velocityDecay?: number;
  /** Called every `progressEvery` ticks (default 10) with ticks done and total. */
  onProgress?: (done: number, total: number) => void;
  /** Called with the positions so far at each progress step, for progressive drawing (a fresh copy). */
  onPositions?: (positions: Float32Array, done: number) => void;
  progressEvery?: number;
  signal?: AbortSignal;
}

/** Index arrays of a knowledge graph, with the node ids in index order; links to unknown ids are dropped. */
export function toLayoutInput(graph: KnowledgeGraph): LayoutInput & { ids: string[] } {
  const ids = graph.nodes.map((n) => n.id);
  const at = new Map(ids.map((id, i) => [id, i]));
  const s: number[] = [];
  const t: number[] = [];
  for (const l of graph.links) {
    const a = at.get(l.source);
    const b = at.get(l.target);
    if (a === undefined || b === undefined || a === b) continue;
    s.push(a);
    t.push(b);
  }
  return { nodeCount: ids.length, sources: Uint32Array.from(s), targets: Uint32Array.from(t), ids };
}

/**
 * d3's initial placement (the phyllotaxis spiral, radius 10·√(0.5 + k)) with nodes taking the spiral's
 * slots in a seeded order, so nothing depends on node order and a seed always gives the same start.
 */
export function placeOnSpiral(n: number, rand: () => number): { xs: Float64Array; ys: Float64Array } {
  const slots = shuffleInPlace(Array.from({ length: n }, (_, i) => i), rand);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const initialAngle = Math.PI * (3 - Math.sqrt(5));
  for (let i = 0; i < n; i++) {
    const k = slots[i];
    const r = 10 * Math.sqrt(0.5 + k);
    xs[i] = r * Math.cos(k * initialAngle);
    ys[i] = r * Math.sin(k * initialAngle);
  }
  return { xs, ys };
}

/** Per-link strength 1/min(degree) and bias deg(s)/(deg(s)+deg(t)): d3's forceLink defaults. */
function computeLinkWeights(input: LayoutInput): { strength: Float64Array; bias: Float64Array } {
  const degree = new Uint32Array(input.nodeCount);
  const m = input.sources.length;
  for (let e = 0; e < m; e++) {
    degree[input.sources[e]]++;
    degree[input.targets[e]]++;
  }
  const strength = new Float64Array(m);
  const bias = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const a = degree[input.sources[e]];
    const b = degree[input.targets[e]];
    strength[e] = 1 / Math.min(a, b);
    bias[e] = a / (a + b);
  }
  return { strength, bias };
}

/**
 * Lays out the graph and returns positions as `[x0, y0, x1, y1, …]`. Each tick is d3-force's: alpha
 * decays, then many-body, links, x and y act on the velocities in that order, then velocities decay
 * and move the nodes. A seed gives the same Float32Array bit for bit.
 */
export function layoutGraph(input: LayoutInput, options: LayoutOptions = {}): Float32Array {
  const n = input.nodeCount;
  const iterations = Math.max(1, Math.floor(options.iterations ?? 300));
  const rand = mulberry32(options.seed ?? 1);
  const { xs, ys } = placeOnSpiral(n, rand);
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  const { sources, targets } = input;
  const m = sources.length;
  const { strength: linkStrength, bias } = computeLinkWeights(input);
  const charge = options.charge ?? -30;
  const theta = options.theta ?? 0.9;
  const distanceMax = options.distanceMax ?? Infinity;
  const distance = options.linkDistance ?? 30;
  const gravity = options.gravity ?? 0.05;
  const keep = 1 - (options.velocityDecay ?? 0.4);
  const alphaMin = 0.001;
  const alphaDecay = 1 - Math.pow(alphaMin, 1 / iterations);
  let alpha = 1;
  const tree = new BarnesHutTree();
  const every = Math.max(1, options.progressEvery ?? 10);

  for (let done = 0; done < iterations; ) {
    throwIfAborted(options.signal);
    const step = Math.min(every, iterations - done);
    for (let s = 0; s < step; s++) {
      alpha += -alpha * alphaDecay;
      // Many-body (Barnes–Hut).
      tree.build(xs, ys, n);
      tree.applyManyBody(xs, ys, vx, vy, n, charge, alpha, theta, distanceMax, rand);
      // Link springs, one pass in link order as d3's forceLink with iterations 1 (it reads the
      // velocities the earlier links of this pass already changed).
      for (let e = 0; e < m; e++) {
        const a = sources[e], b = targets[e];
        let dx = xs[b] + vx[b] - xs[a] - vx[a] || jiggle(rand);
        let dy = ys[b] + vy[b] - ys[a] - vy[a] || jiggle(rand);
        let l = Math.sqrt(dx * dx + dy * dy);
        l = ((l - distance) / l) * alpha * linkStrength[e];
        dx *= l;
        dy *= l;
        const bb = bias[e];
        vx[b] -= dx * bb;
        vy[b] -= dy * bb;
        vx[a] += dx * (1 - bb);
        vy[a] += dy * (1 - bb);
      }
      // Gravity towards (0, 0) in x and y, then velocity decay and the move.
      const g = gravity * alpha;
      for (let i = 0; i < n; i++) {
        vx[i] += -xs[i] * g;
        vy[i] += -ys[i] * g;
        xs[i] += vx[i] *= keep;
        ys[i] += vy[i] *= keep;
      }
    }
    done += step;
    options.onProgress?.(done, iterations);
    if (options.onPositions && done < iterations) options.onPositions(readPositions(xs, ys), done);
  }
  return readPositions(xs, ys);
}

function readPositions(xs: Float64Array, ys: Float64Array): Float32Array {
  const out = new Float32Array(2 * xs.length);
  for (let i = 0; i < xs.length; i++) {
    out[2 * i] = xs[i];
    out[2 * i + 1] = ys[i];
  }
  return out;
}

/**
 * Settings by graph size: d3's defaults up to 5,000 nodes; above, a coarser Barnes–Hut and fewer
 * ticks, which keeps 50k nodes / 200k links well under 30 s in a worker (see `npm run bench:graph`).
 */
export function suggestLayoutOptions(nodeCount: number, seed = 1): LayoutOptions {
  if (nodeCount <= 5000) return { seed };
  return nodeCount <= 20_000 ? { seed, iterations: 200, theta: 1.2 } : { seed, iterations: 120, theta: 1.5 };
}
