// Layout worker: runs the seeded force layout (typed-array Barnes–Hut, d3-force's forces) off the main thread, reporting progress,
// and hands the positions back as a transferred Float32Array. Cancelling terminates the worker.
import { expose, transfer } from 'comlink';
import { layoutGraph, type LayoutInput, type LayoutOptions } from '../src/core/graph/layout.ts';

/** Layout settings that cross the worker boundary (callbacks and signals stay on this side). */
export type LayoutSettings = Omit<LayoutOptions, 'onProgress' | 'onPositions' | 'signal'>;

const api = {
  /** Lays out `input`; `onProgress(done, total)` every few ticks; resolves with `[x0, y0, x1, y1, …]`. */
  layout(input: LayoutInput, settings: LayoutSettings, onProgress?: (done: number, total: number) => void): Float32Array {
    const positions = layoutGraph(input, { ...settings, onProgress: (done, total) => void onProgress?.(done, total) });
    return transfer(positions, [positions.buffer]);
  },
};

export type GraphLayoutApi = typeof api;
expose(api);
