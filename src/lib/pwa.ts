// Registers the service worker in production builds. When the host did not send cross-origin
// isolation headers, the worker adds them, and one reload makes the page isolated.
export async function registerServiceWorker(): Promise<void> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // From the app's base, not the page: a share link opens the app at /s/<id>, where './sw.js' would miss.
  const base = import.meta.env.BASE_URL;
  const reg = await navigator.serviceWorker.register(`${base}sw.js`, { scope: base });
  if (!globalThis.crossOriginIsolated && !sessionStorage.getItem('stocktake.isolation-reload')) {
    await navigator.serviceWorker.ready;
    if (reg.active && navigator.serviceWorker.controller) {
      sessionStorage.setItem('stocktake.isolation-reload', '1');
      location.reload();
    }
  }
}
