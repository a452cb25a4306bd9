// The shared fix helpers (lib/ingest/fix.ts) pinned by example: number
// parsing, every time shape a device sends, the 1900–9999 range and the
// coordinate checks. Every expected value is written out as a literal.
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
    // Parseable, but outside 1900–9999.
    expect(errorOf(() => parseFixTime('1899-12-31T23:59:59Z')).message).toBe('timestamp "1899-12-31T23:59:59Z" is not a time');
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
    expect(errorOf(() => parseFixTime('9999-12-31 00:00:01')).message).toBe('timestamp "9999-12-31 00:00:01" is not a time');
  });

  it('refuses a plain date-time with anything before or after it', () => {
    setTz();
    expect(errorOf(() => parseFixTime('x2026-11-27 10:00:00')).code).toBe('bad_request');
    expect(errorOf(() => parseFixTime('2026-11-27 10:00:00x')).code).toBe('bad_request');
    expect(errorOf(() => parseFixTime('2026-11-27_10:00:00')).code).toBe('bad_request');
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
