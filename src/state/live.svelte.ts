// A Dexie liveQuery exposed as rune state: the value re-reads whenever the tables it touched change.
import { liveQuery, type Subscription } from 'dexie';
import { appErrors } from './errors.svelte.ts';

/** Subscribes to `query` and keeps its latest result in `value` until `stop()`. */
export class LiveValue<T> {
  value: T = $state.raw() as T;
  /** True until the first result arrives. */
  loading = $state(true);
  #sub: Subscription | null = null;

  constructor(initial: T) {
    this.value = initial;
  }

  /** (Re)subscribes to `query`; the previous subscription is dropped so stale results never land. */
  watch(query: () => Promise<T>): void {
    this.stop();
    this.loading = true;
    const sub = liveQuery(query).subscribe({
      next: (v) => {
        if (this.#sub !== sub) return;
        this.value = v;
        this.loading = false;
      },
      error: (e) => {
        if (this.#sub !== sub) return;
        this.loading = false;
        appErrors.report(e);
      },
    });
    this.#sub = sub;
  }

  stop(): void {
    this.#sub?.unsubscribe();
    this.#sub = null;
  }
}
