// Attribute extraction from product titles: brand (lexicon from a brand column, optionally a trained
// tagger), colour and material (zh + en lexicons), size / capacity / weight / volume with units
// (normalised), model numbers (patterns). Every tag keeps its span in the original title.
import { tagText, type SequenceTaggerModel } from './sequence-tagger.ts';

export type AttributeKind = 'brand' | 'colour' | 'size' | 'capacity' | 'weight' | 'volume' | 'material' | 'model';

/** One attribute found in a title. `start`/`end` are UTF-16 offsets into the original string. */
export interface AttributeTag {
  kind: AttributeKind;
  /** The text as written in the title (`title.slice(start, end)`). */
  value: string;
  /**
   * Comparable form: brand → the brand column's spelling; colour/material → an English name;
   * capacity → GB (`1TB` → `1024GB`); weight → g; volume → ml; size → `55in`, `30cm`, `30x40cm`,
   * `size:42` (码), `XL`; model → upper case, spaces collapsed.
   */
  normalized: string;
  start: number;
  end: number;
  source: 'lexicon' | 'pattern' | 'tagger';
}

/** Brand aliases (normalised text) → the brand as the column spells it. Built by `buildBrandLexicon`. */
export interface BrandLexicon {
  aliases: Map<string, string>;
}

/** What `extractAttributes` can use besides its built-in colour, material and unit rules. */
export interface AttributeLexicons {
  brands?: BrandLexicon;
  /** A trained character tagger and the entity type that means "brand" in it (e.g. `HPPX`). */
  brandTagger?: { model: SequenceTaggerModel; type: string };
}

/** Normalised text plus, for each of its UTF-16 units, the span of the original it came from. */
interface MappedText {
  /** NFKC, full-width → half-width, lower case, whitespace runs → one space. */
  lower: string;
  /** The same before lower-casing (same length), for rules where case matters (`128G` vs `500g`). */
  cased: string;
  from: number[];
  to: number[];
}

function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e\u3000]/g, (c) => (c === '\u3000' ? ' ' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
}

/** Normalises one code point at a time so every normalised unit maps back to the original title. */
function mapNormalized(raw: string): MappedText {
  let lower = '';
  let cased = '';
  const from: number[] = [];
  const to: number[] = [];
  let offset = 0;
  for (const cp of raw) {
    let c = toHalfWidth(cp.normalize('NFKC'));
    let l = c.toLowerCase();
    if (/^\s+$/.test(c)) c = l = ' ';
    if (l.length !== c.length) c = l;
    const skip = c === ' ' && (lower.length === 0 || lower.endsWith(' '));
    if (!skip) {
      lower += l;
      cased += c;
      for (let k = 0; k < l.length; k++) {
        from.push(offset);
        to.push(offset + cp.length);
      }
    }
    offset += cp.length;
  }
  return { lower, cased, from, to };
}

const IS_WORD_CHAR = /[a-z0-9]/;
const IS_HAN = /\p{Script=Han}/u;

/** Latin aliases must not start or end inside a Latin word ("hp" is not in "shop"). */
function isAtWordBoundary(text: string, start: number, end: number): boolean {
  const a = text[start];
  const b = text[end - 1];
  if (IS_WORD_CHAR.test(a) && start > 0 && IS_WORD_CHAR.test(text[start - 1])) return false;
  if (IS_WORD_CHAR.test(b) && end < text.length && IS_WORD_CHAR.test(text[end])) return false;
  return true;
}

/** Normalisation of lexicon keys and brand values: the same as titles get. */
export function normalizeLexiconKey(value: string): string {
  return mapNormalized(value).lower.trim();
}

const NOT_A_BRAND = new Set(['', 'null', 'none', 'n/a', 'na', 'nan', 'unknown', 'other', 'others', 'generic', 'no brand', 'unbranded', '无', '其他', '其它', '无品牌', '-']);

/**
 * A brand lexicon from the values of a brand column. Each distinct value (normalised: NFKC,
 * half-width, lower case) becomes an alias of its most frequent spelling; a value that pairs a
 * Chinese and a Latin name (`Apple/苹果`, `苹果（Apple）`, `华为 HUAWEI`) also gets each part as an
 * alias, so either name in a title finds the brand. One-character parts are not aliases (too many
 * false hits). When two brands claim one alias, the brand with more rows keeps it.
 */
export function buildBrandLexicon(values: Iterable<string | null | undefined>, extraAliases: Record<string, string[]> = {}): BrandLexicon {
  const counts = new Map<string, Map<string, number>>();
  for (const v of values) {
    if (v == null) continue;
    const spelled = v.trim().replace(/\s+/g, ' ');
    const key = normalizeLexiconKey(spelled);
    if (NOT_A_BRAND.has(key)) continue;
    let spellings = counts.get(key);
    if (!spellings) counts.set(key, (spellings = new Map()));
    spellings.set(spelled, (spellings.get(spelled) ?? 0) + 1);
  }
  const claims = new Map<string, { brand: string; rows: number; key: string }>();
  const claim = (alias: string, brand: string, rows: number, key: string) => {
    if (Array.from(alias).length < 2 || NOT_A_BRAND.has(alias)) return;
    const prev = claims.get(alias);
    if (!prev || rows > prev.rows || (rows === prev.rows && key < prev.key)) claims.set(alias, { brand, rows, key });
  };
  for (const [key, spellings] of counts) {
    let brand = '';
    let best = -1;
    let rows = 0;
    for (const [s, n] of spellings) {
      rows += n;
      if (n > best || (n === best && s < brand)) {
        brand = s;
        best = n;
      }
    }
    claim(key, brand, rows, key);
    for (const part of splitBrandParts(key)) claim(part, brand, rows, key);
    for (const extra of extraAliases[brand] ?? []) claim(normalizeLexiconKey(extra), brand, Number.MAX_SAFE_INTEGER, key);
  }
  const aliases = new Map<string, string>();
  for (const [alias, c] of [...claims].sort((a, b) => (a[0] < b[0] ? -1 : 1))) aliases.set(alias, c.brand);
  return { aliases };
}

/** Parts of a bilingual brand value: split at `/ | ( )`, and between Han and Latin runs. */
function splitBrandParts(key: string): string[] {
  const parts = new Set<string>();
  for (const piece of key.split(/[/|()（）【】[\]·,;]+/)) {
    const p = piece.trim();
    if (p && p !== key) parts.add(p);
    if (IS_HAN.test(p) && /[a-z]/.test(p)) {
      for (const m of p.matchAll(/\p{Script=Han}+|[a-z0-9][a-z0-9 &.'-]*[a-z0-9]/gu)) parts.add(m[0].trim());
    }
  }
  return [...parts];
}

const aliasLengths = new WeakMap<BrandLexicon, number[]>();
/** Distinct alias lengths, longest first, computed once per lexicon (tried at every position). */
function aliasLengthsOf(lexicon: BrandLexicon): number[] {
  let lengths = aliasLengths.get(lexicon);
  if (!lengths) {
    lengths = [...new Set([...lexicon.aliases.keys()].map((k) => k.length))].sort((a, b) => b - a);
    aliasLengths.set(lexicon, lengths);
  }
  return lengths;
}

interface LexiconEntry {
  kind: AttributeKind;
  normalized: string;
  /** Single Han characters (红, 黑) only count when no other Han character touches them. */
  standalone: boolean;
}

function buildLexicon(kind: AttributeKind, table: Record<string, string[]>): Map<string, LexiconEntry> {
  const out = new Map<string, LexiconEntry>();
  for (const [normalized, aliases] of Object.entries(table)) {
    for (const a of aliases) out.set(a, { kind, normalized, standalone: Array.from(a).length === 1 && IS_HAN.test(a) });
  }
  return out;
}

const COLOURS = buildLexicon('colour', {
  red: ['红色', '红', '大红', '大红色', 'red'],
  black: ['黑色', '黑', 'black'],
  white: ['白色', '白', 'white'],
  'off white': ['米白色', '米白', 'off white', 'off-white'],
  blue: ['蓝色', '蓝', 'blue'],
  navy: ['藏青色', '藏青', '藏蓝色', '藏蓝', '海军蓝', 'navy', 'navy blue'],
  'dark blue': ['深蓝色', '深蓝', 'dark blue'],
  'light blue': ['浅蓝色', '浅蓝', '天蓝色', '天蓝', 'light blue', 'sky blue'],
  'royal blue': ['宝蓝色', '宝蓝', 'royal blue'],
  green: ['绿色', '绿', 'green'],
  'army green': ['军绿色', '军绿', 'army green', 'olive', 'olive green'],
  'dark green': ['墨绿色', '墨绿', '深绿色', 'dark green'],
  yellow: ['黄色', '黄', 'yellow', 'mustard'],
  purple: ['紫色', '紫', 'purple', 'violet', 'lavender'],
  pink: ['粉色', '粉红色', '粉红', 'pink', 'peach'],
  'rose red': ['玫红色', '玫红', 'magenta'],
  'wine red': ['酒红色', '酒红', 'wine', 'wine red', 'maroon', 'burgundy'],
  grey: ['灰色', '灰', '深灰色', '浅灰色', '深灰', '浅灰', 'grey', 'gray', 'charcoal'],
  brown: ['棕色', '咖啡色', '褐色', 'brown', 'tan', 'coffee'],
  orange: ['橙色', '橘色', '橙', 'orange', 'coral'],
  gold: ['金色', 'gold', 'golden', 'rose gold', '玫瑰金', '香槟金', '香槟色', 'champagne'],
  silver: ['银色', 'silver'],
  beige: ['米色', '杏色', 'beige', 'cream'],
  khaki: ['卡其色', '卡其', 'khaki'],
  teal: ['青色', 'teal', 'turquoise', 'cyan'],
  transparent: ['透明', 'transparent'],
  multicolour: ['多色', '彩色', 'multicolor', 'multicolour', 'multi color', 'multi colour', 'multi-color', 'multi-colour'],
});

const MATERIALS = buildLexicon('material', {
  cotton: ['棉', '纯棉', '全棉', '精梳棉', 'cotton', 'pure cotton'],
  'cotton linen': ['棉麻', 'cotton linen'],
  linen: ['亚麻', 'linen', 'jute'],
  leather: ['真皮', '牛皮', '羊皮', '皮革', '头层牛皮', 'leather', 'genuine leather'],
  'pu leather': ['pu皮', 'pu革', '人造革', 'pu leather', 'faux leather', 'leatherette'],
  wool: ['羊毛', 'wool', 'woollen', 'woolen'],
  cashmere: ['羊绒', 'cashmere'],
  silk: ['真丝', '丝绸', '桑蚕丝', 'silk'],
  polyester: ['涤纶', '聚酯纤维', 'polyester'],
  nylon: ['尼龙', '锦纶', 'nylon'],
  spandex: ['氨纶', 'spandex', 'lycra', 'elastane'],
  viscose: ['粘纤', '人造棉', 'rayon', 'viscose'],
  'stainless steel': ['不锈钢', 'stainless steel'],
  steel: ['钢', 'steel'],
  aluminium: ['铝合金', '铝', 'aluminium', 'aluminum', 'aluminium alloy', 'aluminum alloy'],
  alloy: ['合金', 'alloy'],
  titanium: ['钛合金', '钛', 'titanium'],
  copper: ['纯铜', '黄铜', 'copper', 'brass'],
  metal: ['金属', 'metal'],
  plastic: ['塑料', 'plastic', 'abs', 'pp'],
  glass: ['玻璃', 'glass', 'tempered glass', '钢化玻璃'],
  ceramic: ['陶瓷', 'ceramic', 'porcelain'],
  wood: ['实木', '木质', '原木', 'wood', 'wooden', 'solid wood'],
  bamboo: ['竹', '竹纤维', 'bamboo'],
  silicone: ['硅胶', 'silicone'],
  rubber: ['橡胶', 'rubber'],
  canvas: ['帆布', 'canvas'],
  denim: ['牛仔', 'denim'],
  down: ['羽绒', '鸭绒', '鹅绒'],
  chiffon: ['雪纺', 'chiffon', 'georgette'],
  lace: ['蕾丝', 'lace'],
  velvet: ['丝绒', '天鹅绒', 'velvet'],
  satin: ['缎面', 'satin'],
  acrylic: ['亚克力', 'acrylic'],
  vinyl: ['vinyl', 'pvc'],
  paper: ['纸质', 'paper'],
});

/** Built-in lexicons, merged (colour and material aliases never collide). */
const BUILT_IN = new Map<string, LexiconEntry>([...COLOURS, ...MATERIALS]);
const BUILT_IN_LENGTHS = [...new Set([...BUILT_IN.keys()].map((k) => k.length))].sort((a, b) => b - a);

interface Candidate extends Omit<AttributeTag, 'value' | 'start' | 'end'> {
  /** Span in the normalised text. */
  s: number;
  e: number;
  priority: number;
}

function matchLexicon(
  text: string,
  lookup: (alias: string) => { kind: AttributeKind; normalized: string; standalone: boolean } | undefined,
  lengths: readonly number[],
  priority: number,
  out: Candidate[],
): void {
  for (let i = 0; i < text.length; ) {
    let hit = 0;
    for (const len of lengths) {
      if (i + len > text.length) continue;
      const entry = lookup(text.slice(i, i + len));
      if (!entry || !isAtWordBoundary(text, i, i + len)) continue;
      if (entry.standalone && ((i > 0 && IS_HAN.test(text[i - 1])) || (i + len < text.length && IS_HAN.test(text[i + len])))) continue;
      out.push({ kind: entry.kind, normalized: entry.normalized, source: 'lexicon', s: i, e: i + len, priority });
      hit = len;
      break;
    }
    i += hit > 0 ? hit : 1;
  }
}

const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const QUANTITY = new RegExp(
  NUMBER + String.raw`\s?(tb|gb|mb|kg|mg|lbs|lb|ml|litres|litre|liters|liter|ltr|cm|mm|inches|inch|g|t|l|千克|公斤|克|斤|毫升|升|英寸|寸|码|"|″)`,
  'g',
);
const DIMENSIONS = new RegExp(NUMBER + String.raw`\s?[x×*]\s?` + NUMBER + String.raw`(?:\s?[x×*]\s?` + NUMBER + String.raw`)?\s?(cm|mm|inch|inches|")`, 'g');
const LETTER_SIZE = /\b(xxxs|xxs|xs|xl|xxl|xxxl|[2-6]xl)\b/g;

/** Numbers as short decimal strings: 1.5 * 1000 gives "1500", never "1500.0000000002". */
function formatNumber(x: number): string {
  return String(Number(x.toFixed(6)));
}

/** Units → kind and the factor to the normalised unit. `g`/`t` depend on case in the title. */
function resolveUnit(unit: string, casedUnit: string): { kind: AttributeKind; factor: number; suffix: string } | null {
  switch (unit) {
    case 'tb': return { kind: 'capacity', factor: 1024, suffix: 'GB' };
    case 'gb': return { kind: 'capacity', factor: 1, suffix: 'GB' };
    case 'mb': return { kind: 'capacity', factor: 1 / 1024, suffix: 'GB' };
    // "128G" on a phone or card is storage; "500g" is grams. Upper-case T alone is terabytes.
    case 'g': return casedUnit === 'G' ? { kind: 'capacity', factor: 1, suffix: 'GB' } : { kind: 'weight', factor: 1, suffix: 'g' };
    case 't': return casedUnit === 'T' ? { kind: 'capacity', factor: 1024, suffix: 'GB' } : null;
    case 'kg': case '千克': case '公斤': return { kind: 'weight', factor: 1000, suffix: 'g' };
    case 'mg': return { kind: 'weight', factor: 0.001, suffix: 'g' };
    case '克': return { kind: 'weight', factor: 1, suffix: 'g' };
    case '斤': return { kind: 'weight', factor: 500, suffix: 'g' };
    case 'lb': case 'lbs': return { kind: 'weight', factor: 453.59237, suffix: 'g' };
    case 'ml': case '毫升': return { kind: 'volume', factor: 1, suffix: 'ml' };
    case 'l': case 'litre': case 'litres': case 'liter': case 'liters': case 'ltr': case '升': return { kind: 'volume', factor: 1000, suffix: 'ml' };
    case 'cm': return { kind: 'size', factor: 1, suffix: 'cm' };
    case 'mm': return { kind: 'size', factor: 0.1, suffix: 'cm' };
    // In e-commerce titles 寸 (screens, wheels, luggage) means the inch.
    case 'inch': case 'inches': case '英寸': case '寸': case '"': case '″': return { kind: 'size', factor: 1, suffix: 'in' };
    case '码': return { kind: 'size', factor: 1, suffix: 'size:' };
    default: return null;
  }
}

function matchQuantities(m: MappedText, out: Candidate[]): void {
  const t = m.lower;
  for (const x of t.matchAll(DIMENSIONS)) {
    const s = x.index!;
    const e = s + x[0].length;
    if (s > 0 && /[a-z0-9.]/.test(t[s - 1])) continue;
    const u = resolveUnit(x[4], x[4]);
    if (!u) continue;
    const dims = [x[1], x[2], x[3]].filter((d) => d !== undefined).map((d) => formatNumber(Number(d) * u.factor));
    out.push({ kind: 'size', normalized: dims.join('x') + u.suffix, source: 'pattern', s, e, priority: 1 });
  }
  for (const x of t.matchAll(QUANTITY)) {
    const s = x.index!;
    const e = s + x[0].length;
    // A number glued to letters before it is part of a model number (SM-G9910), not a quantity.
    if (s > 0 && /[a-z0-9.]/.test(t[s - 1])) continue;
    if (/[a-z]$/.test(x[2]) && e < t.length && /[a-z]/.test(t[e])) continue;
    const u = resolveUnit(x[2], m.cased.slice(e - x[2].length, e));
    if (!u) continue;
    // 2G–6G written without B are network generations (4G, 5G), not storage.
    if (x[2] === 'g' && u.kind === 'capacity' && Number(x[1]) <= 6) continue;
    const value = Number(x[1]) * u.factor;
    const normalized = u.suffix === 'size:' ? 'size:' + formatNumber(value) : formatNumber(value) + u.suffix;
    out.push({ kind: u.kind, normalized, source: 'pattern', s, e, priority: 1 });
  }
  for (const x of t.matchAll(LETTER_SIZE)) {
    out.push({ kind: 'size', normalized: x[0].toUpperCase(), source: 'pattern', s: x.index!, e: x.index! + x[0].length, priority: 1 });
  }
}

/** Letter–digit tokens (SM-G9910, XPS13, A2337) and camel-case names followed by a number (iPhone 13). */
const MODEL_TOKEN = /(?<![A-Za-z0-9-])(?=[A-Za-z0-9-]*[A-Za-z])(?=[A-Za-z0-9-]*\d)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9])/g;
const MODEL_NAMED = /(?<![A-Za-z0-9])[a-z]+[A-Z][A-Za-z]* \d+[A-Za-z]?(?![A-Za-z0-9])/g;
/** Spec tokens that mix letters and digits but are not model numbers: 3D, 4K, 5G, 1080p, 2pcs, 1st. */
const NOT_A_MODEL = /^(\d+[a-z]{1,3}|\d+(st|nd|rd|th|pcs|pc|pack)|[a-z]\d)$/i;

function matchModels(m: MappedText, out: Candidate[]): void {
  for (const x of m.cased.matchAll(MODEL_NAMED)) {
    out.push({ kind: 'model', normalized: x[0].toUpperCase(), source: 'pattern', s: x.index!, e: x.index! + x[0].length, priority: 5 });
  }
  for (const x of m.cased.matchAll(MODEL_TOKEN)) {
    if (x[0].length < 3 || NOT_A_MODEL.test(x[0])) continue;
    out.push({ kind: 'model', normalized: x[0].toUpperCase(), source: 'pattern', s: x.index!, e: x.index! + x[0].length, priority: 6 });
  }
}

/**
 * Attributes of one title, in title order, without overlaps. When candidates overlap, the brand
 * lexicon wins over units, units over colours and materials, those over tagger brands, and model
 * patterns come last (so `Red Tape` is a brand, not a colour, and `128GB` is capacity, not a model).
 * Among equals the longer match wins.
 */
export function extractAttributes(title: string, lexicons: AttributeLexicons = {}): AttributeTag[] {
  const m = mapNormalized(title);
  const cands: Candidate[] = [];
  const brands = lexicons.brands;
  if (brands && brands.aliases.size > 0) {
    const lengths = aliasLengthsOf(brands);
    matchLexicon(
      m.lower,
      (a) => {
        const b = brands.aliases.get(a);
        return b === undefined ? undefined : { kind: 'brand', normalized: b, standalone: false };
      },
      lengths,
      0,
      cands,
    );
  }
  matchQuantities(m, cands);
  matchLexicon(m.lower, (a) => BUILT_IN.get(a), BUILT_IN_LENGTHS, 2, cands);
  if (lexicons.brandTagger) {
    const { model, type } = lexicons.brandTagger;
    for (const span of tagText(model, m.cased)) {
      if (span.type !== type) continue;
      let s = span.start;
      let e = span.end;
      while (s < e && m.lower[s] === ' ') s++;
      while (e > s && m.lower[e - 1] === ' ') e--;
      if (s === e) continue;
      const key = m.lower.slice(s, e);
      const normalized = brands?.aliases.get(key) ?? key;
      cands.push({ kind: 'brand', normalized, source: 'tagger', s, e, priority: 4 });
    }
  }
  matchModels(m, cands);

  cands.sort((a, b) => a.priority - b.priority || b.e - b.s - (a.e - a.s) || a.s - b.s);
  const taken: Candidate[] = [];
  for (const c of cands) if (!taken.some((t) => c.s < t.e && t.s < c.e)) taken.push(c);
  taken.sort((a, b) => a.s - b.s);
  // One brand written twice in a row (华为HUAWEI) is one tag.
  for (let i = taken.length - 1; i > 0; i--) {
    const a = taken[i - 1];
    const b = taken[i];
    if (a.kind === b.kind && a.normalized === b.normalized && m.lower.slice(a.e, b.s).trim() === '') {
      a.e = b.e;
      taken.splice(i, 1);
    }
  }
  return taken.map((c) => {
    const start = m.from[c.s];
    const end = m.to[c.e - 1];
    return { kind: c.kind, value: title.slice(start, end), normalized: c.normalized, start, end, source: c.source };
  });
}
