// When a patrol plan happens (issue 14). Pure functions with the township's
// zone and market days as arguments, on Intl alone (lib/model/township-time),
// so they never read the server's TZ and the browser could use them too.
//
// Days are township calendar days, `YYYY-MM-DD`: which day is a weekday, a
// market day or inside a date range is plain calendar arithmetic (done in
// UTC on the date alone). Only turning a day and a wall-clock time into an
// instant needs the zone.
import type { PlanRecurrence, PlanWindow } from '../model/plans';
import { addDays, dayFromNumber, dayNumber, daysBetween, isDay, isoWeekday, localInputToIso } from '../model/township-time';

// The calendar-day helpers live with township time (one set for plans, heatmap
// and briefing); the ones the plans' API and board use are passed on from here.
export { addDays, daysBetween, isDay, isoWeekday };

/** The township's market days: weekdays (1 Monday … 7 Sunday) and/or days of the month (1..31). */
export interface MarketDays {
  weekdays: readonly number[];
  monthDays: readonly number[];
}

/**
 * The simulator's township holds its market on Sundays (lib/sim/township/
 * incidents.ts weights Sunday as market day), so that is the default.
 */
export const DEFAULT_MARKET_DAYS_SETTING = 'sun';

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/**
 * Reads the TOWNSHIP_MARKET_DAYS setting: a comma-separated list of weekday
 * names (`sun`) and days of the month (`1,11,21` — many townships meet on
 * fixed dates of the month). Throws RangeError naming the bad item.
 */
export function parseMarketDays(setting: string): MarketDays {
  const weekdays = new Set<number>();
  const monthDays = new Set<number>();
  for (const raw of setting.split(',')) {
    const item = raw.trim().toLowerCase();
    if (item === '') continue;
    const w = WEEKDAY_NAMES.indexOf(item as (typeof WEEKDAY_NAMES)[number]);
    if (w >= 0) weekdays.add(w + 1);
    else if (/^\d{1,2}$/.test(item) && +item >= 1 && +item <= 31) monthDays.add(+item);
    else throw new RangeError(`market day "${raw.trim()}" is neither a weekday (mon…sun) nor a day of the month (1…31)`);
  }
  if (weekdays.size === 0 && monthDays.size === 0) throw new RangeError('no market days given');
  return { weekdays: [...weekdays].sort((a, b) => a - b), monthDays: [...monthDays].sort((a, b) => a - b) };
}

export function isMarketDay(day: string, market: MarketDays): boolean {
  return market.weekdays.includes(isoWeekday(day)) || market.monthDays.includes(+day.slice(8, 10));
}

/** Whether the plan has an occurrence starting on township day `day`. */
export function occursOn(rec: PlanRecurrence, day: string, market: MarketDays): boolean {
  if (rec.repeat === 'once') return rec.date === day;
  // YYYY-MM-DD strings order as the days do.
  if (rec.from !== null && day < rec.from) return false;
  if (rec.until !== null && day > rec.until) return false;
  switch (rec.repeat) {
    case 'daily':
      return true;
    case 'weekdays':
      return isoWeekday(day) <= 5;
    case 'market_days':
      return isMarketDay(day, market);
  }
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** `HH:MM` (00:00–23:59) as minutes after midnight; null when malformed. */
export function parseClock(hhmm: string): number | null {
  const m = HHMM.exec(hhmm);
  return m ? +m[1]! * 60 + +m[2]! : null;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** `HH:MM` as minutes after midnight; throws on a malformed time (the schema has checked it). */
export function clock(hhmm: string): number {
  const m = parseClock(hhmm);
  if (m === null) throw new RangeError(`not a time of day (HH:MM): ${hhmm}`);
  return m;
}

/** Whether the window runs past midnight into the next day (an end at or before its start). */
export function crossesMidnight(w: PlanWindow): boolean {
  return clock(w.end) <= clock(w.start);
}

/** The window's length in minutes (18:00–02:00 is 480). Equal ends are refused by the schema, not read as 24 h. */
export function windowMinutes(w: PlanWindow): number {
  return (clock(w.end) - clock(w.start) + 1440) % 1440;
}

/**
 * Whether `inner` lies within `outer` (both may cross midnight): a
 * checkpoint's frequency window inside its plan's window.
 */
export function windowWithin(inner: PlanWindow, outer: PlanWindow): boolean {
  const offset = (clock(inner.start) - clock(outer.start) + 1440) % 1440;
  return offset + windowMinutes(inner) <= windowMinutes(outer);
}

/** One occurrence: the township day it starts on and its instants (ISO UTC). */
export interface Occurrence {
  day: string;
  start: string;
  end: string;
}

/** The instant the township's clock reads `hhmm` on `day`. */
export function wallInstant(day: string, hhmm: string, tz: string): string {
  const iso = localInputToIso(`${day}T${hhmm}`, tz);
  if (iso === null) throw new RangeError(`not a time: ${day} ${hhmm}`);
  return iso;
}

/** The occurrence of a plan's window starting on `day` (its end on the next day when the window crosses midnight). */
export function occurrenceOn(day: string, w: PlanWindow, tz: string): Occurrence {
  const endDay = crossesMidnight(w) ? addDays(day, 1) : day;
  return { day, start: wallInstant(day, w.start, tz), end: wallInstant(endDay, w.end, tz) };
}

/** The longest span one listing may cover (a year and a bit): a bound on work, not on the calendar. */
export const MAX_RANGE_DAYS = 400;

/**
 * Every occurrence starting on a township day from `fromDay` to `toDay`
 * (inclusive), by start. An occurrence that began the evening before
 * `fromDay` and runs past midnight belongs to the day before, not here.
 */
export function occurrencesBetween(
  plan: { recurrence: PlanRecurrence; window: PlanWindow },
  fromDay: string,
  toDay: string,
  tz: string,
  market: MarketDays,
): Occurrence[] {
  const n = daysBetween(fromDay, toDay);
  if (n > MAX_RANGE_DAYS) throw new RangeError(`at most ${MAX_RANGE_DAYS} days at once (asked for ${n + 1})`);
  const out: Occurrence[] = [];
  for (let i = 0; i <= n; i++) {
    const day = addDays(fromDay, i);
    if (occursOn(plan.recurrence, day, market)) out.push(occurrenceOn(day, plan.window, tz));
  }
  return out;
}

/** The first and last day a recurrence can occur on (null: open at that end). */
export function recurrenceSpan(rec: PlanRecurrence): { first: string | null; last: string | null } {
  return rec.repeat === 'once' ? { first: rec.date, last: rec.date } : { first: rec.from, last: rec.until };
}

/**
 * The first pair of overlapping occurrences of two plans, looked for where
 * both can happen: from the later of their first days (an open start: the
 * day before `today`) to the earlier of their last days, or `horizonDays`
 * after that start when both are open-ended (at most MAX_RANGE_DAYS either
 * way). Occurrences that only touch (one ends at 12:00, the next starts at
 * 12:00) do not overlap. Null when they never overlap there.
 */
export function firstOverlap(
  a: { recurrence: PlanRecurrence; window: PlanWindow },
  b: { recurrence: PlanRecurrence; window: PlanWindow },
  opts: { today: string; tz: string; market: MarketDays; horizonDays: number },
): { a: Occurrence; b: Occurrence } | null {
  const sa = recurrenceSpan(a.recurrence);
  const sb = recurrenceSpan(b.recurrence);
  const openStart = addDays(opts.today, -1);
  const from = [sa.first ?? openStart, sb.first ?? openStart].sort()[1]!;
  const lasts = [sa.last, sb.last].filter((d): d is string => d !== null).sort();
  const to = lasts[0] ?? addDays(from, opts.horizonDays);
  // A window that crosses midnight reaches into the next day: a night on the
  // day before `from` meets a morning on `from`, and a night on `to` one on
  // the day after (a one-off night on the 15th and a one-off at 01:00 on the
  // 16th). Listed a day wider on both sides; occursOn keeps each plan to its span.
  const listFrom = addDays(from, -1);
  const listTo = addDays(to, 1);
  if (listTo < listFrom) return null;
  const capped = daysBetween(listFrom, listTo) > MAX_RANGE_DAYS ? addDays(listFrom, MAX_RANGE_DAYS) : listTo;
  // Compared first on the wall clock (minutes since the epoch's calendar, no
  // zone: plain arithmetic), with slack for a daylight-saving jump; only the
  // pairs that come that close are turned into instants and compared exactly.
  // A year of two plans is a few hundred additions instead of a thousand Intl calls.
  const wa = wallIntervals(a, listFrom, capped, opts.market);
  const wb = wallIntervals(b, listFrom, capped, opts.market);
  let j = 0;
  for (const x of wa) {
    while (j < wb.length && wb[j]!.end + DST_SLACK_MIN <= x.start) j++;
    for (let k = j; k < wb.length && wb[k]!.start < x.end + DST_SLACK_MIN; k++) {
      const y = wb[k]!;
      if (y.end + DST_SLACK_MIN <= x.start) continue;
      const ox = occurrenceOn(x.day, a.window, opts.tz);
      const oy = occurrenceOn(y.day, b.window, opts.tz);
      if (ox.start < oy.end && oy.start < ox.end) return { a: ox, b: oy };
    }
  }
  return null;
}

/** More than any zone's clock jump (one hour almost everywhere; two in a few historical rules). */
const DST_SLACK_MIN = 180;

/** The plan's occurrences from `fromDay` to `toDay` as wall-clock minutes, by start. */
function wallIntervals(
  plan: { recurrence: PlanRecurrence; window: PlanWindow },
  fromDay: string,
  toDay: string,
  market: MarketDays,
): { day: string; start: number; end: number }[] {
  const startMin = clock(plan.window.start);
  const length = windowMinutes(plan.window);
  const first = dayNumber(fromDay);
  const out: { day: string; start: number; end: number }[] = [];
  for (let n = first; n <= dayNumber(toDay); n++) {
    const day = dayFromNumber(n);
    if (occursOn(plan.recurrence, day, market)) out.push({ day, start: n * 1440 + startMin, end: n * 1440 + startMin + length });
  }
  return out;
}
