// The Runs view model: tunable targets from tag jobs and the interaction detector, sorting by any
// column (missing scores last), the best full-budget run, and the scatter geometry (d3 scales).
import { describe, expect, it } from 'vitest';
import type { TuningRun } from '../../../src/core/tuning/search.ts';
import { hrefFor, parseRoute, sectionOf } from '../../../src/state/route.ts';
import { bestRun, classifierKey, layoutScatter, listTuningTargets, nextSort, paramNames, sortRuns } from '../../../src/state/runs-model.ts';

function run(index: number, score: number | null, params: TuningRun['params'], extra: Partial<TuningRun> = {}): TuningRun {
  return {
    id: `s#${index}`, searchId: 's', index, kind: 'recommender', model: 'item-knn', params, metrics: score === null ? {} : { 'ndcg@10': score }, metric: 'ndcg@10',
    score, rung: 2, fraction: 1, seconds: index / 10, dataFingerprint: 'f', seed: 1, isDefault: index === 0, status: score === null ? 'failed' : 'ok', ...extra,
  };
}

const runs = [
  run(0, 0.2, { neighbours: 100, shrink: 10 }),
  run(1, 0.35, { neighbours: 20, shrink: 1 }, { rung: 0, fraction: 1 / 9 }),
  run(2, null, { neighbours: 400, shrink: 200 }, { rung: 0, fraction: 1 / 9 }),
  run(3, 0.3, { neighbours: 20, shrink: 1 }),
  run(4, 0.25, { neighbours: 2, shrink: 0.5 }),
];

describe('runs model', () => {
  it('lists every tag job, then the recommenders when interactions were found', () => {
    const jobs = [{ table: 'reviews', text: ['review'], target: 'cat' }];
    expect(listTuningTargets(jobs, null).map((t) => t.key)).toEqual(['reviews: review → cat']);
    const found = { ok: true } as Parameters<typeof listTuningTargets>[1];
    expect(listTuningTargets(jobs, found).map((t) => t.key)).toEqual(['reviews: review → cat', 'item-knn', 'ease']);
    expect(classifierKey({ table: 't', text: ['a', 'b'], target: 'y' })).toBe('t: a+b → y');
  });

  it('sorts by metric, time or a parameter, with failed runs last either way', () => {
    expect(sortRuns(runs, { key: 'score', descending: true }).map((r) => r.index)).toEqual([1, 3, 4, 0, 2]);
    expect(sortRuns(runs, { key: 'score', descending: false }).map((r) => r.index)).toEqual([0, 4, 3, 1, 2]);
    expect(sortRuns(runs, { key: 'param:neighbours', descending: false }).map((r) => r.index)).toEqual([4, 1, 3, 0, 2]);
    expect(sortRuns(runs, { key: 'index', descending: true }).map((r) => r.index)).toEqual([4, 3, 2, 1, 0]);
    expect(nextSort({ key: 'index', descending: false }, 'score')).toEqual({ key: 'score', descending: true });
    expect(nextSort({ key: 'score', descending: true }, 'score')).toEqual({ key: 'score', descending: false });
    expect(paramNames(runs)).toEqual(['neighbours', 'shrink']);
  });

  it('promotes only full-budget runs: a better small-budget score does not count', () => {
    expect(bestRun(runs)?.index).toBe(3);
    expect(bestRun([runs[1], runs[2]])).toBeNull();
  });

  it('lays out a log axis for a wide positive range, a point axis for choices', () => {
    const layout = layoutScatter(runs, 'neighbours', 300, 200);
    expect(layout.points).toHaveLength(4); // the failed run has no score to plot
    const x = new Map(layout.points.map((p) => [p.id, p.x]));
    // 2 … 100 spans a factor 50: a log axis from the smallest to the largest value.
    expect(x.get('s#4')!).toBeCloseTo(layout.inner.x, 6);
    expect(x.get('s#0')!).toBeCloseTo(layout.inner.x + layout.inner.width, 6);
    const mid = layout.inner.x + (layout.inner.width * Math.log(20 / 2)) / Math.log(100 / 2);
    expect(x.get('s#3')!).toBeCloseTo(mid, 6);
    const y = new Map(layout.points.map((p) => [p.id, p.y]));
    expect(y.get('s#1')!).toBeLessThan(y.get('s#0')!); // higher score, higher up
    expect(layout.points.find((p) => p.isBest)?.id).toBe('s#3');
    expect(layout.points.find((p) => p.isDefault)?.id).toBe('s#0');
    const choice = layoutScatter([run(0, 0.1, { mode: 'b' }), run(1, 0.2, { mode: 'a' })], 'mode', 300, 200);
    expect(choice.xTicks.map((t) => t.label)).toEqual(['a', 'b']);
    expect(choice.points[1].x).toBeLessThan(choice.points[0].x);
  });

  it('has a route of its own in the nav', () => {
    const route = parseRoute('#/import/abc/runs');
    expect(route).toEqual({ view: 'runs', importId: 'abc' });
    expect(hrefFor(route)).toBe('#/import/abc/runs');
    expect(sectionOf(route)).toBe('runs');
  });
});
