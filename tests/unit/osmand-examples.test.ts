// The OsmAnd / Traccar Client query shape, parameter by parameter, with the
// answers written out (speed in knots: 1 knot = 1852 m / 3600 s = 0.514444… m/s).
import { describe, expect, it } from 'vitest';
import { normaliseHeading, parseOsmandParams } from '../../lib/ingest/osmand';
import { errorOf } from '../helpers/errors';

const q = (s: string) => parseOsmandParams(new URLSearchParams(s));
const at = 'id=dev&lat=28.4&lon=99.7';

describe('OsmAnd: device id', () => {
  it('takes id, else deviceid, trimmed; id wins when both are sent', () => {
    expect(q('id=abc&lat=1&lon=2').deviceKey).toBe('abc');
    expect(q('deviceid=xyz&lat=1&lon=2').deviceKey).toBe('xyz');
    expect(q('id=%20abc%20&lat=1&lon=2').deviceKey).toBe('abc');
    expect(q('id=abc&deviceid=xyz&lat=1&lon=2').deviceKey).toBe('abc');
  });

  it('refuses a missing or blank id', () => {
    expect(errorOf(() => q('lat=1&lon=2')).message).toBe('missing device id: send id= or deviceid=');
    expect(errorOf(() => q('id=%20%20&lat=1&lon=2')).message).toBe('missing device id: send id= or deviceid=');
    expect(errorOf(() => q('id=&lat=1&lon=2')).code).toBe('bad_request');
  });
});

describe('OsmAnd: position', () => {
  it('takes lat and lon, or location=lat,lon when either is missing', () => {
    expect(q(at)).toMatchObject({ lat: 28.4, lon: 99.7 });
    expect(q('id=d&location=28.5,99.8')).toMatchObject({ lat: 28.5, lon: 99.8 });
    expect(q('id=d&lat=1&location=28.5,99.8')).toMatchObject({ lat: 28.5, lon: 99.8 });
    expect(q('id=d&lon=2&location=28.5,99.8')).toMatchObject({ lat: 28.5, lon: 99.8 });
    // Both sent: lat and lon win over location.
    expect(q('id=d&lat=28.4&lon=99.7&location=1,2')).toMatchObject({ lat: 28.4, lon: 99.7 });
  });

  it('refuses a position it cannot read', () => {
    expect(errorOf(() => q('id=d&lat=28.4')).message).toBe('missing coordinates: send lat and lon (or location=lat,lon)');
    expect(errorOf(() => q('id=d&location=28.5')).message).toBe('missing coordinates: send lat and lon (or location=lat,lon)');
    expect(errorOf(() => q('id=d&lat=95&lon=99.7')).message).toBe('latitude 95 is outside -90..90');
  });
});

describe('OsmAnd: speed in knots', () => {
  it('converts knots to m/s: 1 knot is 0.514444… m/s', () => {
    expect(q(`${at}&speed=1`).speed).toBeCloseTo(0.5144444444, 9);
    expect(q(`${at}&speed=10`).speed).toBeCloseTo(5.1444444444, 9);
    expect(q(`${at}&speed=3600`).speed).toBeCloseTo(1852, 9);
  });

  it('keeps 0, drops a negative or unreadable speed', () => {
    expect(q(`${at}&speed=0`).speed).toBe(0);
    expect(q(`${at}&speed=-0.5`).speed).toBeNull();
    expect(q(`${at}&speed=fast`).speed).toBeNull();
    expect(q(at).speed).toBeNull();
  });
});

describe('OsmAnd: heading, altitude, accuracy, battery, charge, alarm', () => {
  it('takes bearing, else heading, modulo 360', () => {
    expect(q(`${at}&bearing=90`).heading).toBe(90);
    expect(q(`${at}&heading=45`).heading).toBe(45);
    expect(q(`${at}&bearing=90&heading=45`).heading).toBe(90);
    expect(q(`${at}&bearing=360`).heading).toBe(0);
    expect(q(`${at}&bearing=-1`).heading).toBeNull();
    expect(q(at).heading).toBeNull();
  });

  it('reads the altitude as it is', () => {
    expect(q(`${at}&altitude=-20.5`).altitude).toBe(-20.5);
    expect(q(at).altitude).toBeNull();
  });

  it('takes accuracy, else hdop; keeps 0 and drops a negative one', () => {
    expect(q(`${at}&accuracy=5`).accuracy).toBe(5);
    expect(q(`${at}&hdop=2`).accuracy).toBe(2);
    expect(q(`${at}&accuracy=5&hdop=2`).accuracy).toBe(5);
    expect(q(`${at}&accuracy=0`).accuracy).toBe(0);
    expect(q(`${at}&accuracy=-3`).accuracy).toBeNull();
  });

  it('keeps battery 0..100, caps it at 100 and drops a negative one', () => {
    expect(q(`${at}&batt=0`).battery).toBe(0);
    expect(q(`${at}&batt=80`).battery).toBe(80);
    expect(q(`${at}&batt=100`).battery).toBe(100);
    expect(q(`${at}&batt=150`).battery).toBe(100);
    expect(q(`${at}&batt=-1`).battery).toBeNull();
    expect(q(at).battery).toBeNull();
  });

  it('reads charge=true and charge=1 as charging, any other value as not, none as unknown', () => {
    expect(q(`${at}&charge=true`).charging).toBe(true);
    expect(q(`${at}&charge=1`).charging).toBe(true);
    expect(q(`${at}&charge=false`).charging).toBe(false);
    expect(q(`${at}&charge=0`).charging).toBe(false);
    expect(q(`${at}&charge=`).charging).toBe(false);
    expect(q(at).charging).toBeNull();
  });

  it('passes an alarm through', () => {
    expect(q(`${at}&alarm=sos`).alarm).toBe('sos');
    expect(q(at).alarm).toBeNull();
  });

  it('reads the timestamp, or none', () => {
    expect(q(`${at}&timestamp=1700000000`).fixTime).toBe(1_700_000_000_000);
    expect(q(`${at}&timestamp=2026-11-27%2010:00:00`).fixTime).toBe(1_795_773_600_000);
    expect(q(at).fixTime).toBeNull();
  });
});

describe('OsmAnd: attributes', () => {
  it('keeps no parameter it understands as an attribute', () => {
    const all = 'id=a&deviceid=b&timestamp=1700000000&lat=1&lon=2&location=1,2&speed=1&bearing=1&heading=1&altitude=1&accuracy=1&hdop=1&batt=1&charge=1&alarm=sos';
    expect(q(all).attributes).toEqual({});
  });

  it('keeps the others, names cut to 64 characters and values to 256', () => {
    expect(q(`${at}&foo=bar&motion=true`).attributes).toEqual({ foo: 'bar', motion: 'true' });
    expect(q(`${at}&${'n'.repeat(70)}=${'v'.repeat(300)}`).attributes).toEqual({ ['n'.repeat(64)]: 'v'.repeat(256) });
  });

  it('keeps at most 32 of them', () => {
    const many = Array.from({ length: 40 }, (_, i) => `a${i}=${i}`).join('&');
    const attributes = q(`${at}&${many}`).attributes;
    expect(Object.keys(attributes)).toHaveLength(32);
    expect(attributes.a0).toBe('0');
    expect(attributes.a31).toBe('31');
    expect(attributes.a32).toBeUndefined();
  });
});

describe('normaliseHeading', () => {
  it('maps degrees into 0..360 and a negative or missing heading to null', () => {
    expect(normaliseHeading(0)).toBe(0);
    expect(normaliseHeading(359.5)).toBe(359.5);
    expect(normaliseHeading(360)).toBe(0);
    expect(normaliseHeading(730)).toBe(10);
    expect(normaliseHeading(-0.1)).toBeNull();
    expect(normaliseHeading(null)).toBeNull();
  });
});
