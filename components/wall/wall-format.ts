// The wall's own readouts: hours and minutes and the long date in the
// township's zone (lib/i18n/format has the desk's HH:mm:ss and short date),
// a response time as mm:ss, a difference with its sign.
import { LANG_TAGS, type Lang } from '@/lib/i18n/messages';

const formats = new Map<string, Intl.DateTimeFormat>();
function format(lang: Lang, timeZone: string, style: 'hm' | 'date', options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${lang}:${timeZone}:${style}`;
  let f = formats.get(key);
  if (!f) {
    // hourCycle h23: `hour12: false` reads midnight as 24:00 in English.
    f = new Intl.DateTimeFormat(LANG_TAGS[lang], { ...options, timeZone, hourCycle: 'h23' });
    formats.set(key, f);
  }
  return f;
}

/** `HH:mm` in `timeZone`. */
export function formatHourMinute(epochMs: number, lang: Lang, timeZone: string): string {
  return format(lang, timeZone, 'hm', { hour: '2-digit', minute: '2-digit' }).format(epochMs);
}

/** "2026年12月1日星期二" / "Tuesday, 1 December 2026" in `timeZone`: a date read from across the room, nothing to decode. */
export function formatLongDate(epochMs: number, lang: Lang, timeZone: string): string {
  const f = format(lang, timeZone, 'date', { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
  return f.format(epochMs);
}

/** Seconds as `mm:ss` (minutes past 59 keep counting: 75:03); "—" for null. */
export function formatMinutesSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** A difference with its sign and one decimal where it has one: "+2", "−1.5", "±0". */
export function formatDifference(diff: number, lang: Lang): string {
  const rounded = Math.round(diff * 10) / 10;
  if (rounded === 0) return '±0';
  const body = new Intl.NumberFormat(LANG_TAGS[lang], { maximumFractionDigits: 1 }).format(Math.abs(rounded));
  // U+2212 MINUS SIGN: as wide as the plus, so the figures do not shift.
  return `${rounded > 0 ? '+' : '\u2212'}${body}`;
}
