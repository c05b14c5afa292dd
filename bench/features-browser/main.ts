// Browser half of `npm run bench:features`: for each data set in data/manifest.json, loads its CSV
// files into DuckDB-WASM the way the app reloads a stored import, then times the very same feature
// build (buildFeaturesFromSources with the sources and cut-off the Node side detected) and exposes
// the timings on globalThis.__featuresBench.
import { DuckDbWasmEngine } from '../../src/engine/duckdb-wasm.ts';
import { loadTableSql, timeFeatureBuilds, type BenchDataset, type BenchTiming, type FeaturesBenchOutcome } from './shared.ts';

async function run(): Promise<FeaturesBenchOutcome> {
  const manifest = (await (await fetch('./data/manifest.json')).json()) as BenchDataset[];
  const results: BenchTiming[] = [];
  for (const d of manifest) {
    const engine = await DuckDbWasmEngine.create();
    try {
      const t0 = performance.now();
      for (const f of d.files) {
        const bytes = new Uint8Array(await (await fetch(f.url)).arrayBuffer());
        const name = `${f.table}.csv`;
        await engine.registerBuffer(name, bytes);
        await engine.query(loadTableSql(f.table, name));
        await engine.dropFile(name);
      }
      const loadMs = performance.now() - t0;
      const { buildMs, rows } = await timeFeatureBuilds(engine, d);
      results.push({ name: d.name, engine: engine.label, loadMs, buildMs, rows });
    } finally {
      await engine.close();
    }
  }
  return { ok: true, results, crossOriginIsolated: globalThis.crossOriginIsolated };
}

const out = document.getElementById('out')!;
run().then(
  (o) => finish(o),
  (e: unknown) => finish({ ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) }),
);

function finish(o: FeaturesBenchOutcome): void {
  out.textContent = JSON.stringify(o, null, 2);
  (globalThis as unknown as { __featuresBench: FeaturesBenchOutcome }).__featuresBench = o;
}
