// Township time: every "today", day boundary and hour of day is the township's
// (config TOWNSHIP_TZ, default Asia/Shanghai), never the server's TZ and never
// UTC by accident. Pure functions with the zone as an argument, on Intl alone,
// so the browser, the services and the tests can all use them.

/** An instant as a Date or epoch milliseconds. */
export type Instant = Date | number;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The township's zone when TOWNSHIP_TZ is not set (lib/config.ts). */
export const DEFAULT_TOWNSHIP_TZ = 'Asia/Shanghai';

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (building one is far slower than using it). Throws RangeError for an unknown zone. */
function formatIn(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(tz, f);
  }
  return f;
}

function toMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(instant)}`);
  return ms;
}

/** A wall-clock reading: calendar date and time of day to the second (month 1..12). */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall clock in `tz` at `ms`. */
function wallAt(ms: number, tz: string): Wall {
  const wall: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatIn(tz).formatToParts(ms)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour' || p.type === 'minute' || p.type === 'second') {
      wall[p.type] = Number(p.value);
    }
  }
  return wall;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The township's calendar day of an instant, as `YYYY-MM-DD`. */
export function townshipDay(instant: Instant, tz: string): string {
  const w = wallAt(toMs(instant), tz);
  return `${pad(w.year, 4)}-${pad(w.month, 2)}-${pad(w.day, 2)}`;
}

/** The township's hour of day of an instant, 0..23. */
export function townshipHour(instant: Instant, tz: string): number {
  return wallAt(toMs(instant), tz).hour;
}

/** The township's clock reading of an instant, as `HH:MM` (00:00–23:59). */
export function townshipClock(instant: Instant, tz: string): string {
  const w = wallAt(toMs(instant), tz);
  return `${pad(w.hour, 2)}:${pad(w.minute, 2)}`;
}

/** Whether `instant` falls on the same township day as `now`. */
export function isTownshipToday(instant: Instant, now: Instant, tz: string): boolean {
  return townshipDay(instant, tz) === townshipDay(now, tz);
}

/**
 * The first instant of the township day `day` (`YYYY-MM-DD`): local midnight,
 * or, where a daylight-saving change skips midnight, the instant the clock
 * jumps into that day.
 */
export function townshipDayStart(day: string, tz: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) throw new RangeError(`not a day (YYYY-MM-DD): ${day}`);
  const midnightAsUtc = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!);
  // Every zone is within UTC-12..UTC+14: 15 h before wall midnight read as UTC
  // the local clock still shows an earlier day, 15 h after it `day` or later.
  // Bisect to the millisecond for the first instant that is not earlier.
  let lo = midnightAsUtc - 15 * HOUR_MS;
  let hi = midnightAsUtc + 15 * HOUR_MS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (townshipDay(mid, tz) < day) lo = mid;
    else hi = mid;
  }
  return new Date(hi);
}

/** The UTC instant at which the township day containing `instant` began. */
export function startOfTownshipDay(instant: Instant, tz: string): Date {
  return townshipDayStart(townshipDay(instant, tz), tz);
}

/** A wall-clock reading taken as if it were UTC, in ms; every year as written (Date.UTC would turn 0099 into 1999). */
function wallAsUtc(w: Wall): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day);
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

/** How far `tz`'s clock is ahead of UTC at `ms` (a whole second), in ms. */
function offsetAt(ms: number, tz: string): number {
  return wallAsUtc(wallAt(ms, tz)) - ms;
}

/**
 * The instant at which the clock in `tz` reads `wall`. A reading that happens
 * twice (the hour repeated when daylight saving ends) is the earlier one; a
 * reading the clock skips (the hour lost when it starts) is moved on by the
 * length of the jump: 02:30 on a spring-forward night in New York is 03:30 EDT.
 * (The same choice as Temporal's default, and as a browser's `new Date()` of
 * such a reading in its own zone.) Assumes at most one change of offset within
 * a day either side, as in every real zone.
 */
function wallToInstant(wall: Wall, tz: string): number {
  const asUtc = wallAsUtc(wall);
  // The offsets a day before and a day after bracket any change near the reading.
  const before = asUtc - offsetAt(asUtc - DAY_MS, tz);
  const after = asUtc - offsetAt(asUtc + DAY_MS, tz);
  const fits = (t: number) => wallAsUtc(wallAt(t, tz)) === asUtc;
  const fitting = [before, after].filter(fits);
  // In a skipped hour neither fits; the later candidate is the reading with the jump added.
  return fitting.length > 0 ? Math.min(...fitting) : Math.max(before, after);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in `month` (1..12) of `year`, on the proleptic Gregorian calendar; 0 for a month that is not 1..12. */
export function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

// Calendar days (`YYYY-MM-DD`) on their own: which day is n days or months
// on, its weekday, the first of its month. Plain calendar arithmetic, no zone
// (the day is already the township's); the one set of day helpers for the
// briefing's periods, the heatmap's rollup ranges and patrol plans' recurrence.

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `day` is a real calendar day written `YYYY-MM-DD` (2025-02-30 is not). */
export function isDay(day: string): boolean {
  const m = DAY_RE.exec(day);
  return m !== null && +m[3]! >= 1 && +m[3]! <= daysInMonth(+m[1]!, +m[2]!);
}

/** Days from 1970-01-01 to `day`. Throws RangeError for anything isDay refuses. */
export function dayNumber(day: string): number {
  if (!isDay(day)) throw new RangeError(`not a day (YYYY-MM-DD): ${day}`);
  // Date.parse of the ISO form keeps every year as written (Date.UTC would turn 0099 into 1999).
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

/** The calendar day `n` days from 1970-01-01, as `YYYY-MM-DD`. */
export function dayFromNumber(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar day `n` days after `day` (n may be negative), across month and year ends. */
export function addDays(day: string, n: number): string {
  return dayFromNumber(dayNumber(day) + n);
}

/** Days from `a` to `b` (negative when b is earlier). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b) - dayNumber(a);
}

/** 1 Monday … 7 Sunday (ISO), of the calendar day itself. */
export function isoWeekday(day: string): number {
  const d = new Date(dayNumber(day) * DAY_MS).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The first day of the month `n` months after `day`'s (n may be negative; 0: `day`'s own month). */
export function firstOfMonth(day: string, n = 0): string {
  const months = +day.slice(0, 4) * 12 + (+day.slice(5, 7) - 1) + n;
  return `${pad(Math.floor(months / 12), 4)}-${pad((((months % 12) + 12) % 12) + 1, 2)}-01`;
}

/** What `<input type="datetime-local">` holds: `YYYY-MM-DDTHH:mm`, with `:ss` or `:ss.sss` when its step asks for them. */
const LOCAL_INPUT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;

/**
 * A datetime-local value read as the township's wall clock (never the
 * browser's zone), as ISO 8601 UTC for the API. Null when empty, malformed or
 * not a real time (month 13, 30 February, 24:00). Readings that happen twice
 * or never on a daylight-saving night: see wallToInstant.
 */
export function localInputToIso(value: string, tz: string): string | null {
  const m = LOCAL_INPUT.exec(value.trim());
  if (!m) return null;
  const wall: Wall = { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0) };
  // daysInMonth is 0 for month 00 or 13, so no day fits them.
  const valid = wall.day >= 1 && wall.day <= daysInMonth(wall.year, wall.month) && wall.hour <= 23 && wall.minute <= 59 && wall.second <= 59;
  if (!valid) return null;
  const ms = Number((m[7] ?? '').padEnd(3, '0'));
  return new Date(wallToInstant(wall, tz) + ms).toISOString();
}

/**
 * An instant as a datetime-local value on the township's wall clock:
 * `YYYY-MM-DDTHH:mm`, with `:ss` only when the seconds are not zero
 * (milliseconds are dropped). An empty string (an empty input) when `iso` is not a time.
 */
export function isoToLocalInput(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallAt(ms, tz);
  const hm = `${pad(w.year, 4)}-${pad(w.month, 2)}-${pad(w.day, 2)}T${pad(w.hour, 2)}:${pad(w.minute, 2)}`;
  return w.second === 0 ? hm : `${hm}:${pad(w.second, 2)}`;
}
