// The UI's translation function, backed by a rune so every `t()` in a template re-renders when the
// locale changes. The choice is remembered in localStorage; the default is the browser's language.
import type { ErrorCode } from '../core/errors.ts';
import type { PiiKind, SemanticType } from '../core/types.ts';
import type { MessageKey } from './en.ts';
import { formatMessage, isMessageKey, pickLocale, toLanguageTag, type Locale, type MessageParams } from './translate.ts';

export type { Locale, MessageKey, MessageParams };

const STORAGE_KEY = 'stocktake.locale';

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled (private mode, sandboxed frame): fall back to the browser language
  }
}

const state = $state({
  locale: pickLocale(readStored(), globalThis.navigator?.languages ?? [globalThis.navigator?.language ?? 'en']),
});

function applyDocumentLang(locale: Locale): void {
  if (typeof document !== 'undefined') document.documentElement.lang = toLanguageTag(locale);
}
applyDocumentLang(state.locale);

/** Translates `key` in the current locale, filling `{param}` placeholders. */
export function t(key: MessageKey, params?: MessageParams): string {
  return formatMessage(state.locale, key, params);
}

export function getLocale(): Locale {
  return state.locale;
}

/** BCP 47 tag of the current locale, for Intl number and date formatting. */
export function getLanguageTag(): string {
  return toLanguageTag(state.locale);
}

export function setLocale(locale: Locale): void {
  state.locale = locale;
  applyDocumentLang(locale);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  } catch {
    // not remembered, but the switch still applies to this page
  }
}

export function toggleLocale(): void {
  setLocale(state.locale === 'en' ? 'zh' : 'en');
}

/** Translated headline of an error or issue code; unknown codes get a generic headline naming the code. */
export function errorHeadline(code: ErrorCode | string): string {
  const key = `error.${code}`;
  return t(isMessageKey(key) ? key : 'error.UNKNOWN', { code });
}

export function semanticLabel(type: SemanticType): string {
  return t(`semantic.${type}`);
}

export function piiLabel(kind: PiiKind): string {
  return t(`pii.${kind}`);
}
