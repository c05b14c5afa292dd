// `npm run bench`: profiles a seeded 1M-row × 20-column CSV through the real app path in headless
// Chromium (drop → catalog written) and compares it with native DuckDB's SUMMARIZE of the same file
// (the baseline), printing both times, their ratio and the page's peak memory.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { DuckDbNodeEngine } from '../src/engine/duckdb-node.ts';
import { writeWideCsv } from './wide-csv.ts';
import { rendererRssBytes } from './renderer-memory.ts';

const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const outDir = resolve('bench/out');
mkdirSync(outDir, { recursive: true });
const file = resolve(outDir, `wide-${rows}.csv`);
if (!existsSync(file)) {
  const t = performance.now();
  await writeWideCsv(file, rows, 42);
  console.log(`generated ${file} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}
const bytes = statSync(file).size;
console.log(`input: ${rows.toLocaleString()} rows × 20 columns, ${(bytes / 2 ** 20).toFixed(1)} MiB`);

async function nativeSummarize(threads: number): Promise<number> {
  const engine = await DuckDbNodeEngine.create({ threads });
  const t = performance.now();
  await engine.query(`SUMMARIZE SELECT * FROM read_csv('${file}')`);
  const ms = performance.now() - t;
  engine.close();
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const native = median([await nativeSummarize(2), await nativeSummarize(2), await nativeSummarize(2)]);
console.log(`baseline: native DuckDB SUMMARIZE (2 threads): ${(native / 1000).toFixed(2)} s`);

if (!existsSync('dist/index.html')) {
  console.log('building the app…');
  await new Promise<void>((ok, fail) => spawn('npx', ['vite', 'build'], { stdio: 'inherit' }).on('exit', (c) => (c === 0 ? ok() : fail(new Error('build failed')))));
}
const server = spawn('npx', ['vite', 'preview', ...(process.env.BENCH_DIST ? ['--outDir', process.env.BENCH_DIST] : []), '--host', '127.0.0.1', '--port', '4174', '--strictPort'], { stdio: 'ignore', detached: true });
try {
  await new Promise((r) => setTimeout(r, 1500));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-blink-features=ForceEagerMeasureMemory'],
  });
  const runs: number[] = [];
  let memory = null as { total: number; by: Record<string, number> } | null;
  let rssRise = 0;
  let rssIdle = 0;
  let rssAbsolute = 0;
  let engineLabel = '';
  // The timed runs do not sample measureUserAgentSpecificMemory: each sample makes every worker
  // measure its heap, which slowed the import it measured. One more, untimed run samples it.
  const timedRuns = Number(process.env.BENCH_RUNS ?? 3);
  for (let run = 0; run <= timedRuns; run++) {
    const memoryRun = run === timedRuns;
    // No service worker: its first-visit precache (≈100 MB of wasm) would compete with the timed import.
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    await page.goto('http://127.0.0.1:4174/');
    await page.waitForSelector('[data-testid="file-input"]', { state: 'attached' });
    // Warm the engine first so its start-up (one per session) is not timed as profiling.
    engineLabel = (await page.evaluate('globalThis.__stocktakeEngine ? globalThis.__stocktakeEngine() : "unknown"')) as string;
    const idleRss = rendererRssBytes();
    let rssPeak = idleRss;
    const poll = setInterval(() => (rssPeak = Math.max(rssPeak, rendererRssBytes())), 100);
    const t = performance.now();
    await page.getByTestId('file-input').setInputFiles(file);
    await page.getByTestId(`table-link-wide-${rows}`).waitFor({ timeout: 600_000 });
    const ms = performance.now() - t;
    clearInterval(poll);
    rssRise = Math.max(rssRise, rssPeak - idleRss);
    rssIdle = Math.max(rssIdle, idleRss);
    rssAbsolute = Math.max(rssAbsolute, rssPeak);
    if (memoryRun) {
      console.log(`  memory run (not timed): ${(ms / 1000).toFixed(2)} s; measuring memory (~60 s: the API waits for DuckDB's idle threads until its timeout)…`);
      // Sampled once, after the import: samples taken during it stall until it ends (DuckDB's threads
      // do not answer), and the wasm memory never shrinks, so its size afterwards is its peak. A string,
      // not a function: tsx would inject helpers (__name) the page does not have.
      memory = (await page.evaluate(`performance.measureUserAgentSpecificMemory ? performance.measureUserAgentSpecificMemory().then((m) => {
        const by = {};
        for (const b of m.breakdown) {
          const scope = b.attribution.map((a) => (a.url ?? a.scope ?? '').split('/').pop().replace(/-[A-Za-z0-9_-]{8}\\.js$/, '.js')).join(',') || b.types.join('+') || 'other';
          by[scope] = (by[scope] ?? 0) + b.bytes;
        }
        return { total: m.bytes, by };
      }) : null`)) as typeof memory;
    } else {
      runs.push(ms);
      console.log(`  run ${run + 1}: ${(ms / 1000).toFixed(2)} s`);
    }
    await context.close();
  }
  await browser.close();
  const app = median(runs);
  console.log('');
  console.log('| what | time | ratio to baseline |');
  console.log('|---|---|---|');
  console.log(`| native DuckDB SUMMARIZE, 2 threads (baseline) | ${(native / 1000).toFixed(2)} s | 1.00 |`);
  console.log(`| Stocktake full profile in Chromium (${engineLabel}) | ${(app / 1000).toFixed(2)} s | ${(app / native).toFixed(2)} |`);
  if (memory) {
    console.log(`memory after an import (measureUserAgentSpecificMemory; DuckDB's wasm memory never shrinks, so this includes its peak): ${(memory.total / 2 ** 20).toFixed(0)} MiB = ${(memory.total / bytes).toFixed(2)}× the file`);
    for (const [scope, b] of Object.entries(memory.by).sort((x, y) => y[1] - x[1])) if (b > 2 ** 20) console.log(`  ${scope}: ${(b / 2 ** 20).toFixed(0)} MiB`);
  } else console.log('memory after an import (measureUserAgentSpecificMemory): not available in this browser');
  console.log(`peak rise of renderer RSS during an import, all runs (/proc): ${(rssRise / 2 ** 20).toFixed(0)} MiB = ${(rssRise / bytes).toFixed(2)}× the file`);
  // The rise starts from a page whose engine has started and warmed up (its wasm memory grown by the
  // warm-up import): both ends, so the baseline is in view.
  console.log(`renderer RSS (page and workers): idle with the engine warmed up ${(rssIdle / 2 ** 20).toFixed(0)} MiB, peak during an import ${(rssAbsolute / 2 ** 20).toFixed(0)} MiB`);
} finally {
  try { process.kill(-server.pid!); } catch { /* already gone */ }
}
