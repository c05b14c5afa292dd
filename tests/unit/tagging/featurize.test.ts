import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FEATURIZER,
  extractFeatures,
  featurizeBatch,
  featurizeText,
  hashString,
  normalizeText,
  selectRows,
  stripHtml,
  tokenizeWords,
  type FeaturizerSettings,
} from '../../../src/core/tagging/featurize.ts';

const S = DEFAULT_FEATURIZER;
const only = (over: Partial<FeaturizerSettings>): FeaturizerSettings => ({
  ...S,
  words: false,
  wordBigrams: false,
  cjkMinN: 0,
  latinMinN: 0,
  ...over,
});

describe('normalizeText', () => {
  it('applies NFKC, full→half width, lower case and collapses whitespace', () => {
    expect(normalizeText('ＡＢＣ１２３　Ｐｒｏ！\n\t  ｉＰｈｏｎｅ', 100).text).toBe('abc123 pro! iphone');
    // NFKC folds compatibility forms: the ligature ﬁ and circled digits.
    expect(normalizeText('ﬁne ①', 100).text).toBe('fine 1');
  });

  it('strips HTML tags and decodes entities without rendering anything', () => {
    expect(stripHtml('<p>好<b>评</b></p><script>alert(1)</script>&amp;&lt;3 &#x1F600; &#20320;')).toBe(' 好 评   &<3 😀 你');
    expect(normalizeText('<div class="x">Red&nbsp;Shirt<br/>XL</div><!-- hidden -->', 100).text).toBe('red shirt xl');
    // A lone "<" in plain text is not markup.
    expect(normalizeText('a < b', 100).text).toBe('a < b');
  });

  it('truncates by code points and says so, never splitting an emoji', () => {
    const r = normalizeText('😀😀😀abc', 2);
    expect(r).toEqual({ text: '😀😀', truncated: true });
    expect(normalizeText('short', 10).truncated).toBe(false);
  });
});

describe('hashString', () => {
  it('is FNV-1a 32 with the seed xor-ed into the basis', () => {
    // Published FNV-1a 32 test vectors (seed 0): "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(hashString('', 0)).toBe(0x811c9dc5);
    expect(hashString('a', 0)).toBe(0xe40c292c);
    expect(hashString('foobar', 0)).toBe(0xbf9cf968);
    expect(hashString('a', 1)).not.toBe(hashString('a', 0));
  });
});

describe('tokens and n-grams', () => {
  it('segments Chinese words and keeps emoji, drops punctuation', () => {
    expect(tokenizeWords('手机很好用，不错!😊', 'zh')).toEqual(['手机', '很好', '用', '不错', '😊']);
  });

  it('gives CJK char 1–3-grams over each CJK run', () => {
    expect(extractFeatures('好用吗', only({ cjkMinN: 1, cjkMaxN: 3 }))).toEqual(['c好', 'c用', 'c吗', 'c好用', 'c用吗', 'c好用吗']);
  });

  it('gives Latin char 3–5-grams of <word> with boundary markers, not for CJK words', () => {
    expect(extractFeatures('usb 线', only({ latinMinN: 3, latinMaxN: 5 }))).toEqual(['l<us', 'lusb', 'lsb>', 'l<usb', 'lusb>']);
  });

  it('gives words and word bigrams on mixed Chinese/English titles', () => {
    const f = extractFeatures(normalizeText('Apple iPhone 15 手机 128GB', 200).text, only({ words: true, wordBigrams: true }));
    expect(f).toEqual(['wapple', 'wiphone', 'w15', 'w手机', 'w128gb', 'bapple iphone', 'biphone 15', 'b15 手机', 'b手机 128gb']);
  });

  it('featurizes a realistic review with every feature kind, deterministically, inside the buckets', () => {
    const text = '<p>物流很快，质量不错！Ｗｉｆｉ信号 good 👍</p>';
    const a = featurizeText(text, S);
    expect(Array.from(a)).toEqual(Array.from(featurizeText(text, S)));
    const kinds = new Set(extractFeatures(normalizeText(text, S.maxChars).text, S).map((f) => f[0]));
    expect([...kinds].sort()).toEqual(['b', 'c', 'l', 'w']);
    expect(a.every((id) => id >= 0 && id < S.buckets)).toBe(true);
    // Another seed moves the ids.
    expect(Array.from(featurizeText(text, { ...S, seed: 2 }))).not.toEqual(Array.from(a));
  });

  it('gives full-width and half-width spellings the same ids', () => {
    expect(Array.from(featurizeText('ＵＳＢ充电器', S))).toEqual(Array.from(featurizeText('usb充电器', S)));
  });
});

describe('featurizeBatch', () => {
  it('flattens rows with offsets, empty rows for null, and reports truncated rows', () => {
    const long = '好'.repeat(50);
    const s = { ...S, maxChars: 10 };
    const b = featurizeBatch(['手机', null, long, ''], s);
    expect(b.offsets.length).toBe(5);
    expect(Array.from(b.ids.subarray(b.offsets[0], b.offsets[1]))).toEqual(Array.from(featurizeText('手机', s)));
    expect(b.offsets[2] - b.offsets[1]).toBe(0);
    expect(b.offsets[4] - b.offsets[3]).toBe(0);
    expect(b.truncatedRows).toEqual([2]);
    const picked = selectRows(b, [2, 0]);
    expect(Array.from(picked.ids.subarray(picked.offsets[1], picked.offsets[2]))).toEqual(Array.from(featurizeText('手机', s)));
    expect(picked.truncatedRows).toEqual([0]);
  });
});
