// The search engine on an objective whose score is a known function of its parameters, with an
// injected clock: same seed → same trials, the time budget holds, halving promotes the best, the
// default is always a full-budget trial, cancel returns what finished.
import { describe, expect, it } from 'vitest';
import { configKey, isInSpace, sampleConfig, type Params } from '../../../src/core/tuning/search-space.ts';
import { runSearch, type Objective, type SearchProgress } from '../../../src/core/tuning/search.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

/** A peaked score (best at x = 0.7, lr = 0.1, mode 'b'); a smaller budget fraction lowers every score alike. */
function peaked(clock: { now: number }, msPerFullTrial = 1000): Objective & { calls: { params: Params; fraction: number }[] } {
  const calls: { params: Params; fraction: number }[] = [];
  return {
    kind: 'classifier',
    name: 'peaked',
    metric: 'score',
    space: {
      x: { kind: 'float', min: 0, max: 1 },
      lr: { kind: 'log-float', min: 0.001, max: 1 },
      n: { kind: 'int', min: 1, max: 50, log: true },
      mode: { kind: 'choice', values: ['a', 'b', 'c'] },
    },
    defaults: { x: 0.2, lr: 0.5, n: 10, mode: 'a' },
    dataFingerprint: 'f'.repeat(64),
    calls,
    async evaluate(params, budget) {
      calls.push({ params, fraction: budget.fraction });
      clock.now += msPerFullTrial * budget.fraction;
      const x = Number(params.x);
      const lr = Math.log10(Number(params.lr));
      const s = 1 - (x - 0.7) ** 2 - 0.1 * (lr + 1) ** 2 + (params.mode === 'b' ? 0.05 : 0) - 0.1 * (1 - budget.fraction);
      return { metrics: { score: s }, score: s };
    },
  };
}

describe('search space', () => {
  it('samples every kind inside its range, reproducibly for a seed', () => {
    const space = peaked({ now: 0 }).space;
    const a = Array.from({ length: 200 }, ((r) => () => sampleConfig(space, r))(mulberry32(5)));
    const b = Array.from({ length: 200 }, ((r) => () => sampleConfig(space, r))(mulberry32(5)));
    expect(a.map(configKey)).toEqual(b.map(configKey));
    for (const p of a) for (const [k, spec] of Object.entries(space)) expect(isInSpace(spec, p[k])).toBe(true);
    expect(new Set(a.map((p) => p.mode))).toEqual(new Set(['a', 'b', 'c']));
    // Log-scaled: about half the learning rates fall below the geometric middle (0.0316).
    const low = a.filter((p) => Number(p.lr) < 0.0316).length;
    expect(low).toBeGreaterThan(70);
    expect(low).toBeLessThan(130);
  });
});

describe('runSearch', () => {
  it('gives the same trials for the same seed and other trials for another seed', async () => {
    const run = async (seed: number) => {
      const clock = { now: 0 };
      return runSearch(peaked(clock), { budgetSeconds: 30, seed, clock: () => clock.now });
    };
    const a = await run(3);
    const b = await run(3);
    const c = await run(4);
    expect(a.runs.map((r) => [configKey(r.params), r.rung, r.score])).toEqual(b.runs.map((r) => [configKey(r.params), r.rung, r.score]));
    expect(a.chosen).toEqual(b.chosen);
    expect(c.runs.map((r) => configKey(r.params))).not.toEqual(a.runs.map((r) => configKey(r.params)));
  });

  it('runs the default first at full budget and never chooses worse than it', async () => {
    const clock = { now: 0 };
    const result = await runSearch(peaked(clock), { budgetSeconds: 20, seed: 1, clock: () => clock.now });
    expect(result.runs[0]).toMatchObject({ isDefault: true, fraction: 1, rung: 2, params: { x: 0.2, lr: 0.5, n: 10, mode: 'a' } });
    expect(result.default.run).toBe(result.runs[0].id);
    expect(result.chosen.score).toBeGreaterThanOrEqual(result.default.score);
    // The chosen run is a full-budget run: low-rung scores are not comparable with it.
    expect(result.runs.find((r) => r.id === result.chosen.run)?.fraction).toBe(1);
    expect(result.chosen.score).toBeGreaterThan(result.default.score); // this space has better configs than the default
  });

  it('keeps within the time budget as the injected clock counts it', async () => {
    for (const budget of [3, 10, 45]) {
      const clock = { now: 0 };
      const result = await runSearch(peaked(clock), { budgetSeconds: budget, seed: 2, clock: () => clock.now });
      expect(clock.now / 1000).toBeLessThanOrEqual(budget);
      expect(result.usedSeconds).toBeCloseTo(clock.now / 1000, 6);
      // Little is left unused: at most one full trial's worth (1 s here).
      expect(budget - result.usedSeconds).toBeLessThanOrEqual(1);
      expect(result.stoppedBy).toBe('budget');
      expect(result.runs.reduce((s, r) => s + r.seconds, 0)).toBeCloseTo(result.usedSeconds, 6);
    }
  });

  it('runs only the default when the budget allows nothing else', async () => {
    const clock = { now: 0 };
    const result = await runSearch(peaked(clock), { budgetSeconds: 0.5, seed: 2, clock: () => clock.now });
    expect(result.runs).toHaveLength(1);
    expect(result.chosen).toEqual(result.default);
  });

  it('successive halving promotes the best-scoring third of each rung', async () => {
    const clock = { now: 0 };
    const objective = peaked(clock);
    const result = await runSearch(objective, { budgetSeconds: 1 + 9 * (3 / 9) + 0.01, seed: 7, maxConfigs: 9, clock: () => clock.now });
    const [r0, r1, r2] = [0, 1, 2].map((rung) => result.runs.filter((r) => !r.isDefault && r.rung === rung));
    expect(r0.map((r) => r.fraction)).toEqual(new Array(9).fill(1 / 9));
    expect(r1).toHaveLength(3);
    expect(r2).toHaveLength(1);
    const best3 = [...r0].sort((a, b) => b.score! - a.score!).slice(0, 3).map((r) => configKey(r.params));
    expect(r1.map((r) => configKey(r.params)).sort()).toEqual([...best3].sort());
    const best1 = [...r1].sort((a, b) => b.score! - a.score!)[0];
    expect(configKey(r2[0].params)).toBe(configKey(best1.params));
  });

  it('stops cleanly on cancel, keeping the runs that finished', async () => {
    const clock = { now: 0 };
    const objective = peaked(clock);
    const controller = new AbortController();
    const events: SearchProgress[] = [];
    const result = await runSearch(objective, {
      budgetSeconds: 60,
      seed: 1,
      clock: () => clock.now,
      signal: controller.signal,
      onProgress: (e) => {
        events.push(e);
        if (e.kind === 'trial' && e.done === 4) controller.abort();
      },
    });
    expect(result.stoppedBy).toBe('cancelled');
    expect(result.runs).toHaveLength(4);
    expect(objective.calls).toHaveLength(4);
    expect(events.filter((e) => e.kind === 'trial')).toHaveLength(4);
  });

  it('throws AbortError when cancelled before the default trial finished', async () => {
    const clock = { now: 0 };
    const controller = new AbortController();
    controller.abort();
    await expect(runSearch(peaked(clock), { budgetSeconds: 10, clock: () => clock.now, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('records a failing trial as a failed run and goes on', async () => {
    const clock = { now: 0 };
    const base = peaked(clock);
    const objective: Objective = {
      ...base,
      async evaluate(params, budget, signal) {
        if (params.mode === 'c') {
          clock.now += 100;
          throw new Error('diverged');
        }
        return base.evaluate(params, budget, signal);
      },
    };
    const result = await runSearch(objective, { budgetSeconds: 10, seed: 3, clock: () => clock.now });
    const failed = result.runs.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.score === null && r.error === 'diverged')).toBe(true);
    expect(result.runs.filter((r) => r.rung > 0 && !r.isDefault).every((r) => r.params.mode !== 'c')).toBe(true);
  });

  it('refuses a default outside its space', async () => {
    const clock = { now: 0 };
    const objective = { ...peaked(clock), defaults: { x: 2, lr: 0.5, n: 10, mode: 'a' } };
    await expect(runSearch(objective, { budgetSeconds: 5, clock: () => clock.now })).rejects.toThrow(/outside its search space/);
  });
});
