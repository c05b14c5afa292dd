// What the render worker draws for a view: nodes in the viewport only, edges with an end in view and
// at least a pixel long, the edge budget, squares for sub-pixel nodes, labels by budget — recorded
// from a fake 2D context, so the culling is checked call by call without a browser.
import { describe, expect, it } from 'vitest';
import { computeBounds, drawSceneView, fitTransform, type Canvas2D, type RenderScene } from '../../../src/core/graph/render-scene.ts';

/** A Canvas2D that counts what is drawn. */
function recorder(): Canvas2D & { calls: Record<string, number>; texts: string[] } {
  const calls: Record<string, number> = {};
  const texts: string[] = [];
  const count = (name: string) => () => void (calls[name] = (calls[name] ?? 0) + 1);
  return {
    calls, texts, canvas: { width: 300, height: 300 }, fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textBaseline: '',
    save: count('save'), restore: count('restore'), setTransform: count('setTransform'), translate: count('translate'), scale: count('scale'),
    fillRect: count('fillRect'), beginPath: count('beginPath'), moveTo: count('moveTo'), lineTo: count('lineTo'), arc: count('arc'),
    rect: count('rect'), fill: count('fill'), stroke: count('stroke'),
    fillText: (text: string) => void texts.push(text),
  };
}

// Nodes 0, 1, 3, 4 in view; 2 and 5 far outside; 3 sits 0.1 from node 0.
const scene: RenderScene = {
  xs: Float32Array.of(0, 10, 1000, 0.1, 50, 2000),
  ys: Float32Array.of(0, 0, 1000, 0, 50, 2000),
  radii: Float32Array.of(3, 3, 3, 3, 9, 3),
  colours: Uint8Array.of(0, 1, 0, 1, 0, 1),
  palette: ['#111', '#222'],
  sources: Uint32Array.of(0, 0, 2, 0),
  targets: Uint32Array.of(1, 2, 5, 3),
  labels: ['a', 'b', 'c', 'd', 'e', 'f'],
};
const view = { x: 100, y: 100, k: 1 };

describe('drawSceneView', () => {
  it('draws nodes in view, edges with an end in view and a pixel long, and every label when few are shown', () => {
    const ctx = recorder();
    const drawn = drawSceneView(ctx, scene, view, 300, 300);
    expect(drawn).toEqual({ nodes: 4, edges: 2, labels: 4 });
    expect(ctx.calls.lineTo).toBe(2); // 0–1 and 0–2; 2–5 is out of view, 0–3 under a pixel
    expect(ctx.calls.arc).toBe(4);
    expect(ctx.texts.sort()).toEqual(['a', 'b', 'd', 'e']);
  });

  it('keeps to the edge and label budgets', () => {
    const ctx = recorder();
    const drawn = drawSceneView(ctx, scene, view, 300, 300, { edgeBudget: 1, labelBudget: 1 });
    expect(drawn.edges).toBe(1);
    // The one label kept is the biggest node's.
    expect(ctx.texts).toEqual(['e']);
  });

  it('zoomed far out, draws sub-pixel nodes as squares and culls the short edges', () => {
    const ctx = recorder();
    const far = { x: 150, y: 150, k: 0.05 };
    const drawn = drawSceneView(ctx, scene, far, 300, 300, { labels: false });
    expect(drawn.nodes).toBe(6);
    // Every node is under 1.5 px on screen (the biggest, radius 9, is 0.45 px): squares, no arcs.
    expect(ctx.calls.rect).toBe(6);
    expect(ctx.calls.arc ?? 0).toBe(0);
    expect(drawn.edges).toBe(2); // 0–2 and 2–5 are long enough; 0–1 (0.5 px) and 0–3 are not
    expect(ctx.texts).toEqual([]);
  });

  it('fits the bounds of the scene into the view', () => {
    const b = computeBounds(scene);
    expect(b).toEqual({ x0: -3, y0: -3, x1: 2003, y1: 2003 });
    const tr = fitTransform(b, 300, 300);
    expect(tr.k).toBeCloseTo((0.9 * 300) / 2006, 12);
    expect(tr.x + tr.k * 1000).toBeCloseTo(150, 9);
  });
});
