import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { parseFixTime } from '../../lib/ingest/fix';
import { parseOsmandParams } from '../../lib/ingest/osmand';
import { parseTraccarJson } from '../../lib/ingest/traccar-json';

const q = (s: string) => parseOsmandParams(new URLSearchParams(s));

describe('OsmAnd query/form shape', () => {
  it('reads the Traccar Client parameters and converts knots to m/s', () => {
    const f = q('id=abc&lat=28.4&lon=99.7&timestamp=1700000000&speed=10&bearing=370&altitude=3300&accuracy=5&batt=80&charge=true&foo=bar');
    expect(f).toMatchObject({ deviceKey: 'abc', lat: 28.4, lon: 99.7, fixTime: 1_700_000_000_000, heading: 10, altitude: 3300, accuracy: 5, battery: 80, charging: true });
    // 10 knots is 18.52 km/h = 5.1444… m/s: the expected value is written out, not computed from the constant under test.
    expect(f.speed).toBeCloseTo(5.144444, 5);
    expect(f.attributes).toEqual({ foo: 'bar' });
  });

  it('accepts deviceid, location=lat,lon, heading and hdop', () => {
    const f = q('deviceid=xyz&location=28.5,99.8&heading=45&hdop=2');
    expect(f).toMatchObject({ deviceKey: 'xyz', lat: 28.5, lon: 99.8, heading: 45, accuracy: 2, fixTime: null });
  });

  it('refuses a missing id and impossible coordinates with a reason', () => {
    expect(() => q('lat=1&lon=2')).toThrow(/device id/);
    expect(() => q('id=a&lat=91&lon=2')).toThrow(/latitude/);
    expect(() => q('id=a&lat=1&lon=-181')).toThrow(/longitude/);
    expect(() => q('id=a&lat=x&lon=2')).toThrow(AppError);
  });
});

describe('fix times', () => {
  it('reads epoch seconds, epoch ms, ISO with offsets and plain UTC date-times', () => {
    expect(parseFixTime('1700000000')).toBe(1_700_000_000_000);
    expect(parseFixTime('1700000000123')).toBe(1_700_000_000_123);
    expect(parseFixTime('2026-11-27T10:00:00+08:00')).toBe(Date.UTC(2026, 10, 27, 2));
    expect(parseFixTime('2026-11-27 10:00:00')).toBe(Date.UTC(2026, 10, 27, 10));
    expect(parseFixTime('')).toBeNull();
    expect(() => parseFixTime('soon')).toThrow(/not a time/);
  });
});

describe('Traccar Client 9 JSON shape', () => {
  it('reads coords in m/s, battery 0..1 as percent, and -1 as unknown', () => {
    const f = parseTraccarJson(
      {
        device_id: 'dev1',
        location: {
          timestamp: '2026-11-27T02:00:00.000Z',
          coords: { latitude: 28.4, longitude: 99.7, accuracy: -1, speed: 3.5, heading: -1, altitude: 3290 },
          battery: { level: 0.42, is_charging: false },
          is_moving: true,
        },
      },
      null,
    );
    expect(f).toMatchObject({ deviceKey: 'dev1', lat: 28.4, lon: 99.7, accuracy: null, speed: 3.5, heading: null, altitude: 3290, charging: false });
    expect(f.battery).toBeCloseTo(42, 9);
    expect(f.fixTime).toBe(Date.UTC(2026, 10, 27, 2));
  });

  it('refuses bodies without location or coords', () => {
    expect(() => parseTraccarJson({ device_id: 'a' }, null)).toThrow(/location/);
    expect(() => parseTraccarJson({ device_id: 'a', location: {} }, null)).toThrow(/coords/);
    expect(() => parseTraccarJson([], null)).toThrow(/object/);
  });
});
