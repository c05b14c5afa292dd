import { describe, expect, it } from 'vitest';
import { aggregateSentiment, combineSentiment, detectSentimentScale, mapSentiment, mapSentimentColumn } from '../../../src/core/tagging/sentiment.ts';
import { featurizeBatch } from '../../../src/core/tagging/featurize.ts';
import { predictBatch } from '../../../src/core/tagging/fasttext-model.ts';
import { tagTable } from '../../../src/core/tagging/tag-table.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { readCnReviews, sampleSeeded } from './shared-data.ts';
import { readOlistReviewScores } from './shared-titles.ts';

describe('sentiment scales', () => {
  it('detects stars, 0/1 labels and words, and refuses other columns', () => {
    expect(detectSentimentScale([1, 5, '4', null, 3, ''])).toBe('stars-1-5');
    expect(detectSentimentScale(['0', '1', 1, null])).toBe('binary-0-1');
    expect(detectSentimentScale(['positive', 'Negative', '好评', '差评'])).toBe('words');
    expect(detectSentimentScale([1, 2, 7])).toBeNull();
    expect(detectSentimentScale([4.5, 3])).toBeNull();
    expect(detectSentimentScale(['great', 'ok'])).toBeNull();
    expect(detectSentimentScale([null, ''])).toBeNull();
  });

  it('maps 1–2 to negative, 4–5 to positive and leaves 3 out', () => {
    expect([1, 2, 3, 4, 5, 6, 'x', null].map((v) => mapSentiment(v, 'stars-1-5'))).toEqual([
      'negative', 'negative', 'neutral', 'positive', 'positive', null, null, null,
    ]);
    const m = mapSentimentColumn(['5', '3', '1', '', '4'])!;
    expect(m).toEqual({ scale: 'stars-1-5', labels: ['positive', null, 'negative', null, 'positive'], neutral: 1, unreadable: 1 });
    expect(mapSentimentColumn(['a', 'b'])).toBeNull();
  });

  it('maps Olist review scores exactly as their counts say', () => {
    const rows = readOlistReviewScores();
    expect(rows.length).toBe(8225);
    const m = mapSentimentColumn(rows.map((r) => r.score))!;
    expect(m.scale).toBe('stars-1-5');
    const count = (pred: (n: number) => boolean) => rows.filter((r) => pred(Number(r.score))).length;
    expect(m.labels.filter((l) => l === 'negative').length).toBe(count((n) => n <= 2));
    expect(m.labels.filter((l) => l === 'positive').length).toBe(count((n) => n >= 4));
    expect(m.neutral).toBe(count((n) => n === 3));
    expect(m.unreadable).toBe(0);
  });

  it('maps the 0/1 labels of the Chinese review corpus', () => {
    const rows = readCnReviews();
    const m = mapSentimentColumn(rows.map((r) => r.label))!;
    expect(m.scale).toBe('binary-0-1');
    expect(m.labels.filter((l) => l === 'positive').length).toBe(rows.filter((r) => r.label === '1').length);
    expect(m.unreadable).toBe(0);
  });
});

describe('aggregateSentiment', () => {
  it('counts per product and category, with shares and mean probabilities', () => {
    const agg = aggregateSentiment([
      { product: 'p1', category: 'phone', sentiment: 'positive', pPositive: 0.9 },
      { product: 'p1', category: 'phone', sentiment: 'negative', pPositive: 0.2 },
      { product: 'p1', category: 'phone', sentiment: 'positive', pPositive: 0.7 },
      { product: 'p2', category: 'phone', sentiment: null },
      { product: 'p3', category: 'book', sentiment: 'negative', pPositive: 0.1 },
      { product: null, category: 'book', sentiment: 'positive' },
    ]);
    expect(agg.byProduct).toEqual([
      { key: 'p1', reviews: 3, positive: 2, negative: 1, positiveShare: 2 / 3, meanPositive: expect.closeTo(0.6, 12), predicted: 0 },
      { key: 'p2', reviews: 1, positive: 0, negative: 0, positiveShare: null, meanPositive: null, predicted: 0 },
      { key: 'p3', reviews: 1, positive: 0, negative: 1, positiveShare: 0, meanPositive: 0.1, predicted: 0 },
    ]);
    expect(agg.byCategory).toEqual([
      { key: 'phone', reviews: 4, positive: 2, negative: 1, positiveShare: 2 / 3, meanPositive: expect.closeTo(0.6, 12), predicted: 0 },
      { key: 'book', reviews: 2, positive: 1, negative: 1, positiveShare: 0.5, meanPositive: 0.1, predicted: 0 },
    ]);
  });

  it('aggregates the real corpus per category to the counts of its labels', () => {
    const rows = readCnReviews();
    const labels = mapSentimentColumn(rows.map((r) => r.label))!.labels;
    const agg = aggregateSentiment(rows.map((r, i) => ({ product: null, category: r.cat, sentiment: labels[i] })));
    expect(agg.byCategory.length).toBe(10);
    expect(agg.byCategory.reduce((n, c) => n + c.reviews, 0)).toBe(rows.length);
    const books = agg.byCategory.find((c) => c.key === '书籍')!;
    expect(books.positive).toBe(rows.filter((r) => r.cat === '书籍' && r.label === '1').length);
    expect(agg.byProduct).toEqual([]);
  });
});

describe('combineSentiment', () => {
  it('keeps given scores and takes the model’s prediction for reviews without one (real reviews, 30% scores hidden)', async () => {
    const reviews = sampleSeeded(readCnReviews(), 1200, 17);
    const rand = mulberry32(5);
    const hidden = reviews.map(() => rand() < 0.3);
    const scores = reviews.map((r, i) => (hidden[i] ? null : r.label));
    const given = mapSentimentColumn(scores)!.labels;
    // The sentiment model, trained on the scored reviews only, as the Tagging view trains it.
    const trained = await tagTable({ texts: [reviews.map((r) => r.review)], labels: given }, { seed: 3, k: 3 });
    if (!trained.ok) throw new Error(trained.reason);
    expect(trained.classes).toEqual(['negative', 'positive']);
    const probs = predictBatch(trained.model!, featurizeBatch(reviews.map((r) => r.review), trained.featurizer));
    const pPositive = reviews.map((_, i) => probs[i * 2 + 1]);

    const rows = combineSentiment(given, pPositive, reviews.map(() => null), reviews.map((r) => r.cat));
    const hiddenCount = hidden.filter(Boolean).length;
    expect(rows.filter((r) => r.predicted).length).toBe(hiddenCount);
    rows.forEach((r, i) => {
      if (!hidden[i]) expect(r.sentiment).toBe(given[i]);
      else expect(r.sentiment).toBe(pPositive[i] >= 0.5 ? 'positive' : 'negative');
    });
    // The predictions for hidden reviews mostly agree with their hidden labels (observed 0.85).
    const agree = rows.filter((r, i) => hidden[i] && r.sentiment === (reviews[i].label === '1' ? 'positive' : 'negative')).length;
    expect(agree / hiddenCount).toBeGreaterThan(0.8);

    const agg = aggregateSentiment(rows);
    expect(agg.byCategory.reduce((n, c) => n + c.predicted, 0)).toBe(hiddenCount);
    expect(agg.byCategory.reduce((n, c) => n + c.positive + c.negative, 0)).toBe(reviews.length);
    for (const c of agg.byCategory) expect(c.meanPositive).not.toBeNull();
  });

  it('leaves a review without score and without a usable prediction unrated', () => {
    const rows = combineSentiment(['positive', null, null], [0.9, Number.NaN, 0.2], ['a', 'a', 'b']);
    expect(rows.map((r) => [r.sentiment, r.predicted])).toEqual([['positive', false], [null, false], ['negative', true]]);
    expect(combineSentiment([null], undefined, ['a'])[0].sentiment).toBeNull();
  });
});
