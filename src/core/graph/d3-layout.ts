// The same layout through d3-force itself (object nodes, d3's quadtree): the reference that the
// typed-array layout in layout.ts is measured and checked against (benchmark baseline, quality test).
import { forceLink, forceManyBody, forceSimulation, forceX, forceY, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3';
import { throwIfAborted } from '../errors.ts';
import { mulberry32 } from '../util/random.ts';
import { placeOnSpiral, type LayoutInput, type LayoutOptions } from './layout.ts';

/** `layoutGraph` run by d3-force's simulation with the same start, forces and alpha schedule. */
export function layoutGraphD3(input: LayoutInput, options: LayoutOptions = {}): Float32Array {
  const n = input.nodeCount;
  const iterations = Math.max(1, Math.floor(options.iterations ?? 300));
  const rand = mulberry32(options.seed ?? 1);
  const start = placeOnSpiral(n, rand);
  const nodes: SimulationNodeDatum[] = Array.from({ length: n }, (_, i) => ({ index: i, x: start.xs[i], y: start.ys[i] }));
  const links: SimulationLinkDatum<SimulationNodeDatum>[] = Array.from(input.sources, (s, i) => ({ source: s, target: input.targets[i] }));
  const alphaMin = 0.001;
  const many = forceManyBody().strength(options.charge ?? -30).theta(options.theta ?? 0.9);
  if (options.distanceMax !== undefined) many.distanceMax(options.distanceMax);
  const gravity = options.gravity ?? 0.05;
  const sim = forceSimulation(nodes)
    .stop()
    .randomSource(rand)
    .alphaMin(alphaMin)
    .alphaDecay(1 - Math.pow(alphaMin, 1 / iterations))
    .velocityDecay(options.velocityDecay ?? 0.4)
    .force('charge', many)
    .force('link', forceLink(links).distance(options.linkDistance ?? 30))
    .force('x', forceX(0).strength(gravity))
    .force('y', forceY(0).strength(gravity));
  const every = Math.max(1, options.progressEvery ?? 10);
  for (let done = 0; done < iterations; ) {
    throwIfAborted(options.signal);
    const step = Math.min(every, iterations - done);
    sim.tick(step);
    done += step;
    options.onProgress?.(done, iterations);
  }
  const out = new Float32Array(2 * n);
  nodes.forEach((d, i) => {
    out[2 * i] = d.x ?? 0;
    out[2 * i + 1] = d.y ?? 0;
  });
  return out;
}
