// `npm run bench:features`: feature build time (item features, user profiles, user × category
// affinities, with the dictionary's measurement) for the Olist export and a seeded 1M-order synthetic
// export, in headless Chromium on DuckDB-WASM against native DuckDB (the baseline) running the same
// statements from the same sources and cut-off; prints both and the ratio.
//
// Sources are detected once in Node from the inventory (for the synthetic export, from a 3,000-order
// export of the same generator: detection reads the schema and profiles only), then both engines load
// the CSV files with the same read_csv statement and run buildFeaturesFromSources. Loading is not timed.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { build, preview } from 'vite';
import { loadSourcesFromArgs } from '../src/cli/sources.ts';
import { readSpan } from '../src/core/features/build-features.ts';
import { detectFeatureSources } from '../src/core/features/detect-sources.ts';
import type { FeatureSources } from '../src/core/features/types.ts';
import { sourceFromBytes } from '../src/core/ingest/source.ts';
import { buildInventory } from '../src/core/inventory/build-inventory.ts';
import { DuckDbNodeEngine } from '../src/engine/duckdb-node.ts';
import { generateShopOrders } from '../tests/fixtures/generate-shop-orders.ts';
import { loadTableSql, timeFeatureBuilds, type BenchDataset, type BenchTiming, type FeaturesBenchOutcome } from './features-browser/shared.ts';

const ROOT = resolve('bench/features-browser');
const OUT_DIR = resolve('bench/out/features-browser');
const DATA_DIR = join(OUT_DIR, 'data');
const PORT = 4181;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 1_000_000);
const OLIST = resolve('../shared/data/olist');

interface Prepared extends BenchDataset {
  paths: string[];
}

async function sourcesOf(inventoryInput: Parameters<typeof buildInventory>[0]): Promise<FeatureSources> {
  const engine = await DuckDbNodeEngine.create();
  try {
    const { inventory } = await buildInventory(inventoryInput, engine, { importId: 'bench' });
    const d = detectFeatureSources(inventory);
    if (!d.ok) throw new Error(d.message);
    return d.sources;
  } finally {
    engine.close();
  }
}

async function timeNative(d: Prepared): Promise<BenchTiming> {
  const engine = await DuckDbNodeEngine.create({ threads: 2 });
  try {
    const t0 = performance.now();
    for (const [i, f] of d.files.entries()) await engine.query(loadTableSql(f.table, d.paths[i]));
    const loadMs = performance.now() - t0;
    const { buildMs, rows } = await timeFeatureBuilds(engine, d);
    return { name: d.name, engine: engine.label, loadMs, buildMs, rows };
  } finally {
    engine.close();
  }
}

async function defaultCutoff(d: Omit<Prepared, 'cutoff'>): Promise<string> {
  const engine = await DuckDbNodeEngine.create();
  try {
    for (const [i, f] of d.files.entries()) await engine.query(loadTableSql(f.table, d.paths[i]));
    return (await readSpan(engine, d.sources)).defaultCutoff!;
  } finally {
    engine.close();
  }
}

async function measureInChromium(): Promise<Extract<FeaturesBenchOutcome, { ok: true }>> {
  const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const server = await preview({ configFile: false, root: ROOT, logLevel: 'warn', build: { outDir: OUT_DIR }, preview: { port: PORT, strictPort: true, host: '127.0.0.1', headers: isolation } });
  try {
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${PORT}/`);
      await page.waitForFunction('globalThis.__featuresBench !== undefined', null, { timeout: 900_000, polling: 500 });
      const outcome = (await page.evaluate('globalThis.__featuresBench')) as FeaturesBenchOutcome;
      if (!outcome.ok) throw new Error(`browser bench failed: ${outcome.error}`);
      return outcome;
    } finally {
      await browser.close();
    }
  } finally {
    await server.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmtS = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

// Build the page first (it empties OUT_DIR), then write the data beside it.
await build({ configFile: false, root: ROOT, logLevel: 'warn', worker: { format: 'es' }, build: { target: 'es2022', outDir: OUT_DIR, emptyOutDir: true } });
mkdirSync(DATA_DIR, { recursive: true });

const olistFiles = readdirSync(OLIST).filter((f) => f.endsWith('.csv')).sort();
const olistSources = await sourcesOf(loadSourcesFromArgs([OLIST]));
const olist: Omit<Prepared, 'cutoff'> = {
  name: 'olist',
  files: olistFiles.map((f) => ({ table: basename(f, '.csv'), url: `./data/olist/${f}` })),
  paths: olistFiles.map((f) => join(OLIST, f)),
  sources: olistSources,
  runs: 5,
};
mkdirSync(join(DATA_DIR, 'olist'), { recursive: true });
for (const f of olistFiles) writeFileSync(join(DATA_DIR, 'olist', f), new Uint8Array(await (await import('node:fs/promises')).readFile(join(OLIST, f))));

let t = performance.now();
const small = generateShopOrders({ seed: 1, orders: 3000 });
const synthSources = await sourcesOf(Object.entries(small.files).map(([n, text]) => sourceFromBytes(`shop/${n}`, new TextEncoder().encode(text))));
const shop = generateShopOrders({ seed: 20_241_123, orders: ORDERS, people: Math.round(ORDERS * 0.6), products: 50_000 });
mkdirSync(join(DATA_DIR, 'shop'), { recursive: true });
let bytes = 0;
for (const [n, text] of Object.entries(shop.files)) {
  writeFileSync(join(DATA_DIR, 'shop', n), text);
  bytes += Buffer.byteLength(text);
}
const shopFiles = Object.keys(shop.files).sort();
const synthetic: Omit<Prepared, 'cutoff'> = {
  name: `synthetic ${ORDERS.toLocaleString('en-US')} orders`,
  files: shopFiles.map((f) => ({ table: basename(f, '.csv'), url: `./data/shop/${f}` })),
  paths: shopFiles.map((f) => join(DATA_DIR, 'shop', f)),
  sources: synthSources,
  runs: 1,
};
console.log(`generated the synthetic export (${Object.entries(shop.rows).map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}; ${(bytes / 2 ** 20).toFixed(0)} MiB) in ${fmtS(performance.now() - t)}`);

const datasets: Prepared[] = [];
for (const d of [olist, synthetic]) datasets.push({ ...d, cutoff: await defaultCutoff(d) });
writeFileSync(join(DATA_DIR, 'manifest.json'), JSON.stringify(datasets.map(({ paths: _p, ...d }) => d)));

const native: BenchTiming[] = [];
for (const d of datasets) {
  t = performance.now();
  native.push(await timeNative(d));
  console.log(`native ${d.name}: builds ${native.at(-1)!.buildMs.map(fmtS).join(', ')}`);
}
const browser = await measureInChromium();
try {
  console.log('');
  console.log(`cross-origin isolated: ${browser.crossOriginIsolated}`);
  console.log('| data set | cut-off | rows (items / users / user×category) | native DuckDB (baseline) | DuckDB-WASM in Chromium | ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const d of datasets) {
    const n = native.find((x) => x.name === d.name)!;
    const b = browser.results.find((x) => x.name === d.name)!;
    if (JSON.stringify(n.rows) !== JSON.stringify(b.rows)) throw new Error(`row counts differ for ${d.name}: native ${JSON.stringify(n.rows)} vs browser ${JSON.stringify(b.rows)}`);
    const [mn, mb] = [median(n.buildMs), median(b.buildMs)];
    console.log(`| ${d.name} | ${d.cutoff} | ${Object.values(n.rows).map((r) => r.toLocaleString('en-US')).join(' / ')} | ${fmtS(mn)} (${n.engine}) | ${fmtS(mb)} (${b.engine}) | ${(mb / mn).toFixed(2)} |`);
  }
  console.log('(median of the runs: 5 for Olist, 1 for the synthetic export; load time not included: native ' +
    datasets.map((d) => `${d.name} ${fmtS(native.find((x) => x.name === d.name)!.loadMs)}`).join(', ') + '; browser ' +
    datasets.map((d) => `${d.name} ${fmtS(browser.results.find((x) => x.name === d.name)!.loadMs)}`).join(', ') + ')');
} finally {
  rmSync(DATA_DIR, { recursive: true, force: true });
}
