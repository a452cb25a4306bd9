// Formatting that depends on the language: ages, clock, date-times, numbers.
import { LANG_TAGS, translate, type Lang } from './messages';

/**
 * "12 s ago" / "12 秒前". Always a number, never "just now": a freshness
 * readout that is sometimes words and sometimes digits is harder to scan.
 * Negative ages (clock skew) read as 0 s.
 */
export function formatAge(ageMs: number, lang: Lang): string {
  const s = Math.max(0, Math.floor(ageMs / 1000));
  if (s < 60) return translate(lang, 'age.seconds', { n: s });
  const m = Math.floor(s / 60);
  if (m < 60) return translate(lang, 'age.minutes', { n: m });
  const h = Math.floor(m / 60);
  if (h < 48) return translate(lang, 'age.hours', { n: h });
  return translate(lang, 'age.days', { n: Math.floor(h / 24) });
}

const clockFormats = new Map<Lang, Intl.DateTimeFormat>();
const dateTimeFormats = new Map<Lang, Intl.DateTimeFormat>();

export function formatClock(epochMs: number, lang: Lang): string {
  let f = clockFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(LANG_TAGS[lang], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
    clockFormats.set(lang, f);
  }
  return f.format(epochMs);
}

export function formatDateTime(iso: string, lang: Lang): string {
  let f = dateTimeFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(LANG_TAGS[lang], {
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });
    dateTimeFormats.set(lang, f);
  }
  return f.format(new Date(iso));
}

export function formatDate(epochMs: number, lang: Lang): string {
  return new Intl.DateTimeFormat(LANG_TAGS[lang], { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).format(
    epochMs,
  );
}

export function formatNumber(n: number, lang: Lang, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(LANG_TAGS[lang], { maximumFractionDigits }).format(n);
}
