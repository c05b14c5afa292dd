// Category predictions as stored tags: whole-row tags of the target column with the model's provenance,
// and a new run of the same table and column replacing the last without touching other runs' tags.
import { describe, expect, it } from 'vitest';
import { buildCategoryTags, buildSentimentTags, mergeStoredTags, type StoredTag } from '../../../src/state/tag-extras-model.ts';

describe('buildCategoryTags', () => {
  const predictions = [
    { row: 3, label: 'garden', p: 0.91 },
    { row: 8, label: ' toys ', p: 0.55 },
    { row: 9, label: '', p: 0.4 },
  ];

  it('tags each predicted row of the target column with the label, P(label) and the model', () => {
    const tags = buildCategoryTags('products', 'category', predictions, { modelId: 7, version: 2 }, 1234);
    expect(tags).toEqual([
      { table: 'products', column: 'category', row: 3, kind: 'category', value: 'garden', normalized: 'garden', start: -1, end: -1, provenance: { source: 'model', modelId: 7, version: 2, score: 0.91, createdAt: 1234 } },
      { table: 'products', column: 'category', row: 8, kind: 'category', value: ' toys ', normalized: 'toys', start: -1, end: -1, provenance: { source: 'model', modelId: 7, version: 2, score: 0.55, createdAt: 1234 } },
    ]);
  });

  it('replaces the last category run of the same table and column only', () => {
    const first = buildCategoryTags('products', 'category', predictions, { modelId: 7, version: 1 }, 1);
    const otherColumn = buildCategoryTags('products', 'brand', predictions, { modelId: 8, version: 1 }, 1);
    const attribute: StoredTag = { table: 'products', column: 'category', row: 1, kind: 'brand', value: 'Acme', normalized: 'Acme', start: 0, end: 4, provenance: { source: 'lexicon', createdAt: 1 } };
    const sentiment = buildSentimentTags('products', 'category', [2], [0.9], { modelId: 3, version: 1 }, 1);
    const previous = [...first, ...otherColumn, attribute, ...sentiment];
    const next = buildCategoryTags('products', 'category', [{ row: 3, label: 'kitchen', p: 0.8 }], { modelId: 7, version: 2 }, 2);
    const merged = mergeStoredTags(previous, next);
    expect(merged.filter((t) => t.kind === 'category' && t.column === 'category')).toEqual(next);
    expect(merged).toEqual([...otherColumn, attribute, ...sentiment, ...next]);
  });
});
