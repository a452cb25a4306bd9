import { AppError } from '../errors';
import { daysInMonth } from '../model/township-time';

/** A position as a protocol parser understood it, before the device is resolved. */
export interface ParsedFix {
  /** The device's identifier as sent (OsmAnd `id`/`deviceid`). */
  deviceKey: string;
  /** epoch ms UTC; null when the device sent none (server time is used). */
  fixTime: number | null;
  lat: number;
  lon: number;
  speed: number | null; // m/s
  heading: number | null; // degrees
  accuracy: number | null; // metres
  altitude: number | null; // metres
  battery: number | null; // percent 0..100
  charging: boolean | null;
  alarm: string | null;
  attributes: Record<string, string | number | boolean>;
}

/** Parses a finite number; empty, non-numeric and "-1 = unknown" (when asked) give null. */
export function toNumber(v: unknown, { minusOneUnknown = false } = {}): number | null {
  // Only numbers and strings: String() of a parsed JSON object can throw
  // (`{"toString": 0}`), and no client sends a number as anything else.
  if (typeof v !== 'number' && typeof v !== 'string') return null;
  if (v === '') return null;
  const n = typeof v === 'number' ? v : Number(v.trim());
  if (!Number.isFinite(n)) return null;
  if (minusOneUnknown && n === -1) return null;
  return n;
}

export const KNOTS_TO_MS = 1852 / 3600;

/**
 * Device time in any shape real clients send: epoch seconds, epoch
 * milliseconds, ISO 8601 with any offset or none (then UTC, as in
 * `yyyy-MM-dd HH:mm:ss`), or an RFC 2822 date (`Fri, 27 Nov 2026 10:00:00 GMT`).
 * Fields no calendar or clock has (month 13, 30 February, 24:00, 10:61) are
 * refused with the field named, never rolled over into the next day or month;
 * a year is read as written (0099 is not 1999, and is refused as outside
 * 1900–9999: see isRepresentable). Leap seconds: `:60` is taken only where one can happen, at
 * 23:59:60 UTC (07:59:60+08:00), and read as the next day's 00:00:00 UTC, as
 * PostgreSQL and POSIX time (which count none) do; anywhere else it is refused.
 * Strings in no shape above are refused: Date.parse's other forms (`2026/11/27
 * 10:00`, `Nov 27 2026`) are implementation-defined and read in the server's
 * zone when they name none.
 */
export function parseFixTime(v: unknown): number | null {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v !== 'number' && typeof v !== 'string') throw new AppError('bad_request', 'timestamp must be a number or a string');
  const s = String(v).trim();
  if (/^-?\d+(\.\d+)?$/.test(s)) {
    const n = Number(s);
    // Below 1e11 it can only be seconds (1e11 s is the year 5138; 1e11 ms is 1973).
    const ms = Math.abs(n) < 1e11 ? n * 1000 : n;
    if (!isRepresentable(ms)) throw new AppError('bad_request', `timestamp "${s.slice(0, 40)}" is out of range`);
    return Math.round(ms);
  }
  const fields = isoFields(s) ?? rfc2822Fields(s);
  if (fields === null) throw new AppError('bad_request', `timestamp "${s.slice(0, 40)}" is not a time`);
  const t = fieldsToMs(s, fields);
  if (!isRepresentable(t)) throw new AppError('bad_request', `timestamp "${s.slice(0, 40)}" is not a time between 1900 and 9999`);
  return t;
}

/** A date-time as written, before it is checked (month 1..12). */
interface TimeFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** `.5`, `.123456`: rounded to the millisecond. */
  fraction: string | undefined;
  /** The offset from UTC: `-` for west of it, hours and minutes as written (checked later). */
  offset: readonly [sign: '+' | '-', hours: number, minutes: number];
}

/**
 * ISO 8601 extended, as ECMAScript's Date.parse reads it and more strictly: a
 * year (4 digits, or ±6), month and day (or only year and month), then
 * optionally a time (`T`, `t` or a space; seconds and fraction optional), then
 * optionally `Z` or ±hh[[:]mm] (none: UTC).
 */
const ISO_8601 = /^([+-]\d{6}|\d{4})-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

function isoFields(s: string): TimeFields | null {
  const m = ISO_8601.exec(s);
  if (!m) return null;
  return {
    year: +m[1]!,
    month: +m[2]!,
    day: +(m[3] ?? 1),
    hour: +(m[4] ?? 0),
    minute: +(m[5] ?? 0),
    second: +(m[6] ?? 0),
    fraction: m[7],
    offset: [m[8] === '-' ? '-' : '+', +(m[9] ?? 0), +(m[10] ?? 0)],
  };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** RFC 2822's zone names (the US ones are "obsolete" there, but still sent). */
const NAMED_ZONES: Record<string, TimeFields['offset']> = {
  gmt: ['+', 0, 0],
  ut: ['+', 0, 0],
  utc: ['+', 0, 0],
  z: ['+', 0, 0],
  est: ['-', 5, 0],
  edt: ['-', 4, 0],
  cst: ['-', 6, 0],
  cdt: ['-', 5, 0],
  mst: ['-', 7, 0],
  mdt: ['-', 6, 0],
  pst: ['-', 8, 0],
  pdt: ['-', 7, 0],
};
/** RFC 2822 / HTTP dates: `[Fri, ]27 Nov 2026 10:00[:00] GMT|+0800`. */
const RFC_2822 = /^(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(?:([a-z]{1,3})|([+-])(\d{2})(\d{2}))$/i;

function rfc2822Fields(s: string): TimeFields | null {
  const m = RFC_2822.exec(s);
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toLowerCase()) + 1;
  const offset = m[7] === undefined ? ([m[8] as '+' | '-', +m[9]!, +m[10]!] as const) : NAMED_ZONES[m[7].toLowerCase()];
  if (month === 0 || offset === undefined) return null;
  return { year: +m[3]!, month, day: +m[1]!, hour: +m[4]!, minute: +m[5]!, second: +(m[6] ?? 0), fraction: undefined, offset };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The instant the fields name, or an AppError naming the first impossible field. */
function fieldsToMs(s: string, f: TimeFields): number {
  const refuse = (why: string) => new AppError('bad_request', `timestamp "${s.slice(0, 40)}" ${why}`);
  if (f.month < 1 || f.month > 12) throw refuse(`has month ${f.month}: months are 01–12`);
  const days = daysInMonth(f.year, f.month);
  if (f.day < 1 || f.day > days) throw refuse(`has day ${f.day}: ${pad(f.year, 4)}-${pad(f.month, 2)} has ${days} days`);
  if (f.hour > 23) throw refuse(`has hour ${f.hour}: hours are 00–23`);
  if (f.minute > 59) throw refuse(`has minute ${f.minute}: minutes are 00–59`);
  if (f.second > 60) throw refuse(`has second ${f.second}: seconds are 00–59 (60 only for a leap second)`);
  const [sign, offsetHours, offsetMinutes] = f.offset;
  if (offsetHours > 23 || offsetMinutes > 59) throw refuse(`has offset ${sign}${pad(offsetHours, 2)}:${pad(offsetMinutes, 2)}: offsets are at most ±23:59`);
  // setUTCFullYear takes the year as written; Date.UTC would read 0099 as 1999.
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, Math.min(f.second, 59), 0);
  let t = d.getTime() - (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  if (f.second === 60) {
    const utc = new Date(t);
    if (utc.getUTCHours() !== 23 || utc.getUTCMinutes() !== 59) throw refuse('has second 60, but a leap second can only be 23:59:60 UTC');
    t += 1000;
  }
  return t + Math.round(Number(f.fraction ?? 0) * 1000);
}

const EARLIEST = Date.UTC(1900, 0, 1);
const LATEST = Date.UTC(9999, 11, 31);
/**
 * Years 1900–9999: every such time fits a JavaScript Date and a timestamptz,
 * so one absurd fix can never make the database refuse a whole batch.
 */
export const isRepresentable = (ms: number): boolean => Number.isFinite(ms) && ms >= EARLIEST && ms <= LATEST;

/** Longitude first, as everywhere in GridSight (`LonLat`); the protocols' own order is the parser's business. */
export function checkCoordinates(lon: number | null, lat: number | null): { lon: number; lat: number } {
  if (lat === null || lon === null) throw new AppError('bad_request', 'missing coordinates: send lat and lon (or location=lat,lon)');
  if (lat < -90 || lat > 90) throw new AppError('bad_request', `latitude ${lat} is outside -90..90`);
  if (lon < -180 || lon > 180) throw new AppError('bad_request', `longitude ${lon} is outside -180..180`);
  return { lon, lat };
}
