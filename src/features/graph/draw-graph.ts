// Canvas drawing of a laid-out graph: a scene of typed arrays built once per layout, a detail pass
// (edges, nodes, labels culled to the viewport and by zoom) and a cached bitmap of the whole settled
// layout that pan and zoom merely transform, so big graphs stay smooth while the view moves.
import { quadtree, type Quadtree } from 'd3';
import type { GraphNodeType } from '../../core/graph/types.ts';
import type { GraphLayout } from '../../state/graph.svelte.ts';

export const NODE_COLOURS: Record<GraphNodeType, string> = {
  table: '#2563eb',
  column: '#93c5fd',
  product: '#16a34a',
  category: '#d97706',
  brand: '#9333ea',
  seller: '#dc2626',
  user: '#0891b2',
  attribute: '#64748b',
};

/** Above this many nodes, pan and zoom move a cached bitmap and detail is redrawn when the view rests. */
export const BITMAP_THRESHOLD = 1500;

export interface Scene {
  ids: string[];
  labels: string[];
  colours: string[];
  xs: Float32Array;
  ys: Float32Array;
  radii: Float32Array;
  sources: Uint32Array;
  targets: Uint32Array;
  tree: Quadtree<number>;
  bounds: { x0: number; y0: number; x1: number; y1: number };
}

export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

/** Builds the scene of a layout: node size grows with the square root of degree. */
export function buildScene(layout: GraphLayout, degrees: Map<string, number>): Scene {
  const n = layout.ids.length;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  const radii = new Float32Array(n);
  const at = new Map(layout.ids.map((id, i) => [id, i]));
  const labels: string[] = [];
  const colours: string[] = [];
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  layout.graph.nodes.forEach((node, i) => {
    xs[i] = layout.positions[2 * i];
    ys[i] = layout.positions[2 * i + 1];
    radii[i] = 3 + Math.min(12, Math.sqrt(degrees.get(node.id) ?? 0));
    labels.push(node.label);
    colours.push(NODE_COLOURS[node.type]);
    x0 = Math.min(x0, xs[i] - radii[i]); y0 = Math.min(y0, ys[i] - radii[i]);
    x1 = Math.max(x1, xs[i] + radii[i]); y1 = Math.max(y1, ys[i] + radii[i]);
  });
  const s: number[] = [];
  const t: number[] = [];
  for (const l of layout.graph.links) {
    const a = at.get(l.source);
    const b = at.get(l.target);
    if (a !== undefined && b !== undefined && a !== b) { s.push(a); t.push(b); }
  }
  const tree = quadtree<number>().x((i) => xs[i]).y((i) => ys[i]).addAll(Array.from({ length: n }, (_, i) => i));
  if (n === 0) { x0 = y0 = -1; x1 = y1 = 1; }
  return { ids: layout.ids, labels, colours, xs, ys, radii, sources: Uint32Array.from(s), targets: Uint32Array.from(t), tree, bounds: { x0, y0, x1, y1 } };
}

/** The transform that fits the whole scene in a `width` × `height` view with a margin. */
export function fitTransform(scene: Scene, width: number, height: number): ViewTransform {
  const { x0, y0, x1, y1 } = scene.bounds;
  const k = Math.min(4, 0.9 * Math.min(width / Math.max(1, x1 - x0), height / Math.max(1, y1 - y0)));
  return { k, x: width / 2 - k * (x0 + x1) / 2, y: height / 2 - k * (y0 + y1) / 2 };
}

/** The node under screen point (px, py), or undefined. */
export function findNodeAt(scene: Scene, tr: ViewTransform, px: number, py: number): number | undefined {
  const x = (px - tr.x) / tr.k;
  const y = (py - tr.y) / tr.k;
  const i = scene.tree.find(x, y, 20 / tr.k + 12);
  if (i === undefined) return undefined;
  const d = Math.hypot(scene.xs[i] - x, scene.ys[i] - y);
  return d <= scene.radii[i] + 6 / tr.k ? i : undefined;
}

/**
 * Draws the scene under `tr`: edges and nodes inside the viewport, labels where they fit (few nodes
 * on screen, or zoomed in far enough) — the detail pass, also used once for the cached bitmap.
 */
export function drawScene(
  ctx: CanvasRenderingContext2D, scene: Scene, tr: ViewTransform, width: number, height: number,
  options: { selected?: number; labels?: boolean; edges?: boolean; background?: string } = {},
): void {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = options.background ?? '#ffffff';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
  ctx.save();
  ctx.translate(tr.x, tr.y);
  ctx.scale(tr.k, tr.k);
  const vx0 = -tr.x / tr.k, vy0 = -tr.y / tr.k, vx1 = (width - tr.x) / tr.k, vy1 = (height - tr.y) / tr.k;
  const inView = (i: number) => scene.xs[i] >= vx0 - 20 && scene.xs[i] <= vx1 + 20 && scene.ys[i] >= vy0 - 20 && scene.ys[i] <= vy1 + 20;
  const { xs, ys, radii } = scene;
  if (options.edges !== false) {
    ctx.strokeStyle = 'rgba(100, 116, 139, 0.35)';
    ctx.lineWidth = 1 / tr.k;
    ctx.beginPath();
    for (let e = 0; e < scene.sources.length; e++) {
      const a = scene.sources[e], b = scene.targets[e];
      if (!inView(a) && !inView(b)) continue;
      ctx.moveTo(xs[a], ys[a]);
      ctx.lineTo(xs[b], ys[b]);
    }
    ctx.stroke();
  }
  const shown: number[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (!inView(i)) continue;
    shown.push(i);
    ctx.fillStyle = scene.colours[i];
    ctx.beginPath();
    ctx.arc(xs[i], ys[i], radii[i], 0, 2 * Math.PI);
    ctx.fill();
  }
  const sel = options.selected;
  if (sel !== undefined) {
    ctx.strokeStyle = '#111827';
    ctx.lineWidth = 2.5 / tr.k;
    ctx.beginPath();
    ctx.arc(xs[sel], ys[sel], radii[sel] + 3 / tr.k, 0, 2 * Math.PI);
    ctx.stroke();
  }
  if (options.labels !== false) {
    // Labels only where they can be read: every label when few nodes are on screen, else big nodes.
    const minScreenRadius = shown.length <= 300 ? 0 : 7;
    ctx.fillStyle = '#111827';
    ctx.font = `${12 / tr.k}px system-ui, sans-serif`;
    ctx.textBaseline = 'middle';
    for (const i of shown) {
      if (radii[i] * tr.k < minScreenRadius && i !== sel) continue;
      const label = scene.labels[i].length > 28 ? `${scene.labels[i].slice(0, 27)}…` : scene.labels[i];
      ctx.fillText(label, xs[i] + radii[i] + 2 / tr.k, ys[i]);
    }
  }
  ctx.restore();
}

/** The whole settled scene drawn once to an offscreen bitmap (nodes and edges, no labels) at `base`. */
export interface SceneBitmap {
  canvas: HTMLCanvasElement | OffscreenCanvas;
  base: ViewTransform;
}

export function renderBitmap(scene: Scene, width: number, height: number, scale = 2): SceneBitmap {
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas: HTMLCanvasElement | OffscreenCanvas = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(w, h) : Object.assign(document.createElement('canvas'), { width: w, height: h });
  const base = fitTransform(scene, w, h);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  drawScene(ctx, scene, base, w, h, { labels: false });
  return { canvas, base };
}

/** Draws the cached bitmap under view transform `tr` (pan and zoom between detail passes). */
export function drawBitmap(ctx: CanvasRenderingContext2D, bitmap: SceneBitmap, tr: ViewTransform): void {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
  // A bitmap point p maps to world (p - base) / base.k, then to screen tr.
  const s = tr.k / bitmap.base.k;
  ctx.save();
  ctx.translate(tr.x - bitmap.base.x * s, tr.y - bitmap.base.y * s);
  ctx.scale(s, s);
  ctx.drawImage(bitmap.canvas as CanvasImageSource, 0, 0);
  ctx.restore();
}
