// Headless-Chromium half of `npm run bench:recs`: builds bench/recs-browser with Vite into bench/out/,
// serves it cross-origin isolated with `vite preview`, runs the item-kNN worker in Debian's Chromium and
// returns its timings with the peak renderer RSS (/proc) and measureUserAgentSpecificMemory() peak.
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import type { RecsBenchOutcome } from './recs-browser/main.ts';
import { rendererRssBytes } from './renderer-memory.ts';

const ROOT = resolve(process.cwd(), 'bench/recs-browser');
const OUT_DIR = resolve(process.cwd(), 'bench/out/recs-browser');
const PORT = 4179;

/** The browser side's numbers, memory in bytes. */
export type BrowserKnnResult = Extract<RecsBenchOutcome, { ok: true }> & { rendererRssPeakBytes: number; rendererRssIdleBytes: number; chromiumVersion: string };

/** Builds, serves and runs the page once; closes the server and the browser whatever happens. */
export async function measureInChromium(): Promise<BrowserKnnResult> {
  const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  // configFile: false keeps the app's plugins (Svelte, precache manifest) out of this page.
  await build({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    worker: { format: 'es' },
    build: { target: 'es2022', outDir: OUT_DIR, emptyOutDir: true },
  });
  const server = await preview({
    configFile: false,
    root: ROOT,
    logLevel: 'warn',
    build: { outDir: OUT_DIR },
    preview: { port: PORT, strictPort: true, host: '127.0.0.1', headers: isolation },
  });
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-blink-features=ForceEagerMeasureMemory'],
    });
    try {
      const page = await browser.newPage();
      const idle = rendererRssBytes();
      let rssPeak = idle;
      const poll = setInterval(() => (rssPeak = Math.max(rssPeak, rendererRssBytes())), 100);
      try {
        await page.goto(`http://127.0.0.1:${PORT}/`);
        // Strings, not functions: tsx would inject helpers the page lacks.
        await page.waitForFunction('globalThis.__recsBench !== undefined', null, { timeout: 600_000, polling: 500 });
      } finally {
        clearInterval(poll);
      }
      const outcome = (await page.evaluate('globalThis.__recsBench')) as RecsBenchOutcome;
      if (!outcome.ok) throw new Error(`browser bench failed: ${outcome.error}`);
      return { ...outcome, rendererRssPeakBytes: rssPeak, rendererRssIdleBytes: idle, chromiumVersion: browser.version() };
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}
