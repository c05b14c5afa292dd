// The hash router: the current route as a rune, updated on `hashchange`.
import { hrefFor, importIdOf, parseRoute, type Route } from './route.ts';

class Router {
  #hash = $state(typeof location === 'undefined' ? '' : location.hash);

  /** The parsed current route. */
  readonly route: Route = $derived(parseRoute(this.#hash));
  /** The import the current view belongs to, or null on the start page. */
  readonly importId: string | null = $derived(importIdOf(this.route));

  constructor() {
    if (typeof window !== 'undefined') {
      window.addEventListener('hashchange', () => (this.#hash = location.hash));
    }
  }

  /** Navigates to `route` (adds a history entry, like following a link). */
  go(route: Route): void {
    const hash = hrefFor(route);
    if (location.hash === hash) return;
    location.hash = hash;
    this.#hash = location.hash;
  }
}

export const router = new Router();
