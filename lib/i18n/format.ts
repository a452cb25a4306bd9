// Formatting that depends on the language: ages, clock, date-times, numbers.
// Clocks, dates and date-times are shown in the township's zone (config
// TOWNSHIP_TZ, handed to the page by the root layout through useI18n().timeZone),
// never the browser's: a desk in another zone, or a kiosk whose clock is set to
// UTC, must show the same 08:00 as the township's own screens.
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

/** One Intl formatter per (language, zone, style), made on first use: building them is the slow part. */
const formatters = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(lang: Lang, timeZone: string, style: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}:${timeZone}:${style}`;
  let f = formatters.get(key);
  if (!f) {
    // hourCycle h23, not hour12: false: with `hour12: false` English reads midnight as 24:00:05.
    f = new Intl.DateTimeFormat(LANG_TAGS[lang], { ...options, timeZone, hourCycle: 'h23' });
    formatters.set(key, f);
  }
  return f;
}

const TIME = { hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;

/** The wall clock, `HH:mm:ss`, in `timeZone` (the township's). */
export function formatClock(epochMs: number, lang: Lang, timeZone: string): string {
  return dateTimeFormat(lang, timeZone, 'clock', TIME).format(epochMs);
}

/** Month, day and time in `timeZone`: for lists of recent things. */
export function formatDateTime(iso: string, lang: Lang, timeZone: string): string {
  return dateTimeFormat(lang, timeZone, 'datetime', { month: '2-digit', day: '2-digit', ...TIME }).format(new Date(iso));
}

/** A full date and time with the year in `timeZone`, for logs and tables that span months (audit, sessions, accounts). */
export function formatTimestamp(iso: string, lang: Lang, timeZone: string): string {
  return dateTimeFormat(lang, timeZone, 'timestamp', { year: 'numeric', month: '2-digit', day: '2-digit', ...TIME }).format(new Date(iso));
}

/** The calendar date with the weekday in `timeZone`. */
export function formatDate(epochMs: number, lang: Lang, timeZone: string): string {
  return dateTimeFormat(lang, timeZone, 'date', { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).format(epochMs);
}

export function formatNumber(n: number, lang: Lang, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(LANG_TAGS[lang], { maximumFractionDigits }).format(n);
}
