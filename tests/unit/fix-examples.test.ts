// The shared fix helpers (lib/ingest/fix.ts) pinned by example: number
// parsing, every time shape a device sends, the 1900–9999 range and the
// coordinate checks. Every expected value is written out as a literal.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { KNOTS_TO_MS, checkCoordinates, isRepresentable, parseFixTime, toNumber } from '../../lib/ingest/fix';
import { errorOf } from '../helpers/errors';

describe('toNumber', () => {
  it('reads numbers and numeric strings, trimmed', () => {
    expect(toNumber(12.5)).toBe(12.5);
    expect(toNumber('12.5')).toBe(12.5);
    expect(toNumber(' 7 ')).toBe(7);
    expect(toNumber('-3')).toBe(-3);
    expect(toNumber(0)).toBe(0);
    expect(toNumber('0')).toBe(0);
    expect(toNumber('1e3')).toBe(1000);
  });

  it('gives null for empty, non-numeric, infinite and non-string values', () => {
    expect(toNumber('')).toBeNull();
    expect(toNumber('abc')).toBeNull();
    expect(toNumber('Infinity')).toBeNull();
    expect(toNumber(Number.NaN)).toBeNull();
    expect(toNumber(Number.NEGATIVE_INFINITY)).toBeNull();
    expect(toNumber('1e400')).toBeNull();
    expect(toNumber(null)).toBeNull();
    expect(toNumber(undefined)).toBeNull();
    expect(toNumber(true)).toBeNull();
    expect(toNumber({ toString: 0 })).toBeNull();
    expect(toNumber([5])).toBeNull();
  });

  it('reads -1 as -1, unless asked to treat it as "unknown"', () => {
    expect(toNumber(-1)).toBe(-1);
    expect(toNumber('-1')).toBe(-1);
    expect(toNumber(-1, {})).toBe(-1);
    expect(toNumber(-1, { minusOneUnknown: true })).toBeNull();
    expect(toNumber('-1', { minusOneUnknown: true })).toBeNull();
    expect(toNumber(-2, { minusOneUnknown: true })).toBe(-2);
    expect(toNumber(1, { minusOneUnknown: true })).toBe(1);
  });
});

describe('knots', () => {
  it('is one nautical mile (1,852 m) per hour: 0.514444… m/s', () => {
    expect(KNOTS_TO_MS).toBeCloseTo(0.5144444444, 9);
  });
});

describe('parseFixTime', () => {
  it('has no time for null, undefined or an empty string (the server time is used)', () => {
    expect(parseFixTime(null)).toBeNull();
    expect(parseFixTime(undefined)).toBeNull();
    expect(parseFixTime('')).toBeNull();
  });

  it('refuses a time that is neither a number nor a string', () => {
    expect(errorOf(() => parseFixTime(true)).message).toBe('timestamp must be a number or a string');
    expect(errorOf(() => parseFixTime({ t: 1 })).code).toBe('bad_request');
    expect(errorOf(() => parseFixTime([1_700_000_000])).code).toBe('bad_request');
  });

  it('reads epoch seconds below 1e11 and epoch milliseconds from 1e11, as numbers or strings', () => {
    expect(parseFixTime(1_700_000_000)).toBe(1_700_000_000_000);
    expect(parseFixTime('1700000000')).toBe(1_700_000_000_000);
    expect(parseFixTime(' 1700000000 ')).toBe(1_700_000_000_000);
    expect(parseFixTime(1_700_000_000_123)).toBe(1_700_000_000_123);
    // 99,999,999,999 s is 5138-11-16T09:46:39Z; 100,000,000,000 ms is 1973-03-03T09:46:40Z.
    expect(parseFixTime(99_999_999_999)).toBe(99_999_999_999_000);
    expect(parseFixTime(100_000_000_000)).toBe(100_000_000_000);
    expect(parseFixTime('100000000000')).toBe(100_000_000_000);
  });

  it('reads fractional seconds, rounded to the millisecond', () => {
    expect(parseFixTime('1700000000.5')).toBe(1_700_000_000_500);
    expect(parseFixTime(1_700_000_000.0004)).toBe(1_700_000_000_000);
    expect(parseFixTime('1700000000.0006')).toBe(1_700_000_000_001);
  });

  it('reads negative epochs: seconds and milliseconds before 1970', () => {
    expect(parseFixTime('-1')).toBe(-1_000);
    expect(parseFixTime(-86_400)).toBe(-86_400_000);
    // -2,000,000,000,000 ms is 1906-08-16T20:26:40Z: milliseconds because |n| ≥ 1e11.
    expect(parseFixTime(-2_000_000_000_000)).toBe(-2_000_000_000_000);
  });

  it('refuses epochs outside 1900–9999, quoting at most 40 characters of what was sent', () => {
    expect(errorOf(() => parseFixTime(1e15)).message).toBe('timestamp "1000000000000000" is out of range');
    expect(errorOf(() => parseFixTime(1e15)).code).toBe('bad_request');
    expect(errorOf(() => parseFixTime(-3_000_000_000)).message).toBe('timestamp "-3000000000" is out of range');
    const long = '9'.repeat(50);
    expect(errorOf(() => parseFixTime(long)).message).toBe(`timestamp "${'9'.repeat(40)}" is out of range`);
  });

  it('reads ISO 8601 with any offset', () => {
    expect(parseFixTime('2026-11-27T10:00:00+08:00')).toBe(1_795_744_800_000);
    expect(parseFixTime('2026-11-27T02:00:00Z')).toBe(1_795_744_800_000);
    expect(parseFixTime('2026-11-27T02:00:00.250Z')).toBe(1_795_744_800_250);
    expect(parseFixTime('2026-11-26T21:00:00-05:00')).toBe(1_795_744_800_000);
  });

  it('refuses what is not a time, quoting at most 40 characters of it', () => {
    expect(errorOf(() => parseFixTime('soon')).message).toBe('timestamp "soon" is not a time');
    expect(errorOf(() => parseFixTime('1700000000x')).message).toBe('timestamp "1700000000x" is not a time');
    const long = `x${'y'.repeat(60)}`;
    expect(errorOf(() => parseFixTime(long)).message).toBe(`timestamp "x${'y'.repeat(39)}" is not a time`);
    // Readable, but outside 1900–9999.
    expect(errorOf(() => parseFixTime('1899-12-31T23:59:59Z')).message).toBe('timestamp "1899-12-31T23:59:59Z" is not a time between 1900 and 9999');
  });
});

// `yyyy-MM-dd HH:mm:ss` without an offset is UTC. Date.parse would read it in
// the server's zone, which on a UTC machine happens to give the same answer:
// these cases run with the process zone set to UTC+8 and UTC-8 (and UTC), so a
// parser that fell back to Date.parse for them fails whatever TZ runs the suite.
describe.each(['UTC', 'Asia/Shanghai', 'America/Los_Angeles'])('plain date-times are UTC (process TZ=%s)', (tz) => {
  const before = process.env.TZ;
  const setTz = () => {
    process.env.TZ = tz;
  };
  afterAll(() => {
    if (before === undefined) delete process.env.TZ;
    else process.env.TZ = before;
  });

  it('reads `yyyy-MM-dd HH:mm:ss` and `yyyy-MM-ddTHH:mm:ss` as UTC', () => {
    setTz();
    expect(parseFixTime('2026-11-27 10:00:00')).toBe(1_795_773_600_000);
    expect(parseFixTime('2026-11-27T10:00:00')).toBe(1_795_773_600_000);
    expect(parseFixTime(' 2026-11-27 10:00:00 ')).toBe(1_795_773_600_000);
    expect(parseFixTime('1999-01-02 03:04:05')).toBe(915_246_245_000);
  });

  it('reads `yyyy-MM-ddTHH:mm` (no seconds) as UTC too, where Date.parse used the process zone', () => {
    setTz();
    expect(parseFixTime('2026-11-27T10:00')).toBe(1_795_773_600_000);
    expect(parseFixTime('2026-11-27 10:00')).toBe(1_795_773_600_000);
  });

  it('reads a fraction of a second, rounded to the millisecond (Date.parse would cut it off)', () => {
    setTz();
    expect(parseFixTime('2026-11-27 10:00:00.5')).toBe(1_795_773_600_500);
    expect(parseFixTime('2026-11-27 10:00:00.1239')).toBe(1_795_773_600_124);
    expect(parseFixTime('2026-11-27T10:00:00.0005')).toBe(1_795_773_600_001);
  });

  it('keeps the 1900–9999 range for plain date-times', () => {
    setTz();
    expect(parseFixTime('1900-01-01 00:00:00')).toBe(-2_208_988_800_000);
    expect(parseFixTime('9999-12-31 00:00:00')).toBe(253_402_214_400_000);
    expect(errorOf(() => parseFixTime('9999-12-31 00:00:01')).message).toBe('timestamp "9999-12-31 00:00:01" is not a time between 1900 and 9999');
  });

  it('refuses a plain date-time with anything before or after it', () => {
    setTz();
    expect(errorOf(() => parseFixTime('x2026-11-27 10:00:00')).code).toBe('bad_request');
    expect(errorOf(() => parseFixTime('2026-11-27 10:00:00x')).code).toBe('bad_request');
    expect(errorOf(() => parseFixTime('2026-11-27_10:00:00')).code).toBe('bad_request');
  });
});

describe('parseFixTime refuses fields no calendar or clock has, naming the field', () => {
  const message = (v: string) => errorOf(() => parseFixTime(v)).message;

  it('month 0 and 13', () => {
    expect(message('2026-13-01 00:00:00')).toBe('timestamp "2026-13-01 00:00:00" has month 13: months are 01–12');
    expect(message('2026-00-10T00:00:00Z')).toBe('timestamp "2026-00-10T00:00:00Z" has month 0: months are 01–12');
    expect(errorOf(() => parseFixTime('2026-13-01 00:00:00')).code).toBe('bad_request');
  });

  it('day 0, day 32, 31 April, 30 February and 29 February outside a leap year', () => {
    expect(message('2026-11-32 00:00:00')).toBe('timestamp "2026-11-32 00:00:00" has day 32: 2026-11 has 30 days');
    expect(message('2026-01-32T00:00:00Z')).toBe('timestamp "2026-01-32T00:00:00Z" has day 32: 2026-01 has 31 days');
    expect(message('2026-03-00T00:00:00Z')).toBe('timestamp "2026-03-00T00:00:00Z" has day 0: 2026-03 has 31 days');
    expect(message('2026-04-31T00:00:00Z')).toBe('timestamp "2026-04-31T00:00:00Z" has day 31: 2026-04 has 30 days');
    expect(message('2026-02-30T10:00:00Z')).toBe('timestamp "2026-02-30T10:00:00Z" has day 30: 2026-02 has 28 days');
    expect(message('2026-02-29 10:00:00')).toBe('timestamp "2026-02-29 10:00:00" has day 29: 2026-02 has 28 days');
    expect(message('2100-02-29 10:00:00')).toBe('timestamp "2100-02-29 10:00:00" has day 29: 2100-02 has 28 days');
    // Leap days that exist.
    expect(parseFixTime('2028-02-29T10:00:00Z')).toBe(1_835_431_200_000);
    expect(parseFixTime('2000-02-29 00:00:00')).toBe(951_782_400_000);
  });

  it('hour 24 and up, minute and second 60 and up', () => {
    expect(message('2026-11-27T24:00:00Z')).toBe('timestamp "2026-11-27T24:00:00Z" has hour 24: hours are 00–23');
    expect(message('2026-11-27 10:61:00')).toBe('timestamp "2026-11-27 10:61:00" has minute 61: minutes are 00–59');
    expect(message('2026-11-27T10:60Z')).toBe('timestamp "2026-11-27T10:60Z" has minute 60: minutes are 00–59');
    expect(message('2026-11-27T10:00:61Z')).toBe('timestamp "2026-11-27T10:00:61Z" has second 61: seconds are 00–59 (60 only for a leap second)');
    // The last valid instants of a day and of a minute.
    expect(parseFixTime('2026-11-27T23:59:59.999Z')).toBe(1_795_823_999_999);
    expect(parseFixTime('2026-11-27 10:59:59')).toBe(1_795_777_199_000);
  });

  it('takes a leap second only at 23:59:60 UTC, as the next day’s first instant', () => {
    // 2016-12-31T23:59:60Z was the last leap second; 2017-01-01T00:00:00Z is 1,483,228,800 s.
    expect(parseFixTime('2016-12-31T23:59:60Z')).toBe(1_483_228_800_000);
    expect(parseFixTime('2016-12-31 23:59:60.5')).toBe(1_483_228_800_500);
    // The same second written in UTC+8.
    expect(parseFixTime('2017-01-01T07:59:60+08:00')).toBe(1_483_228_800_000);
    expect(message('2026-11-27T10:00:60Z')).toBe('timestamp "2026-11-27T10:00:60Z" has second 60, but a leap second can only be 23:59:60 UTC');
    // One minute earlier, and one hour earlier, are not leap seconds either.
    expect(message('2016-12-31T23:58:60Z')).toBe('timestamp "2016-12-31T23:58:60Z" has second 60, but a leap second can only be 23:59:60 UTC');
    expect(message('2016-12-31T22:59:60Z')).toBe('timestamp "2016-12-31T22:59:60Z" has second 60, but a leap second can only be 23:59:60 UTC');
    // 23:59:60 in UTC+8 is 15:59:60 UTC: not a leap second.
    expect(message('2016-12-31T23:59:60+08:00')).toBe('timestamp "2016-12-31T23:59:60+08:00" has second 60, but a leap second can only be 23:59:60 UTC');
  });

  it('offsets past ±23:59', () => {
    expect(message('2026-11-27T10:00:00+24:00')).toBe('timestamp "2026-11-27T10:00:00+24:00" has offset +24:00: offsets are at most ±23:59');
    expect(message('2026-11-27T10:00:00+08:60')).toBe('timestamp "2026-11-27T10:00:00+08:60" has offset +08:60: offsets are at most ±23:59');
    expect(message('Fri, 27 Nov 2026 10:00:00 +0860')).toBe('timestamp "Fri, 27 Nov 2026 10:00:00 +0860" has offset +08:60: offsets are at most ±23:59');
    expect(message('2026-11-27T10:00:00-2400')).toBe('timestamp "2026-11-27T10:00:00-2400" has offset -24:00: offsets are at most ±23:59');
    expect(parseFixTime('2026-11-27T10:00:00+23:59')).toBe(1_795_687_260_000);
  });

  it('reads a year as written: 0099 is not 1999, and is outside 1900–9999', () => {
    expect(message('0099-01-01 00:00:00')).toBe('timestamp "0099-01-01 00:00:00" is not a time between 1900 and 9999');
    expect(message('0099-01-01T00:00:00Z')).toBe('timestamp "0099-01-01T00:00:00Z" is not a time between 1900 and 9999');
    expect(errorOf(() => parseFixTime('0099-01-01T00:00:00Z')).code).toBe('bad_request');
  });

  it('quotes at most 40 characters of a long time it refuses', () => {
    const tail = `.${'0'.repeat(30)}Z`;
    expect(message(`1899-12-31T23:59:59${tail}`)).toBe(`timestamp "1899-12-31T23:59:59.${'0'.repeat(20)}" is not a time between 1900 and 9999`);
    expect(message(`2026-02-30T10:00:00${tail}`)).toBe(`timestamp "2026-02-30T10:00:00.${'0'.repeat(20)}" has day 30: 2026-02 has 28 days`);
  });
});

describe('parseFixTime reads the shapes Date.parse read for it before (and ±hh offsets)', () => {
  // 2026-11-27T10:00:00Z is 1,795,773,600,000 ms; 10:00 in UTC+8 is 02:00 UTC, 1,795,744,800,000.
  it('ISO 8601 with and without seconds, offsets with and without a colon or minutes, lower case', () => {
    expect(parseFixTime('2026-11-27T10:00Z')).toBe(1_795_773_600_000);
    expect(parseFixTime('2026-11-27T10:00:00+0800')).toBe(1_795_744_800_000);
    expect(parseFixTime('2026-11-27T10:00:00+08')).toBe(1_795_744_800_000);
    expect(parseFixTime('2026-11-27T10:00:00-03:30')).toBe(1_795_786_200_000);
    expect(parseFixTime('2026-11-27T10:00:00+0530')).toBe(1_795_753_800_000);
    expect(parseFixTime('2026-11-27T10:00:00.5-00:00')).toBe(1_795_773_600_500);
    expect(parseFixTime('2026-11-27t10:00:00z')).toBe(1_795_773_600_000);
    expect(parseFixTime('2026-11-27 10:00:00Z')).toBe(1_795_773_600_000);
    expect(parseFixTime('+002026-11-27T10:00:00Z')).toBe(1_795_773_600_000);
  });

  it('a date alone, or a year and month, at midnight UTC (GPX writes 2026-11-27Z)', () => {
    expect(parseFixTime('2026-11-27')).toBe(1_795_737_600_000);
    expect(parseFixTime('2026-11-27Z')).toBe(1_795_737_600_000);
    expect(parseFixTime('2026-11')).toBe(1_793_491_200_000);
  });

  it('fractions of any length, rounded to the millisecond (GPX exports carry seven digits)', () => {
    expect(parseFixTime('2026-11-27T10:00:00.1234567Z')).toBe(1_795_773_600_123);
    expect(parseFixTime('2026-11-27T10:00:00.9996Z')).toBe(1_795_773_601_000);
  });

  it('RFC 2822 dates, with or without the weekday and seconds, named or numeric zones', () => {
    expect(parseFixTime('Fri, 27 Nov 2026 10:00:00 GMT')).toBe(1_795_773_600_000);
    expect(parseFixTime('27 Nov 2026 10:00:00 UT')).toBe(1_795_773_600_000);
    expect(parseFixTime('fri, 27 nov 2026 10:00:00 utc')).toBe(1_795_773_600_000);
    expect(parseFixTime('Fri, 27 Nov 2026 10:00 +0800')).toBe(1_795_744_800_000);
    expect(parseFixTime('Fri, 27 Nov 2026 10:00:00 -0330')).toBe(1_795_786_200_000);
    // EST is UTC-5, PDT UTC-7.
    expect(parseFixTime('Fri, 27 Nov 2026 10:00:00 EST')).toBe(1_795_791_600_000);
    expect(parseFixTime('Fri, 27 Nov 2026 10:00:00 PDT')).toBe(1_795_798_800_000);
    expect(errorOf(() => parseFixTime('Fri, 30 Feb 2026 10:00:00 GMT')).message).toBe('timestamp "Fri, 30 Feb 2026 10:00:00 GMT" has day 30: 2026-02 has 28 days');
    expect(errorOf(() => parseFixTime('Fri, 27 Foo 2026 10:00:00 GMT')).message).toBe('timestamp "Fri, 27 Foo 2026 10:00:00 GMT" is not a time');
    expect(errorOf(() => parseFixTime('Fri, 27 Nov 2026 10:00:00 XYZ')).message).toBe('timestamp "Fri, 27 Nov 2026 10:00:00 XYZ" is not a time');
  });

  it('RFC 2822: minutes and seconds, spacing, and nothing before or after', () => {
    expect(parseFixTime('Fri, 27 Nov 2026 10:30:15 GMT')).toBe(1_795_775_415_000);
    expect(parseFixTime('Fri,27 Nov 2026 10:00:00 GMT')).toBe(1_795_773_600_000);
    expect(parseFixTime('Fri,  27  Nov  2026  10:00:00  GMT')).toBe(1_795_773_600_000);
    expect(errorOf(() => parseFixTime('x27 Nov 2026 10:00:00 GMT')).message).toBe('timestamp "x27 Nov 2026 10:00:00 GMT" is not a time');
    expect(errorOf(() => parseFixTime('27 Nov 2026 10:00:00 GMTX')).message).toBe('timestamp "27 Nov 2026 10:00:00 GMTX" is not a time');
    expect(errorOf(() => parseFixTime('27 Nov 2026 10:00:00 +08000')).message).toBe('timestamp "27 Nov 2026 10:00:00 +08000" is not a time');
  });

  it.each([
    ['15 Jan 2026 12:00:00 GMT', 1_768_478_400_000],
    ['15 Feb 2026 12:00:00 GMT', 1_771_156_800_000],
    ['15 Mar 2026 12:00:00 GMT', 1_773_576_000_000],
    ['15 Apr 2026 12:00:00 GMT', 1_776_254_400_000],
    ['15 May 2026 12:00:00 GMT', 1_778_846_400_000],
    ['15 Jun 2026 12:00:00 GMT', 1_781_524_800_000],
    ['15 Jul 2026 12:00:00 GMT', 1_784_116_800_000],
    ['15 Aug 2026 12:00:00 GMT', 1_786_795_200_000],
    ['15 Sep 2026 12:00:00 GMT', 1_789_473_600_000],
    ['15 Oct 2026 12:00:00 GMT', 1_792_065_600_000],
    ['15 Nov 2026 12:00:00 GMT', 1_794_744_000_000],
    ['15 Dec 2026 12:00:00 GMT', 1_797_336_000_000],
  ])('RFC 2822 month names: %s', (text, ms) => {
    expect(parseFixTime(text)).toBe(ms);
  });

  it.each([
    ['GMT', 1_795_773_600_000],
    ['UT', 1_795_773_600_000],
    ['UTC', 1_795_773_600_000],
    ['Z', 1_795_773_600_000],
    ['EST', 1_795_791_600_000],
    ['EDT', 1_795_788_000_000],
    ['CST', 1_795_795_200_000],
    ['CDT', 1_795_791_600_000],
    ['MST', 1_795_798_800_000],
    ['MDT', 1_795_795_200_000],
    ['PST', 1_795_802_400_000],
    ['PDT', 1_795_798_800_000],
  ])('RFC 2822 zone names: 10:00 %s', (zone, ms) => {
    expect(parseFixTime(`Fri, 27 Nov 2026 10:00:00 ${zone}`)).toBe(ms);
  });

  it('refuses the forms Date.parse reads in the server zone (and the ISO forms it does not know)', () => {
    expect(errorOf(() => parseFixTime('2026/11/27 10:00:00')).message).toBe('timestamp "2026/11/27 10:00:00" is not a time');
    expect(errorOf(() => parseFixTime('Nov 27 2026 10:00')).message).toBe('timestamp "Nov 27 2026 10:00" is not a time');
    expect(errorOf(() => parseFixTime('20261127T100000Z')).message).toBe('timestamp "20261127T100000Z" is not a time');
    expect(errorOf(() => parseFixTime('2026-11-27T10Z')).message).toBe('timestamp "2026-11-27T10Z" is not a time');
    expect(errorOf(() => parseFixTime('2026-11-27T10:00:00 +08:00')).message).toBe('timestamp "2026-11-27T10:00:00 +08:00" is not a time');
  });
});

describe('parseFixTime over every field (fast-check)', () => {
  const p2 = (n: number) => String(n).padStart(2, '0');
  /** Days in each month, written out (February by the Gregorian rule). */
  const monthDays = (y: number, m: number) => [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  const valid = fc
    .record({
      y: fc.integer({ min: 1901, max: 9998 }),
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 31 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      offsetMin: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    })
    .filter((f) => f.d <= monthDays(f.y, f.mo));
  const iso = (f: { y: number; mo: number; d: number; h: number; mi: number; s: number; offsetMin: number }) => {
    const o = Math.abs(f.offsetMin);
    return `${f.y}-${p2(f.mo)}-${p2(f.d)}T${p2(f.h)}:${p2(f.mi)}:${p2(f.s)}${f.offsetMin < 0 ? '-' : '+'}${p2(Math.floor(o / 60))}:${p2(o % 60)}`;
  };

  it('reads every real date-time with any offset as the instant Date.UTC gives for it', () => {
    fc.assert(
      fc.property(valid, (f) => {
        expect(parseFixTime(iso(f))).toBe(Date.UTC(f.y, f.mo - 1, f.d, f.h, f.mi, f.s) - f.offsetMin * 60_000);
      }),
      { numRuns: 2_000 },
    );
  });

  it('refuses, never rolls over, a month, day, hour, minute or second past its end', () => {
    type Fields = typeof valid extends fc.Arbitrary<infer F> ? F : never;
    // Each pushes one field past its end by `over` (two digits at most, as the pattern allows).
    const pastTheEnd: ((f: Fields, over: number) => Fields)[] = [
      (f, over) => ({ ...f, mo: 13 + over }),
      (f, over) => ({ ...f, d: monthDays(f.y, f.mo) + 1 + (over % (100 - 32)) }),
      (f, over) => ({ ...f, h: 24 + over }),
      (f, over) => ({ ...f, mi: 60 + over }),
      (f, over) => ({ ...f, s: 61 + over }),
    ];
    fc.assert(
      fc.property(valid, fc.constantFrom(...pastTheEnd), fc.integer({ min: 0, max: 38 }), (f, push, over) => {
        expect(errorOf(() => parseFixTime(iso(push(f, over)))).code).toBe('bad_request');
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('isRepresentable', () => {
  it('takes 1900-01-01T00:00Z to 9999-12-31T00:00Z, both ends included', () => {
    expect(isRepresentable(-2_208_988_800_000)).toBe(true);
    expect(isRepresentable(-2_208_988_800_001)).toBe(false);
    expect(isRepresentable(253_402_214_400_000)).toBe(true);
    expect(isRepresentable(253_402_214_400_001)).toBe(false);
    expect(isRepresentable(0)).toBe(true);
    expect(isRepresentable(Number.NaN)).toBe(false);
    expect(isRepresentable(Number.POSITIVE_INFINITY)).toBe(false);
  });
});

describe('checkCoordinates', () => {
  it('returns longitude and latitude, the edges included', () => {
    expect(checkCoordinates(99.7, 28.4)).toEqual({ lon: 99.7, lat: 28.4 });
    expect(checkCoordinates(180, 90)).toEqual({ lon: 180, lat: 90 });
    expect(checkCoordinates(-180, -90)).toEqual({ lon: -180, lat: -90 });
    expect(checkCoordinates(0, 0)).toEqual({ lon: 0, lat: 0 });
  });

  it('refuses missing coordinates and each one out of range, saying which', () => {
    expect(errorOf(() => checkCoordinates(null, 28.4)).message).toBe('missing coordinates: send lat and lon (or location=lat,lon)');
    expect(errorOf(() => checkCoordinates(99.7, null)).message).toBe('missing coordinates: send lat and lon (or location=lat,lon)');
    expect(errorOf(() => checkCoordinates(99.7, 90.5)).message).toBe('latitude 90.5 is outside -90..90');
    expect(errorOf(() => checkCoordinates(99.7, -90.5)).message).toBe('latitude -90.5 is outside -90..90');
    expect(errorOf(() => checkCoordinates(180.5, 28.4)).message).toBe('longitude 180.5 is outside -180..180');
    expect(errorOf(() => checkCoordinates(-180.5, 28.4)).message).toBe('longitude -180.5 is outside -180..180');
    expect(errorOf(() => checkCoordinates(-180.5, 28.4)).code).toBe('bad_request');
  });
});
