// `npx tsx bench/graph-layout.bench.ts`: seeded d3-force layout of a synthetic catalogue of 50,000 nodes
// and 200,000 links in Node (the same code the layout worker runs), against d3's defaults as the
// baseline. Prints time, ms per tick, peak heap and a quality ratio (mean link length / mean distance
// of random node pairs: lower means linked nodes sit closer together).
import { cpus, loadavg } from 'node:os';
import { layoutGraph, suggestLayoutOptions, toLayoutInput, type LayoutOptions } from '../src/core/graph/layout.ts';
import { generateSyntheticCatalogue } from '../src/core/graph/synthetic-catalogue.ts';
import { mulberry32 } from '../src/core/util/random.ts';

const nodes = Number(process.env.BENCH_NODES ?? 50_000);
const links = Number(process.env.BENCH_LINKS ?? 200_000);
const only = process.env.BENCH_CONFIG;

let t = performance.now();
const graph = generateSyntheticCatalogue({ nodes, links, seed: 42 });
const input = toLayoutInput(graph);
// Wall time on a shared machine depends on its load; CPU time of this single-threaded loop does not as much.
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`graph: ${graph.nodes.length.toLocaleString()} nodes, ${input.sources.length.toLocaleString()} links (seed 42), built in ${(performance.now() - t).toFixed(0)} ms`);

function measureQuality(pos: Float32Array): number {
  const dist = (a: number, b: number) => Math.hypot(pos[2 * a] - pos[2 * b], pos[2 * a + 1] - pos[2 * b + 1]);
  let linkSum = 0;
  for (let i = 0; i < input.sources.length; i++) linkSum += dist(input.sources[i], input.targets[i]);
  const rand = mulberry32(7);
  let pairSum = 0;
  const pairs = 100_000;
  for (let i = 0; i < pairs; i++) pairSum += dist(Math.floor(rand() * nodes), Math.floor(rand() * nodes));
  return linkSum / input.sources.length / (pairSum / pairs);
}

// BENCH_TICKS scales both runs down for a quick look on a busy machine (default 300, d3's own).
const ticks = Number(process.env.BENCH_TICKS ?? 300);
// The fast run is `suggestLayoutOptions` for this size (120 ticks at 50k nodes), scaled with BENCH_TICKS.
const preset = suggestLayoutOptions(nodes, 1);
const fastTicks = Math.round(((preset.iterations ?? 300) * ticks) / 300);
const configs: [string, LayoutOptions][] = [
  [`baseline: d3 defaults (${ticks} ticks, theta 0.9)`, { seed: 1, iterations: ticks }],
  [`suggested: ${fastTicks} ticks, theta ${preset.theta ?? 0.9}, distanceMax ${preset.distanceMax ?? 'none'}`, { ...preset, iterations: fastTicks }],
];
const results: { name: string; ms: number }[] = [];
for (const [name, opts] of configs) {
  if (only && !name.startsWith(only)) continue;
  globalThis.gc?.();
  let peak = process.memoryUsage().heapUsed;
  t = performance.now();
  const cpu0 = process.cpuUsage();
  const pos = layoutGraph(input, { ...opts, progressEvery: 10, onProgress: () => (peak = Math.max(peak, process.memoryUsage().heapUsed)) });
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  results.push({ name, ms });
  console.log(
    `${name}: ${(ms / 1000).toFixed(2)} s wall (${(cpuMs / 1000).toFixed(2)} s CPU), ${(ms / (opts.iterations ?? 300)).toFixed(1)} ms/tick wall, ` +
      `${(cpuMs / (opts.iterations ?? 300)).toFixed(1)} ms/tick CPU, peak heap ${(peak / 2 ** 20).toFixed(0)} MiB, ` +
      `quality ${measureQuality(pos).toFixed(3)}`,
  );
}
if (results.length === 2) console.log(`speed-up of suggested over baseline: ${(results[0].ms / results[1].ms).toFixed(2)}x`);
