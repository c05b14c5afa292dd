// Entry point: mounts the app and registers the service worker (offline use, isolation headers).
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { registerServiceWorker } from './lib/pwa.ts';

const target = document.getElementById('app');
if (!target) throw new Error('#app element missing from index.html');

export default mount(App, { target });

registerServiceWorker().catch((e: unknown) => console.warn('Service worker not registered:', e));

// Lets `npm run bench` name the engine build it measured (bundle, threads) without driving the UI.
Object.assign(globalThis, { __stocktakeEngine: () => import('./lib/inventory-client.ts').then((m) => m.describeEngine()) });
