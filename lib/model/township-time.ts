// Township time: every "today", day boundary and hour of day is the township's
// (config TOWNSHIP_TZ, default Asia/Shanghai), never the server's TZ and never
// UTC by accident. Pure functions with the zone as an argument, on Intl alone,
// so the browser, the services and the tests can all use them.

/** An instant as a Date or epoch milliseconds. */
export type Instant = Date | number;

const HOUR_MS = 3_600_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone (building one is far slower than using it). Throws RangeError for an unknown zone. */
function formatIn(tz: string): Intl.DateTimeFormat {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit' });
    formats.set(tz, f);
  }
  return f;
}

function toMs(instant: Instant): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(instant)}`);
  return ms;
}

/** The wall-clock date and hour in `tz` at `ms`. */
function wallAt(ms: number, tz: string): { year: number; month: number; day: number; hour: number } {
  const wall = { year: 0, month: 0, day: 0, hour: 0 };
  for (const p of formatIn(tz).formatToParts(ms)) {
    if (p.type === 'year' || p.type === 'month' || p.type === 'day' || p.type === 'hour') wall[p.type] = Number(p.value);
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
