// Review sentiment: map a score or label column to sentiment classes for training, and aggregate
// (given or predicted) sentiment per product and per category.

export type Sentiment = 'negative' | 'positive';

/**
 * How a column's values were read: 1–5 star scores (1–2 negative, 4–5 positive, 3 left out as
 * neither), 0/1 labels (0 negative), or words (positive/negative, pos/neg, 好评/差评…).
 */
export type SentimentScale = 'stars-1-5' | 'binary-0-1' | 'words';

export interface SentimentMapping {
  scale: SentimentScale;
  /** One entry per input value; null where the value is missing, neutral (3 stars) or unreadable. */
  labels: (Sentiment | null)[];
  /** Values left out because they are neutral (a 3-star score). */
  neutral: number;
  /** Values left out because they are missing or do not fit the scale. */
  unreadable: number;
}

const WORDS: Record<string, Sentiment | 'neutral'> = {
  positive: 'positive', pos: 'positive', good: 'positive', '好评': 'positive', '正面': 'positive', '积极': 'positive',
  negative: 'negative', neg: 'negative', bad: 'negative', '差评': 'negative', '负面': 'negative', '消极': 'negative',
  neutral: 'neutral', '中评': 'neutral', '中性': 'neutral',
};

function readNumber(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v.trim()))) return Number(v.trim());
  return null;
}

/**
 * Which scale a column uses, from its values: all numbers in {0, 1} → binary; all whole numbers in
 * 1..5 → stars; otherwise words when most non-empty values are sentiment words; else null (the
 * column is not a sentiment target, and the caller says so rather than training on it).
 */
export function detectSentimentScale(values: readonly unknown[]): SentimentScale | null {
  let numbers = 0;
  let binary = true;
  let stars = true;
  let words = 0;
  let filled = 0;
  for (const v of values) {
    if (v == null || (typeof v === 'string' && v.trim() === '')) continue;
    filled++;
    const n = readNumber(v);
    if (n !== null) {
      numbers++;
      if (n !== 0 && n !== 1) binary = false;
      if (!Number.isInteger(n) || n < 1 || n > 5) stars = false;
    } else if (typeof v === 'string' && WORDS[v.trim().toLowerCase()] !== undefined) words++;
  }
  if (filled === 0) return null;
  if (numbers === filled) return binary ? 'binary-0-1' : stars ? 'stars-1-5' : null;
  return words >= filled * 0.9 ? 'words' : null;
}

/** Sentiment of one value on a given scale; null when missing, neutral or unreadable. */
export function mapSentiment(value: unknown, scale: SentimentScale): Sentiment | 'neutral' | null {
  if (scale === 'words') return typeof value === 'string' ? (WORDS[value.trim().toLowerCase()] ?? null) : null;
  const n = readNumber(value);
  if (n === null) return null;
  if (scale === 'binary-0-1') return n === 1 ? 'positive' : n === 0 ? 'negative' : null;
  if (!Number.isInteger(n) || n < 1 || n > 5) return null;
  return n <= 2 ? 'negative' : n >= 4 ? 'positive' : 'neutral';
}

/** Sentiment labels for a whole column (scale detected unless given); null when the column has no scale. */
export function mapSentimentColumn(values: readonly unknown[], scale = detectSentimentScale(values)): SentimentMapping | null {
  if (!scale) return null;
  let neutral = 0;
  let unreadable = 0;
  const labels = values.map((v) => {
    const s = mapSentiment(v, scale);
    if (s === 'neutral') neutral++;
    else if (s === null) unreadable++;
    return s === 'neutral' ? null : s;
  });
  return { scale, labels, neutral, unreadable };
}

/** One review: its product and category, and its sentiment (given, or predicted with P(positive)). */
export interface SentimentRow {
  product: string | null;
  category?: string | null;
  sentiment: Sentiment | null;
  /** Model probability of positive, when predicted; averaged into `meanPositive`. */
  pPositive?: number;
  /** True when `sentiment` is the model's prediction (the row had no usable score). */
  predicted?: boolean;
}

export interface SentimentSummary {
  key: string;
  reviews: number;
  positive: number;
  negative: number;
  /** positive / (positive + negative); null when neither. */
  positiveShare: number | null;
  /** Mean P(positive) over rows that have one; null when none do. */
  meanPositive: number | null;
  /** Of `positive + negative`, how many are model predictions rather than given scores. */
  predicted: number;
}

export interface SentimentAggregate {
  byProduct: SentimentSummary[];
  byCategory: SentimentSummary[];
}

/**
 * Sentiment counts per product and per category. Rows without a product (or category) are left out
 * of that grouping; rows without a sentiment still count as reviews. Sorted by review count
 * (descending), then key, so the most-reviewed products come first.
 */
export function aggregateSentiment(rows: readonly SentimentRow[]): SentimentAggregate {
  const group = (keyOf: (r: SentimentRow) => string | null | undefined): SentimentSummary[] => {
    const acc = new Map<string, { reviews: number; positive: number; negative: number; pSum: number; pCount: number; predicted: number }>();
    for (const r of rows) {
      const key = keyOf(r);
      if (key == null || key === '') continue;
      let a = acc.get(key);
      if (!a) acc.set(key, (a = { reviews: 0, positive: 0, negative: 0, pSum: 0, pCount: 0, predicted: 0 }));
      a.reviews++;
      if (r.sentiment === 'positive') a.positive++;
      else if (r.sentiment === 'negative') a.negative++;
      if (r.sentiment !== null && r.predicted) a.predicted++;
      if (r.pPositive !== undefined && Number.isFinite(r.pPositive)) {
        a.pSum += r.pPositive;
        a.pCount++;
      }
    }
    return [...acc]
      .map(([key, a]) => ({
        key,
        reviews: a.reviews,
        positive: a.positive,
        negative: a.negative,
        positiveShare: a.positive + a.negative > 0 ? a.positive / (a.positive + a.negative) : null,
        meanPositive: a.pCount > 0 ? a.pSum / a.pCount : null,
        predicted: a.predicted,
      }))
      .sort((x, y) => y.reviews - x.reviews || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
  };
  return { byProduct: group((r) => r.product), byCategory: group((r) => r.category) };
}

/**
 * Each review's sentiment for aggregation: the given score's where it has one (1–2 / 4–5 stars,
 * 0/1, words), else the trained model's prediction (P(positive) ≥ 0.5), marked `predicted`.
 * `pPositive` (one per review, from the model) is kept on every row so means use the model's view
 * of all reviews, scored or not.
 */
export function combineSentiment(
  given: readonly (Sentiment | null)[],
  pPositive: readonly number[] | undefined,
  products: readonly (string | null)[],
  categories?: readonly (string | null)[],
): SentimentRow[] {
  return products.map((product, i) => {
    const p = pPositive?.[i];
    const hasP = p !== undefined && Number.isFinite(p);
    const sentiment = given[i] ?? (hasP ? (p >= 0.5 ? 'positive' : 'negative') : null);
    return { product, category: categories?.[i] ?? null, sentiment, pPositive: hasP ? p : undefined, predicted: given[i] === null && hasP };
  });
}
