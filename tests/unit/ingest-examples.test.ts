// Example tests that pin the answers of the device parsers, beside their
// property tests (which prove only "never crashes"). Every expected value is
// written out by hand, never computed from the constant under test.
import { describe, expect, it } from 'vitest';
import { parseBatch, MAX_BATCH_FIXES } from '../../lib/ingest/batch';
import { parseOwnTracks } from '../../lib/ingest/owntracks';
import { errorOf } from '../helpers/errors';

const location = (extra: Record<string, unknown> = {}) => ({ _type: 'location', lat: 28.4512, lon: 99.7031, tst: 1_764_500_000, ...extra });

describe('OwnTracks location messages', () => {
  it('reads position, time (epoch seconds), km/h speed as m/s, course, altitude, accuracy and battery', () => {
    const f = parseOwnTracks(location({ vel: 36, cog: 370, alt: 3312, acc: 8, batt: 77, tid: 'GW', conn: 'm' }), 'secret-1');
    expect(f).toEqual({
      deviceKey: 'secret-1',
      fixTime: 1_764_500_000_000,
      lat: 28.4512,
      lon: 99.7031,
      speed: 10,
      heading: 10,
      altitude: 3312,
      accuracy: 8,
      battery: 77,
      charging: null,
      alarm: null,
      attributes: { tid: 'GW', conn: 'm' },
    });
  });

  it('reads the battery state: 2 (charging) and 3 (full) are charging, 1 (unplugged) is not, anything else unknown', () => {
    expect(parseOwnTracks(location({ bs: 2 }), 'd')!.charging).toBe(true);
    expect(parseOwnTracks(location({ bs: 3 }), 'd')!.charging).toBe(true);
    expect(parseOwnTracks(location({ bs: 1 }), 'd')!.charging).toBe(false);
    expect(parseOwnTracks(location({ bs: 0 }), 'd')!.charging).toBeNull();
  });

  it('leaves out impossible values instead of storing them: negative speed and accuracy, battery over 100 capped', () => {
    const f = parseOwnTracks(location({ vel: -1, acc: -5, batt: 140 }), 'd')!;
    expect(f.speed).toBeNull();
    expect(f.accuracy).toBeNull();
    expect(f.battery).toBe(100);
  });

  it('acknowledges and ignores messages that are not a location', () => {
    expect(parseOwnTracks({ _type: 'transition', event: 'enter' }, 'd')).toBeNull();
    expect(parseOwnTracks({ _type: 'waypoint' }, 'd')).toBeNull();
    expect(parseOwnTracks(null, 'd')).toBeNull();
  });

  it('refuses a location without a time, with impossible coordinates, or a body that is not an object', () => {
    expect(errorOf(() => parseOwnTracks({ _type: 'location', lat: 28.4, lon: 99.7 }, 'd')).message).toMatch(/"tst"/);
    expect(errorOf(() => parseOwnTracks(location({ lat: 91 }), 'd')).code).toBe('bad_request');
    expect(errorOf(() => parseOwnTracks([location()], 'd')).code).toBe('bad_request');
  });
});

describe('the batch format', () => {
  const fix = (i: number) => ({ device: 'secret-1', time: 1_764_500_000 + i, lat: 28.45, lon: 99.7, speed: 1.5 });

  it('takes 1,000 fixes in one request and refuses 1,001 as too large', () => {
    expect(MAX_BATCH_FIXES).toBe(1000);
    const items = parseBatch({ fixes: Array.from({ length: 1000 }, (_, i) => fix(i)) });
    expect(items).toHaveLength(1000);
    expect(items.every((it) => it.ok)).toBe(true);
    const tooMany = errorOf(() => parseBatch({ fixes: Array.from({ length: 1001 }, (_, i) => fix(i)) }));
    expect(tooMany.code).toBe('payload_too_large');
    expect(tooMany.message).toMatch(/1001 fixes.*limit is 1000/);
  });

  it('rejects a bad fix with its reason and keeps its neighbours', () => {
    const items = parseBatch({ fixes: [fix(0), { ...fix(1), speed: 250 }, { ...fix(2), battery: -3 }, fix(3)] });
    expect(items.map((i) => i.ok)).toEqual([true, false, false, true]);
    expect(items[1]).toEqual({ ok: false, reason: expect.stringMatching(/^speed:/) });
    expect(items[2]).toEqual({ ok: false, reason: expect.stringMatching(/^battery:/) });
    const first = items[0]!;
    expect(first.ok && first.fix).toMatchObject({ deviceKey: 'secret-1', fixTime: 1_764_500_000_000, lat: 28.45, lon: 99.7, speed: 1.5 });
  });

  it('refuses an envelope without a fixes array', () => {
    expect(errorOf(() => parseBatch({ fix: [] })).code).toBe('bad_request');
    expect(errorOf(() => parseBatch(null)).code).toBe('bad_request');
  });
});
