// The tuning objectives on real data: 1,500 cn-reviews rows (category classifier, k-fold macro-F1)
// and the Olist / UCI interaction logs (item-kNN, NDCG@10 on a validation split inside training).
// Time is an injected clock advanced per trial, so the number of trials is fixed and the runs exact.
import { beforeAll, describe, expect, it } from 'vitest';
import { detectInteractions, loadInteractions } from '../../../src/core/recsys/detect-interactions.ts';
import type { InteractionLog } from '../../../src/core/recsys/interactions.ts';
import { CLASSIFIER_DEFAULTS, classifierSettingsOf, createClassifierObjective } from '../../../src/core/tuning/classifier-objective.ts';
import { createRecommenderObjective } from '../../../src/core/tuning/recommender-objective.ts';
import { runSearch, type Objective } from '../../../src/core/tuning/search.ts';
import { DEFAULT_FEATURIZER } from '../../../src/core/tagging/featurize.ts';
import { loadShared } from '../recsys/helpers.ts';
import { readCnReviews, sampleSeeded } from '../tagging/shared-data.ts';

/**
 * Wraps an objective so each trial advances a fake clock: 10 s at full budget, scaled by the fraction
 * except for the share the objective says a smaller budget does not save.
 */
function clocked(objective: Objective, clock: { now: number }): Objective {
  const fixed = objective.fixedCostShare ?? 0;
  return { ...objective, evaluate: async (p, b, s) => { clock.now += 10_000 * (fixed + (1 - fixed) * b.fraction); return objective.evaluate(p, b, s); } };
}

describe('classifier objective on 1,500 cn-reviews rows', () => {
  const reviews = sampleSeeded(readCnReviews(), 1500, 11);
  const texts = reviews.map((r) => r.review);
  const labels = reviews.map((r) => r.cat);

  it('maps the default configuration to the tagging job settings', () => {
    const { featurizer, classifier } = classifierSettingsOf(CLASSIFIER_DEFAULTS);
    expect(featurizer).toEqual(DEFAULT_FEATURIZER);
    expect(classifier).toMatchObject({ dim: 32, epochs: 10, lr: 0.5 });
  });

  it('holds out a stratified test share and searches deterministically within the budget', async () => {
    const built = await createClassifierObjective('reviews: review → cat', texts, labels, { k: 3, seed: 5 });
    if (!built.ok) throw new Error(built.reason);
    const o = built.objective;
    expect(o.classes).toHaveLength(10);
    expect(o.devRows + o.testRows).toBe(1500);
    expect(o.testRows).toBeGreaterThan(250);
    expect(o.testRows).toBeLessThan(350);
    const search = async () => {
      const clock = { now: 0 };
      const result = await runSearch(clocked(o, clock), { budgetSeconds: 10 + 6 * (10 / 3) + 2 * 10 + 0.01, seed: 9, maxConfigs: 6, maxTrials: 10, clock: () => clock.now });
      return { result, seconds: clock.now / 1000 };
    };
    const a = await search();
    expect(a.seconds).toBeLessThanOrEqual(50.01);
    expect(a.result.runs[0].isDefault).toBe(true);
    // Two rungs for the classifier: six configurations on a third of the rows, the best two on all.
    expect(a.result.runs.map((r) => r.rung)).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 1]);
    for (const r of a.result.runs) {
      expect(r.dataFingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(r.metrics.macroF1).toBeGreaterThanOrEqual(0);
      expect(r.metrics.macroF1).toBeLessThanOrEqual(1);
      expect(r.metrics.rows).toBe(r.fraction === 1 ? o.devRows : r.metrics.rows);
    }
    expect(a.result.runs.filter((r) => r.rung === 0).every((r) => r.metrics.rows < o.devRows / 3 + 30)).toBe(true);
    expect(a.result.chosen.score).toBeGreaterThan(a.result.default.score); // the default underfits 1,200 rows
    expect(a.result.default.score).toBeGreaterThan(0.2); // 10 classes: chance is about 0.1
    expect(a.result.chosen.score).toBeGreaterThanOrEqual(a.result.default.score);
    const b = await search();
    expect(b.result.runs.map((r) => [r.params, r.metrics])).toEqual(a.result.runs.map((r) => [r.params, r.metrics]));
    // The held-out figure is computed on rows the search never saw.
    const held = await o.evaluateHeldOut(a.result.chosen.params);
    expect(held.rows).toBe(o.testRows);
    expect(held.macroF1).toBeGreaterThan(0.3);
  }, 300_000); // two real searches of ten k-fold trials: about a minute on two busy cores

  it('refuses a target with one class', async () => {
    const built = await createClassifierObjective('x', texts, labels.map(() => 'same'));
    expect(built).toMatchObject({ ok: false, code: 'ONE_CLASS' });
  });

  it('cancel during a trial stops at the next yield and keeps the finished runs', async () => {
    const built = await createClassifierObjective('c', texts.slice(0, 600), labels.slice(0, 600), { k: 3 });
    if (!built.ok) throw new Error(built.reason);
    const controller = new AbortController();
    const clock = { now: 0 };
    const result = await runSearch(clocked(built.objective, clock), {
      budgetSeconds: 1000,
      seed: 1,
      clock: () => clock.now,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'trial-start' && e.index === 2) controller.abort();
      },
    });
    expect(result.stoppedBy).toBe('cancelled');
    expect(result.runs).toHaveLength(2);
  }, 60_000);
});

describe('recommender objective on real interaction logs', () => {
  let olist: InteractionLog;
  let retail: InteractionLog;
  beforeAll(async () => {
    for (const folder of ['olist', 'uci-online-retail']) {
      const loaded = await loadShared(folder);
      const d = detectInteractions(loaded.inventory);
      if (!d.ok) throw new Error(d.message);
      const { log } = await loadInteractions(loaded.engine, d.spec, loaded.inventory);
      if (folder === 'olist') olist = log;
      else retail = log;
      loaded.engine.close();
    }
  }, 120_000);

  it('tunes item-kNN on a validation split inside the training rows, never on the test users', async () => {
    const built = await createRecommenderObjective(retail, 'item-knn', { split: 'leave-last-out', seed: 3 });
    if (!built.ok) throw new Error(built.reason);
    const o = built.objective;
    expect(o.validationUsers).toBeGreaterThan(0);
    expect(o.testUsers).toBeGreaterThan(o.validationUsers);
    const search = async () => {
      const clock = { now: 0 };
      return runSearch(clocked(o, clock), { budgetSeconds: 60, seed: 4, clock: () => clock.now });
    };
    const a = await search();
    const b = await search();
    expect(b.runs.map((r) => [r.params, r.score])).toEqual(a.runs.map((r) => [r.params, r.score]));
    expect(a.runs[0]).toMatchObject({ isDefault: true, params: { neighbours: 100, shrink: 10 } });
    expect(a.runs.every((r) => typeof r.metrics['ndcg@10'] === 'number' && typeof r.metrics['recall@10'] === 'number')).toBe(true);
    expect(a.chosen.score).toBeGreaterThanOrEqual(a.default.score);
    const held = o.evaluateHeldOut(a.chosen.params);
    expect(held.users).toBe(o.testUsers);
  }, 120_000);

  it('says why EASE is not tuned on a catalogue above its limit', async () => {
    const built = await createRecommenderObjective(olist, 'ease');
    expect(built).toMatchObject({ ok: false, code: 'TOO_MANY_ITEMS' });
    if (!built.ok) expect(built.reason).toMatch(/items > 1,000/);
  });

  it('runs on the Olist log with the temporal split', async () => {
    const built = await createRecommenderObjective(olist, 'item-knn', { split: 'temporal' });
    if (!built.ok) throw new Error(built.reason);
    const clock = { now: 0 };
    const result = await runSearch(clocked(built.objective, clock), { budgetSeconds: 40, seed: 1, clock: () => clock.now });
    expect(clock.now).toBeLessThanOrEqual(40_000);
    // Default (10 s), then the bracket that fits the 30 s left: 2 at 1/9 of the users, 1 at 1/3, 1 at all.
    expect(result.runs.map((r) => r.rung)).toEqual([2, 0, 0, 1, 2]);
    expect(result.runs.every((r) => r.dataFingerprint === built.objective.dataFingerprint)).toBe(true);
  }, 60_000);
});
