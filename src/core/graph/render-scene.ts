// Drawing of a laid-out graph onto any 2D canvas context (a page's canvas or an OffscreenCanvas in a
// worker): typed-array scene, viewport and zoom culling of nodes, edges and labels, nodes batched by
// colour. Pure: it touches only the context it is given, so it runs wherever a context exists.

/** The part of CanvasRenderingContext2D / OffscreenCanvasRenderingContext2D the drawing uses. */
export interface Canvas2D {
  canvas: { width: number; height: number };
  fillStyle: unknown;
  strokeStyle: unknown;
  lineWidth: number;
  font: string;
  textBaseline: string;
  save(): void;
  restore(): void;
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  translate(x: number, y: number): void;
  scale(x: number, y: number): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
  rect(x: number, y: number, w: number, h: number): void;
  fill(): void;
  stroke(): void;
  fillText(text: string, x: number, y: number): void;
}

/** Screen = world · k + (x, y), as d3-zoom's transform. */
export interface ViewTransform {
  x: number;
  y: number;
  k: number;
}

/** A laid-out graph ready to draw: node i at (xs[i], ys[i]) with radius radii[i] and colour palette[colours[i]]. */
export interface RenderScene {
  xs: Float32Array;
  ys: Float32Array;
  radii: Float32Array;
  colours: Uint8Array;
  palette: string[];
  sources: Uint32Array;
  targets: Uint32Array;
  /** Node labels; absent where only shapes are drawn. */
  labels?: string[];
}

export interface Bounds {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface DrawOptions {
  /** Draw labels of nodes big enough on screen (default true). */
  labels?: boolean;
  edges?: boolean;
  background?: string;
  /** Node to ring (the selection). */
  selected?: number;
  /** At most this many edges; above it every n-th edge in view is drawn (default: all). */
  edgeBudget?: number;
  /** At most this many labels, biggest nodes first (default 400). */
  labelBudget?: number;
}

/** Bounding box of the nodes, radii included; a unit box for an empty scene. */
export function computeBounds(scene: Pick<RenderScene, 'xs' | 'ys' | 'radii'>): Bounds {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const { xs, ys, radii } = scene;
  for (let i = 0; i < xs.length; i++) {
    x0 = Math.min(x0, xs[i] - radii[i]);
    y0 = Math.min(y0, ys[i] - radii[i]);
    x1 = Math.max(x1, xs[i] + radii[i]);
    y1 = Math.max(y1, ys[i] + radii[i]);
  }
  return xs.length === 0 ? { x0: -1, y0: -1, x1: 1, y1: 1 } : { x0, y0, x1, y1 };
}

/** The transform that fits `bounds` in a `width` × `height` view with a margin (zoom at most 4). */
export function fitTransform(bounds: Bounds, width: number, height: number): ViewTransform {
  const { x0, y0, x1, y1 } = bounds;
  const k = Math.min(4, 0.9 * Math.min(width / Math.max(1, x1 - x0), height / Math.max(1, y1 - y0)));
  return { k, x: width / 2 - (k * (x0 + x1)) / 2, y: height / 2 - (k * (y0 + y1)) / 2 };
}

/** Fills the whole context with `colour`, whatever its transform. */
export function clearCanvas(ctx: Canvas2D, colour = '#ffffff'): void {
  ctx.save();
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.fillStyle = colour;
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.restore();
}

/**
 * Draws the scene under `tr` into a `width` × `height` view (context pixels = view pixels · any
 * scale already set): edges with an end in view and at least a pixel long, nodes in view (one path
 * per colour; squares when under 1.5 px), the selection ring, then labels where they can be read.
 * Returns how many nodes and edges it drew.
 */
export function drawSceneView(ctx: Canvas2D, scene: RenderScene, tr: ViewTransform, width: number, height: number, options: DrawOptions = {}): { nodes: number; edges: number; labels: number } {
  clearCanvas(ctx, options.background ?? '#ffffff');
  ctx.save();
  ctx.translate(tr.x, tr.y);
  ctx.scale(tr.k, tr.k);
  const { xs, ys, radii, colours } = scene;
  const pad = 20 / tr.k;
  const vx0 = -tr.x / tr.k - pad, vy0 = -tr.y / tr.k - pad, vx1 = (width - tr.x) / tr.k + pad, vy1 = (height - tr.y) / tr.k + pad;
  const n = xs.length;
  const inView = new Uint8Array(n);
  let shownCount = 0;
  for (let i = 0; i < n; i++) {
    if (xs[i] >= vx0 && xs[i] <= vx1 && ys[i] >= vy0 && ys[i] <= vy1) {
      inView[i] = 1;
      shownCount++;
    }
  }
  let edgeCount = 0;
  if (options.edges !== false && scene.sources.length > 0) {
    // Edges shorter than a pixel on screen vanish under their nodes: culled by zoom level.
    const minLen2 = 1 / (tr.k * tr.k);
    const candidates: number[] = [];
    for (let e = 0; e < scene.sources.length; e++) {
      const a = scene.sources[e], b = scene.targets[e];
      if (!inView[a] && !inView[b]) continue;
      const dx = xs[a] - xs[b], dy = ys[a] - ys[b];
      if (dx * dx + dy * dy < minLen2) continue;
      candidates.push(e);
    }
    const budget = options.edgeBudget ?? Infinity;
    const stride = candidates.length > budget ? candidates.length / budget : 1;
    ctx.strokeStyle = 'rgba(100, 116, 139, 0.35)';
    ctx.lineWidth = 1 / tr.k;
    ctx.beginPath();
    for (let c = 0; c < candidates.length; c += stride) {
      const e = candidates[Math.floor(c)];
      ctx.moveTo(xs[scene.sources[e]], ys[scene.sources[e]]);
      ctx.lineTo(xs[scene.targets[e]], ys[scene.targets[e]]);
      edgeCount++;
    }
    ctx.stroke();
  }
  // Nodes, one path per colour.
  const tiny = 1.5 / tr.k;
  for (let c = 0; c < scene.palette.length; c++) {
    ctx.fillStyle = scene.palette[c];
    ctx.beginPath();
    for (let i = 0; i < n; i++) {
      if (!inView[i] || colours[i] !== c) continue;
      const r = radii[i];
      if (r < tiny) ctx.rect(xs[i] - r, ys[i] - r, 2 * r, 2 * r);
      else {
        ctx.moveTo(xs[i] + r, ys[i]);
        ctx.arc(xs[i], ys[i], r, 0, 2 * Math.PI);
      }
    }
    ctx.fill();
  }
  const sel = options.selected;
  if (sel !== undefined && sel >= 0 && sel < n) drawRing(ctx, scene, sel, tr.k);
  let labelCount = 0;
  if (options.labels !== false && scene.labels) labelCount = drawLabels(ctx, scene, inView, shownCount, tr.k, options.labelBudget ?? 400, sel);
  ctx.restore();
  return { nodes: shownCount, edges: edgeCount, labels: labelCount };
}

/** A dark ring round node `i` (in world coordinates under zoom `k`). */
export function drawRing(ctx: Canvas2D, scene: Pick<RenderScene, 'xs' | 'ys' | 'radii'>, i: number, k: number): void {
  ctx.strokeStyle = '#111827';
  ctx.lineWidth = 2.5 / k;
  ctx.beginPath();
  ctx.arc(scene.xs[i], scene.ys[i], scene.radii[i] + 3 / k, 0, 2 * Math.PI);
  ctx.stroke();
}

/** Labels where they can be read: every one when few nodes are in view, else nodes ≥ 7 px, biggest first. */
function drawLabels(ctx: Canvas2D, scene: RenderScene, inView: Uint8Array, shownCount: number, k: number, budget: number, sel: number | undefined): number {
  const labels = scene.labels!;
  const minScreenRadius = shownCount <= 300 ? 0 : 7;
  const picked: number[] = [];
  for (let i = 0; i < inView.length; i++) if (inView[i] && (scene.radii[i] * k >= minScreenRadius || i === sel)) picked.push(i);
  if (picked.length > budget) {
    picked.sort((a, b) => scene.radii[b] - scene.radii[a] || a - b);
    picked.length = budget;
  }
  ctx.fillStyle = '#111827';
  ctx.font = `${12 / k}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  for (const i of picked) {
    const label = labels[i].length > 28 ? `${labels[i].slice(0, 27)}…` : labels[i];
    ctx.fillText(label, scene.xs[i] + scene.radii[i] + 2 / k, scene.ys[i]);
  }
  return picked.length;
}
