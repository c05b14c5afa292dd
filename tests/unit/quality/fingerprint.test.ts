// Key collision: the cases OpenRefine's clustering documents, plus CJK width and kana marks.
import { describe, expect, it } from 'vitest';
import { clusterValues, fingerprint, ngramFingerprint } from '../../../src/core/quality/fingerprint.ts';

describe('fingerprint', () => {
  it.each([
    ['Apple, Inc.', 'apple inc'],
    ['  inc APPLE ', 'apple inc'],
    ['Café  Olé', 'cafe ole'],
    ['ＳＡＭＳＵＮＧ　Galaxy', 'galaxy samsung'],
    ['a a b', 'a b'],
    ['---', ''],
  ])('%s → %s', (input, key) => expect(fingerprint(input)).toBe(key));

  it('keeps kana voicing marks (が is not か)', () => {
    expect(fingerprint('が')).not.toBe(fingerprint('か'));
  });
});

describe('ngramFingerprint', () => {
  it('ignores spacing and punctuation', () => {
    expect(ngramFingerprint('Sam Sung')).toBe(ngramFingerprint('samsung'));
    expect(ngramFingerprint('Coca-Cola')).toBe(ngramFingerprint('cocacola'));
    expect(ngramFingerprint('abc')).toBe('abbc');
  });
  it('short strings are their own key', () => expect(ngramFingerprint('A')).toBe('a'));
});

describe('clusterValues', () => {
  const values = [
    { value: 'Samsung', count: 10 },
    { value: 'SAMSUNG', count: 3 },
    { value: 'Sam sung', count: 1 },
    { value: 'ＳＡＭＳＵＮＧ', count: 2 },
    { value: 'Apple', count: 7 },
    { value: 'apple.', count: 1 },
    { value: 'Xiaomi', count: 4 },
  ];
  it('groups case, width, punctuation and spacing variants transitively, biggest variant first', () => {
    const clusters = clusterValues(values);
    expect(clusters).toHaveLength(2);
    expect(clusters[0]).toEqual({
      key: 'samsung',
      rows: 16,
      values: [
        { value: 'Samsung', count: 10 },
        { value: 'SAMSUNG', count: 3 },
        { value: 'ＳＡＭＳＵＮＧ', count: 2 },
        { value: 'Sam sung', count: 1 },
      ],
    });
    expect(clusters[1].values.map((v) => v.value)).toEqual(['Apple', 'apple.']);
  });
  it('fingerprint alone does not merge spacing variants', () => {
    const clusters = clusterValues(values, ['fingerprint']);
    expect(clusters[0].values.map((v) => v.value)).not.toContain('Sam sung');
  });
  it('token order collides under fingerprint', () => {
    expect(clusterValues([{ value: 'red apple', count: 1 }, { value: 'Apple Red', count: 1 }], ['fingerprint'])).toHaveLength(1);
  });
});
