import { expose } from 'comlink';
import { describe, expect, it } from 'vitest';
import { lazyWorker } from '../../../src/lib/lazy-worker.ts';

/** A worker stand-in: comlink over a MessageChannel, with the terminate() the bridge calls on cancel. */
function fakeWorker(log: string[], id: number): Worker {
  const { port1, port2 } = new MessageChannel();
  let release: () => void = () => {};
  expose(
    {
      echo: (x: number) => x * 2,
      // Never answers until the worker is terminated: a long computation.
      slow: () => new Promise<number>((resolve) => (release = () => resolve(-1))),
    },
    port2,
  );
  return Object.assign(port1, {
    terminate() {
      log.push(`terminate ${id}`);
      release();
      port1.close();
      port2.close();
    },
  }) as unknown as Worker;
}

describe('lazyWorker', () => {
  it('starts the worker on first use only, and a cancelled job terminates it and rejects with AbortError', async () => {
    const log: string[] = [];
    let made = 0;
    const w = lazyWorker<{ echo(x: number): number; slow(): Promise<number> }>(() => (log.push(`start ${++made}`), fakeWorker(log, made)));
    expect(w.current()).toBeNull();
    expect(await w.api().echo(21)).toBe(42);
    expect(await w.api().echo(1)).toBe(2);
    expect(log).toEqual(['start 1']);

    const job = w.job((api) => api.slow(), 'Training');
    job.cancel();
    await expect(job.result).rejects.toMatchObject({ name: 'AbortError', message: 'Training cancelled' });
    expect(log).toEqual(['start 1', 'terminate 1']);
    expect(w.current()).toBeNull();

    // The next call gets a fresh worker.
    expect(await w.api().echo(5)).toBe(10);
    expect(log).toEqual(['start 1', 'terminate 1', 'start 2']);
    w.reset();
  });

  it('resolves a job that finishes before any cancel', async () => {
    const w = lazyWorker<{ echo(x: number): number }>(() => fakeWorker([], 1));
    const job = w.job((api) => api.echo(4), 'Echo');
    expect(await job.result).toBe(8);
    w.reset();
  });
});
