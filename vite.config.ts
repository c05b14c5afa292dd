import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { precacheManifest } from './src/build/precache-plugin.ts';

// Cross-origin isolation lets DuckDB-WASM use its threaded `coi` bundle and lets benchmarks call
// performance.measureUserAgentSpecificMemory(). Any host serving the app should send the same headers;
// the service worker adds them where a host cannot.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [svelte(), precacheManifest()],
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  optimizeDeps: { exclude: ['@duckdb/duckdb-wasm', 'onnxruntime-web'] },
});
