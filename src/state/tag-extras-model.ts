// View models of the Tagging view's extra panels (attributes, near-duplicates, sentiment): stored tags
// with provenance, title highlight segments, the tags CSV, duplicate merges and sentiment bars. Pure.
import type { AttributeKind, AttributeTag } from '../core/tagging/attributes.ts';
import type { NearDuplicateCluster } from '../core/tagging/near-duplicates.ts';
import type { SentimentSummary } from '../core/tagging/sentiment.ts';
import { escapeCsvCell } from '../core/quality/export-csv.ts';
import { writeParquetBytes, type TypedColumn } from '../core/quality/export-parquet.ts';
import type { ColumnProfile } from '../core/types.ts';

export const TAGS_KIND = 'tags';
export const DUPLICATE_MERGES_KIND = 'tagging-duplicate-merges';

/** Where a tag came from: a lexicon, a pattern, the character tagger, or a stored model. */
export interface TagProvenance {
  source: 'lexicon' | 'pattern' | 'tagger' | 'model';
  /** A stored (ONNX) model's catalog id. */
  modelId?: number;
  /** A model that is not stored in the catalog, by name (e.g. the brand tagger and its out-of-fold F1). */
  model?: string;
  version?: number;
  score?: number;
  createdAt: number;
}

/** One tag of one cell, as stored under the import's `tags` analysis and exported as CSV. */
export interface StoredTag {
  table: string;
  column: string;
  /** 0-based data row of the file. */
  row: number;
  /** `category`: a classifier's predicted label for a row whose target column (`column`) is empty. */
  kind: AttributeKind | 'sentiment' | 'category';
  value: string;
  normalized: string;
  /** UTF-16 span in the cell's text (`-1` for whole-row tags such as a predicted sentiment). */
  start: number;
  end: number;
  provenance: TagProvenance;
}

/**
 * Tags of one column's titles (`tags[i]` of `rows[i]`) with their provenance stamped on; `tagger`
 * names the trained tagger behind `source: 'tagger'` tags.
 */
export function buildStoredTags(
  table: string,
  column: string,
  rows: readonly number[],
  tags: readonly AttributeTag[][],
  createdAt: number,
  tagger?: { model: string; version: number },
): StoredTag[] {
  const out: StoredTag[] = [];
  tags.forEach((list, i) => {
    for (const t of list) {
      const provenance: TagProvenance = t.source === 'tagger' && tagger ? { source: t.source, model: tagger.model, version: tagger.version, createdAt } : { source: t.source, createdAt };
      out.push({ table, column, row: rows[i], kind: t.kind, value: t.value, normalized: t.normalized, start: t.start, end: t.end, provenance });
    }
  });
  return out;
}

/** Which run a tag belongs to: attribute extraction, the sentiment model or a category classifier (each replaces only its own). */
function tagScope(t: Pick<StoredTag, 'kind'>): 'sentiment' | 'category' | 'attributes' {
  return t.kind === 'sentiment' || t.kind === 'category' ? t.kind : 'attributes';
}

/**
 * Replaces the tags of `table.column` among `previous` with `next`: other columns' tags stay, and so
 * do the same column's tags of the other runs (attributes, sentiment, category), so one never wipes another.
 */
export function mergeStoredTags(previous: readonly StoredTag[], next: readonly StoredTag[]): StoredTag[] {
  const key = (t: StoredTag) => `${t.table}\u0000${t.column}\u0000${tagScope(t)}`;
  const replaced = new Set(next.map(key));
  return [...previous.filter((t) => !replaced.has(key(t))), ...next];
}

/**
 * The sentiment model's prediction for every review with a probability, as whole-row tags
 * (`start`/`end` −1): the predicted class, P(that class) as the score, the model's id and version.
 */
export function buildSentimentTags(
  table: string,
  column: string,
  rows: readonly number[],
  pPositive: readonly number[],
  model: { modelId: number; version: number },
  createdAt: number,
): StoredTag[] {
  const out: StoredTag[] = [];
  rows.forEach((row, i) => {
    const p = pPositive[i];
    if (!Number.isFinite(p)) return;
    const label = p >= 0.5 ? 'positive' : 'negative';
    out.push({
      table, column, row, kind: 'sentiment', value: label, normalized: label, start: -1, end: -1,
      provenance: { source: 'model', modelId: model.modelId, version: model.version, score: label === 'positive' ? p : 1 - p, createdAt },
    });
  });
  return out;
}

/**
 * A classifier's predictions for the rows whose target `column` is empty, as whole-row tags of that
 * column (`start`/`end` −1): the predicted label, P(label) as the score, the model's id and version.
 * `rows` are 0-based data rows of the file, as the Tagging view numbers them.
 */
export function buildCategoryTags(
  table: string,
  column: string,
  predictions: readonly { row: number; label: string; p: number }[],
  model: { modelId: number; version: number },
  createdAt: number,
): StoredTag[] {
  return predictions
    .filter((x) => x.label.trim() !== '')
    .map((x) => ({
      table, column, row: x.row, kind: 'category' as const, value: x.label, normalized: x.label.trim(), start: -1, end: -1,
      provenance: { source: 'model' as const, modelId: model.modelId, version: model.version, score: x.p, createdAt },
    }));
}

/** A run of a title: plain text, or the text of one tag (drawn inside `<mark>`). */
export interface HighlightSegment {
  text: string;
  kind: AttributeKind | null;
  /** Where the tag came from (lexicon, pattern, tagger); null for plain text. */
  source?: AttributeTag['source'] | null;
}

/**
 * Splits a title at its tags' spans so each tag can be wrapped in `<mark>` as a text node (never as
 * HTML). Overlapping or out-of-range spans are skipped rather than trusted.
 */
export function splitHighlights(title: string, tags: readonly (Pick<AttributeTag, 'kind' | 'start' | 'end'> & { source?: AttributeTag['source'] })[]): HighlightSegment[] {
  const sorted = [...tags].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: HighlightSegment[] = [];
  let at = 0;
  for (const t of sorted) {
    if (t.start < at || t.end <= t.start || t.end > title.length) continue;
    if (t.start > at) out.push({ text: title.slice(at, t.start), kind: null });
    out.push({ text: title.slice(t.start, t.end), kind: t.kind, ...(t.source ? { source: t.source } : {}) });
    at = t.end;
  }
  if (at < title.length) out.push({ text: title.slice(at), kind: null });
  return out;
}

export const TAG_CSV_COLUMNS = ['table', 'column', 'row', 'kind', 'value', 'normalized', 'start', 'end', 'source', 'model_id', 'model', 'model_version', 'score', 'created_at'] as const;

/** One tag as the cells of `TAG_CSV_COLUMNS`, in order (undefined where a tag has no such field). */
function tagCells(t: StoredTag): unknown[] {
  const p = t.provenance;
  return [t.table, t.column, t.row, t.kind, t.value, t.normalized, t.start, t.end, p.source, p.modelId, p.model, p.version, p.score, new Date(p.createdAt).toISOString()];
}

/** Tags as RFC 4180 CSV (CRLF), every text cell formula-injection escaped. */
export function exportTagsCsv(tags: readonly StoredTag[]): string {
  const lines = [TAG_CSV_COLUMNS.join(',')];
  for (const t of tags) lines.push(tagCells(t).map(escapeCsvCell).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Column types of the tags Parquet file (DuckDB type names, as the cleaned-data Parquet export takes them). */
const TAG_PARQUET_TYPES: Record<(typeof TAG_CSV_COLUMNS)[number], string> = {
  table: 'VARCHAR', column: 'VARCHAR', row: 'BIGINT', kind: 'VARCHAR', value: 'VARCHAR', normalized: 'VARCHAR', start: 'INTEGER', end: 'INTEGER',
  source: 'VARCHAR', model_id: 'INTEGER', model: 'VARCHAR', model_version: 'INTEGER', score: 'DOUBLE', created_at: 'TIMESTAMP',
};

/**
 * Tags as a Parquet file with the same columns as the CSV, written by the same hyparquet-writer code
 * as the cleaned data: typed columns (row, span offsets and model ids as integers, score as double,
 * created_at as a timestamp), nulls where a tag has no model.
 */
export function exportTagsParquet(tags: readonly StoredTag[]): Uint8Array {
  const columns: TypedColumn[] = TAG_CSV_COLUMNS.map((name) => ({ name, type: TAG_PARQUET_TYPES[name] }));
  const rows = tags.map((t) => {
    const cells = tagCells(t);
    const row: Record<string, unknown> = {};
    TAG_CSV_COLUMNS.forEach((name, i) => (row[name] = cells[i] ?? null));
    row.created_at = new Date(t.provenance.createdAt);
    return row;
  });
  return writeParquetBytes(columns, rows);
}

/** One duplicate cluster for the quality recipe: keep the first row, merge the others into it. */
export interface DuplicateMergeGroup {
  keep: number;
  merge: number[];
  similarity: number;
}

/** A merge sent to the quality recipe, stored under `tagging-duplicate-merges`. */
export interface DuplicateMerge {
  table: string;
  column: string;
  threshold: number;
  groups: DuplicateMergeGroup[];
  createdAt: number;
}

/** Maps clusters of row indices (into `rows`) to file rows: the first member is kept. */
export function buildDuplicateMerge(table: string, column: string, threshold: number, rows: readonly number[], clusters: readonly NearDuplicateCluster[], createdAt: number): DuplicateMerge {
  const groups = clusters.map((c) => {
    const members = c.members.map((i) => rows[i]);
    return { keep: members[0], merge: members.slice(1), similarity: c.similarity };
  });
  return { table, column, threshold, groups, createdAt };
}

/** Replaces the stored merge of the same table and column. */
export function mergeDuplicateMerges(previous: readonly DuplicateMerge[], next: DuplicateMerge): DuplicateMerge[] {
  return [...previous.filter((m) => m.table !== next.table || m.column !== next.column), next];
}

/** One bar: a product or category, its positive share, counts. */
export interface SentimentBar {
  key: string;
  reviews: number;
  positive: number;
  negative: number;
  /** Positive share in 0..1 (0 when no review had a sentiment). */
  share: number;
  /** Of positive + negative, how many the model predicted (reviews without a score). */
  predicted: number;
}

/** The first `limit` summaries (already sorted by review count) as bars. */
export function toSentimentBars(summaries: readonly SentimentSummary[], limit: number): SentimentBar[] {
  return summaries.slice(0, limit).map((s) => ({ key: s.key, reviews: s.reviews, positive: s.positive, negative: s.negative, share: s.positiveShare ?? 0, predicted: s.predicted }));
}

/** Text-like columns of a table (titles first), for the title/product pickers. */
export function pickTextColumns(columns: readonly ColumnProfile[]): ColumnProfile[] {
  const rank = (c: ColumnProfile) => (c.semanticType === 'title' ? 0 : c.semanticType === 'text' ? 1 : c.physicalType === 'varchar' ? 2 : 3);
  return [...columns].filter((c) => rank(c) < 3).sort((a, b) => rank(a) - rank(b) || a.index - b.index);
}

/** A title column to start with: the first `title`, else `text`, else any string column. */
export function suggestTitleColumn(columns: readonly ColumnProfile[]): string {
  return pickTextColumns(columns)[0]?.name ?? columns[0]?.name ?? '';
}

/** A brand column to start with: one named like "brand" / "品牌", else none. */
export function suggestBrandColumn(columns: readonly ColumnProfile[]): string {
  return columns.find((c) => /brand|品牌/i.test(c.name))?.name ?? '';
}

/** A score column to start with: one named like rating/score/label/star/评分, else none. */
export function suggestScoreColumn(columns: readonly ColumnProfile[]): string {
  return (columns.find((c) => c.semanticType === 'rating') ?? columns.find((c) => /rating|score|label|star|评分|评价|sentiment/i.test(c.name)))?.name ?? '';
}
