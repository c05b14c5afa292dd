// Turns the Tagging view's stored tags (cell tags numbered by the file's 0-based data row) into the
// small tag tables the feature build joins: review sentiment keyed by review id, attribute tags,
// title brands and predicted categories keyed by product id. Rows are numbered as `readTagRows` numbers them: the table's rowid.
import { ident, literal, type SqlEngine } from '../engine/sql-engine.ts';
import type { FeatureBuildOptions, FeatureSources } from './types.ts';

/**
 * The fields of a stored tag the feature build reads: a structural subset of the Tagging view's
 * `StoredTag` (core cannot import state), so stored tags pass unchanged.
 */
export interface FeatureTagRecord {
  table: string;
  column: string;
  /** 0-based data row of the file (the engine table's rowid). */
  row: number;
  kind: string;
  value: string;
  normalized: string;
  start: number;
  provenance: { source: string; modelId?: number; model?: string; version?: number; createdAt: number };
}

/** Which model or tagger a tag run came from (null for lexicon and pattern tags alone). */
export interface TagRunModel {
  modelId?: number;
  model?: string;
  version?: number;
}

/** One set of tags of one table, as parallel columns: `labels[i]` tags file row `rows[i]`. */
export interface TagRun {
  table: string;
  columns: string[];
  rows: number[];
  labels: string[];
  model: TagRunModel | null;
}

/** The tag runs the feature build can use for the detected reviews and products. */
export interface FeatureTagInputs {
  /** The latest sentiment run on the reviews table (one label per review row). */
  sentiment: TagRun | null;
  /** Attribute tags of the product table, labelled `kind:normalized`. */
  attributes: TagRun | null;
  /** One brand per product row from its title tags (the leftmost brand tag). */
  brands: TagRun | null;
  /** The category a Tagging classifier predicted for product rows without one (category column only). */
  categories: TagRun | null;
  /** Tables that have sentiment tags but are not the detected reviews table. */
  otherSentimentTables: string[];
}

function modelOf(p: FeatureTagRecord['provenance']): TagRunModel | null {
  if (p.modelId === undefined && p.model === undefined) return null;
  return { ...(p.modelId !== undefined ? { modelId: p.modelId } : {}), ...(p.model !== undefined ? { model: p.model } : {}), ...(p.version !== undefined ? { version: p.version } : {}) };
}

/**
 * Picks the tags the build can use. Sentiment: the reviews table's sentiment tags of the column run
 * last (each text column has its own run; mixing two would count a review twice), one label per row.
 * Attributes: every non-sentiment tag of the product table. Brands: per product row its leftmost
 * brand tag (a title naming two brands most often names its own first).
 */
export function selectFeatureTags(tags: readonly FeatureTagRecord[], sources: Pick<FeatureSources, 'reviews' | 'product'>): FeatureTagInputs {
  const reviewTable = sources.reviews?.table;
  const productTable = sources.product?.table;
  const latestByColumn = new Map<string, number>();
  const others = new Set<string>();
  for (const t of tags) {
    if (t.kind !== 'sentiment') continue;
    if (t.table !== reviewTable) {
      others.add(t.table);
      continue;
    }
    latestByColumn.set(t.column, Math.max(latestByColumn.get(t.column) ?? -Infinity, t.provenance.createdAt));
  }
  let sentiment: TagRun | null = null;
  const column = [...latestByColumn].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  if (reviewTable && column !== undefined) {
    const byRow = new Map<number, FeatureTagRecord>();
    for (const t of tags) if (t.kind === 'sentiment' && t.table === reviewTable && t.column === column) byRow.set(t.row, t);
    const rows = [...byRow.keys()].sort((a, b) => a - b);
    const first = byRow.get(rows[0])!;
    sentiment = { table: reviewTable, columns: [column], rows, labels: rows.map((r) => byRow.get(r)!.normalized), model: modelOf(first.provenance) };
  }
  let attributes: TagRun | null = null;
  let brands: TagRun | null = null;
  if (productTable) {
    const attr = tags.filter((t) => t.kind !== 'sentiment' && t.kind !== 'category' && t.table === productTable && t.normalized !== '');
    if (attr.length) {
      const taggerModel = attr.map((t) => modelOf(t.provenance)).find((m) => m !== null) ?? null;
      attributes = { table: productTable, columns: [...new Set(attr.map((t) => t.column))].sort(), rows: attr.map((t) => t.row), labels: attr.map((t) => `${t.kind}:${t.normalized}`), model: taggerModel };
      const brandOf = new Map<number, FeatureTagRecord>();
      for (const t of attr) {
        if (t.kind !== 'brand') continue;
        const had = brandOf.get(t.row);
        if (!had || t.start < had.start) brandOf.set(t.row, t);
      }
      if (brandOf.size) {
        const rows = [...brandOf.keys()].sort((a, b) => a - b);
        brands = { table: productTable, columns: [...new Set(rows.map((r) => brandOf.get(r)!.column))].sort(), rows, labels: rows.map((r) => brandOf.get(r)!.normalized), model: taggerModel };
      }
    }
  }
  return { sentiment, attributes, brands, categories: selectCategories(tags, sources.product), otherSentimentTables: [...others].sort() };
}

/** Per product row the latest predicted category of the product's category column (one run replaces the last). */
function selectCategories(tags: readonly FeatureTagRecord[], product: FeatureSources['product']): TagRun | null {
  if (!product?.category) return null;
  const byRow = new Map<number, FeatureTagRecord>();
  for (const t of tags) {
    if (t.kind !== 'category' || t.table !== product.table || t.column !== product.category || t.normalized === '') continue;
    const had = byRow.get(t.row);
    if (!had || t.provenance.createdAt > had.provenance.createdAt) byRow.set(t.row, t);
  }
  if (!byRow.size) return null;
  const rows = [...byRow.keys()].sort((a, b) => a - b);
  const latest = rows.map((r) => byRow.get(r)!).reduce((a, b) => (b.provenance.createdAt > a.provenance.createdAt ? b : a));
  return { table: product.table, columns: [product.category], rows, labels: rows.map((r) => byRow.get(r)!.normalized), model: modelOf(latest.provenance) };
}

/** A tag run as CSV text (`row,label`), labels quoted so commas, quotes and newlines survive. */
export function tagRunCsv(run: Pick<TagRun, 'rows' | 'labels'>): string {
  const lines = ['row,label'];
  run.rows.forEach((r, i) => lines.push(`${r},"${run.labels[i].replaceAll('"', '""')}"`));
  return lines.join('\n') + '\n';
}

/** What the view says about the tag inputs of a build. */
export interface FeatureTagSummary {
  sentiment:
    | { used: true; table: string; column: string; model: TagRunModel | null; reviews: number }
    | { used: false; reason: 'no-tags' | 'no-reviews' | 'no-review-id' | 'other-table'; otherTables: string[]; reviewTable?: string };
  attributes: { used: true; table: string; columns: string[]; tags: number; products: number } | { used: false; reason: 'no-tags' | 'no-products' };
  /** Products whose missing brand was filled from a title tag (null when no brand tags were used). */
  brands: { products: number; filled: number } | null;
  /** Products with a predicted category, and those of them whose category was empty (null when none were used). */
  categories: { column: string; model: TagRunModel | null; products: number; filled: number } | null;
}

/** The build options and the summary once the tag tables are in the engine. */
export interface RegisteredFeatureTags {
  options: Pick<FeatureBuildOptions, 'sentiment' | 'attributes' | 'brandTags' | 'categoryTags'>;
  summary: FeatureTagSummary;
  /** Engine tables created (replaced by the next registration under the same prefix). */
  tables: string[];
}

/**
 * Loads a run as `<name>_rows(row, label)` and keys it by joining the row number to the table's
 * rowid: `<name>(key, label)`, key = `keyColumn` of that row as text. Returns the rows keyed.
 */
async function registerRun(engine: SqlEngine, run: TagRun, name: string, keyColumn: string): Promise<number> {
  const file = `${name}.csv`;
  await engine.registerBuffer(file, new TextEncoder().encode(tagRunCsv(run)));
  try {
    await engine.query(`CREATE OR REPLACE TABLE ${ident(name + '_rows')} AS SELECT * FROM read_csv(${literal(file)}, header = true, columns = {'row': 'BIGINT', 'label': 'VARCHAR'}, quote = '"', escape = '"')`);
  } finally {
    await engine.dropFile(file);
  }
  await engine.query(
    `CREATE OR REPLACE TABLE ${ident(name)} AS SELECT CAST(s.${ident(keyColumn)} AS VARCHAR) AS "key", t.label AS label ` +
      `FROM ${ident(run.table)} s JOIN ${ident(name + '_rows')} t ON t."row" = s.rowid WHERE s.${ident(keyColumn)} IS NOT NULL`,
  );
  const [r] = await engine.query<{ n: number }>(`SELECT count(DISTINCT "key") AS n FROM ${ident(name)}`);
  return Number(r.n);
}

/**
 * Registers the selected tag runs as engine tables `<prefix>_sentiment`, `<prefix>_attributes`,
 * `<prefix>_brands` and `<prefix>_categories` (key, label) and returns the build options that use them, with what was used.
 */
export async function registerFeatureTags(engine: SqlEngine, inputs: FeatureTagInputs, sources: FeatureSources, prefix = '__features_tags'): Promise<RegisteredFeatureTags> {
  const options: RegisteredFeatureTags['options'] = {};
  const tables: string[] = [];
  let sentiment: FeatureTagSummary['sentiment'];
  const s = inputs.sentiment;
  const others = inputs.otherSentimentTables;
  // Tags of another table than the detected reviews: say which, rather than "run it first".
  if (!s && others.length && sources.reviews) sentiment = { used: false, reason: 'other-table', otherTables: others, reviewTable: sources.reviews.table };
  else if (!s) sentiment = { used: false, reason: 'no-tags', otherTables: inputs.otherSentimentTables };
  else if (!sources.reviews) sentiment = { used: false, reason: 'no-reviews', otherTables: inputs.otherSentimentTables };
  else if (!sources.reviews.id) sentiment = { used: false, reason: 'no-review-id', otherTables: inputs.otherSentimentTables };
  else {
    const name = `${prefix}_sentiment`;
    const reviews = await registerRun(engine, s, name, sources.reviews.id);
    tables.push(name, name + '_rows');
    options.sentiment = { table: name, key: 'key', label: 'label', positive: 'positive' };
    sentiment = { used: true, table: s.table, column: s.columns[0], model: s.model, reviews };
  }
  let attributes: FeatureTagSummary['attributes'] = { used: false, reason: inputs.attributes ? 'no-products' : 'no-tags' };
  let brands: FeatureTagSummary['brands'] = null;
  const p = sources.product;
  if (inputs.attributes && p) {
    const name = `${prefix}_attributes`;
    const products = await registerRun(engine, inputs.attributes, name, p.key);
    tables.push(name, name + '_rows');
    options.attributes = { table: name, key: 'key', label: 'label' };
    attributes = { used: true, table: inputs.attributes.table, columns: inputs.attributes.columns, tags: inputs.attributes.rows.length, products };
  }
  if (inputs.brands && p) {
    const name = `${prefix}_brands`;
    const products = await registerRun(engine, inputs.brands, name, p.key);
    tables.push(name, name + '_rows');
    options.brandTags = { table: name, key: 'key', label: 'label' };
    // Filled: tagged products whose brand column is empty (or that have no brand column at all).
    const given = p.brand ? `AND (p.${ident(p.brand)} IS NULL OR trim(CAST(p.${ident(p.brand)} AS VARCHAR)) = '')` : '';
    const [r] = await engine.query<{ n: number }>(`SELECT count(DISTINCT b."key") AS n FROM ${ident(name)} b JOIN ${ident(p.table)} p ON CAST(p.${ident(p.key)} AS VARCHAR) = b."key" ${given}`);
    brands = { products, filled: Number(r.n) };
  }
  let categories: FeatureTagSummary['categories'] = null;
  const c = inputs.categories;
  if (c && p?.category) {
    const name = `${prefix}_categories`;
    const products = await registerRun(engine, c, name, p.key);
    tables.push(name, name + '_rows');
    options.categoryTags = { table: name, key: 'key', label: 'label' };
    // Filled: products with a prediction whose category column is empty (the build's coalesce takes it).
    const [r] = await engine.query<{ n: number }>(
      `SELECT count(DISTINCT t."key") AS n FROM ${ident(name)} t JOIN ${ident(p.table)} p ON CAST(p.${ident(p.key)} AS VARCHAR) = t."key" ` +
        `WHERE p.${ident(p.category)} IS NULL OR trim(CAST(p.${ident(p.category)} AS VARCHAR)) = ''`,
    );
    categories = { column: `${p.table}.${p.category}`, model: c.model, products, filled: Number(r.n) };
  }
  return { options, summary: { sentiment, attributes, brands, categories }, tables };
}
