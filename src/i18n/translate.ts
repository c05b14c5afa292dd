// Pure message lookup and locale choice, shared by the rune-backed `t()` and by Node tests.
import { en, type MessageKey } from './en.ts';
import { zh } from './zh.ts';

export type Locale = 'en' | 'zh';
export type MessageParams = Record<string, string | number>;

export const LOCALES: readonly Locale[] = ['en', 'zh'];
export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, zh };

/** True when `key` names a message (lets callers translate codes that may be unknown, e.g. issue codes). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/** Looks `key` up in `locale` (English as fallback) and fills `{name}` placeholders from `params`. */
export function formatMessage(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = catalogs[locale][key] ?? en[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Picks the UI locale: a remembered choice first, else the first browser language we have. */
export function pickLocale(stored: string | null | undefined, languages: readonly string[]): Locale {
  if (stored === 'en' || stored === 'zh') return stored;
  for (const lang of languages) {
    const base = lang.toLowerCase().split('-')[0];
    if (base === 'zh') return 'zh';
    if (base === 'en') return 'en';
  }
  return 'en';
}

/** BCP 47 tag for `<html lang>` and Intl formatting. */
export function toLanguageTag(locale: Locale): string {
  return locale === 'zh' ? 'zh-CN' : 'en';
}
