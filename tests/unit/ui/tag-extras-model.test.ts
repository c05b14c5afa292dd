// Tests of the Tagging view's extra panels' view models: stored tags with provenance, highlight
// segments, the tags CSV (formula-injection escaped), duplicate merges and sentiment bars, on planted
// titles and on a seeded sample of the real Flipkart titles.
import { describe, expect, it } from 'vitest';
import { buildBrandLexicon, extractAttributes } from '../../../src/core/tagging/attributes.ts';
import { findNearDuplicates } from '../../../src/core/tagging/near-duplicates.ts';
import { aggregateSentiment, mapSentimentColumn } from '../../../src/core/tagging/sentiment.ts';
import type { ColumnProfile, SemanticType } from '../../../src/core/types.ts';
import {
  TAG_CSV_COLUMNS,
  buildDuplicateMerge,
  buildStoredTags,
  exportTagsCsv,
  mergeDuplicateMerges,
  mergeStoredTags,
  buildSentimentTags,
  splitHighlights,
  suggestBrandColumn,
  suggestScoreColumn,
  suggestTitleColumn,
  toSentimentBars,
} from '../../../src/state/tag-extras-model.ts';
import { parseCsv, readFlipkartTitles, sampleSeeded } from '../tagging/shared-data.ts';

function column(index: number, name: string, semanticType: SemanticType): ColumnProfile {
  return {
    importId: 'imp', table: 't', name, index, engineType: 'VARCHAR', physicalType: 'varchar', semanticType, semanticReason: '',
    rowCount: 10, nullCount: 0, emptyCount: 0, placeholders: [], distinct: 10, isUnique: false, min: null, max: null, mean: null,
    std: null, quantiles: null, histogram: null, topValues: [], length: null, patterns: [], samples: [], pii: null,
  };
}

const CREATED = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('stored tags and highlights', () => {
  const lexicon = buildBrandLexicon(['Samsung', 'Alisha']);
  const titles = ['Samsung Galaxy 16GB Black', 'Alisha Solid Women\'s Cycling Shorts', 'plain title'];
  const tags = titles.map((t) => extractAttributes(t, { brands: lexicon }));

  it('stamps provenance and file rows on every tag', () => {
    const stored = buildStoredTags('products', 'name', [10, 11, 12], tags, CREATED);
    const brands = stored.filter((t) => t.kind === 'brand');
    expect(brands.map((t) => [t.row, t.normalized, t.start, t.end])).toEqual([[10, 'Samsung', 0, 7], [11, 'Alisha', 0, 6]]);
    expect(stored.every((t) => t.provenance.createdAt === CREATED && t.provenance.source === tags.flat().find((x) => x.start === t.start && x.kind === t.kind)!.source)).toBe(true);
    expect(stored.filter((t) => t.row === 12)).toEqual([]);
    expect(stored.find((t) => t.kind === 'capacity')).toMatchObject({ row: 10, value: '16GB', start: 15, end: 19, provenance: { source: 'pattern' } });
  });

  it('replaces only the same column when tags are stored again', () => {
    const first = buildStoredTags('products', 'name', [0, 1, 2], tags, CREATED);
    const other = buildStoredTags('products', 'title2', [0, 1, 2], tags, CREATED);
    const again = buildStoredTags('products', 'name', [0], [tags[0]], CREATED + 1);
    const merged = mergeStoredTags([...first, ...other], again);
    expect(merged.filter((t) => t.column === 'title2')).toEqual(other);
    expect(merged.filter((t) => t.column === 'name')).toEqual(again);
  });

  it('keeps a column’s attribute tags when its sentiment tags are stored, and the other way round', () => {
    const attributes = buildStoredTags('reviews', 'text', [0, 1, 2], tags, CREATED);
    const sentiment = buildSentimentTags('reviews', 'text', [0, 1, 2], [0.9, Number.NaN, 0.2], { modelId: 4, version: 2 }, CREATED);
    expect(sentiment.map((t) => [t.row, t.value, t.start, t.provenance.modelId, t.provenance.version])).toEqual([[0, 'positive', -1, 4, 2], [2, 'negative', -1, 4, 2]]);
    expect(sentiment[0].provenance.score).toBeCloseTo(0.9, 12);
    expect(sentiment[1].provenance.score).toBeCloseTo(0.8, 12);
    const both = mergeStoredTags(attributes, sentiment);
    expect(both).toEqual([...attributes, ...sentiment]);
    const again = buildSentimentTags('reviews', 'text', [5], [0.7], { modelId: 5, version: 3 }, CREATED + 1);
    expect(mergeStoredTags(both, again)).toEqual([...attributes, ...again]);
    expect(mergeStoredTags(both, attributes.slice(0, 1))).toEqual([...sentiment, ...attributes.slice(0, 1)]);
  });

  it('splits a title into plain and marked runs that rebuild it exactly', () => {
    const segs = splitHighlights(titles[0], tags[0]);
    expect(segs.map((s) => s.text).join('')).toBe(titles[0]);
    expect(segs.filter((s) => s.kind === 'brand').map((s) => s.text)).toEqual(['Samsung']);
    expect(segs.filter((s) => s.kind === 'capacity').map((s) => s.text)).toEqual(['16GB']);
    // Overlapping and out-of-range spans are skipped, never trusted.
    expect(splitHighlights('abcdef', [{ kind: 'brand', start: 0, end: 3 }, { kind: 'colour', start: 2, end: 4 }, { kind: 'model', start: 4, end: 99 }])).toEqual([
      { text: 'abc', kind: 'brand' },
      { text: 'def', kind: null },
    ]);
  });

  it('keeps spans consistent on 1,000 real Flipkart titles', () => {
    const sample = sampleSeeded(readFlipkartTitles(), 1000, 3).map((r) => r.name);
    const lex = buildBrandLexicon(sample.map((n) => n.split(' ')[0]));
    for (const title of sample) {
      const found = extractAttributes(title, { brands: lex });
      const segs = splitHighlights(title, found);
      expect(segs.map((s) => s.text).join('')).toBe(title);
      expect(segs.filter((s) => s.kind !== null).length).toBe(found.length);
    }
  });
});

describe('exportTagsCsv', () => {
  it('writes the header, one line per tag, and escapes formulas and separators', () => {
    const csv = exportTagsCsv([
      { table: 'p', column: 'name', row: 3, kind: 'brand', value: '=HYPERLINK("x")', normalized: '+cmd', start: 0, end: 15, provenance: { source: 'lexicon', createdAt: CREATED } },
      { table: 'p', column: 'name', row: 4, kind: 'sentiment', value: 'a, b', normalized: 'positive', start: -1, end: -1, provenance: { source: 'model', modelId: 7, version: 2, score: 0.91, createdAt: CREATED } },
    ]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(TAG_CSV_COLUMNS.join(','));
    expect(lines[1]).toBe(`p,name,3,brand,"'=HYPERLINK(""x"")",'+cmd,0,15,lexicon,,,,,2026-11-23T12:00:00.000Z`);
    expect(lines[2]).toBe('p,name,4,sentiment,"a, b",positive,-1,-1,model,7,,2,0.91,2026-11-23T12:00:00.000Z');
    expect(lines[3]).toBe('');
    const parsed = parseCsv(csv.replace(/\r\n/g, '\n')).filter((r) => r.some((c) => c !== ''));
    expect(parsed.map((r) => r.length)).toEqual([14, 14, 14]);
  });
});

describe('duplicate merges', () => {
  it('keeps the first member of each cluster and merges the rest (file rows)', () => {
    const titles = ['Alisha Solid Women\'s Cycling Shorts', 'FabHomeDecor Fabric Double Sofa Bed', 'Alisha Solid Women\'s Cycling Shorts', 'AW Bellies', 'Alisha Solid Women\'s Cycling Shorts'];
    const clusters = findNearDuplicates(titles, { threshold: 0.9 });
    const merge = buildDuplicateMerge('p', 'name', 0.9, [100, 101, 102, 103, 104], clusters, CREATED);
    expect(merge.groups).toEqual([{ keep: 100, merge: [102, 104], similarity: 1 }]);
    const other = { ...merge, column: 'other' };
    const newer = { ...merge, createdAt: CREATED + 1 };
    expect(mergeDuplicateMerges([merge, other], newer)).toEqual([other, newer]);
  });
});

describe('sentiment bars and column suggestions', () => {
  it('turns aggregates into bars with the positive share', () => {
    const scores = ['5', '1', '4', '3', '2', '5'];
    const mapping = mapSentimentColumn(scores)!;
    const agg = aggregateSentiment(scores.map((_, i) => ({ product: i < 4 ? 'A' : 'B', category: 'c', sentiment: mapping.labels[i] })));
    expect(toSentimentBars(agg.byProduct, 5)).toEqual([
      { key: 'A', reviews: 4, positive: 2, negative: 1, share: 2 / 3, predicted: 0 },
      { key: 'B', reviews: 2, positive: 1, negative: 1, share: 0.5, predicted: 0 },
    ]);
    expect(toSentimentBars(agg.byProduct, 1)).toHaveLength(1);
  });

  it('suggests the title, brand and score columns', () => {
    const cols = [column(0, 'uniq_id', 'id'), column(1, 'product_name', 'title'), column(2, 'product_rating', 'rating'), column(3, 'brand', 'category')];
    expect(suggestTitleColumn(cols)).toBe('product_name');
    expect(suggestBrandColumn(cols)).toBe('brand');
    expect(suggestScoreColumn(cols)).toBe('product_rating');
    expect(suggestBrandColumn(cols.slice(0, 3))).toBe('');
  });
});
