// Main-thread bridge to the graph render worker: hands it the scene once per layout and asks it for
// images (the whole settled layout; the detail of a resting view). The graph state owns one; a scene
// replaced meanwhile makes older requests resolve to null instead of a stale image.
import { transfer, wrap, type Remote } from 'comlink';
import type { DrawOptions, RenderScene, ViewTransform } from '../core/graph/render-scene.ts';
import type { GraphRenderApi, RenderedImage } from '../../workers/graph-render.worker.ts';

export type { RenderedImage };

/** What a graph canvas needs from a renderer (the client below; a stand-in in tests). */
export type SceneRenderer = Pick<GraphRenderClient, 'setScene' | 'renderWhole' | 'renderView' | 'dispose'>;

export class GraphRenderClient {
  #worker: Worker | null = null;
  #api: Remote<GraphRenderApi> | null = null;
  #version: Promise<number> = Promise.resolve(0);

  #getApi(): Remote<GraphRenderApi> {
    if (!this.#api) {
      this.#worker = new Worker(new URL('../../workers/graph-render.worker.ts', import.meta.url), { type: 'module', name: 'graph-render' });
      this.#api = wrap<GraphRenderApi>(this.#worker);
    }
    return this.#api;
  }

  /** Sends copies of the scene's arrays (transferred, so the page keeps its own). */
  setScene(scene: RenderScene): void {
    const copy: RenderScene = {
      xs: scene.xs.slice(), ys: scene.ys.slice(), radii: scene.radii.slice(), colours: scene.colours.slice(),
      palette: scene.palette, sources: scene.sources.slice(), targets: scene.targets.slice(), labels: scene.labels,
    };
    this.#version = this.#getApi().setScene(transfer(copy, [copy.xs.buffer, copy.ys.buffer, copy.radii.buffer, copy.colours.buffer, copy.sources.buffer, copy.targets.buffer]));
  }

  /** The whole scene fitted into `width` × `height` pixels; null if the scene changed meanwhile. */
  async renderWhole(width: number, height: number): Promise<RenderedImage | null> {
    const v = await this.#version;
    return this.#getApi().renderWhole(v, width, height);
  }

  /** The detail of view `tr` (CSS px) at `dpr`; null if the scene changed meanwhile. */
  async renderView(tr: ViewTransform, width: number, height: number, dpr: number, options: DrawOptions = {}): Promise<RenderedImage | null> {
    const v = await this.#version;
    return this.#getApi().renderView(v, tr, width, height, dpr, options);
  }

  /** Stops the worker; a later call starts a fresh one. */
  dispose(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#api = null;
    this.#version = Promise.resolve(0);
  }
}
