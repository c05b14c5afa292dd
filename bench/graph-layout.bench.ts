// `npm run bench:graph`: the seeded synthetic catalogue (50,000 nodes, 200,000 links) laid out and drawn.
// 1. Node, per tick: d3-force (src/core/graph/d3-layout.ts) against the typed-array layout
//    (src/core/graph/layout.ts) over the same first ticks, with d3's defaults and with the app's settings
//    before (d3-force, 120 ticks, theta 1.5, distanceMax 300) and now; the baseline is the old layout's
//    full run extrapolated from its first BENCH_BASE_TICKS ticks (said so in the output).
// 2. Node, the settings the app uses now (suggestLayoutOptions), run whole: time and a quality ratio (mean
//    link length / mean distance of random node pairs: lower means linked nodes sit closer together).
// 3. Headless Chromium (bench/graph-browser): layout time in the app's layout worker, the first image from
//    the render worker, frames per second during 5 s of scripted drag and wheel input with the layout
//    settled, and the longest main-thread task (PerformanceObserver 'longtask').
// BENCH_NODES / BENCH_LINKS change the size; BENCH_FULL=1 also runs the typed-array layout with d3's
// defaults for all 300 ticks; BENCH_BROWSER=0 skips Chromium.
import { cpus, loadavg } from 'node:os';
import { layoutGraphD3 } from '../src/core/graph/d3-layout.ts';
import { layoutGraph, suggestLayoutOptions, toLayoutInput, type LayoutInput, type LayoutOptions } from '../src/core/graph/layout.ts';
import { generateSyntheticCatalogue } from '../src/core/graph/synthetic-catalogue.ts';
import { mulberry32 } from '../src/core/util/random.ts';
import { measureGraphInChromium } from './graph-browser.bench.ts';

const nodes = Number(process.env.BENCH_NODES ?? 50_000);
const links = Number(process.env.BENCH_LINKS ?? 200_000);
const baseTicks = Number(process.env.BENCH_BASE_TICKS ?? 20);

const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${load()} (wall times on a shared machine follow its load; CPU times less so)`);
let t = performance.now();
const graph = generateSyntheticCatalogue({ nodes, links, seed: 42 });
const input = toLayoutInput(graph);
console.log(`graph: ${graph.nodes.length.toLocaleString()} nodes, ${input.sources.length.toLocaleString()} links (seed 42), built in ${(performance.now() - t).toFixed(0)} ms`);

function measureQuality(li: LayoutInput, pos: Float32Array): number {
  const dist = (a: number, b: number) => Math.hypot(pos[2 * a] - pos[2 * b], pos[2 * a + 1] - pos[2 * b + 1]);
  let linkSum = 0;
  for (let i = 0; i < li.sources.length; i++) linkSum += dist(li.sources[i], li.targets[i]);
  const rand = mulberry32(7);
  let pairSum = 0;
  const pairs = 100_000;
  for (let i = 0; i < pairs; i++) pairSum += dist(Math.floor(rand() * li.nodeCount), Math.floor(rand() * li.nodeCount));
  return linkSum / li.sources.length / (pairSum / pairs);
}

/** Runs a layout, returning wall and CPU milliseconds and the positions. */
function time(run: () => Float32Array): { ms: number; cpuMs: number; pos: Float32Array } {
  globalThis.gc?.();
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const pos = run();
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, pos };
}

const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// 1. Per tick over the same first ticks of the same schedule, both implementations: d3's defaults
// (theta 0.9, 300-tick schedule), and what the app ran before this layout existed (d3-force, 120 ticks,
// theta 1.5, distanceMax 300) against what it runs now (typed arrays, 120 ticks, theta 1.5).
const preset = suggestLayoutOptions(nodes, 1);
const oldPreset: LayoutOptions = { seed: 1, iterations: 120, theta: 1.5, distanceMax: 300 };
function timeTicks(fn: (li: LayoutInput, o: LayoutOptions) => Float32Array, settings: LayoutOptions, ticks: number): { ms: number; cpuMs: number } {
  // Run the real schedule but stop after `ticks`: the first ticks of the real run.
  const ctl = new AbortController();
  const cpu0 = process.cpuUsage();
  t = performance.now();
  try {
    fn(input, { ...settings, progressEvery: ticks, onProgress: (done) => done >= ticks && ctl.abort(), signal: ctl.signal });
  } catch (e) {
    if (!(e instanceof DOMException && e.name === 'AbortError')) throw e;
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms: (performance.now() - t) / ticks, cpuMs: (cpu.user + cpu.system) / 1000 / ticks };
}
const perTick = (x: { ms: number; cpuMs: number }) => `${x.ms.toFixed(0)} ms/tick wall, ${x.cpuMs.toFixed(0)} ms/tick CPU`;
const ratio = (a: { ms: number; cpuMs: number }, b: { ms: number; cpuMs: number }) => `${(a.ms / b.ms).toFixed(1)}x wall, ${(a.cpuMs / b.cpuMs).toFixed(1)}x CPU`;

const defaultTicks = Math.max(1, Math.round(baseTicks / 2));
const d3Defaults = timeTicks(layoutGraphD3, { seed: 1 }, defaultTicks);
const ourDefaults = timeTicks(layoutGraph, { seed: 1 }, defaultTicks);
console.log(`\n[Node] first ${defaultTicks} ticks, d3's defaults (theta 0.9), same start and forces:`);
console.log(`  d3-force:            ${perTick(d3Defaults)} (load ${load()})`);
console.log(`  typed-array layout:  ${perTick(ourDefaults)}  → ${ratio(d3Defaults, ourDefaults)} faster per tick`);

const d3Old = timeTicks(layoutGraphD3, oldPreset, baseTicks);
const ourNew = timeTicks(layoutGraph, preset, baseTicks);
console.log(`[Node] first ${baseTicks} ticks, the app's settings at this size:`);
console.log(`  before, d3-force (120 ticks, theta 1.5, distanceMax 300): ${perTick(d3Old)} (load ${load()})`);
console.log(`  now, typed arrays (${preset.iterations ?? 300} ticks, theta ${preset.theta ?? 0.9}):          ${perTick(ourNew)}  → ${ratio(d3Old, ourNew)} faster per tick`);
const oldTicks = oldPreset.iterations!;
const baseline = { ms: d3Old.ms * oldTicks, cpuMs: d3Old.cpuMs * oldTicks };
console.log(`  baseline, the old d3-force layout for all ${oldTicks} ticks: ${fmtS(baseline.ms)} wall, ${fmtS(baseline.cpuMs)} CPU — extrapolated from its first ${baseTicks} ticks, not run`);

if (process.env.BENCH_FULL === '1') {
  const full = time(() => layoutGraph(input, { seed: 1 }));
  console.log(`  typed-array, d3's defaults, all 300 ticks (run): ${fmtS(full.ms)} wall, ${fmtS(full.cpuMs)} CPU, quality ${measureQuality(input, full.pos).toFixed(3)}`);
}

// 2. What the app runs now, the whole run.
const suggested = time(() => layoutGraph(input, preset));
console.log(`\n[Node] the app's layout now, all ${preset.iterations ?? 300} ticks (run): ${fmtS(suggested.ms)} wall, ${fmtS(suggested.cpuMs)} CPU, quality ${measureQuality(input, suggested.pos).toFixed(3)}`);
console.log(`  (the same extrapolation from its first ${baseTicks} ticks would say ${fmtS(ourNew.cpuMs * (preset.iterations ?? 300))} CPU)`);
console.log(`  against the old d3-force baseline: ${(baseline.ms / suggested.ms).toFixed(1)}x wall, ${(baseline.cpuMs / suggested.cpuMs).toFixed(1)}x CPU`);

// 3. The browser: layout worker, render worker, pan/zoom.
if (process.env.BENCH_BROWSER !== '0') {
  console.log(`\n[Chromium] building and running bench/graph-browser (load ${load()}) …`);
  const r = await measureGraphInChromium(nodes, links, 5);
  const { ready, pan } = r;
  const longest = (tasks: { ms: number }[]) => (tasks.length ? Math.max(...tasks.map((x) => x.ms)) : 0);
  console.log(`  Chromium ${r.chromiumVersion}, canvas ${ready.canvas.width}×${ready.canvas.height} px, devicePixelRatio ${ready.devicePixelRatio}, no GPU`);
  console.log(`  layout in the worker (${ready.layoutTicks} ticks, theta ${ready.theta}): ${fmtS(ready.layoutMs)} wall; renderer CPU from page load to first image ${r.rendererCpuToFirstImageS?.toFixed(1)} s (graph generation and first render included)`);
  console.log(`  against the old d3-force baseline in Node (extrapolated, above): ${(baseline.ms / ready.layoutMs).toFixed(1)}x wall`);
  console.log(`  first image of the settled layout (scene, render worker, on screen): ${ready.firstImageMs.toFixed(0)} ms`);
  console.log(`  pan/zoom, ${(pan.ms / 1000).toFixed(1)} s of drags and wheel zooms: ${pan.fps.toFixed(1)} fps (${pan.frames} animation frames), longest frame gap ${pan.longestFrameGapMs.toFixed(0)} ms`);
  console.log(`  long main-thread tasks during pan/zoom: ${pan.longTasks.length}, longest ${longest(pan.longTasks).toFixed(0)} ms (target: none over 100 ms)`);
  console.log(`  detail of the resting view on screen ${r.detailAfterRestMs} ms after the input stopped`);
  const list = (tasks: { ms: number }[]) => tasks.map((x) => `${x.ms.toFixed(0)} ms`).join(', ') || 'none';
  const before = ready.setupLongTasks.filter((x) => x.start < ready.layoutStart);
  const during = ready.setupLongTasks.filter((x) => x.start >= ready.layoutStart && x.start < ready.layoutEnd);
  const after = ready.setupLongTasks.filter((x) => x.start >= ready.layoutEnd);
  console.log(`  long tasks while the bench page makes the graph on its main thread (the app gets it from its data worker): ${list(before)}`);
  console.log(`  long tasks while the layout runs in the worker: ${list(during)}`);
  console.log(`  long tasks from positions in hand to the first image (scene build, mount, scene sent to the render worker): ${list(after)}`);
  console.log(`  targets: ≥ 30 fps during pan — ${pan.fps >= 30 ? 'met' : 'NOT met'}; no main-thread block over 100 ms during pan — ${longest(pan.longTasks) <= 100 ? 'met' : 'NOT met'}`);
}
