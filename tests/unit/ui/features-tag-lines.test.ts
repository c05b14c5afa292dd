// The Features view's "tag inputs" lines: the sentiment model and review count when tags were used,
// else what to run in Tagging first; attribute and brand lines from the same summary.
import { describe, expect, it } from 'vitest';
import { describeTagInputs } from '../../../src/state/features-model.ts';

describe('describeTagInputs', () => {
  it('names the sentiment model, version and reviews, and the attribute and brand counts', () => {
    const lines = describeTagInputs({
      sentiment: { used: true, table: 'reviews', column: 'text', model: { modelId: 4, version: 2 }, reviews: 812 },
      attributes: { used: true, table: 'products', columns: ['title'], tags: 90, products: 40 },
      brands: { products: 30, filled: 7 },
      categories: { column: 'products.category', model: { modelId: 9, version: 3 }, products: 12, filled: 12 },
    });
    expect(lines.map((l) => [l.key, l.params, l.used])).toEqual([
      ['features.tags.sentiment', { id: 4, version: 2, reviews: 812, source: 'reviews.text' }, true],
      ['features.tags.attributes', { tags: 90, products: 40, source: 'products.title' }, true],
      ['features.tags.brands', { products: 30, filled: 7 }, true],
      ['features.tags.categories', { model: '9 v3', source: 'products.category', products: 12, filled: 12 }, true],
    ]);
  });

  it('says what to run first, or why stored tags could not be joined', () => {
    expect(describeTagInputs({ sentiment: { used: false, reason: 'no-tags', otherTables: [] }, attributes: { used: false, reason: 'no-tags' }, brands: null, categories: null }).map((l) => [l.key, l.used]))
      .toEqual([['features.tags.noSentiment', false], ['features.tags.noAttributes', false]]);
    expect(describeTagInputs({ sentiment: { used: false, reason: 'no-review-id', otherTables: [] }, attributes: { used: false, reason: 'no-products' }, brands: null, categories: null })[0].key).toBe('features.tags.noReviewId');
    const other = describeTagInputs({ sentiment: { used: false, reason: 'other-table', otherTables: ['feedback'], reviewTable: 'reviews' }, attributes: { used: false, reason: 'no-tags' }, brands: null, categories: null })[0];
    expect([other.key, other.params]).toEqual(['features.tags.otherTable', { other: 'feedback', reviews: 'reviews' }]);
    expect(describeTagInputs(null)).toEqual([]);
  });
});
