'use client';
// Language state for the whole UI. The choice lives in localStorage, read with
// useSyncExternalStore so the server render (always the default language) and
// the first client render agree, and a change in another tab follows along.
// It also carries the township's time zone (config TOWNSHIP_TZ), which the root
// layout renders into the page, so every clock and date is formatted in it.
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { DEFAULT_LANG, LANG_TAGS, isLang, translate, type Lang, type MessageKey, type MessageVars } from './messages';

export const LANG_STORAGE_KEY = 'gridsight.lang';

const listeners = new Set<() => void>();

function readStoredLang(): Lang {
  try {
    const v = window.localStorage.getItem(LANG_STORAGE_KEY);
    return isLang(v) ? v : DEFAULT_LANG;
  } catch (err) {
    // Storage can be disabled (privacy mode, kiosk policy): fall back to the default.
    console.warn('[i18n] localStorage unavailable:', err);
    return DEFAULT_LANG;
  }
}

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  const onStorage = (e: StorageEvent) => {
    if (e.key === LANG_STORAGE_KEY) onChange();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('storage', onStorage);
  };
}

function writeStoredLang(lang: Lang): void {
  try {
    window.localStorage.setItem(LANG_STORAGE_KEY, lang);
  } catch (err) {
    console.warn('[i18n] could not persist language:', err);
  }
  for (const l of listeners) l();
}

export interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, vars?: MessageVars) => string;
  /** The township's IANA time zone: pass it to every lib/i18n/format date and clock formatter. */
  timeZone: string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ timeZone, children }: { timeZone: string; children: ReactNode }) {
  const lang = useSyncExternalStore(subscribe, readStoredLang, () => DEFAULT_LANG);

  useEffect(() => {
    document.documentElement.lang = LANG_TAGS[lang];
  }, [lang]);

  const setLang = useCallback((next: Lang) => writeStoredLang(next), []);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, vars) => translate(lang, key, vars), timeZone }),
    [lang, setLang, timeZone],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n() must be used inside <I18nProvider>');
  return ctx;
}
