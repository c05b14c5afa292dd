// Personal-data detectors over a column's sampled values (emails, phones, Chinese resident IDs, bank
// cards, IPs, person names, street addresses) and shape-keeping masks for showing samples safely.
import type { PiiFinding, PiiKind } from '../types.ts';

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;
const CN_MOBILE = /^(?:\+?86)?1[3-9]\d{9}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const CJK_NAME = /^[\u4e00-\u9fff]{2,4}$/;
const LATIN_NAME = /^[A-Z][a-zà-ÿ'’-]+(?: (?:[A-Z][a-zà-ÿ'’.-]*|de|da|do|dos|das|van|von|der|la|le)){0,2}$/;
const CN_ADDRESS = /[省市区县镇乡村路街道巷弄号楼室]/;
const STREET_WORDS =
  /\b(street|st|road|rd|avenue|ave|av|lane|ln|blvd|boulevard|drive|dr|way|court|ct|place|pl|square|sq|highway|hwy|rua|avenida|travessa|alameda|rodovia|strasse|straße|calle|via|rue)\b\.?/i;

/** Common Chinese surnames (the ~120 most frequent, single- and double-character). */
const CN_SURNAMES = new Set(
  (
    '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'
  ).split(''),
);
const CN_DOUBLE_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '令狐'];

/** Province codes valid as the first two digits of a resident ID. */
const CN_PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
]);
const CN_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CN_ID_CHECK = '10X98765432';

/** True for an email address. */
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value.trim());
}

/** Digits of a phone-looking string, or null when it has characters phones do not have. */
function phoneDigits(value: string): string | null {
  const v = value.trim();
  if (!/^\+?[\d\s().-]+$/.test(v)) return null;
  return v.replace(/\D/g, '');
}

/** True for a Chinese mobile number (optionally +86, spaces or dashes). */
export function isChineseMobile(value: string): boolean {
  const v = value.trim();
  if (!/^\+?[\d\s-]+$/.test(v)) return false;
  return CN_MOBILE.test(v.replace(/[\s-]/g, ''));
}

/**
 * True for a phone number: a Chinese mobile, or an international number written with a leading `+`
 * or with separators (`(415) 555-0134`). Bare digit runs other than Chinese mobiles are refused,
 * since numeric ids look the same.
 */
export function isPhone(value: string): boolean {
  if (isChineseMobile(value)) return true;
  const digits = phoneDigits(value);
  if (!digits || digits.length < 7 || digits.length > 15) return false;
  const v = value.trim();
  if (v.startsWith('+')) return digits.length >= 8;
  // Separators in phone positions; a date like 2023-01-05 has 8 digits in 4-2-2 groups, refuse it.
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  return /[\s().-]/.test(v) && /^\(?\d{2,4}\)?[\s.-]?\d{3,4}[\s.-]?\d{3,4}$/.test(v);
}

/** True for an 18-character Chinese resident ID with a valid province, birth date and MOD 11-2 check. */
export function isChineseResidentId(value: string): boolean {
  const v = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return false;
  if (!CN_PROVINCES.has(Number(v.slice(0, 2)))) return false;
  const y = Number(v.slice(6, 10));
  const m = Number(v.slice(10, 12));
  const d = Number(v.slice(12, 14));
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * CN_ID_WEIGHTS[i];
  return CN_ID_CHECK[sum % 11] === v[17];
}

/** The check character (0-9 or X) that completes the first 17 digits of a resident ID. */
export function computeResidentIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * CN_ID_WEIGHTS[i];
  return CN_ID_CHECK[sum % 11];
}

/** True when a digit string passes the Luhn checksum. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let n = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      n *= 2;
      if (n > 9) n -= 9;
    }
    sum += n;
  }
  return sum % 10 === 0;
}

/** True for a plausible payment card number: 13–19 digits (spaces/dashes allowed), issuer prefix 2–6, Luhn. */
export function isBankCard(value: string): boolean {
  const v = value.trim();
  if (!/^\d[\d -]{11,22}\d$/.test(v)) return false;
  const digits = v.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  if (!/^[2-6]/.test(digits)) return false;
  return passesLuhn(digits);
}

/** True for an IPv4 or IPv6 address. */
export function isIp(value: string): boolean {
  const v = value.trim();
  if (IPV4.test(v)) return true;
  if (!v.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(v)) return false;
  const double = v.split('::');
  if (double.length > 2) return false;
  const groups = v.split(':').filter((g) => g !== '');
  if (groups.length > 8 || (double.length === 1 && groups.length !== 8)) return false;
  return groups.every((g, i) => /^[0-9A-Fa-f]{1,4}$/.test(g) || (i === groups.length - 1 && IPV4.test(g)));
}

/** True for a Chinese name with a common surname, or 1–3 capitalised Latin words. */
export function isPersonName(value: string): boolean {
  const v = value.trim();
  if (CJK_NAME.test(v)) {
    if (CN_DOUBLE_SURNAMES.some((s) => v.startsWith(s))) return true;
    return CN_SURNAMES.has(v[0]) && v.length <= 3;
  }
  return v.length <= 40 && LATIN_NAME.test(v);
}

/** True for a street address: Chinese admin/street units, or a number beside a street word. */
export function isAddress(value: string): boolean {
  const v = value.trim();
  if (v.length < 6) return false;
  if (/[\u4e00-\u9fff]/.test(v)) return CN_ADDRESS.test(v) && (/\d/.test(v) || /[路街道号巷]/.test(v));
  return /\d/.test(v) && STREET_WORDS.test(v);
}

/** Splits a column name into lower-case words (snake, kebab, camel case; CJK kept whole). */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9\u4e00-\u9fff]+/)
    .filter(Boolean);
}

/** What a column name says about personal data, per kind. */
export function namePiiEvidence(name: string): Partial<Record<PiiKind, boolean>> {
  const words = nameWords(name);
  const joined = words.join('_');
  const has = (re: RegExp) => words.some((w) => re.test(w));
  const notPersonName =
    /product|category|brand|city|state|country|file|item|sku|shop|store|company|street|table|column|user_?name|username|nick|login|title|model|color|colou?r|dataset|host|domain|produto|categoria|cidade|estado/.test(
      joined,
    ) || /商品|品名|类|品牌|城市|省|店|公司|标题|名称/.test(name);
  const personName =
    !notPersonName &&
    (/^(name|full_?name|first_?name|last_?name|surname|given_?name|family_?name|fullname|firstname|lastname|nome)$/.test(joined) ||
      /(^|_)(customer|buyer|recipient|receiver|consignee|contact|person|client|cliente)_?(name|nome)?$/.test(joined) ||
      /(^|_)(first|last|full|given|family)_name$/.test(joined) ||
      (/(^|_)name$/.test(joined) && /customer|buyer|recipient|receiver|contact|person|client|user|member|employee|owner|holder/.test(joined)) ||
      /姓名|名字|收货人|收件人|联系人|客户名|买家|持卡人/.test(name));
  return {
    email: has(/^(e?mail|email_?address)$/) || /e_?mail|邮箱|电子邮件/.test(joined + name),
    phone: has(/^(phone|mobile|tel|telephone|telefone|celular|cell|fax|msisdn)$/) || /phone|mobile|电话|手机|联系方式/.test(joined + name),
    cn_id: /id_?card|identity|身份证|证件|resident_?id|citizen_?id|national_?id|cpf/.test(joined + name),
    bank_card: /card|bank|iban|account_?n(o|um)|pan$|卡号|银行|账号/.test(joined + name),
    ip: has(/^(ip|ipv4|ipv6|ip_?addr(ess)?)$/) || /(^|_)ip(_|$)/.test(joined),
    person_name: personName,
    address: /address|addr|street|endereco|logradouro|地址|住址|街道/.test(joined + name),
  };
}

const DETECTORS: Record<PiiKind, (v: string) => boolean> = {
  email: isEmail,
  phone: isPhone,
  cn_id: isChineseResidentId,
  bank_card: isBankCard,
  ip: isIp,
  person_name: isPersonName,
  address: isAddress,
};

const KIND_LABEL: Record<PiiKind, string> = {
  email: 'emails',
  phone: 'phone numbers',
  cn_id: 'Chinese resident IDs (checksum and birth date valid)',
  bank_card: 'card numbers (Luhn valid)',
  ip: 'IP addresses',
  person_name: 'person names',
  address: 'street addresses',
};

/** Kinds whose value shape alone is too weak (many words look like names); they need the column name too. */
const NEEDS_NAME: ReadonlySet<PiiKind> = new Set(['person_name', 'address']);

/**
 * Detects the personal-data kind of a column from its name and a sample of distinct non-null values.
 * Returns the best finding or null. Name evidence lowers the share of matching values needed;
 * bank cards without name evidence need 95% of at least 20 values (Luhn passes 10% of random ids).
 */
export function detectPii(name: string, values: readonly string[]): PiiFinding | null {
  const sample = values.map((v) => v.trim()).filter((v) => v !== '');
  if (sample.length === 0) return null;
  const evidence = namePiiEvidence(name);
  let best: PiiFinding | null = null;
  for (const kind of Object.keys(DETECTORS) as PiiKind[]) {
    const named = evidence[kind] === true;
    if (NEEDS_NAME.has(kind) && !named) continue;
    let matched = 0;
    for (const v of sample) if (DETECTORS[kind](v)) matched++;
    const share = matched / sample.length;
    let needed = named ? 0.5 : 0.8;
    if (kind === 'bank_card' && !named) needed = sample.length >= 20 ? 0.95 : Infinity;
    if (matched === 0 || share < needed) continue;
    const confidence = Math.min(1, share + (named ? 0.1 : 0));
    // Resident IDs and cards are also phone-shaped digit runs at times: the stricter check wins on ties.
    if (best && (confidence < best.confidence || (confidence === best.confidence && best.matched >= matched))) continue;
    const pct = Math.round(share * 100);
    best = {
      kind,
      confidence,
      matched,
      sampled: sample.length,
      reason: `${pct}% of ${sample.length} sampled values are ${KIND_LABEL[kind]}${named ? `; the column name "${name}" suggests it too` : ''}`,
    };
  }
  return best;
}

/** Masks every digit of `value` whose digit index is outside [keepStart, total - keepEnd). */
function maskDigits(value: string, keepStart: number, keepEnd: number): string {
  const total = value.replace(/\D/g, '').length;
  let i = 0;
  let out = '';
  for (const ch of value) {
    if (ch >= '0' && ch <= '9') {
      out += i < keepStart || i >= total - keepEnd ? ch : '*';
      i++;
    } else out += ch;
  }
  return out;
}

/**
 * Masks a personal value but keeps its shape: `j***@example.com`, `138****5678`,
 * `1101**********123X`, `**** **** **** 1234`, `192.168.*.*`, `张*`, `J*** S***`.
 */
export function maskValue(value: string, kind: PiiKind): string {
  const v = value.trim();
  switch (kind) {
    case 'email': {
      const at = v.lastIndexOf('@');
      if (at <= 0) return '***';
      return v[0] + '***' + v.slice(at);
    }
    case 'phone': {
      const digits = v.replace(/\D/g, '');
      const cnPrefix = /^\+?86/.test(v.replace(/[\s-]/g, '')) && digits.length === 13 ? 2 : 0;
      if (digits.length <= 7) return maskDigits(v, 0, 2);
      return maskDigits(v, cnPrefix + 3, 4);
    }
    case 'cn_id':
      return v.length <= 8 ? '*'.repeat(v.length) : v.slice(0, 4) + '*'.repeat(v.length - 8) + v.slice(-4);
    case 'bank_card': {
      const digits = v.replace(/\D/g, '');
      if (/[ -]/.test(v)) return maskDigits(v, 0, 4);
      const masked = '*'.repeat(Math.max(0, digits.length - 4)) + digits.slice(-4);
      const groups: string[] = [];
      for (let end = masked.length; end > 0; end -= 4) groups.unshift(masked.slice(Math.max(0, end - 4), end));
      return groups.join(' ');
    }
    case 'ip': {
      if (v.includes('.') && !v.includes(':')) return v.split('.').slice(0, 2).concat('*', '*').join('.');
      const groups = v.split(':');
      return groups.slice(0, 2).join(':') + ':*:*';
    }
    case 'person_name': {
      const chars = [...v];
      if (/[\u4e00-\u9fff]/.test(v)) return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
      return v
        .split(/\s+/)
        .map((w) => (w ? [...w][0] + '***' : w))
        .join(' ');
    }
    case 'address': {
      const chars = [...v.replace(/\d/g, '*')];
      const keep = Math.min(6, Math.ceil(chars.length / 3));
      return chars.slice(0, keep).join('') + '***';
    }
  }
}
