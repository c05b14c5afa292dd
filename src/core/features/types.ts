// The feature tables' data model: sources detected from the inventory, the data dictionary, build
// options, quality results and the typed failures. Plain JSON throughout so results cross worker
// boundaries and the CLI writes them unchanged.
import { StocktakeError } from '../errors.ts';
import type { TimeEncoding } from '../recsys/detect-interactions.ts';

/** What a feature table describes, and so what its key is. */
export type FeatureEntity = 'user' | 'item' | 'user_category';

/** Storage type of a feature column. */
export type FeatureType = 'integer' | 'double' | 'text';

/** Why a build cannot go on; the UI maps these to a headline. */
export type FeaturesProblemCode =
  | 'NO_ORDER_LINES'
  | 'BAD_CUTOFF'
  | 'CUTOFF_OUT_OF_SPAN'
  | 'EMPTY_BEFORE_CUTOFF'
  | 'UNKNOWN_TARGET'
  | 'ONE_CLASS_TARGET'
  | 'TOO_FEW_ROWS';

/**
 * A typed feature failure. `code` stays `BAD_ARGUMENT` (the shared ErrorCode set) and the message
 * starts with the specific `reason`, because only name, code and message cross a worker boundary.
 */
export class FeaturesError extends StocktakeError {
  override name = 'FeaturesError';
  constructor(
    readonly reason: FeaturesProblemCode,
    message: string,
  ) {
    super('BAD_ARGUMENT', `${reason}: ${message}`);
  }
}

/** A column of a loaded table. */
export interface SourceRef {
  table: string;
  column: string;
}

/** How a user is identified: the real person, a plain user id, or (fallback) an id minted per order. */
export type UserKeyKind = 'person' | 'user' | 'per-order';

/** A table of tags keyed by a column that joins to reviews or products (sentiment, attributes). */
export interface TagTableRef {
  table: string;
  /** Column of the tag table joining to the review id (sentiment) or the product key (attributes). */
  key: string;
  /** The tag (label) column. */
  label: string;
  /** Sentiment only: the label value counted as positive (default `positive`). */
  positive?: string;
}

/** Everything the SQL builders need, detected from the inventory alone (no data is read). */
export interface FeatureSources {
  /** Order lines (one row per product in an order). */
  lines: { table: string; order: string; item: string; price?: string; freight?: string; quantity?: string; listPrice?: string };
  /** LEFT JOINs (fact table is `f`, then `j1`, `j2`, … in order) bringing the user and time to the lines. */
  joins: { fromTable: string; fromColumn: string; toTable: string; toColumn: string }[];
  user: SourceRef & { kind: UserKeyKind; perOrderKey?: SourceRef };
  time: (SourceRef & { encoding: TimeEncoding }) | null;
  product?: {
    table: string;
    key: string;
    category?: string;
    categoryLabel?: { table: string; key: string; label: string };
    brand?: string;
    title?: string;
    description?: string;
    /** Numeric columns that already hold a text length (Olist's `product_name_lenght`). */
    titleLength?: string;
    descriptionLength?: string;
    /** A list (pre-discount) price on the product dimension. */
    listPrice?: string;
    /** Brands tagged in the titles, keyed by product key: they fill gaps of the brand column. */
    brandTags?: TagTableRef;
    /** Categories a classifier predicted (Tagging), keyed by product key: they fill gaps of the category column. */
    categoryTags?: TagTableRef;
  };
  reviews?: { table: string; score: string; order?: string; product?: string; id?: string; time?: string };
  /** Region columns in a table that joins to the user (the latest order's region is used). */
  region?: { table: string; state?: string; city?: string };
  /** One sentence per choice or fallback, shown with the result. */
  notes: string[];
}

export type DetectFeatureSourcesResult = { ok: true; sources: FeatureSources } | { ok: false; code: FeaturesProblemCode; message: string };

/** One data dictionary entry. `nullRate` and `distinct` are measured after the build. */
export interface FeatureColumn {
  name: string;
  description: string;
  descriptionZh: string;
  /** The expression (DuckDB SQL) over the table's source CTE that computes it. */
  sql: string;
  /** `table.column` of each source. */
  sources: string[];
  type: FeatureType;
  /** True when the rows it reads are filtered to `< cutoff` (false for static attributes such as a category). */
  timeFiltered: boolean;
  /** True for the key column(s) of the table. */
  isKey?: boolean;
  /** Set when its rows may include some at or after the cut-off (e.g. reviews with no time column). */
  leakRisk?: string;
  nullRate: number;
  distinct: number;
}

export interface FeatureTable {
  name: string;
  entity: FeatureEntity;
  /** Key column(s), comma-separated for the composite user × category key. */
  key: string;
  rows: number;
  /** ISO date `YYYY-MM-DD`, or null without a time column. */
  cutoff: string | null;
  /** The full CREATE statement's SELECT, for provenance. */
  sql: string;
  columns: FeatureColumn[];
}

export interface FeatureBuildOptions {
  /** `YYYY-MM-DD`; default: the day after the last order. */
  cutoff?: string;
  /** Top-k categories per user in the affinity table (default 5). */
  affinityK?: number;
  sentiment?: TagTableRef;
  attributes?: TagTableRef;
  /** One brand per product key (from title tags): `brand` becomes coalesce(given, tagged). */
  brandTags?: TagTableRef;
  /** One predicted category per product key (Tagging classifier): `category` becomes coalesce(given, predicted). */
  categoryTags?: TagTableRef;
  /** Prefix of the engine tables the build creates (default `__features`). */
  tablePrefix?: string;
}

/** The data's time span and the cut-off used. */
export interface FeatureSpan {
  /** First and last order timestamp, ISO, or null without a time column. */
  first: string | null;
  last: string | null;
  /** The default cut-off: the day after the last order. */
  defaultCutoff: string | null;
}

export interface FeatureBuild {
  sources: FeatureSources;
  span: FeatureSpan;
  cutoff: string | null;
  /** Which user key the user tables are keyed by, in words. */
  keyUsed: string;
  tables: FeatureTable[];
  /** Engine table name per feature table name. */
  engineTables: Record<string, string>;
  notes: string[];
  durationMs: number;
}
