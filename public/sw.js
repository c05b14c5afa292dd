// Stocktake service worker: precaches the built app (shell, engine and inference wasm) on install so
// the app opens offline, and serves every same-origin response with cross-origin-isolation headers so
// DuckDB's threaded bundle works on hosts that cannot set them.
const CACHE_PREFIX = 'stocktake-';

function isolate(response) {
  if (!response || response.status === 0 || response.type === 'opaque') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

async function readManifest() {
  const res = await fetch('precache-manifest.json', { cache: 'no-store' });
  if (!res.ok) throw new Error('precache manifest missing');
  return res.json();
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await readManifest();
      const cache = await caches.open(CACHE_PREFIX + manifest.version);
      await cache.addAll(manifest.files.concat(['manifest.webmanifest', 'icon.svg']));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const manifest = await readManifest().catch(() => null);
      if (manifest) {
        for (const key of await caches.keys()) {
          if (key.startsWith(CACHE_PREFIX) && key !== CACHE_PREFIX + manifest.version) await caches.delete(key);
        }
      }
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) return;
  event.respondWith(
    (async () => {
      if (event.request.mode === 'navigate') {
        // Network first for the page itself, so a new deploy is picked up; the cached shell offline.
        try {
          return isolate(await fetch(event.request));
        } catch {
          const cached = (await caches.match('./', { ignoreSearch: true, ignoreVary: true })) || (await caches.match('index.html'));
          if (cached) return isolate(cached);
          throw new Error('offline and not cached');
        }
      }
      const cached = await caches.match(event.request, { ignoreSearch: true, ignoreVary: true });
      if (cached) return isolate(cached);
      return isolate(await fetch(event.request));
    })(),
  );
});
