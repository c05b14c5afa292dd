// Benchmark: inference rows/s of one exported fastText-style `.onnx` in headless Chromium
// (onnxruntime-web WASM, and WebGPU on the SwiftShader software adapter) against onnxruntime-node,
// same model, same featurized batches. Run: npx tsx bench/tagging-inference.bench.ts
//
// The featurizer is the same TypeScript on both sides, so it is timed once (Node) and left out of
// the session figures; those time `session.run` over identical padded batches of 256 rows.
import { chromium } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { buildOnnxFeeds, exportFastTextOnnx } from '../models/fasttext-onnx.ts';
import { DEFAULT_FEATURIZER, featurizeBatch } from '../src/core/tagging/featurize.ts';
import { DEFAULT_CLASSIFIER, trainFastText } from '../src/core/tagging/fasttext-model.ts';
import { readCnReviews, sampleSeeded } from '../tests/unit/tagging/shared-data.ts';

const TRAIN_ROWS = 4000;
const INFER_ROWS = 8000;
const BATCH = 256;
const REPEATS = 3;
const ORT_DIST = resolve(process.cwd(), 'node_modules/onnxruntime-web/dist');
const BASE_FLAGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const WEBGPU_FLAGS = ['--enable-unsafe-webgpu', '--enable-unsafe-swiftshader', '--use-webgpu-adapter=swiftshader'];

interface Batch {
  ids: BigInt64Array;
  mask: Float32Array;
  dims: [number, number];
}

/** Batches as one binary blob for the page: per batch [rows, length] as int32, then ids, then mask. */
function packBatches(batches: Batch[]): Buffer {
  const parts: Buffer[] = [];
  for (const b of batches) {
    parts.push(Buffer.from(new Int32Array(b.dims).buffer));
    parts.push(Buffer.from(b.ids.buffer, b.ids.byteOffset, b.ids.byteLength));
    parts.push(Buffer.from(b.mask.buffer, b.mask.byteOffset, b.mask.byteLength));
  }
  return Buffer.concat(parts);
}

const PAGE = `<!doctype html><meta charset="utf-8"><script type="module">
import * as ort from '/ort/ort.webgpu.bundle.min.mjs';
window.runBench = async (ep, repeats, maxBatches) => {
  ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(2, navigator.hardwareConcurrency || 1) : 1;
  const model = new Uint8Array(await (await fetch('/model.onnx')).arrayBuffer());
  const blob = await (await fetch('/batches.bin')).arrayBuffer();
  const batches = [];
  for (let off = 0; off < blob.byteLength; ) {
    const [rows, length] = new Int32Array(blob.slice(off, off + 8));
    off += 8;
    const ids = new BigInt64Array(blob.slice(off, off + rows * length * 8)); off += rows * length * 8;
    const mask = new Float32Array(blob.slice(off, off + rows * length * 4)); off += rows * length * 4;
    if (batches.length < maxBatches) batches.push({ rows, ids: new ort.Tensor('int64', ids, [rows, length]), mask: new ort.Tensor('float32', mask, [rows, length]) });
  }
  let adapter = null;
  if (ep === 'webgpu') {
    const a = navigator.gpu ? await navigator.gpu.requestAdapter() : null;
    if (!a) return { error: 'no WebGPU adapter' };
    adapter = [a.info?.vendor, a.info?.architecture, a.info?.description].filter(Boolean).join(' ');
  }
  const session = await ort.InferenceSession.create(model, { executionProviders: [ep] });
  // Warm-up: first run compiles kernels / allocates.
  await session.run({ ids: batches[0].ids, mask: batches[0].mask });
  const times = [];
  let rows = 0;
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    rows = 0;
    for (const b of batches) {
      const out = await session.run({ ids: b.ids, mask: b.mask });
      await out.probs.getData();
      rows += b.rows;
    }
    times.push(performance.now() - t0);
  }
  await session.release();
  times.sort((a, b) => a - b);
  return { rows, ms: times[Math.floor(times.length / 2)], threads: ort.env.wasm.numThreads, isolated: self.crossOriginIsolated, adapter };
};
window.benchReady = true;
</script>`;

function serve(model: Uint8Array, batches: Buffer): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
    const path = (req.url ?? '/').split('?')[0];
    try {
      if (path === '/') res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(PAGE);
      else if (path === '/model.onnx') res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream' }).end(model);
      else if (path === '/batches.bin') res.writeHead(200, { ...headers, 'Content-Type': 'application/octet-stream' }).end(batches);
      else if (path.startsWith('/ort/') && !path.includes('..')) {
        const file = join(ORT_DIST, path.slice(5));
        const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
        res.writeHead(200, { ...headers, 'Content-Type': type }).end(readFileSync(file));
      } else res.writeHead(404, headers).end();
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` })));
}

/** SwiftShader runs WebGPU on the CPU, slowly: a few batches once are enough to measure it. */
const WEBGPU_BATCHES = 6;

async function runBrowser(url: string, ep: 'wasm' | 'webgpu'): Promise<{ rows: number; ms: number; threads: number; isolated: boolean; adapter: string | null } | { error: string }> {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ep === 'webgpu' ? [...BASE_FLAGS, ...WEBGPU_FLAGS] : [...BASE_FLAGS, '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);
    const [repeats, maxBatches] = ep === 'webgpu' ? [1, WEBGPU_BATCHES] : [REPEATS, Number.MAX_SAFE_INTEGER];
    return await page.evaluate(([e, r, m]) => (window as unknown as { runBench: (ep: string, r: number, m: number) => Promise<never> }).runBench(e, r, m), [ep, repeats, maxBatches] as const);
  } catch (e) {
    return { error: (e as Error).message.split('\n')[0] };
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const all = sampleSeeded(readCnReviews(), TRAIN_ROWS + INFER_ROWS, 21);
  const trainRows = all.slice(0, TRAIN_ROWS);
  const inferTexts = all.slice(TRAIN_ROWS).map((r) => r.review);
  const classes = [...new Set(trainRows.map((r) => r.cat))].sort();
  const featurizer = DEFAULT_FEATURIZER;
  const model = await trainFastText(
    featurizeBatch(trainRows.map((r) => r.review), featurizer),
    Int32Array.from(trainRows, (r) => classes.indexOf(r.cat)),
    { ...DEFAULT_CLASSIFIER, numClasses: classes.length, buckets: featurizer.buckets },
  );
  const onnx = exportFastTextOnnx(model, { labels: classes, featurizer, metrics: {}, created: new Date(0).toISOString(), dataFingerprint: 'bench' });

  const f0 = performance.now();
  const batches: Batch[] = [];
  for (let i = 0; i < inferTexts.length; i += BATCH) batches.push(buildOnnxFeeds(featurizeBatch(inferTexts.slice(i, i + BATCH), featurizer)));
  const featurizeMs = performance.now() - f0;

  const session = await ort.InferenceSession.create(onnx);
  const feeds = batches.map((b) => ({ ids: new ort.Tensor('int64', b.ids, b.dims), mask: new ort.Tensor('float32', b.mask, b.dims) }));
  await session.run(feeds[0]);
  const nodeTimes: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    for (const f of feeds) await session.run(f);
    nodeTimes.push(performance.now() - t0);
  }
  nodeTimes.sort((a, b) => a - b);
  const nodeMs = nodeTimes[Math.floor(REPEATS / 2)];
  const nodeRate = inferTexts.length / (nodeMs / 1000);

  const { server, url } = await serve(onnx, packBatches(batches));
  const wasm = await runBrowser(url, 'wasm');
  const webgpu = await runBrowser(url, 'webgpu');
  server.close();

  const mb = (onnx.byteLength / 1024 / 1024).toFixed(1);
  console.log(`model: ${classes.length} classes, dim ${model.dim}, ${featurizer.buckets} buckets, ${mb} MB .onnx; ${inferTexts.length} real reviews in batches of ${BATCH}; median of ${REPEATS}`);
  console.log(`featurize (TypeScript, Node, same code in the browser): ${(inferTexts.length / (featurizeMs / 1000)).toFixed(0)} rows/s`);
  console.log(`onnxruntime-node 1.30 (CPU EP):        ${nodeRate.toFixed(0)} rows/s  (${nodeMs.toFixed(0)} ms)`);
  for (const [name, r] of [['onnxruntime-web WASM (Chromium)', wasm], ['onnxruntime-web WebGPU (SwiftShader)', webgpu]] as const) {
    if ('error' in r) {
      console.log(`${name}: failed: ${r.error}`);
      continue;
    }
    const rate = r.rows / (r.ms / 1000);
    const extra = r.adapter ? `, ${r.rows} rows once, adapter ${r.adapter}` : `, ${r.threads} thread(s), isolated ${r.isolated}`;
    console.log(`${(name + ':').padEnd(38)} ${rate.toFixed(0)} rows/s  (${r.ms.toFixed(0)} ms${extra})  ratio vs node ${(rate / nodeRate).toFixed(2)}x`);
  }
}

await main();
