// PII detectors and masks, table-driven with valid values and near misses.
import { describe, expect, it } from 'vitest';
import {
  computeResidentIdCheck,
  detectPii,
  isAddress,
  isBankCard,
  isChineseMobile,
  isChineseResidentId,
  isEmail,
  isIp,
  isPersonName,
  isPhone,
  maskValue,
  passesLuhn,
} from '../../../src/core/profile/pii.ts';
import { mulberry32 } from '../../../src/core/util/random.ts';

const cases: [string, (v: string) => boolean, string, boolean][] = [
  ['email', isEmail, 'jane.doe+shop@example.com', true],
  ['email', isEmail, 'user1@qq.com', true],
  ['email', isEmail, 'jane.doe@example', false],
  ['email', isEmail, 'N/A', false],
  ['email', isEmail, 'a@@b.com', false],
  ['cn mobile', isChineseMobile, '13812345678', true],
  ['cn mobile', isChineseMobile, '+86 138 1234 5678', true],
  ['cn mobile', isChineseMobile, '8613812345678', true],
  ['cn mobile', isChineseMobile, '138-1234-5678', true],
  ['cn mobile', isChineseMobile, '12812345678', false],
  ['cn mobile', isChineseMobile, '1381234567', false],
  ['phone', isPhone, '+1 415 555 0134', true],
  ['phone', isPhone, '(415) 555-0134', true],
  ['phone', isPhone, '+44 20 7946 0958', true],
  ['phone', isPhone, '2023-01-05', false],
  ['phone', isPhone, '12345678', false],
  ['cn id', isChineseResidentId, '11010519491231002X', true],
  ['cn id', isChineseResidentId, '110105194912310021', false], // wrong check character
  ['cn id', isChineseResidentId, '11010519491331002X', false], // month 13
  ['cn id', isChineseResidentId, '11010519490230002X', false], // 30 February
  ['cn id', isChineseResidentId, '99010519491231002X', false], // no province 99
  ['cn id', isChineseResidentId, '1101051949123100', false],
  ['bank card', isBankCard, '4111111111111111', true],
  ['bank card', isBankCard, '4111 1111 1111 1111', true],
  ['bank card', isBankCard, '6222021234567890123', passesLuhn('6222021234567890123')],
  ['bank card', isBankCard, '4111111111111112', false], // fails Luhn
  ['bank card', isBankCard, '1111111111111117', false], // no issuer starts with 1
  ['ip', isIp, '192.168.1.20', true],
  ['ip', isIp, '2001:db8::8a2e:370:7334', true],
  ['ip', isIp, '::1', true],
  ['ip', isIp, '256.1.1.1', false],
  ['ip', isIp, '1.2.3', false],
  ['ip', isIp, '12:30', false],
  ['person name', isPersonName, '张伟', true],
  ['person name', isPersonName, '欧阳娜娜', true],
  ['person name', isPersonName, 'Emma Johnson', true],
  ['person name', isPersonName, 'João da Silva', true],
  ['person name', isPersonName, '手机壳', false],
  ['person name', isPersonName, 'iPhone 15 Pro', false],
  ['address', isAddress, '北京市朝阳区建国路88号', true],
  ['address', isAddress, '221B Baker Street', true],
  ['address', isAddress, 'Rua Augusta 1500', true],
  ['address', isAddress, 'London', false],
  ['address', isAddress, '上海', false],
];

describe('PII value detectors', () => {
  it.each(cases.map(([k, fn, v, w]) => ({ k, fn, v, w })))('$k: $v → $w', ({ fn, v: value, w: want }) => {
    expect(fn(value)).toBe(want);
  });

  it('computes the MOD 11-2 check character', () => {
    expect(computeResidentIdCheck('11010519491231002')).toBe('X');
    expect(computeResidentIdCheck('44030519990715645')).toBe('1');
  });
});

describe('detectPii over a column sample', () => {
  it('finds emails with their share in the reason', () => {
    const f = detectPii('email', ['a@x.com', 'b@y.org', 'c@z.cn', 'not an email']);
    expect(f).toMatchObject({ kind: 'email', matched: 3, sampled: 4 });
    expect(f!.reason).toContain('75% of 4');
    expect(detectPii('contact', ['a@x.com', 'b@y.org', 'c@z.cn', 'not an email'])).toBeNull(); // 75% without name evidence is not enough
  });

  it('needs the column name for person names and addresses', () => {
    const names = ['张伟', '李娜', 'Emma Johnson', '王芳'];
    expect(detectPii('name', names)?.kind).toBe('person_name');
    expect(detectPii('客户姓名', names)?.kind).toBe('person_name');
    expect(detectPii('brand', names)).toBeNull();
    expect(detectPii('product_name', names)).toBeNull();
    const addrs = ['北京市朝阳区建国路88号', '上海市浦东新区世纪大道100号'];
    expect(detectPii('shipping_address', addrs)?.kind).toBe('address');
    expect(detectPii('note', addrs)).toBeNull();
  });

  it('tells resident IDs from wrong-checksum near misses', () => {
    const rand = mulberry32(7);
    const ids = Array.from({ length: 50 }, (_, i) => {
      const first17 = `3101041985${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(Math.floor(rand() * 1000)).padStart(3, '0')}`;
      return first17 + computeResidentIdCheck(first17);
    });
    expect(detectPii('id_card', ids)).toMatchObject({ kind: 'cn_id', matched: 50, confidence: 1 });
    const broken = ids.map((v) => v.slice(0, 17) + (v[17] === '1' ? '2' : '1'));
    expect(detectPii('id_card', broken)?.kind).not.toBe('cn_id');
  });

  it('does not call random numeric ids bank cards, but does call a card column one', () => {
    const rand = mulberry32(11);
    const ids = Array.from({ length: 300 }, () => String(4e15 + Math.floor(rand() * 9e14)));
    const luhnShare = ids.filter(passesLuhn).length / ids.length;
    expect(luhnShare).toBeGreaterThan(0.05); // about 10% pass Luhn by chance
    expect(detectPii('order_number', ids)).toBeNull();
    const cards = ids.filter(passesLuhn);
    expect(detectPii('card_no', cards)?.kind).toBe('bank_card');
  });

  it('finds Chinese mobiles written in several formats, not ids', () => {
    expect(detectPii('mobile', ['13812345678', '+86 139 1234 5678', '150-1234-5678'])?.kind).toBe('phone');
    expect(detectPii('user_id', ['1', '2', '3', '4'])).toBeNull();
  });
});

describe('maskValue keeps the shape', () => {
  it.each([
    ['jane.doe@example.com', 'email', 'j***@example.com'],
    ['13812345678', 'phone', '138****5678'],
    ['+86 138 1234 5678', 'phone', '+86 138 **** 5678'],
    ['11010519491231123X', 'cn_id', '1101**********123X'],
    ['4111111111111234', 'bank_card', '**** **** **** 1234'],
    ['4111-1111-1111-1234', 'bank_card', '****-****-****-1234'],
    ['192.168.1.20', 'ip', '192.168.*.*'],
    ['张伟', 'person_name', '张*'],
    ['欧阳娜娜', 'person_name', '欧***'],
    ['Emma Johnson', 'person_name', 'E*** J***'],
    ['北京市朝阳区建国路88号', 'address', '北京市朝***'],
  ] as const)('%s as %s → %s', (value, kind, want) => {
    expect(maskValue(value, kind)).toBe(want);
  });
});
