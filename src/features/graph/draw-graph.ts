// Page-side drawing of a laid-out graph: the scene of typed arrays built once per layout (with a
// flat grid index for hit-testing and an adjacency index for neighbourhoods), the cheap compositing of
// images the render worker made, and the small overlay (selection, hovered neighbourhood) on top.
import { buildPointGrid, findNearestPoint, type PointGrid } from '../../core/graph/point-grid.ts';
import { computeBounds, drawRing, fitTransform as fitBounds, type Bounds, type RenderScene, type ViewTransform } from '../../core/graph/render-scene.ts';
import type { GraphNodeType } from '../../core/graph/types.ts';
import type { GraphLayout } from '../../state/graph.svelte.ts';

export type { ViewTransform };

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

const PALETTE_TYPES = Object.keys(NODE_COLOURS) as GraphNodeType[];

/** Above this many nodes the render worker draws; the page only composites its images. */
export const BITMAP_THRESHOLD = 1500;

/** Neighbourhood edges drawn in the overlay at most (a hub's thousands would be a blur anyway). */
const OVERLAY_EDGES = 2000;

export interface Scene extends RenderScene {
  ids: string[];
  labels: string[];
  /** Spatial index of the nodes for hit-testing. */
  grid: PointGrid;
  bounds: Bounds;
  /** Neighbours of node i: `adjacent[offsets[i] … offsets[i + 1])` (CSR, both directions). */
  offsets: Uint32Array;
  adjacent: Uint32Array;
}

/** Builds the scene of a layout: node size grows with the square root of degree. */
export function buildScene(layout: GraphLayout, degrees: Map<string, number>): Scene {
  const n = layout.ids.length;
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  const radii = new Float32Array(n);
  const colours = new Uint8Array(n);
  const labels: string[] = new Array(n);
  const nodes = layout.graph.nodes;
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    xs[i] = layout.positions[2 * i];
    ys[i] = layout.positions[2 * i + 1];
    radii[i] = 3 + Math.min(12, Math.sqrt(degrees.get(node.id) ?? 0));
    labels[i] = node.label;
    colours[i] = PALETTE_TYPES.indexOf(node.type);
  }
  const { sources, targets } = layout;
  const offsets = new Uint32Array(n + 1);
  for (let e = 0; e < sources.length; e++) {
    offsets[sources[e] + 1]++;
    offsets[targets[e] + 1]++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const adjacent = new Uint32Array(2 * sources.length);
  for (let e = 0; e < sources.length; e++) {
    adjacent[fill[sources[e]]++] = targets[e];
    adjacent[fill[targets[e]]++] = sources[e];
  }
  const grid = buildPointGrid(xs, ys);
  const palette = PALETTE_TYPES.map((t) => NODE_COLOURS[t]);
  return { ids: layout.ids, labels, xs, ys, radii, colours, palette, sources, targets, grid, bounds: computeBounds({ xs, ys, radii }), offsets, adjacent };
}

/** The transform that fits the whole scene in a `width` × `height` view with a margin. */
export function fitTransform(scene: Scene, width: number, height: number): ViewTransform {
  return fitBounds(scene.bounds, width, height);
}

/** The node under screen point (px, py), or undefined: a grid search of nearby cells, never a scan. */
export function findNodeAt(scene: Scene, tr: ViewTransform, px: number, py: number): number | undefined {
  const x = (px - tr.x) / tr.k;
  const y = (py - tr.y) / tr.k;
  const i = findNearestPoint(scene.grid, x, y, 20 / tr.k + 12);
  if (i === undefined) return undefined;
  const d = Math.hypot(scene.xs[i] - x, scene.ys[i] - y);
  return d <= scene.radii[i] + 6 / tr.k ? i : undefined;
}

/** An image of the scene with the transform it was drawn under (in the image's own pixels). */
export interface PlacedImage {
  bitmap: CanvasImageSource & { width: number; height: number };
  transform: ViewTransform;
}

/**
 * Draws `image` so that its world sits under the view transform `tr` (the context in CSS pixels):
 * an image pixel p is world (p − t) / t.k, which the view puts at world · tr.k + tr.
 */
export function drawPlacedImage(ctx: CanvasRenderingContext2D, image: PlacedImage, tr: ViewTransform): void {
  const s = tr.k / image.transform.k;
  ctx.save();
  ctx.translate(tr.x - image.transform.x * s, tr.y - image.transform.y * s);
  ctx.scale(s, s);
  ctx.imageSmoothingEnabled = s < 4;
  ctx.drawImage(image.bitmap, 0, 0);
  ctx.restore();
}

/**
 * The overlay drawn by the page on every frame: the hovered and selected nodes' links and neighbours
 * highlighted, rings, and their labels. Bounded work whatever the graph's size.
 */
export function drawOverlay(ctx: CanvasRenderingContext2D, scene: Scene, tr: ViewTransform, focus: { selected?: number; hovered?: number }): void {
  const picks = [focus.selected, focus.hovered].filter((i): i is number => i !== undefined && i >= 0 && i < scene.ids.length);
  if (picks.length === 0) return;
  ctx.save();
  ctx.translate(tr.x, tr.y);
  ctx.scale(tr.k, tr.k);
  const labelled = new Set<number>(picks);
  ctx.strokeStyle = 'rgba(17, 24, 39, 0.55)';
  ctx.lineWidth = 1.5 / tr.k;
  ctx.beginPath();
  for (const i of picks) {
    const end = Math.min(scene.offsets[i + 1], scene.offsets[i] + OVERLAY_EDGES);
    for (let p = scene.offsets[i]; p < end; p++) {
      const j = scene.adjacent[p];
      ctx.moveTo(scene.xs[i], scene.ys[i]);
      ctx.lineTo(scene.xs[j], scene.ys[j]);
      if (labelled.size < 40) labelled.add(j);
    }
  }
  ctx.stroke();
  for (const i of labelled) {
    ctx.fillStyle = scene.palette[scene.colours[i]];
    ctx.beginPath();
    ctx.arc(scene.xs[i], scene.ys[i], scene.radii[i], 0, 2 * Math.PI);
    ctx.fill();
  }
  for (const i of picks) drawRing(ctx, scene, i, tr.k);
  ctx.font = `${12 / tr.k}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (const i of labelled) {
    const label = scene.labels[i].length > 28 ? `${scene.labels[i].slice(0, 27)}…` : scene.labels[i];
    const x = scene.xs[i] + scene.radii[i] + 2 / tr.k;
    ctx.lineWidth = 3 / tr.k;
    ctx.strokeStyle = 'rgba(255, 255, 255, 0.85)';
    ctx.strokeText(label, x, scene.ys[i]);
    ctx.fillStyle = '#111827';
    ctx.fillText(label, x, scene.ys[i]);
  }
  ctx.restore();
}
