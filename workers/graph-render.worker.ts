// Render worker: keeps the scene of the settled layout and draws it on OffscreenCanvas, once whole (the
// image that pan and zoom transform) and, when the view rests, the culled detail of that view; both
// come back as transferred ImageBitmaps, so the page only ever composites images.
import { expose, transfer } from 'comlink';
import { computeBounds, drawSceneView, fitTransform, type DrawOptions, type RenderScene, type ViewTransform } from '../src/core/graph/render-scene.ts';
import { keepErrorCodes } from '../src/lib/worker-errors.ts';

keepErrorCodes();

/** An image of the scene and the transform it was drawn under (in its own pixels). */
export interface RenderedImage {
  bitmap: ImageBitmap;
  transform: ViewTransform;
  ms: number;
  drawn: { nodes: number; edges: number; labels: number };
}

let scene: RenderScene | null = null;
let version = 0;

/** Draws `tr` of the scene into a `width` × `height` (CSS px) view on a canvas `dpr` times as dense. */
function render(width: number, height: number, dpr: number, tr: ViewTransform, options: DrawOptions): RenderedImage {
  if (!scene) throw new Error('No scene to render.');
  const started = performance.now();
  const canvas = new OffscreenCanvas(Math.max(1, Math.round(width * dpr)), Math.max(1, Math.round(height * dpr)));
  const ctx = canvas.getContext('2d')!;
  ctx.scale(dpr, dpr);
  const drawn = drawSceneView(ctx, scene, tr, width, height, options);
  const bitmap = canvas.transferToImageBitmap();
  return transfer({ bitmap, transform: tr, ms: performance.now() - started, drawn }, [bitmap]);
}

const api = {
  /** Replaces the scene (its arrays are transferred in); returns its version for later calls. */
  setScene(next: RenderScene): number {
    scene = next;
    return ++version;
  },
  /**
   * The whole scene fitted into `width` × `height` device pixels, nodes and edges without labels: the
   * image the page transforms while the view moves. Null when the scene changed meanwhile.
   */
  renderWhole(sceneVersion: number, width: number, height: number): RenderedImage | null {
    if (sceneVersion !== version || !scene) return null;
    return render(width, height, 1, fitTransform(computeBounds(scene), width, height), { labels: false });
  },
  /**
   * The view under `tr` (CSS pixels) at `dpr` device pixels per CSS pixel, with labels and the
   * selection: the detail shown once the view rests. Null when the scene changed meanwhile.
   */
  renderView(sceneVersion: number, tr: ViewTransform, width: number, height: number, dpr: number, options: DrawOptions): RenderedImage | null {
    if (sceneVersion !== version || !scene) return null;
    return render(width, height, dpr, tr, { edgeBudget: 120_000, ...options });
  },
};

export type GraphRenderApi = typeof api;
expose(api);
