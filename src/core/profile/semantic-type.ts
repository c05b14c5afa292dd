// Semantic type inference: what a column means (price, rating, city, email…) from its name in English,
// Portuguese or Chinese, its physical type, its statistics and a few sample values. Pure and table-driven.
import type { PhysicalType, PiiKind, SemanticType } from '../types.ts';

export interface SemanticInput {
  name: string;
  physicalType: PhysicalType;
  rowCount: number;
  nullCount: number;
  distinct: number;
  isUnique?: boolean;
  /** Numeric min/max (numbers only). */
  min?: number | null;
  max?: number | null;
  /** Mean and max string length of non-null values. */
  lengthMean?: number | null;
  lengthMax?: number | null;
  /** A few distinct non-null values as text (unmasked). */
  samples: readonly string[];
  pii?: PiiKind | null;
}

export interface SemanticResult {
  type: SemanticType;
  reason: string;
}

const NUMERIC: ReadonlySet<PhysicalType> = new Set(['integer', 'decimal', 'double']);

/** Name rules in priority order; `when` restricts a rule to the kinds of column it makes sense for. */
const NAME_RULES: { type: SemanticType; re: RegExp; when?: 'number' | 'text' | 'any' }[] = [
  { type: 'latitude', re: /(^|_)(lat|latitude)($|_)|纬度/, when: 'number' },
  { type: 'longitude', re: /(^|_)(lng|lon|long|longitude)($|_)|经度/, when: 'number' },
  { type: 'zip', re: /zip|postal|post_?code|(^|_)cep($|_)|邮编|邮政编码/ },
  { type: 'email', re: /e_?mail|邮箱|电子邮件/, when: 'text' },
  { type: 'phone', re: /phone|mobile|(^|_)tel($|_)|telefone|celular|电话|手机|联系方式/ },
  { type: 'ip', re: /(^|_)ip(_?addr(ess)?)?$/, when: 'text' },
  { type: 'url', re: /(^|_)(url|uri|link|href|website|homepage)($|_)|链接|网址/, when: 'text' },
  { type: 'address', re: /address|addr|street|endereco|logradouro|地址|住址/, when: 'text' },
  { type: 'city', re: /(^|_)(city|cidade|town|municipio)($|_)|城市|^市$/, when: 'text' },
  { type: 'state', re: /(^|_)(state|province|estado|uf|region)($|_)|省份|^省$|地区/, when: 'text' },
  { type: 'country', re: /(^|_)(country|nation|pais)($|_)|国家/, when: 'text' },
  { type: 'id', re: /(^|_)(id|uuid|guid|key|pk)$|^id_|编号|(^|_)(sku|code|codigo|no|nr)$|编码|单号|订单号/ },
  { type: 'rating', re: /rating|(^|_)(score|stars?|nota|avaliacao)($|_)|评分|星级|打分|评级/, when: 'number' },
  { type: 'percentage', re: /percent|pct|(^|_)(rate|ratio|share)($|_)|discount|占比|比例|折扣|百分比|率$/, when: 'number' },
  {
    type: 'price',
    re: /price|amount|cost|revenue|(^|_)total($|_)|(^|_)(value|fee|freight|gmv|sales|subtotal|paid)($|_)|preco|valor|frete|价格|金额|单价|总价|运费|售价|原价|实付|价/,
    when: 'number',
  },
  {
    type: 'quantity',
    re: /qty|quantity|(^|_)(count|num|number|stock|inventory|units|installments|qtd|quantidade|qty)($|_)|数量|库存|件数|销量|人数|次数/,
    when: 'number',
  },
  {
    type: 'measure',
    re: /weight|height|width|length|lenght|depth|volume|(_|^)(g|kg|cm|mm|m|ml|l|lb|oz)$|peso|altura|largura|comprimento|重量|长度|宽度|高度|尺寸|体积/,
    when: 'number',
  },
  { type: 'person_name', re: /^(name|full_?name|first_?name|last_?name|nome)$|(customer|buyer|contact|recipient)_?name|姓名|收货人|联系人|收件人/, when: 'text' },
  {
    type: 'category',
    re: /categor|(^|_)(type|status|kind|class|segment|group|brand|marca|gender|sex|color|colour|size|method|channel|tier|level|source|tipo)($|_)|品牌|类别|类目|分类|状态|类型|颜色|尺码|性别|渠道|等级/,
    when: 'text',
  },
  { type: 'text', re: /comment|review|message|description|(^|_)desc($|_)|(^|_)(text|content|body|note|notes|about|comentario|mensagem|descricao)($|_)|评论|内容|描述|评价|备注/, when: 'text' },
  { type: 'title', re: /title|titulo|(^|_)(product_?name|item_?name|name|nome)$|标题|名称|品名|商品名/, when: 'text' },
  { type: 'timestamp', re: /(_at|_time|timestamp|datetime)$|时间/, when: 'text' },
  { type: 'date', re: /(^|_)(date|data|day|dt)($|_)|日期/, when: 'text' },
];

const DATE_ONLY = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{4}年\d{1,2}月\d{1,2}日)$/;
const DATE_TIME = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const URL = /^(https?|ftp):\/\/\S+$/i;
const MONEY = /^\s*(?:[$€£¥₹]|R\$|US\$|RMB|CNY)\s?-?[\d,]+(\.\d+)?\s*$|^\s*-?[\d,]+(\.\d+)?\s?(元|USD|EUR|BRL|CNY)\s*$/;
const PERCENT = /^\s*-?\d+(\.\d+)?\s?%\s*$/;
const BOOLEAN_WORDS = new Set(['true', 'false', 'yes', 'no', 'y', 'n', 't', 'f', '是', '否', 'sim', 'não', 'nao']);
const HEX_ID = /^[0-9a-f]{16,}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PII_TYPES: Record<PiiKind, SemanticType> = {
  email: 'email',
  phone: 'phone',
  cn_id: 'code',
  bank_card: 'code',
  ip: 'ip',
  person_name: 'person_name',
  address: 'address',
};

/** Lower-case snake form of a column name (camelCase split, spaces and dashes to `_`). */
function normalizeName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[\s\-.]+/g, '_');
}

function shareOf(samples: readonly string[], test: (v: string) => boolean): number {
  const vals = samples.filter((s) => s.trim() !== '');
  if (vals.length === 0) return 0;
  return vals.filter((v) => test(v.trim())).length / vals.length;
}

/** Checks a name-rule match against the values: refuses it when numbers contradict it. */
function isRuleConsistent(type: SemanticType, input: SemanticInput): boolean {
  const { min, max } = input;
  if (min == null || max == null) return true;
  switch (type) {
    case 'latitude':
      return min >= -90 && max <= 90;
    case 'longitude':
      return min >= -180 && max <= 180;
    case 'rating':
      return min >= 0 && max <= 100;
    case 'percentage':
      return min >= -100 && max <= 100;
    case 'quantity':
      return input.physicalType === 'integer' || Number.isInteger(min);
    default:
      return true;
  }
}

/**
 * Infers the semantic type of a column. Order: personal-data finding, physical booleans and
 * dates, value shapes that are unambiguous (URLs, JSON, money, dates in text), name rules checked
 * against the values, then fallbacks from cardinality and length.
 */
export function inferSemanticType(input: SemanticInput): SemanticResult {
  const { physicalType: pt, samples } = input;
  const name = normalizeName(input.name);
  const nonNull = input.rowCount - input.nullCount;
  const isNumber = NUMERIC.has(pt);
  const isText = pt === 'varchar';

  if (input.pii) return { type: PII_TYPES[input.pii], reason: `values are ${input.pii.replace('_', ' ')}s (personal data)` };
  if (pt === 'boolean') return { type: 'boolean', reason: 'boolean column' };
  if (pt === 'timestamp') return { type: 'timestamp', reason: 'timestamp column' };
  if (pt === 'date') return { type: 'date', reason: 'date column' };
  if (pt === 'time') return { type: 'timestamp', reason: 'time-of-day column' };
  if (pt === 'list' || pt === 'struct') return { type: 'json', reason: `nested ${pt} values` };

  if (isText && samples.length > 0) {
    const lower = samples.map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (lower.length > 0 && input.distinct <= 3 && lower.every((s) => BOOLEAN_WORDS.has(s))) {
      return { type: 'boolean', reason: `only the values ${[...new Set(lower)].join('/')}` };
    }
    if (shareOf(samples, (v) => URL.test(v)) >= 0.8) return { type: 'url', reason: 'values are URLs' };
    if (shareOf(samples, (v) => /^[[{]/.test(v) && isJson(v)) >= 0.8) return { type: 'json', reason: 'values are JSON documents' };
    const dt = shareOf(samples, (v) => DATE_TIME.test(v));
    const d = shareOf(samples, (v) => DATE_ONLY.test(v));
    if (dt + d >= 0.8) {
      return dt >= d
        ? { type: 'timestamp', reason: `${Math.round((dt + d) * 100)}% of samples are dates with times (text, mixed formats)` }
        : { type: 'date', reason: `${Math.round((dt + d) * 100)}% of samples are dates (text, mixed formats)` };
    }
    if (shareOf(samples, (v) => MONEY.test(v)) >= 0.8) return { type: 'price', reason: 'values are amounts with a currency sign' };
    if (shareOf(samples, (v) => PERCENT.test(v)) >= 0.8) return { type: 'percentage', reason: 'values end with %' };
  }

  for (const rule of NAME_RULES) {
    if (rule.when === 'number' && !isNumber) continue;
    if (rule.when === 'text' && !isText) continue;
    if (!rule.re.test(name) && !rule.re.test(input.name)) continue;
    if (!isRuleConsistent(rule.type, input)) continue;
    // A "name"/"title" column of short, repetitive values is a category (brand name, city name…).
    if (rule.type === 'title' && input.distinct > 0 && input.distinct < Math.min(50, nonNull * 0.2) && (input.lengthMean ?? 0) < 20) {
      return { type: 'category', reason: `name "${input.name}" but only ${input.distinct} distinct short values` };
    }
    return { type: rule.type, reason: `column name "${input.name}" matches ${rule.type}` };
  }

  if (isText && shareOf(samples, (v) => HEX_ID.test(v)) >= 0.9) return { type: 'id', reason: 'values are hex or UUID identifiers' };
  if (isNumber) {
    if (input.isUnique && pt === 'integer') return { type: 'id', reason: 'unique integers' };
    if (pt === 'integer' && input.min != null && input.max != null && input.min >= 0 && input.distinct <= 12 && nonNull > 50) {
      return { type: 'category', reason: `integer code with ${input.distinct} distinct values` };
    }
    return { type: 'number', reason: 'numeric column without a more specific name' };
  }
  if (isText) {
    const lenMean = input.lengthMean ?? 0;
    if (lenMean >= 40 || (input.lengthMax ?? 0) >= 200) return { type: 'text', reason: `long free text (mean length ${Math.round(lenMean)})` };
    if (input.distinct > 0 && (input.distinct <= 20 || input.distinct <= nonNull * 0.05)) {
      return { type: 'category', reason: `${input.distinct} distinct values in ${nonNull} rows` };
    }
    if (input.isUnique || input.distinct >= nonNull * 0.95) {
      if (!samples.some((s) => /\s/.test(s.trim()))) return { type: 'code', reason: 'unique short values without spaces' };
      return { type: 'title', reason: 'unique short text' };
    }
    if (lenMean >= 15) return { type: 'text', reason: `free text (mean length ${Math.round(lenMean)})` };
    return { type: 'unknown', reason: 'short text with no telling name or shape' };
  }
  return { type: 'unknown', reason: `${pt} column` };
}

function isJson(v: string): boolean {
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}
