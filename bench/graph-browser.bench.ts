// Headless-Chromium half of `npm run bench:graph`: builds bench/graph-browser with Vite into bench/out/,
// serves it, waits for the synthetic graph to be laid out in the layout worker and drawn through the
// render worker, then drives 5 s of real input (drags and wheel zooms through CDP) and reads back frames
// per second and long main-thread tasks; also the renderer processes' CPU time while the layout ran.
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build, preview } from 'vite';
import type { GraphBenchReady, PanMeasure } from './graph-browser/main.ts';
import { rendererCpuSeconds } from './renderer-memory.ts';

const ROOT = resolve(process.cwd(), 'bench/graph-browser');
const OUT_DIR = resolve(process.cwd(), 'bench/out/graph-browser');
const PORT = 4181;

export interface GraphBrowserResult {
  ready: GraphBenchReady;
  pan: PanMeasure;
  /** Time from the end of the input to the detail image of the resting view on screen. */
  detailAfterRestMs: number;
  /** CPU seconds of the renderer processes (page and its workers) from page load to the first image (graph generation, layout, first render), from /proc. */
  rendererCpuToFirstImageS: number | null;
  chromiumVersion: string;
}

/** Builds, serves and runs the page once; closes the server and the browser whatever happens. */
export async function measureGraphInChromium(nodes: number, links: number, panSeconds = 5): Promise<GraphBrowserResult> {
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    plugins: [svelte()],
    worker: { format: 'es' },
    build: { target: 'es2022', outDir: OUT_DIR, emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  });
  const server = await preview({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: { outDir: OUT_DIR },
    preview: { port: PORT, strictPort: true, host: '127.0.0.1' },
  });
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--js-flags=--expose-gc'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
      const cpu0 = rendererCpuSeconds();
      await page.goto(`http://127.0.0.1:${PORT}/?nodes=${nodes}&links=${links}`);
      // Strings, not functions: tsx would inject helpers the page lacks.
      await page.waitForFunction('globalThis.__graphBench !== undefined', null, { timeout: 600_000, polling: 250 });
      const cpu1 = rendererCpuSeconds();
      const ready = (await page.evaluate('globalThis.__graphBench')) as GraphBenchReady | { ok: false; error: string };
      if (!ready.ok) throw new Error(`browser bench failed: ${ready.error}`);
      const box = (await page.locator('canvas').boundingBox())!;
      const cx = box.x + box.width / 2;
      const cy = box.y + box.height / 2;
      await page.mouse.move(cx, cy);
      await page.evaluate('globalThis.__graphBenchStart()');
      // Scripted input for `panSeconds`: a drag round a circle, then wheel zoom in and out, repeated.
      const until = Date.now() + panSeconds * 1000;
      let step = 0;
      while (Date.now() < until) {
        await page.mouse.move(cx, cy);
        await page.mouse.down();
        for (let i = 1; i <= 30 && Date.now() < until; i++) {
          const a = (i / 30) * 2 * Math.PI;
          await page.mouse.move(cx + 150 * Math.sin(a), cy + 90 * (1 - Math.cos(a)));
        }
        await page.mouse.up();
        for (let i = 0; i < 10 && Date.now() < until; i++) await page.mouse.wheel(0, step % 2 === 0 ? -120 : 120);
        step++;
      }
      const pan = (await page.evaluate('globalThis.__graphBenchStop()')) as PanMeasure;
      const drawn = Number(await page.locator('canvas').getAttribute('data-drawn'));
      const rested = Date.now();
      await page.waitForFunction(`Number(document.querySelector('canvas').dataset.drawn) > ${drawn}`, null, { timeout: 120_000, polling: 'raf' });
      const detailAfterRestMs = Date.now() - rested;
      return { ready, pan, detailAfterRestMs, rendererCpuToFirstImageS: cpu1 - cpu0, chromiumVersion: browser.version() };
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}
