// OwnTracks HTTP mode, field by field: every conversion and every edge pinned
// with a written-out answer (tests/unit/ingest-examples.test.ts has the whole
// message; the property test only proves "a fix, null or a 4xx").
import { describe, expect, it } from 'vitest';
import { parseOwnTracks } from '../../lib/ingest/owntracks';
import { errorOf } from '../helpers/errors';

const location = (extra: Record<string, unknown> = {}) => ({ _type: 'location', lat: 28.4512, lon: 99.7031, tst: 1_764_500_000, ...extra });
const parse = (extra: Record<string, unknown> = {}) => parseOwnTracks(location(extra), 'ot-device')!;

describe('OwnTracks: a bare location', () => {
  it('has only position and time; everything else is unknown', () => {
    expect(parseOwnTracks(location(), 'ot-device')).toEqual({
      deviceKey: 'ot-device',
      fixTime: 1_764_500_000_000,
      lat: 28.4512,
      lon: 99.7031,
      speed: null,
      heading: null,
      altitude: null,
      accuracy: null,
      battery: null,
      charging: null,
      alarm: null,
      attributes: {},
    });
  });

  it('reads coordinates and time sent as strings', () => {
    const f = parseOwnTracks({ _type: 'location', lat: '28.5', lon: '99.75', tst: '1764500001' }, 'd')!;
    expect([f.lat, f.lon, f.fixTime]).toEqual([28.5, 99.75, 1_764_500_001_000]);
  });
});

describe('OwnTracks: speed (vel, km/h → m/s)', () => {
  it('divides km/h by 3.6', () => {
    expect(parse({ vel: 36 }).speed).toBe(10);
    expect(parse({ vel: 72 }).speed).toBe(20);
    expect(parse({ vel: 9 }).speed).toBe(2.5);
    expect(parse({ vel: '18' }).speed).toBe(5);
  });

  it('keeps 0 (standing still) and drops a negative speed', () => {
    expect(parse({ vel: 0 }).speed).toBe(0);
    expect(parse({ vel: -0.5 }).speed).toBeNull();
    expect(parse({ vel: -1 }).speed).toBeNull();
    expect(parse({ vel: 'fast' }).speed).toBeNull();
  });
});

describe('OwnTracks: accuracy, battery, course, altitude', () => {
  it('keeps accuracy of 0 and more, drops a negative one', () => {
    expect(parse({ acc: 0 }).accuracy).toBe(0);
    expect(parse({ acc: 12.5 }).accuracy).toBe(12.5);
    expect(parse({ acc: -0.1 }).accuracy).toBeNull();
  });

  it('keeps battery 0..100, caps it at 100 and drops a negative one', () => {
    expect(parse({ batt: 0 }).battery).toBe(0);
    expect(parse({ batt: 55 }).battery).toBe(55);
    expect(parse({ batt: 100 }).battery).toBe(100);
    expect(parse({ batt: 101 }).battery).toBe(100);
    expect(parse({ batt: -1 }).battery).toBeNull();
  });

  it('reads the course (cog) as a heading modulo 360, a negative one as unknown', () => {
    expect(parse({ cog: 0 }).heading).toBe(0);
    expect(parse({ cog: 359 }).heading).toBe(359);
    expect(parse({ cog: 360 }).heading).toBe(0);
    expect(parse({ cog: 725 }).heading).toBe(5);
    expect(parse({ cog: -10 }).heading).toBeNull();
  });

  it('reads the altitude as it is, below sea level too', () => {
    expect(parse({ alt: 3312 }).altitude).toBe(3312);
    expect(parse({ alt: -12 }).altitude).toBe(-12);
    expect(parse({ alt: 'high' }).altitude).toBeNull();
  });
});

describe('OwnTracks: battery status (bs)', () => {
  it('2 (charging) and 3 (full) are charging, 1 (unplugged) is not, 0 and anything else unknown', () => {
    expect([0, 1, 2, 3, 4].map((bs) => parse({ bs }).charging)).toEqual([null, false, true, true, null]);
    // A number, not a string: "2" is not a status OwnTracks sends.
    expect(parse({ bs: '2' }).charging).toBeNull();
    expect(parse({ bs: '1' }).charging).toBeNull();
    expect(parse().charging).toBeNull();
  });
});

describe('OwnTracks: attributes', () => {
  it('keeps tid, t, conn and topic when they are short strings, and nothing else', () => {
    const f = parse({ tid: 'GW', t: 'u', conn: 'w', topic: 'owntracks/gw/phone', inregions: ['home'], SSID: 'x', m: 1 });
    expect(f.attributes).toEqual({ tid: 'GW', t: 'u', conn: 'w', topic: 'owntracks/gw/phone' });
  });

  it('keeps a string of 64 characters and drops one of 65, or one that is not a string', () => {
    expect(parse({ topic: 'a'.repeat(64) }).attributes).toEqual({ topic: 'a'.repeat(64) });
    expect(parse({ topic: 'a'.repeat(65) }).attributes).toEqual({});
    expect(parse({ tid: 7, t: true, conn: null }).attributes).toEqual({});
  });
});

describe('OwnTracks: time (tst, epoch seconds)', () => {
  it('converts seconds to milliseconds, rounding a fraction', () => {
    expect(parse({ tst: 1_764_500_000.4567 }).fixTime).toBe(1_764_500_000_457);
    expect(parse({ tst: 0 }).fixTime).toBe(0);
  });

  it('takes 1900-01-01 and 9999-12-31 and refuses a second outside them', () => {
    expect(parse({ tst: -2_208_988_800 }).fixTime).toBe(-2_208_988_800_000);
    expect(parse({ tst: 253_402_214_400 }).fixTime).toBe(253_402_214_400_000);
    expect(errorOf(() => parse({ tst: -2_208_988_801 })).message).toBe('OwnTracks "tst" -2208988801 is not a time between 1900 and 9999');
    expect(errorOf(() => parse({ tst: 253_402_214_401 })).message).toBe('OwnTracks "tst" 253402214401 is not a time between 1900 and 9999');
    // Milliseconds sent by mistake: the year 57,883.
    expect(errorOf(() => parse({ tst: 1_764_500_000_000 })).code).toBe('bad_request');
  });

  it('refuses a location without a usable tst', () => {
    expect(errorOf(() => parse({ tst: undefined })).message).toBe('OwnTracks location has no "tst" (epoch seconds)');
    expect(errorOf(() => parse({ tst: undefined })).code).toBe('bad_request');
    expect(errorOf(() => parse({ tst: 'yesterday' })).message).toBe('OwnTracks location has no "tst" (epoch seconds)');
  });
});

describe('OwnTracks: what is not a location', () => {
  it('ignores (null) every other message type, and an empty body', () => {
    for (const _type of ['transition', 'waypoint', 'waypoints', 'card', 'lwt', 'beacon', 'cmd', 'status', 'Location', '']) {
      expect(parseOwnTracks({ ...location(), _type }, 'd')).toBeNull();
    }
    expect(parseOwnTracks({ lat: 28.4, lon: 99.7, tst: 1_764_500_000 }, 'd')).toBeNull();
    expect(parseOwnTracks(null, 'd')).toBeNull();
    expect(parseOwnTracks(undefined, 'd')).toBeNull();
  });

  it('refuses a body that is not a JSON object', () => {
    for (const body of [[location()], 'location', 42, true]) {
      expect(errorOf(() => parseOwnTracks(body, 'd')).message).toBe('OwnTracks body must be a JSON object');
    }
  });

  it('refuses a location without coordinates or with impossible ones', () => {
    expect(errorOf(() => parse({ lat: undefined })).message).toBe('missing coordinates: send lat and lon (or location=lat,lon)');
    expect(errorOf(() => parse({ lon: 181 })).message).toBe('longitude 181 is outside -180..180');
    expect(errorOf(() => parse({ lat: -91 })).message).toBe('latitude -91 is outside -90..90');
  });
});
