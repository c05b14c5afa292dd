// The tags Parquet export read back with hyparquet: same columns as the CSV, typed, nulls where a
// tag has no model, provenance (model id, tagger name, version, score, time, span) intact.
import { parquetMetadata, parquetReadObjects, parquetSchema } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { extractAttributes, buildBrandLexicon } from '../../../src/core/tagging/attributes.ts';
import { TAG_CSV_COLUMNS, buildStoredTags, exportTagsParquet, type StoredTag } from '../../../src/state/tag-extras-model.ts';
import { sampleSeeded } from '../tagging/shared-data.ts';
import { readFlipkartProducts } from '../tagging/shared-titles.ts';

const CREATED = Date.UTC(2026, 10, 23, 12, 0, 0);

describe('exportTagsParquet', () => {
  it('writes tags of real titles that read back with hyparquet, typed and with provenance', async () => {
    const products = sampleSeeded(readFlipkartProducts('original'), 200, 4);
    const lexicon = buildBrandLexicon(products.map((p) => p.brand));
    const tags: StoredTag[] = [
      ...buildStoredTags('products', 'product_name', products.map((_, i) => i), products.map((p) => extractAttributes(p.name, { brands: lexicon })), CREATED),
      { table: 'reviews', column: 'review', row: 9, kind: 'sentiment', value: '很好', normalized: 'positive', start: -1, end: -1, provenance: { source: 'model', modelId: 7, version: 2, score: 0.91, createdAt: CREATED } },
      { table: 'products', column: 'product_name', row: 3, kind: 'brand', value: 'Zvr', normalized: 'zvr', start: 0, end: 3, provenance: { source: 'tagger', model: 'brand-tagger', version: 1, createdAt: CREATED } },
    ];
    expect(tags.length).toBeGreaterThan(100);
    const bytes = exportTagsParquet(tags);
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const metadata = parquetMetadata(file);
    expect(Number(metadata.num_rows)).toBe(tags.length);
    expect(parquetSchema(metadata).children.map((c) => c.element.name)).toEqual([...TAG_CSV_COLUMNS]);

    const rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
    expect(rows.length).toBe(tags.length);
    // Every title tag reads back as written: its span cuts its value out of its title.
    for (const [i, r] of rows.slice(0, tags.length - 2).entries()) {
      expect(r.value).toBe(tags[i].value);
      expect(products[Number(r.row)].name.slice(Number(r.start), Number(r.end))).toBe(r.value);
      expect(r.model_id).toBeNull();
      expect(r.source).toBe(tags[i].provenance.source);
    }
    const sentiment = rows.at(-2)!;
    expect([sentiment.kind, sentiment.normalized, sentiment.model_id, sentiment.model_version, sentiment.score, sentiment.start]).toEqual(['sentiment', 'positive', 7, 2, 0.91, -1]);
    expect(Number(sentiment.row)).toBe(9);
    expect((sentiment.created_at as Date).toISOString()).toBe('2026-11-23T12:00:00.000Z');
    const tagger = rows.at(-1)!;
    expect([tagger.source, tagger.model, tagger.model_version, tagger.score]).toEqual(['tagger', 'brand-tagger', 1, null]);
  });
});
