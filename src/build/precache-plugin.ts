// Vite plugin: after a build, writes the list of emitted files into the service worker so the app
// shell, the engine's wasm and the inference wasm are cached on first visit and work offline.
import type { Plugin } from 'vite';

export function precacheManifest(): Plugin {
  return {
    name: 'stocktake-precache-manifest',
    apply: 'build',
    generateBundle(_options, bundle) {
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map'));
      const version = Date.now().toString(36);
      this.emitFile({
        type: 'asset',
        fileName: 'precache-manifest.json',
        source: JSON.stringify({ version, files: ['./', ...files] }),
      });
    },
  };
}
