// Traccar Client 9's JSON body (lib/ingest/traccar-json.ts), field by field.
// Speed is m/s, battery level 0..1, and -1 means "unknown" throughout.
import { describe, expect, it } from 'vitest';
import { parseTraccarJson } from '../../lib/ingest/traccar-json';
import { errorOf } from '../helpers/errors';

type Obj = Record<string, unknown>;
const body = (coords: Obj = {}, location: Obj = {}, top: Obj = { device_id: 'tc-1' }) => ({
  ...top,
  location: { timestamp: '2026-11-27T02:00:00.000Z', coords: { latitude: 28.4, longitude: 99.7, ...coords }, ...location },
});
const parse = (coords: Obj = {}, location: Obj = {}, top?: Obj) => parseTraccarJson(body(coords, location, top), null);

describe('Traccar JSON: a bare location', () => {
  it('has position, time and device; the rest unknown', () => {
    expect(parse()).toEqual({
      deviceKey: 'tc-1',
      fixTime: 1_795_744_800_000,
      lat: 28.4,
      lon: 99.7,
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

  it('has no time when the body has none', () => {
    expect(parse({}, { timestamp: undefined }).fixTime).toBeNull();
  });
});

describe('Traccar JSON: device id', () => {
  it('takes device_id, else deviceId, else the id from the query; numbers and spaces allowed', () => {
    expect(parse({}, {}, { device_id: 'a', deviceId: 'b' }).deviceKey).toBe('a');
    expect(parse({}, {}, { deviceId: 'b' }).deviceKey).toBe('b');
    expect(parseTraccarJson(body({}, {}, {}), 'from-query').deviceKey).toBe('from-query');
    expect(parse({}, {}, { device_id: 12345 }).deviceKey).toBe('12345');
    expect(parse({}, {}, { device_id: ' tc-2 ' }).deviceKey).toBe('tc-2');
  });

  it('refuses a missing, blank or non-scalar id', () => {
    for (const top of [{}, { device_id: '  ' }, { device_id: { id: 1 } }, { device_id: true }]) {
      expect(errorOf(() => parseTraccarJson(body({}, {}, top), null)).message).toBe('missing device id: send device_id or id=');
    }
  });
});

describe('Traccar JSON: values, -1 meaning unknown', () => {
  it('speed in m/s as sent; 0 kept, -1 and other negatives unknown', () => {
    expect(parse({ speed: 3.5 }).speed).toBe(3.5);
    expect(parse({ speed: 0 }).speed).toBe(0);
    expect(parse({ speed: -1 }).speed).toBeNull();
    expect(parse({ speed: -2 }).speed).toBeNull();
  });

  it('heading modulo 360, -1 unknown', () => {
    expect(parse({ heading: 370 }).heading).toBe(10);
    expect(parse({ heading: 0 }).heading).toBe(0);
    expect(parse({ heading: -1 }).heading).toBeNull();
  });

  it('accuracy: 0 kept, -1 and other negatives unknown', () => {
    expect(parse({ accuracy: 0 }).accuracy).toBe(0);
    expect(parse({ accuracy: 12 }).accuracy).toBe(12);
    expect(parse({ accuracy: -1 }).accuracy).toBeNull();
    expect(parse({ accuracy: -3 }).accuracy).toBeNull();
  });

  it('altitude as sent, -1 unknown', () => {
    expect(parse({ altitude: 3290 }).altitude).toBe(3290);
    expect(parse({ altitude: -20 }).altitude).toBe(-20);
    expect(parse({ altitude: -1 }).altitude).toBeNull();
  });

  it('battery level 0..1 as percent, capped at 100; -1 and negatives unknown', () => {
    expect(parse({}, { battery: { level: 0.5 } }).battery).toBe(50);
    expect(parse({}, { battery: { level: 0 } }).battery).toBe(0);
    expect(parse({}, { battery: { level: 1 } }).battery).toBe(100);
    expect(parse({}, { battery: { level: 1.5 } }).battery).toBe(100);
    expect(parse({}, { battery: { level: -1 } }).battery).toBeNull();
    expect(parse({}, { battery: { level: -0.5 } }).battery).toBeNull();
    expect(parse({}, { battery: 0.5 }).battery).toBeNull();
  });

  it('charging only from a boolean is_charging', () => {
    expect(parse({}, { battery: { level: 0.5, is_charging: true } }).charging).toBe(true);
    expect(parse({}, { battery: { level: 0.5, is_charging: false } }).charging).toBe(false);
    expect(parse({}, { battery: { level: 0.5, is_charging: 'true' } }).charging).toBeNull();
  });

  it('an alarm only for event "sos"', () => {
    expect(parse({}, { event: 'sos' }).alarm).toBe('sos');
    expect(parse({}, { event: 'motionchange' }).alarm).toBeNull();
  });
});

describe('Traccar JSON: attributes', () => {
  it('keeps is_moving, odometer, event and uuid when scalar, and the activity type', () => {
    const f = parse({}, { is_moving: true, odometer: 1234.5, event: 'motionchange', uuid: 'u-1', activity: { type: 'walking', confidence: 80 }, extras: { a: 1 } });
    expect(f.attributes).toEqual({ is_moving: true, odometer: 1234.5, event: 'motionchange', uuid: 'u-1', activity: 'walking' });
  });

  it('drops non-scalar values and an activity without a string type', () => {
    expect(parse({}, { is_moving: null, odometer: { km: 1 }, uuid: ['x'], activity: { type: 3 } }).attributes).toEqual({});
    expect(parse({}, { activity: 'walking' }).attributes).toEqual({});
  });
});

describe('Traccar JSON: refusals', () => {
  it('says which part of the body is missing', () => {
    expect(errorOf(() => parseTraccarJson([], null)).message).toBe('JSON body must be an object');
    expect(errorOf(() => parseTraccarJson(null, null)).message).toBe('JSON body must be an object');
    expect(errorOf(() => parseTraccarJson('x', null)).message).toBe('JSON body must be an object');
    expect(errorOf(() => parseTraccarJson({ device_id: 'a' }, null)).message).toBe('JSON body has no "location" object');
    expect(errorOf(() => parseTraccarJson({ device_id: 'a', location: [] }, null)).message).toBe('JSON body has no "location" object');
    expect(errorOf(() => parseTraccarJson({ device_id: 'a', location: {} }, null)).message).toBe('location has no "coords" object');
    expect(errorOf(() => parseTraccarJson({ device_id: 'a', location: { coords: null } }, null)).message).toBe('location has no "coords" object');
  });

  it('refuses missing or impossible coordinates', () => {
    expect(errorOf(() => parse({ latitude: undefined })).message).toBe('missing coordinates: send lat and lon (or location=lat,lon)');
    expect(errorOf(() => parse({ longitude: 200 })).message).toBe('longitude 200 is outside -180..180');
  });
});
