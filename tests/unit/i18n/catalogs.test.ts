// The zh and en catalogs carry the same keys, no empty strings, the same placeholders, and a label
// for every error code, semantic type and PII kind the core can produce.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/en.ts';
import { zh } from '../../../src/i18n/zh.ts';
import { formatMessage, pickLocale, toLanguageTag } from '../../../src/i18n/translate.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** String members of a `export type Name = | 'a' | 'b'` union, read from the source file. */
function unionMembers(file: string, typeName: string): string[] {
  const src = readFileSync(resolve(process.cwd(), file), 'utf8');
  const m = src.match(new RegExp(`export type ${typeName} =([^;]+);`));
  if (!m) throw new Error(`${typeName} not found in ${file}`);
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
}

describe('message catalogs', () => {
  it('have identical key sets', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it('have no empty strings', () => {
    for (const [locale, cat] of Object.entries({ en, zh })) {
      const empty = Object.entries(cat).filter(([, v]) => v.trim() === '').map(([k]) => `${locale}:${k}`);
      expect(empty).toEqual([]);
    }
  });

  it('use the same placeholders in both languages', () => {
    const mismatched = Object.keys(en).filter(
      (k) => placeholders(en[k as keyof typeof en]).join() !== placeholders(zh[k as keyof typeof en]).join(),
    );
    expect(mismatched).toEqual([]);
  });

  it('label every error code, semantic type and PII kind', () => {
    const codes = unionMembers('src/core/errors.ts', 'ErrorCode');
    const semantic = unionMembers('src/core/types.ts', 'SemanticType');
    const pii = unionMembers('src/core/types.ts', 'PiiKind');
    expect(codes.length).toBeGreaterThan(10);
    expect(semantic).toContain('person_name');
    expect(pii).toContain('cn_id');
    const wanted = [...codes.map((c) => `error.${c}`), ...semantic.map((s) => `semantic.${s}`), ...pii.map((p) => `pii.${p}`)];
    expect(wanted.filter((k) => !(k in en))).toEqual([]);
  });

  it('the English and Chinese texts differ where they should', () => {
    expect(zh['nav.catalog']).not.toBe(en['nav.catalog']);
    expect(zh['error.EMPTY_FILE']).not.toBe(en['error.EMPTY_FILE']);
  });
});

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(formatMessage('en', 'stage.profiling', { done: 3, total: 12 })).toBe('profiling 3/12 columns');
    expect(formatMessage('zh', 'stage.profiling', { done: 3, total: 12 })).toBe('分析第 3/12 列');
    expect(formatMessage('en', 'stage.profiling', { done: 3 })).toBe('profiling 3/{total} columns');
  });
});

describe('pickLocale', () => {
  it('prefers the remembered choice, then the first known browser language', () => {
    expect(pickLocale('zh', ['en-US'])).toBe('zh');
    expect(pickLocale(null, ['zh-CN', 'en'])).toBe('zh');
    expect(pickLocale(null, ['zh-TW'])).toBe('zh');
    expect(pickLocale(null, ['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale('xx', ['de'])).toBe('en');
    expect(toLanguageTag('zh')).toBe('zh-CN');
  });
});
