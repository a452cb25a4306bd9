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

/** One Intl formatter per (language, style), made on first use: building them is the slow part. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(lang: Lang, style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}:${style}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(LANG_TAGS[lang], { ...options, hour12: false });
    formatters.set(key, f);
  }
  return f;
}

const TIME = { hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;

export function formatClock(epochMs: number, lang: Lang): string {
  return dateTimeFormat(lang, 'clock', TIME).format(epochMs);
}

export function formatDateTime(iso: string, lang: Lang): string {
  return dateTimeFormat(lang, 'datetime', { month: '2-digit', day: '2-digit', ...TIME }).format(new Date(iso));
}

/** A full local date and time with the year, for logs and tables that span months (audit, sessions, accounts). */
export function formatTimestamp(iso: string, lang: Lang): string {
  return dateTimeFormat(lang, 'timestamp', { year: 'numeric', month: '2-digit', day: '2-digit', ...TIME }).format(new Date(iso));
}

export function formatDate(epochMs: number, lang: Lang): string {
  return dateTimeFormat(lang, 'date', { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).format(epochMs);
}

export function formatNumber(n: number, lang: Lang, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(LANG_TAGS[lang], { maximumFractionDigits }).format(n);
}
