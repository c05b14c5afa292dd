// Stored tags (the Tagging view's format, numbered by file row) turned into the feature build's tag
// tables: which runs are picked, and on a seeded shop — tags made by the real attribute extractor and
// the real sentiment-tag builder over rows read as `readTagRows` reads them — sentiment share, attribute
// tag count and gap-filled brands checked against values recomputed from the generated CSV text; and
// categories a classifier trained on the titles predicted for products that lost theirs.
import { describe, expect, it } from 'vitest';
import { buildFeatures } from '../../../src/core/features/build-features.ts';
import { detectFeatureSources } from '../../../src/core/features/detect-sources.ts';
import { registerFeatureTags, selectFeatureTags, tagRunCsv, type FeatureTagRecord } from '../../../src/core/features/tag-inputs.ts';
import { buildBrandLexicon, extractAttributes } from '../../../src/core/tagging/attributes.ts';
import { buildTagJobSql } from '../../../src/core/tagging/plan-tag-jobs.ts';
import { tagTable } from '../../../src/core/tagging/tag-table.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';
import { buildCategoryTags, buildSentimentTags, buildStoredTags, mergeStoredTags, type StoredTag } from '../../../src/state/tag-extras-model.ts';
import { generateShopOrders } from '../../fixtures/generate-shop-orders.ts';
import { loadFiles } from '../recsys/helpers.ts';

const tag = (over: Partial<FeatureTagRecord>): FeatureTagRecord => ({
  table: 'reviews', column: 'text', row: 0, kind: 'sentiment', value: 'positive', normalized: 'positive', start: -1,
  provenance: { source: 'model', modelId: 3, version: 2, createdAt: 100 }, ...over,
});

describe('selectFeatureTags', () => {
  const sources = { reviews: { table: 'reviews', score: 'score', id: 'review_id' }, product: { table: 'products', key: 'product_id' } };

  it('keeps the latest sentiment run of the reviews table, one label per row, and names other tables', () => {
    const tags = [
      tag({ column: 'title', row: 0, normalized: 'negative', provenance: { source: 'model', modelId: 1, version: 1, createdAt: 50 } }),
      tag({ column: 'text', row: 2, normalized: 'negative' }),
      tag({ column: 'text', row: 0, normalized: 'positive' }),
      tag({ table: 'other_reviews', row: 1 }),
    ];
    const s = selectFeatureTags(tags, sources);
    expect(s.sentiment).toEqual({ table: 'reviews', columns: ['text'], rows: [0, 2], labels: ['positive', 'negative'], model: { modelId: 3, version: 2 } });
    expect(s.otherSentimentTables).toEqual(['other_reviews']);
    expect(s.attributes).toBeNull();
  });

  it('labels attribute tags kind:normalized and keeps the leftmost brand of each product row', () => {
    const p = { table: 'products', column: 'title', kind: 'brand', provenance: { source: 'lexicon', createdAt: 1 } };
    const tags = [
      tag({ ...p, row: 4, value: 'Hooli', normalized: 'Hooli', start: 9 }),
      tag({ ...p, row: 4, value: 'Acme', normalized: 'Acme', start: 0 }),
      tag({ ...p, row: 1, kind: 'colour', value: 'rot', normalized: 'red', start: 3 }),
      tag({ ...p, table: 'reviews', row: 1, kind: 'colour', value: 'red', normalized: 'red', start: 0 }),
    ];
    const s = selectFeatureTags(tags, sources);
    expect(s.sentiment).toBeNull();
    expect(s.attributes).toMatchObject({ table: 'products', columns: ['title'], rows: [4, 4, 1], labels: ['brand:Hooli', 'brand:Acme', 'colour:red'], model: null });
    expect(s.brands).toMatchObject({ rows: [4], labels: ['Acme'] });
    expect(selectFeatureTags(tags, { reviews: sources.reviews }).attributes).toBeNull();
  });

  it('writes labels with commas, quotes and newlines as quoted CSV', () => {
    expect(tagRunCsv({ rows: [7, 9], labels: ['a,"b"', 'x\ny'] })).toBe('row,label\n7,"a,""b"""\n9,"x\ny"\n');
  });
});

const CUTOFF = '2021-07-01';
const COLOURS = ['red', 'blue', 'black', ''];

/** CSV text → data rows (no quoting in the generated files), row i = 0-based data row of the file. */
const parse = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(','));

describe('stored tags feed the feature build', () => {
  it('sentiment share, attribute tag count and tagged brands match the tags by file row, before the cut-off only', async () => {
    const g = generateShopOrders({ seed: 31, orders: 900, withBrand: true });
    // Titles that name their brand (and often a colour); every third product lost its brand in the data.
    const products = parse(g.files['products.csv']);
    const head = g.files['products.csv'].split('\n')[0];
    g.files['products.csv'] = [head, ...products.map(([id, cat, brand, title], i) => `${id},${cat},${i % 3 === 0 ? '' : brand},${brand} ${COLOURS[i % 4]} ${title}`)].join('\n') + '\n';
    const { engine, inventory } = await loadFiles(Object.fromEntries(Object.entries(g.files).map(([k, v]) => [`shop/${k}`, v])));
    try {
      // Rows as the Tagging view reads them (readTagRows runs this SQL), tags as it stores them.
      const titles = await engine.query<{ row: number; t0: string; y: string | null }>(buildTagJobSql({ table: 'products', text: ['product_title'], target: 'brand' }));
      const lexicon = buildBrandLexicon(titles.map((r) => r.y));
      const attrTags = buildStoredTags('products', 'product_title', titles.map((r) => Number(r.row)), titles.map((r) => extractAttributes(r.t0, { brands: lexicon })), 10);
      const reviewRows = await engine.query<{ row: number; y: string }>(buildTagJobSql({ table: 'reviews', text: ['review_id'], target: 'review_score' }));
      // A noisy stand-in for the sentiment model (the fixture has no review text): right 85% of the time.
      const rand = mulberry32(7);
      const pPositive = reviewRows.map((r) => ((Number(r.y) >= 4) !== rand() < 0.15 ? 0.8 : 0.3));
      const sentTags = buildSentimentTags('reviews', 'review_id', reviewRows.map((r) => Number(r.row)), pPositive, { modelId: 12, version: 3 }, 20);
      // An older run on another column, all negative: must not be mixed in.
      const older = buildSentimentTags('reviews', 'review_score', reviewRows.map((r) => Number(r.row)), reviewRows.map(() => 0.1), { modelId: 11, version: 1 }, 5);
      const stored: StoredTag[] = [...older, ...attrTags, ...sentTags];

      const detected = detectFeatureSources(inventory);
      if (!detected.ok) throw new Error(detected.message);
      const reg = await registerFeatureTags(engine, selectFeatureTags(stored, detected.sources), detected.sources, '__t');
      const b = await buildFeatures(engine, inventory, { cutoff: CUTOFF, tablePrefix: '__tagged', ...reg.options });
      const rows = await engine.query<{ item_id: string; sentiment_positive_share: number | null; attribute_tag_count: number; brand: string | null }>(
        `SELECT item_id, sentiment_positive_share, attribute_tag_count, brand FROM "${b.engineTables.item_features}"`,
      );

      // Expected values from the CSV text alone: file row i of reviews / products ↔ tag row i.
      const orderTime = new Map(parse(g.files['orders.csv']).map((f) => [f[0], f[3]]));
      const itemsOf = new Map<string, Set<string>>();
      for (const [o, , p] of parse(g.files['order_items.csv'])) if (orderTime.get(o)! < CUTOFF) itemsOf.set(o, (itemsOf.get(o) ?? new Set()).add(p));
      const positiveOf = new Map(sentTags.map((t) => [t.row, t.normalized === 'positive']));
      const shares = new Map<string, number[]>();
      parse(g.files['reviews.csv']).forEach(([, o, , created], i) => {
        if (created >= CUTOFF || !itemsOf.has(o) || !positiveOf.has(i)) return;
        for (const p of itemsOf.get(o)!) shares.set(p, [...(shares.get(p) ?? []), positiveOf.get(i) ? 1 : 0]);
      });
      const tagsOf = new Map<string, Set<string>>();
      for (const t of attrTags) tagsOf.set(products[t.row][0], (tagsOf.get(products[t.row][0]) ?? new Set()).add(`${t.kind}:${t.normalized}`));

      expect(rows.length).toBeGreaterThan(30);
      let filled = 0;
      for (const r of rows) {
        const s = shares.get(r.item_id);
        if (s) expect(r.sentiment_positive_share).toBeCloseTo(s.reduce((a, x) => a + x, 0) / s.length, 6);
        else expect(r.sentiment_positive_share).toBeNull();
        expect(r.attribute_tag_count).toBe(tagsOf.get(r.item_id)?.size ?? 0);
        const i = products.findIndex((p) => p[0] === r.item_id);
        expect(r.brand).toBe(products[i][2]);
        if (i % 3 === 0) filled++;
      }
      expect(filled).toBeGreaterThan(5);
      expect([...shares.values()].some((s) => s.includes(0) && s.includes(1))).toBe(true);
      expect(reg.summary.sentiment).toEqual({ used: true, table: 'reviews', column: 'review_id', model: { modelId: 12, version: 3 }, reviews: reviewRows.length });
      expect(reg.summary.attributes).toMatchObject({ used: true, table: 'products', columns: ['product_title'], tags: attrTags.length, products: products.length });
      expect(reg.summary.brands).toEqual({ products: products.length, filled: Math.ceil(products.length / 3) });
      const brand = b.tables.find((t) => t.name === 'item_features')!.columns.find((c) => c.name === 'brand')!;
      expect(brand.description).toMatch(/where it is empty, the brand tagged in the title/);
      expect(brand.sources).toEqual(['products.brand', '__t_brands.label']);

      // Point in time: flipping every tag of a review written on or after the cut-off changes nothing.
      const createdOf = parse(g.files['reviews.csv']).map((f) => f[3]);
      const flipped = stored.map((t) => (t.kind === 'sentiment' && t.provenance.createdAt === 20 && createdOf[t.row] >= CUTOFF ? { ...t, normalized: t.normalized === 'positive' ? 'negative' : 'positive' } : t));
      expect(flipped.filter((t, i) => t !== stored[i]).length).toBeGreaterThan(50);
      const reg2 = await registerFeatureTags(engine, selectFeatureTags(flipped, detected.sources), detected.sources, '__t2');
      const b2 = await buildFeatures(engine, inventory, { cutoff: CUTOFF, tablePrefix: '__flipped', ...reg2.options });
      const read = (t: string) => engine.query(`SELECT item_id, sentiment_positive_share FROM "${t}" ORDER BY item_id`);
      expect(await read(b2.engineTables.item_features)).toEqual(await read(b.engineTables.item_features));
    } finally {
      engine.close();
    }
  });

  it('fills the category of products that lost it with the classifier\'s prediction, and keeps the given one elsewhere', async () => {
    const g = generateShopOrders({ seed: 33, orders: 1500 });
    // Every fourth product lost its category in the data; its title still says what it is.
    const products = parse(g.files['products.csv']);
    const head = g.files['products.csv'].split('\n')[0];
    const lost = (i: number) => i % 4 === 1;
    g.files['products.csv'] = [head, ...products.map(([id, cat, title], i) => `${id},${lost(i) ? '' : cat},${title}`)].join('\n') + '\n';
    const { engine, inventory } = await loadFiles(Object.fromEntries(Object.entries(g.files).map(([k, v]) => [`shop/${k}`, v])));
    try {
      // As the Tagging view does it: rows read by readTagRows' SQL, a classifier of the category on the
      // titles, its predictions for rows without a category stored as tags by file row.
      const job = { table: 'products', text: ['product_title'], target: 'product_category_name' };
      const read = await engine.query<{ row: number; t0: string; y: string | null }>(buildTagJobSql(job));
      const model = await tagTable({ texts: [read.map((r) => r.t0)], labels: read.map((r) => r.y) }, { classifier: { dim: 16, epochs: 10, lr: 1 }, finalModel: 'if-missing' });
      if (!model.ok) throw new Error(model.reason);
      const predictions = model.predictionsForMissing.map((p) => ({ row: Number(read[p.row].row), label: p.label, p: p.p }));
      expect(predictions.length).toBe(products.filter((_, i) => lost(i)).length);
      // An earlier run's predictions (all one wrong class) are replaced, not mixed in.
      const older = buildCategoryTags(job.table, job.target, predictions.map((p) => ({ ...p, label: 'stale' })), { modelId: 5, version: 1 }, 10);
      const stored = mergeStoredTags(older, buildCategoryTags(job.table, job.target, predictions, { modelId: 6, version: 2 }, 20));
      expect(stored.filter((t) => t.value === 'stale')).toEqual([]);

      const detected = detectFeatureSources(inventory);
      if (!detected.ok) throw new Error(detected.message);
      const reg = await registerFeatureTags(engine, selectFeatureTags(stored, detected.sources), detected.sources, '__tc');
      expect(reg.summary.categories).toEqual({ column: 'products.product_category_name', model: { modelId: 6, version: 2 }, products: predictions.length, filled: predictions.length });
      expect(reg.summary.attributes).toEqual({ used: false, reason: 'no-tags' });
      const b = await buildFeatures(engine, inventory, { cutoff: CUTOFF, tablePrefix: '__predicted', ...reg.options });
      const rows = await engine.query<{ item_id: string; category: string | null }>(`SELECT item_id, category FROM "${b.engineTables.item_features}"`);

      const predictedOf = new Map(predictions.map((p) => [products[p.row][0], p.label]));
      let filled = 0;
      for (const r of rows) {
        const i = products.findIndex((p) => p[0] === r.item_id);
        if (lost(i)) {
          expect(r.category).toBe(predictedOf.get(r.item_id));
          filled++;
        } else expect(r.category).toBe(products[i][1]);
      }
      expect(filled).toBeGreaterThan(5);
      // The titles name the category, so the predictions mostly recover the lost one.
      const right = predictions.filter((p) => p.label === products[p.row][1]).length;
      expect(right / predictions.length).toBeGreaterThan(0.8);
      const category = b.tables.find((t) => t.name === 'item_features')!.columns.find((c) => c.name === 'category')!;
      expect(category.description).toMatch(/where the category column is empty, the category a Tagging classifier predicted/);
      expect(category.sources).toEqual(['products.product_category_name', '__tc_categories.label']);
      expect(b.notes.some((n) => n.startsWith('Category: products.product_category_name, with gaps filled'))).toBe(true);
    } finally {
      engine.close();
    }
  }, 30_000);

  it('says why no sentiment was used: no tags, or tags of another table', async () => {
    const g = generateShopOrders({ seed: 32, orders: 300 });
    const { engine, inventory } = await loadFiles(Object.fromEntries(Object.entries(g.files).map(([k, v]) => [`shop/${k}`, v])));
    try {
      const detected = detectFeatureSources(inventory);
      if (!detected.ok) throw new Error(detected.message);
      const reg = await registerFeatureTags(engine, selectFeatureTags([], detected.sources), detected.sources);
      expect(reg.options).toEqual({});
      expect(reg.summary).toEqual({ sentiment: { used: false, reason: 'no-tags', otherTables: [] }, attributes: { used: false, reason: 'no-tags' }, brands: null, categories: null });
      // Sentiment tags of a table that is not the reviews table: named, not used.
      const elsewhere = await registerFeatureTags(engine, selectFeatureTags([tag({ table: 'products', row: 0 })], detected.sources), detected.sources);
      expect(elsewhere.summary.sentiment).toEqual({ used: false, reason: 'other-table', otherTables: ['products'], reviewTable: 'reviews' });
      expect(elsewhere.options).toEqual({});
    } finally {
      engine.close();
    }
  });
});
