import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MODEL_DRIFT_THRESHOLDS,
  MODEL_METRICS,
  assessModelDrift,
  computeCountsDistance,
  computeLabelledAccuracy,
  countClasses,
  computeInputDrift,
  hashTextFeatures,
  readTrainingCounts,
  removeChanceDistance,
} from '../../../src/core/monitor/model-drift.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { readCnReviews, sampleSeeded, type Review } from '../tagging/shared-data.ts';

const reviews = readCnReviews();
const CLASSES = [...new Set(reviews.map((r) => r.cat))].sort();

/** A seeded sample of `n` reviews where `boost` categories are drawn `factor` times as often. */
function sampleShifted(n: number, seed: number, boost: string[], factor: number): Review[] {
  const rand = mulberry32(seed);
  const pool = sampleSeeded(reviews, reviews.length, seed + 1);
  const out: Review[] = [];
  for (const r of pool) {
    if (out.length === n) break;
    // Accept a boosted review always, others with probability 1/factor.
    if (boost.includes(r.cat) || rand() < 1 / factor) out.push(r);
  }
  return out;
}

describe('countClasses / computeLabelledAccuracy', () => {
  it('counts known classes and ignores blanks and unknowns', () => {
    expect(countClasses(['a', 'b', ' a ', null, '', 'z'], ['a', 'b'])).toEqual([2, 1]);
  });
  it('scores only labelled rows', () => {
    expect(computeLabelledAccuracy(['a', 'b', 'a', 'b'], ['a', 'a', null, ' b '])).toEqual({ accuracy: 2 / 3, labelled: 3 });
    expect(computeLabelledAccuracy(['a'], [null]).labelled).toBe(0);
  });
});

describe('computeCountsDistance', () => {
  it('is the Jensen–Shannon distance less the chance part', () => {
    // p = (½, ½), q = (1, 0), m = (¾, ¼): JSD = ½(½log2(⅔) + ½log2 2) + ½log2(4/3) bits.
    const jsd = 0.5 * (0.5 * Math.log2(2 / 3) + 0.5) + 0.5 * Math.log2(4 / 3);
    const bias = ((1 / 100 + 1 / 100) / (8 * Math.LN2)) * (1 + 2 * Math.SQRT2);
    expect(computeCountsDistance([50, 50], [100, 0])).toBeCloseTo(Math.sqrt(jsd - bias), 12);
    expect(removeChanceDistance(Math.sqrt(jsd), 1e12, 1e12, 2)).toBeCloseTo(Math.sqrt(jsd), 9);
  });
  it('is 0 for identical shares', () => {
    expect(computeCountsDistance([10, 20, 30], [20, 40, 60])).toBe(0);
  });
});

describe('readTrainingCounts', () => {
  it('reads per-class support, else confusion row sums', () => {
    expect(readTrainingCounts({ perClass: [{ support: 3 }, { support: 5 }] }, ['a', 'b'])).toEqual([3, 5]);
    expect(readTrainingCounts({ confusion: [[2, 1], [0, 4]] }, ['a', 'b'])).toEqual([3, 4]);
    expect(readTrainingCounts({ accuracy: 1 }, ['a', 'b'])).toBeNull();
  });
});

describe('hashTextFeatures', () => {
  it('gives each text weight 1 over its bigrams', () => {
    const { histogram, texts } = hashTextFeatures(['好评', '质量很好', null, '  ', 'a'], 64);
    expect(texts).toBe(3);
    expect(histogram.reduce((a, b) => a + b, 0)).toBeCloseTo(3, 12);
  });
});

describe('computeInputDrift', () => {
  it('is 0 between independent samples of one mix and grows with the shift', () => {
    const a = sampleSeeded(reviews, 1500, 1).map((r) => r.review);
    for (const seed of [2, 3, 4]) expect(computeInputDrift(a, sampleSeeded(reviews, 1500, seed).map((r) => r.review), 256).distance).toBe(0);
    const mild = computeInputDrift(a, sampleShifted(1500, 3, ['水果', '洗发水'], 6).map((r) => r.review), 256).distance;
    const strong = computeInputDrift(a, sampleShifted(1500, 3, ['水果', '洗发水'], 20).map((r) => r.review), 256).distance;
    expect(mild).toBeGreaterThan(0);
    expect(strong).toBeGreaterThan(mild);
  });
});

describe('assessModelDrift on real reviews (cn-reviews-10cats)', () => {
  const train = sampleSeeded(reviews, 1500, 1);
  const trainingCounts = countClasses(train.map((r) => r.cat), CLASSES);
  const base = { classes: CLASSES, trainingCounts, trainingAccuracy: 0.85, trainingTexts: train.map((r) => r.review) };

  it('two independent samples of one distribution raise nothing', () => {
    const next = sampleSeeded(reviews, 1500, 2);
    // A model whose errors keep the class mix: 3 rows in 20 get the label of the row 10 further on
    // (right by chance when both share a class), so accuracy is ≈ 0.87.
    const predicted = next.map((r, i) => (i % 20 < 3 ? next[(i + 10) % next.length].cat : r.cat));
    const rep = assessModelDrift({ ...base, newTexts: next.map((r) => r.review), predicted, given: next.map((r) => r.cat) });
    expect(rep.verdicts.map((v) => v.metric)).toEqual([MODEL_METRICS.predictedClass, MODEL_METRICS.inputFeatures, MODEL_METRICS.accuracyDrop]);
    for (const v of rep.verdicts) expect(v.verdict, `${v.metric} ${v.value}`).toBe('ok');
    const correct = predicted.filter((p, i) => p === next[i].cat).length;
    expect(rep.newAccuracy).toBeCloseTo(correct / 1500, 12);
    expect(rep.labelledRows).toBe(1500);
    expect(rep.retrainRecommended).toBe(false);
  });

  it('a shifted category mix and a worse model are reported and recommend retraining', () => {
    const next = sampleShifted(1500, 3, ['水果', '洗发水'], 20);
    // 25 % wrong: the drop from 0.85 is 0.10, the error level.
    const predicted = next.map((r, i) => (i % 4 === 0 ? CLASSES[(CLASSES.indexOf(r.cat) + 1) % CLASSES.length] : r.cat));
    const given = next.map((r, i) => (i % 3 === 0 ? null : r.cat));
    const rep = assessModelDrift({ ...base, newTexts: next.map((r) => r.review), predicted, given });
    const by = new Map(rep.verdicts.map((v) => [v.metric, v]));
    expect(by.get(MODEL_METRICS.predictedClass)!.verdict).not.toBe('ok');
    expect(by.get(MODEL_METRICS.inputFeatures)!.verdict).not.toBe('ok');
    const labelled = given.filter((g) => g !== null).length;
    const correct = given.filter((g, i) => g !== null && predicted[i] === g).length;
    expect(rep.labelledRows).toBe(labelled);
    expect(by.get(MODEL_METRICS.accuracyDrop)!.value).toBeCloseTo(0.85 - correct / labelled, 12);
    expect(by.get(MODEL_METRICS.accuracyDrop)!.verdict).toBe(0.85 - correct / labelled >= 0.1 ? 'error' : 'warn');
    expect(rep.retrainRecommended).toBe(true);
  });

  it('gives no accuracy verdict below minLabelledRows', () => {
    const next = sampleSeeded(reviews, 300, 4);
    const given = next.map((r, i) => (i < DEFAULT_MODEL_DRIFT_THRESHOLDS.minLabelledRows - 1 ? r.cat : null));
    const rep = assessModelDrift({ ...base, newTexts: next.map((r) => r.review), predicted: next.map((r) => r.cat), given });
    expect(rep.verdicts.some((v) => v.metric === MODEL_METRICS.accuracyDrop)).toBe(false);
    expect(rep.labelledRows).toBe(99);
  });
});
