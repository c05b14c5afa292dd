// Browser half of `npm run bench:graph`: lays out the seeded synthetic catalogue in the app's layout
// worker (src/lib/graph-client.ts), mounts the app's GraphCanvas on it (render worker, bitmap pan and
// zoom, detail at rest) and exposes hooks the Node driver uses to time a scripted pan/zoom: frames
// (requestAnimationFrame callbacks) and long main-thread tasks (PerformanceObserver 'longtask').
// A page of its own, so nothing of it reaches the app or its navigation.
import { mount } from 'svelte';
import { suggestLayoutOptions, toLayoutInput } from '../../src/core/graph/layout.ts';
import { computeDegrees } from '../../src/core/graph/neighbourhood.ts';
import { generateSyntheticCatalogue } from '../../src/core/graph/synthetic-catalogue.ts';
import GraphCanvas from '../../src/features/graph/GraphCanvas.svelte';
import { startLayout } from '../../src/lib/graph-client.ts';
import { GraphRenderClient } from '../../src/lib/graph-render-client.ts';

/** A main-thread task over 50 ms, relative to the page's time origin. */
export interface LongTask {
  start: number;
  ms: number;
}

export interface GraphBenchReady {
  ok: true;
  nodes: number;
  links: number;
  generateMs: number;
  layoutMs: number;
  layoutTicks: number;
  theta: number;
  /** From positions in hand to the worker's whole-layout image on screen (scene build, mount, render). */
  firstImageMs: number;
  /** Long tasks from page start to the image on screen (generation of the synthetic graph included). */
  setupLongTasks: LongTask[];
  /** Page times (ms) when the layout was started and when its positions arrived. */
  layoutStart: number;
  layoutEnd: number;
  devicePixelRatio: number;
  canvas: { width: number; height: number };
}

export interface PanMeasure {
  frames: number;
  ms: number;
  fps: number;
  longTasks: LongTask[];
  /** Frame gaps: the longest time between two animation frames. */
  longestFrameGapMs: number;
}

type Hooks = {
  __graphBench?: GraphBenchReady | { ok: false; error: string };
  __graphBenchStart?: () => void;
  __graphBenchStop?: () => PanMeasure;
};

const hooks = globalThis as unknown as Hooks;
const out = document.getElementById('out')!;
const longTasks: LongTask[] = [];
const keepLongTasks = (entries: PerformanceEntryList) => {
  for (const e of entries) longTasks.push({ start: e.startTime, ms: e.duration });
};
const observer = new PerformanceObserver((list) => keepLongTasks(list.getEntries()));
observer.observe({ type: 'longtask', buffered: true });

async function run(): Promise<GraphBenchReady> {
  const params = new URLSearchParams(location.search);
  const nodes = Number(params.get('nodes') ?? 50_000);
  const links = Number(params.get('links') ?? 200_000);
  let t = performance.now();
  // In the app the graph comes from the data worker; here the page makes it (a setup cost, reported apart).
  const graph = generateSyntheticCatalogue({ nodes, links, seed: 42 });
  const input = toLayoutInput(graph);
  const degrees = computeDegrees(graph);
  const generateMs = performance.now() - t;
  // Collect the page's own setup garbage now (gc() exists with --expose-gc), so a major GC of it is not
  // counted as a long task of the layout phase, which in the app has no such setup on the main thread.
  (globalThis as { gc?: () => void }).gc?.();
  const settings = suggestLayoutOptions(input.nodeCount, 1);
  const layoutStart = performance.now();
  const positions = await startLayout(input, settings).result;
  const layoutEnd = performance.now();
  const layoutMs = layoutEnd - layoutStart;
  t = performance.now();
  const target = document.getElementById('graph')!;
  mount(GraphCanvas, {
    target,
    props: {
      layout: { graph, positions, ids: input.ids, sources: input.sources, targets: input.targets },
      degrees, selected: null, onselect: () => {}, typeLabel: (type: string) => type, renderer: new GraphRenderClient(),
    },
  });
  const canvas = target.querySelector('canvas')!;
  await new Promise<void>((resolve) => {
    const check = () => (canvas.dataset.ready === 'whole' ? resolve() : requestAnimationFrame(check));
    check();
  });
  const firstImageMs = performance.now() - t;
  keepLongTasks(observer.takeRecords());
  return {
    ok: true, nodes: input.nodeCount, links: input.sources.length, generateMs, layoutMs,
    layoutTicks: settings.iterations ?? 300, theta: settings.theta ?? 0.9, firstImageMs,
    setupLongTasks: longTasks.slice(), layoutStart, layoutEnd, devicePixelRatio: devicePixelRatio, canvas: { width: canvas.width, height: canvas.height },
  };
}

let measuring = false;
let frames = 0;
let since = 0;
let lastFrame = 0;
let longestGap = 0;
let longFrom = 0;

function onFrame(now: number): void {
  if (!measuring) return;
  frames++;
  if (lastFrame > 0) longestGap = Math.max(longestGap, now - lastFrame);
  lastFrame = now;
  requestAnimationFrame(onFrame);
}

hooks.__graphBenchStart = () => {
  measuring = true;
  frames = 0;
  lastFrame = 0;
  longestGap = 0;
  since = performance.now();
  longFrom = longTasks.length;
  requestAnimationFrame(onFrame);
};

hooks.__graphBenchStop = () => {
  measuring = false;
  keepLongTasks(observer.takeRecords());
  const ms = performance.now() - since;
  return { frames, ms, fps: (frames * 1000) / ms, longTasks: longTasks.slice(longFrom), longestFrameGapMs: longestGap };
};

run().then(
  (ready) => {
    out.textContent = JSON.stringify(ready, null, 2);
    hooks.__graphBench = ready;
  },
  (e: unknown) => {
    hooks.__graphBench = { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    out.textContent = hooks.__graphBench.error;
  },
);
