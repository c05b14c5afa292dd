// Text featurizer shared by every self-trained text model: normalise, tokenise, hash word and
// character n-grams into a fixed id space. Deterministic and seeded; the settings travel with the
// model (ONNX metadata) so inference featurizes exactly as training did.

/**
 * How texts become feature ids. Plain JSON: stored in the ONNX file's metadata and in the catalog.
 * Changing any field changes the ids, so a model must always be used with the settings it was
 * trained with.
 */
export interface FeaturizerSettings {
  kind: 'stocktake-hashed-ngrams';
  version: 1;
  /** Size of the hashed id space: ids are in [0, buckets). */
  buckets: number;
  /** Seed mixed into the hash, so two models can use independent id spaces. */
  seed: number;
  /** Locale given to `Intl.Segmenter` for word tokens ('zh' also segments Latin words). */
  locale: string;
  /** Emit one id per word token. */
  words: boolean;
  /** Emit one id per pair of consecutive word tokens. */
  wordBigrams: boolean;
  /** Character n-gram lengths over runs of CJK characters (inclusive; 0 disables). */
  cjkMinN: number;
  cjkMaxN: number;
  /** Character n-gram lengths over `<word>` for Latin/digit words (inclusive; 0 disables). */
  latinMinN: number;
  latinMaxN: number;
  /**
   * Texts are cut to this many code points after normalisation, before tokenising: the model's
   * cost is linear in length and a review's first few thousand characters carry its topic.
   */
  maxChars: number;
}

/** Defaults used by the tagging job: chars 1–3 for CJK, 3–5 for Latin, words and word bigrams. */
export const DEFAULT_FEATURIZER: FeaturizerSettings = {
  kind: 'stocktake-hashed-ngrams',
  version: 1,
  buckets: 1 << 19,
  seed: 0x5eed,
  locale: 'zh',
  words: true,
  wordBigrams: true,
  cjkMinN: 1,
  cjkMaxN: 3,
  latinMinN: 3,
  latinMaxN: 5,
  maxChars: 2000,
};

/** Many texts featurized at once, as flat arrays: row r's ids are `ids[offsets[r] .. offsets[r+1])`. */
export interface FeatureBatch {
  /** Length rows + 1, offsets[0] = 0. */
  offsets: Int32Array;
  ids: Int32Array;
  /** Rows whose text was cut at `maxChars`. */
  truncatedRows: number[];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®', trade: '™',
  hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', middot: '·',
  times: '×', yen: '¥', euro: '€', pound: '£', deg: '°', bull: '•',
};

/** Decodes HTML character references (named subset, decimal and hex); unknown ones are left as written. */
export function decodeHtmlEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,7});/gi, (whole, ref: string) => {
    if (ref[0] === '#') {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : ' ';
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/**
 * Removes HTML markup as text, never rendering it: script/style/comment bodies go, every tag becomes
 * a space (so `a<br>b` stays two words), then entities are decoded. Only looks like markup when a `<`
 * is followed by a letter, `/` or `!`, so "a < b" in plain text survives.
 */
export function stripHtml(text: string): string {
  if (!text.includes('<') && !text.includes('&')) return text;
  const noBlocks = text
    .replace(/<!--[\s\S]*?(-->|$)/g, ' ')
    .replace(/<(script|style)\b[^>]*>[\s\S]*?(<\/\1\s*>|$)/gi, ' ');
  return decodeHtmlEntities(noBlocks.replace(/<\/?[a-z!][^>]*(>|$)/gi, ' '));
}

/** Full-width ASCII forms (U+FF01–FF5E) and the ideographic space map to ASCII; NFKC does most, this is explicit. */
function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (c) =>
    c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0),
  );
}

/**
 * The normalised form every model sees: HTML stripped, NFKC, full→half width, lower case,
 * whitespace collapsed, cut to `maxChars` code points.
 */
export function normalizeText(raw: string, maxChars: number): { text: string; truncated: boolean } {
  let text = toHalfWidth(stripHtml(raw).normalize('NFKC')).toLowerCase().replace(/\s+/g, ' ').trim();
  let truncated = false;
  if (text.length > maxChars) {
    // Cut by code points, not UTF-16 units, so an emoji is never split in half.
    const points = Array.from(text);
    if (points.length > maxChars) {
      text = points.slice(0, maxChars).join('');
      truncated = true;
    }
  }
  return { text, truncated };
}

/**
 * FNV-1a, 32 bit, over UTF-16 code units, with `seed` xor-ed into the offset basis. Chosen because
 * it is tiny, fast, identical in every JS engine and easy to re-implement in another language.
 */
export function hashString(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const LATIN_WORD = /^[\p{L}\p{N}_'.-]+$/u;
const HAS_CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

const segmenters = new Map<string, Intl.Segmenter>();
function segmenterFor(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) segmenters.set(locale, (s = new Intl.Segmenter(locale, { granularity: 'word' })));
  return s;
}

/**
 * Word tokens of normalised text: `Intl.Segmenter` word segments (dictionary-based for Chinese),
 * plus emoji kept as their own tokens because they carry sentiment. Punctuation and spaces go.
 */
export function tokenizeWords(text: string, locale: string): string[] {
  const out: string[] = [];
  for (const seg of segmenterFor(locale).segment(text)) {
    if (seg.isWordLike) out.push(seg.segment);
    else if (PICTOGRAPHIC.test(seg.segment)) out.push(seg.segment);
  }
  return out;
}

/**
 * The features of one normalised text as strings, each prefixed with its kind (`w` word, `b` word
 * bigram, `c` CJK char n-gram, `l` Latin char n-gram) so equal strings of different kinds hash apart.
 * Exposed for tests and debugging; `featurizeText` hashes these.
 */
export function extractFeatures(text: string, s: FeaturizerSettings): string[] {
  const out: string[] = [];
  const words = tokenizeWords(text, s.locale);
  if (s.words) for (const w of words) out.push('w' + w);
  if (s.wordBigrams) for (let i = 1; i < words.length; i++) out.push('b' + words[i - 1] + ' ' + words[i]);
  if (s.cjkMinN > 0) {
    for (const m of text.matchAll(CJK_RUN)) {
      const chars = Array.from(m[0]);
      for (let n = s.cjkMinN; n <= s.cjkMaxN; n++) {
        for (let i = 0; i + n <= chars.length; i++) out.push('c' + chars.slice(i, i + n).join(''));
      }
    }
  }
  if (s.latinMinN > 0) {
    for (const w of words) {
      if (HAS_CJK.test(w) || !LATIN_WORD.test(w)) continue;
      const chars = Array.from('<' + w + '>');
      for (let n = s.latinMinN; n <= s.latinMaxN; n++) {
        // Skip the n-gram that is the whole bracketed word: the word id already covers it.
        for (let i = 0; i + n <= chars.length; i++) if (n < chars.length) out.push('l' + chars.slice(i, i + n).join(''));
      }
    }
  }
  return out;
}

/** Feature ids of one raw text (HTML allowed), in [0, buckets), duplicates kept (a bag). */
export function featurizeText(raw: string, s: FeaturizerSettings): Int32Array {
  return hashFeatures(extractFeatures(normalizeText(raw, s.maxChars).text, s), s);
}

function hashFeatures(features: string[], s: FeaturizerSettings): Int32Array {
  const ids = new Int32Array(features.length);
  for (let i = 0; i < features.length; i++) ids[i] = hashString(features[i], s.seed) % s.buckets;
  return ids;
}

/** Feature ids of many texts as one flat batch; nullish texts give empty rows. */
export function featurizeBatch(texts: readonly (string | null | undefined)[], s: FeaturizerSettings): FeatureBatch {
  const parts: Int32Array[] = [];
  const offsets = new Int32Array(texts.length + 1);
  const truncatedRows: number[] = [];
  let total = 0;
  for (let r = 0; r < texts.length; r++) {
    const { text, truncated } = normalizeText(texts[r] ?? '', s.maxChars);
    if (truncated) truncatedRows.push(r);
    const ids = hashFeatures(extractFeatures(text, s), s);
    parts.push(ids);
    total += ids.length;
    offsets[r + 1] = total;
  }
  const ids = new Int32Array(total);
  for (let r = 0; r < parts.length; r++) ids.set(parts[r], offsets[r]);
  return { offsets, ids, truncatedRows };
}

/** The rows `rows` of a batch, in that order, as a new batch (folds, samples). */
export function selectRows(batch: FeatureBatch, rows: ArrayLike<number>): FeatureBatch {
  const offsets = new Int32Array(rows.length + 1);
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    total += batch.offsets[rows[i] + 1] - batch.offsets[rows[i]];
    offsets[i + 1] = total;
  }
  const ids = new Int32Array(total);
  for (let i = 0; i < rows.length; i++) ids.set(batch.ids.subarray(batch.offsets[rows[i]], batch.offsets[rows[i] + 1]), offsets[i]);
  const picked = new Set(batch.truncatedRows);
  const truncatedRows: number[] = [];
  for (let i = 0; i < rows.length; i++) if (picked.has(rows[i])) truncatedRows.push(i);
  return { offsets, ids, truncatedRows };
}
