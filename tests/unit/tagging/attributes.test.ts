import { describe, expect, it } from 'vitest';
import { buildBrandLexicon, extractAttributes, type AttributeTag } from '../../../src/core/tagging/attributes.ts';
import { trainSequenceTagger } from '../../../src/core/tagging/sequence-tagger.ts';
import { readFlipkartProducts } from './shared-titles.ts';

const brands = buildBrandLexicon(['Apple/苹果', 'Apple/苹果', 'Samsung 三星', 'Red Tape', 'HP', '华为 HUAWEI', 'Xiaomi/小米', '其他', null, '']);
const brief = (tags: AttributeTag[]) => tags.map((t) => [t.kind, t.value, t.normalized, t.source]);

describe('buildBrandLexicon', () => {
  it('normalises values, adds zh and en parts as aliases and skips placeholders', () => {
    expect([...brands.aliases]).toEqual([
      ['apple', 'Apple/苹果'],
      ['apple/苹果', 'Apple/苹果'],
      ['hp', 'HP'],
      ['huawei', '华为 HUAWEI'],
      ['red tape', 'Red Tape'],
      ['samsung', 'Samsung 三星'],
      ['samsung 三星', 'Samsung 三星'],
      ['xiaomi', 'Xiaomi/小米'],
      ['xiaomi/小米', 'Xiaomi/小米'],
      ['三星', 'Samsung 三星'],
      ['华为', '华为 HUAWEI'],
      ['华为 huawei', '华为 HUAWEI'],
      ['小米', 'Xiaomi/小米'],
      ['苹果', 'Apple/苹果'],
    ]);
  });

  it('keeps the most frequent spelling and gives a shared alias to the brand with more rows', () => {
    const lex = buildBrandLexicon(['Nike', 'NIKE', 'NIKE', 'Puma/彪马', 'Puma', 'Puma']);
    expect(lex.aliases.get('nike')).toBe('NIKE');
    // "puma" is claimed by the value "Puma" (2 rows) and by a part of "Puma/彪马" (1 row).
    expect(lex.aliases.get('puma')).toBe('Puma');
    expect(lex.aliases.get('彪马')).toBe('Puma/彪马');
  });
});

describe('extractAttributes', () => {
  it('finds brand, model, capacity and colour in a Chinese phone title', () => {
    const title = '苹果 iPhone 13 128G 红色 正品';
    const tags = extractAttributes(title, { brands });
    expect(brief(tags)).toEqual([
      ['brand', '苹果', 'Apple/苹果', 'lexicon'],
      ['model', 'iPhone 13', 'IPHONE 13', 'pattern'],
      ['capacity', '128G', '128GB', 'pattern'],
      ['colour', '红色', 'red', 'lexicon'],
    ]);
    for (const t of tags) expect(title.slice(t.start, t.end)).toBe(t.value);
  });

  it('normalises units and keeps spans in the original (full-width) string', () => {
    const title = 'Ｓａｍｓｕｎｇ 1TB SSD 2.5" 不锈钢保温杯 500ml 纯棉T恤 XL 白';
    const tags = extractAttributes(title, { brands });
    expect(brief(tags)).toEqual([
      ['brand', 'Ｓａｍｓｕｎｇ', 'Samsung 三星', 'lexicon'],
      ['capacity', '1TB', '1024GB', 'pattern'],
      ['size', '2.5"', '2.5in', 'pattern'],
      ['material', '不锈钢', 'stainless steel', 'lexicon'],
      ['volume', '500ml', '500ml', 'pattern'],
      ['material', '纯棉', 'cotton', 'lexicon'],
      ['size', 'XL', 'XL', 'pattern'],
      ['colour', '白', 'white', 'lexicon'],
    ]);
    expect(tags[0]).toMatchObject({ start: 0, end: 7 });
    for (const t of tags) expect(title.slice(t.start, t.end)).toBe(t.value);
  });

  it('reads weights, volumes and lengths in zh and en units', () => {
    const tags = extractAttributes('HP 15.6 inch Laptop shop 1.5L 30x40cm 2kg 500g 5斤 55寸 42码 250 mm', { brands });
    expect(brief(tags)).toEqual([
      ['brand', 'HP', 'HP', 'lexicon'],
      ['size', '15.6 inch', '15.6in', 'pattern'],
      ['volume', '1.5L', '1500ml', 'pattern'],
      ['size', '30x40cm', '30x40cm', 'pattern'],
      ['weight', '2kg', '2000g', 'pattern'],
      ['weight', '500g', '500g', 'pattern'],
      ['weight', '5斤', '2500g', 'pattern'],
      ['size', '55寸', '55in', 'pattern'],
      ['size', '42码', 'size:42', 'pattern'],
      ['size', '250 mm', '25cm', 'pattern'],
    ]);
  });

  it('prefers the brand over a colour inside it, and quantities over model patterns', () => {
    expect(brief(extractAttributes('Red Tape Leather Shoes Black', { brands }))).toEqual([
      ['brand', 'Red Tape', 'Red Tape', 'lexicon'],
      ['material', 'Leather', 'leather', 'lexicon'],
      ['colour', 'Black', 'black', 'lexicon'],
    ]);
    expect(brief(extractAttributes('Samsung Galaxy SM-G9910 5G 256GB', { brands }))).toEqual([
      ['brand', 'Samsung', 'Samsung 三星', 'lexicon'],
      ['model', 'SM-G9910', 'SM-G9910', 'pattern'],
      ['capacity', '256GB', '256GB', 'pattern'],
    ]);
  });

  it('does not match inside words or single Han colours inside other words', () => {
    // "hp" inside "shop", "red" inside "hundred", 红 inside 红米, 黑 inside 黑科技.
    expect(extractAttributes('shop a hundred 红米 黑科技', { brands })).toEqual([]);
  });

  it('merges a brand written in both scripts back to back', () => {
    expect(brief(extractAttributes('华为HUAWEI Mate 40 Pro', { brands }))).toEqual([['brand', '华为HUAWEI', '华为 HUAWEI', 'lexicon']]);
  });

  it('adds tagger brands the lexicon lacks, with source "tagger"', () => {
    const data = ['小米', '魅族', '一加', '锤子'].flatMap((b) =>
      ['手机', '耳机'].flatMap((p) =>
        ['', ' 白色', ' 黑色'].map((c) => ({ chars: Array.from(b + p + c), tags: ['B-HPPX', 'I-HPPX', ...Array.from(p + c, () => 'O')] })),
      ),
    );
    const model = trainSequenceTagger(data, { epochs: 5, buckets: 1 << 12 });
    const tags = extractAttributes('魅族耳机 黑色', { brands, brandTagger: { model, type: 'HPPX' } });
    expect(brief(tags)).toEqual([
      ['brand', '魅族', '魅族', 'tagger'],
      ['colour', '黑色', 'black', 'lexicon'],
    ]);
  });

  it('finds the brand column value in most Flipkart names (observed 0.877; the column itself is noisy)', () => {
    const rows = readFlipkartProducts('original');
    expect(rows.length).toBe(20000);
    const lexicon = buildBrandLexicon(rows.map((r) => r.brand));
    let withBrand = 0;
    let agree = 0;
    for (const r of rows) {
      if (!r.brand.trim()) continue;
      withBrand++;
      const want = r.brand.trim().replace(/\s+/g, ' ').toLowerCase();
      if (extractAttributes(r.name, { brands: lexicon }).some((t) => t.kind === 'brand' && t.normalized.toLowerCase() === want)) agree++;
    }
    expect(withBrand).toBe(14139);
    expect(agree / withBrand).toBeGreaterThan(0.8);
  });
});
