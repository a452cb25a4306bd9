// GridSight's own batch format, pinned by example: the envelope, the size
// limit, every field's range at its edges, and the reasons a fix is rejected.
import { describe, expect, it } from 'vitest';
import { MAX_BATCH_FIXES, parseBatch, type BatchItem } from '../../lib/ingest/batch';
import { errorOf } from '../helpers/errors';

const base = { device: 'secret-1', time: 1_764_500_000, lat: 28.45, lon: 99.7 };
const one = (over: Record<string, unknown> = {}): BatchItem => parseBatch({ fixes: [{ ...base, ...over }] })[0]!;
const reason = (item: BatchItem) => (item.ok ? 'accepted' : item.reason);
const fixOf = (item: BatchItem) => {
  if (!item.ok) throw new Error(`rejected: ${item.reason}`);
  return item.fix;
};

describe('batch envelope', () => {
  it('takes at most 1,000 fixes: 1,000 are parsed, 1,001 refused whole', () => {
    expect(MAX_BATCH_FIXES).toBe(1000);
    const fixes = Array.from({ length: 1001 }, (_, i) => ({ ...base, time: 1_764_500_000 + i }));
    expect(parseBatch({ fixes: fixes.slice(0, 1000) })).toHaveLength(1000);
    const tooMany = errorOf(() => parseBatch({ fixes }));
    expect(tooMany.code).toBe('payload_too_large');
    expect(tooMany.message).toBe('1001 fixes in one request; the limit is 1000');
  });

  it('answers an empty batch with no items', () => {
    expect(parseBatch({ fixes: [] })).toEqual([]);
  });

  it('refuses a body that is not {"fixes": [...]}', () => {
    for (const body of [null, undefined, 'fixes', 5, [], { fixes: 'x' }, { fixes: { 0: base } }, { fix: [base] }]) {
      const err = errorOf(() => parseBatch(body));
      expect([err.code, err.message]).toEqual(['bad_request', 'body must be {"fixes": [...]}']);
    }
  });
});

describe('batch fix: what is stored', () => {
  it('a minimal fix: position and time, the rest unknown', () => {
    expect(one()).toEqual({
      ok: true,
      fix: {
        deviceKey: 'secret-1',
        fixTime: 1_764_500_000_000,
        lat: 28.45,
        lon: 99.7,
        speed: null,
        heading: null,
        accuracy: null,
        altitude: null,
        battery: null,
        charging: null,
        alarm: null,
        attributes: {},
      },
    });
  });

  it('a full fix: speed in m/s as sent, heading modulo 360, attributes kept', () => {
    const f = fixOf(one({ speed: 4.2, heading: 450, accuracy: 6, altitude: 3300, battery: 64, attributes: { event: 'patrol', odometer: 12, moving: true } }));
    expect(f).toEqual({
      deviceKey: 'secret-1',
      fixTime: 1_764_500_000_000,
      lat: 28.45,
      lon: 99.7,
      speed: 4.2,
      heading: 90,
      accuracy: 6,
      altitude: 3300,
      battery: 64,
      charging: null,
      alarm: null,
      attributes: { event: 'patrol', odometer: 12, moving: true },
    });
  });

  it('reads the time in every shape parseFixTime knows', () => {
    expect(fixOf(one({ time: 1_764_500_000_123 })).fixTime).toBe(1_764_500_000_123);
    expect(fixOf(one({ time: '2026-11-27T10:00:00+08:00' })).fixTime).toBe(1_795_744_800_000);
    expect(fixOf(one({ time: '2026-11-27 10:00:00' })).fixTime).toBe(1_795_773_600_000);
  });

  it('treats null fields as unknown', () => {
    const f = fixOf(one({ speed: null, heading: null, accuracy: null, altitude: null, battery: null }));
    expect([f.speed, f.heading, f.accuracy, f.altitude, f.battery]).toEqual([null, null, null, null, null]);
  });

  it('a negative heading is unknown', () => {
    expect(fixOf(one({ heading: -5 })).heading).toBeNull();
  });
});

describe('batch fix: ranges, at their edges', () => {
  it('speed 0..200 m/s', () => {
    expect(fixOf(one({ speed: 0 })).speed).toBe(0);
    expect(fixOf(one({ speed: 200 })).speed).toBe(200);
    expect(reason(one({ speed: -0.01 }))).toMatch(/^speed: /);
    expect(reason(one({ speed: 200.01 }))).toMatch(/^speed: /);
  });

  it('battery 0..100 percent', () => {
    expect(fixOf(one({ battery: 0 })).battery).toBe(0);
    expect(fixOf(one({ battery: 100 })).battery).toBe(100);
    expect(reason(one({ battery: -1 }))).toMatch(/^battery: /);
    expect(reason(one({ battery: 100.5 }))).toMatch(/^battery: /);
  });

  it('altitude -500..10,000 m', () => {
    expect(fixOf(one({ altitude: -500 })).altitude).toBe(-500);
    expect(fixOf(one({ altitude: 10_000 })).altitude).toBe(10_000);
    expect(reason(one({ altitude: -501 }))).toMatch(/^altitude: /);
    expect(reason(one({ altitude: 10_001 }))).toMatch(/^altitude: /);
  });

  it('accuracy 0 or more', () => {
    expect(fixOf(one({ accuracy: 0 })).accuracy).toBe(0);
    expect(fixOf(one({ accuracy: 250 })).accuracy).toBe(250);
    expect(reason(one({ accuracy: -1 }))).toMatch(/^accuracy: /);
  });

  it('device 1..128 characters', () => {
    expect(fixOf(one({ device: 'a' })).deviceKey).toBe('a');
    expect(fixOf(one({ device: 'd'.repeat(128) })).deviceKey).toBe('d'.repeat(128));
    expect(reason(one({ device: '' }))).toMatch(/^device: /);
    expect(reason(one({ device: 'd'.repeat(129) }))).toMatch(/^device: /);
  });

  it('a time string of at most 64 characters', () => {
    expect(reason(one({ time: `2026-11-27T10:00:00.${'0'.repeat(43)}Z` }))).toBe('accepted');
    expect(reason(one({ time: `2026-11-27T10:00:00.${'0'.repeat(44)}Z` }))).toMatch(/^time: /);
  });

  it('attribute names up to 64 characters and string values up to 256', () => {
    expect(fixOf(one({ attributes: { ['k'.repeat(64)]: 'v'.repeat(256) } })).attributes).toEqual({ ['k'.repeat(64)]: 'v'.repeat(256) });
    expect(reason(one({ attributes: { ['k'.repeat(65)]: 'v' } }))).toMatch(/^attributes/);
    expect(reason(one({ attributes: { note: 'v'.repeat(257) } }))).toMatch(/^attributes\.note: /);
    expect(reason(one({ attributes: { nested: { a: 1 } } }))).toMatch(/^attributes\.nested: /);
  });
});

describe('batch fix: rejections name the problem', () => {
  it('a missing or mistyped field names the field', () => {
    expect(reason(one({ device: undefined }))).toMatch(/^device: /);
    expect(reason(one({ time: undefined }))).toMatch(/^time: /);
    expect(reason(one({ time: true }))).toMatch(/^time: /);
    expect(reason(one({ lat: '28.4' }))).toMatch(/^lat: /);
    expect(reason(one({ lon: undefined }))).toMatch(/^lon: /);
  });

  it('an entry that is not an object is a "fix" problem', () => {
    expect(reason(parseBatch({ fixes: [42] })[0]!)).toMatch(/^fix: /);
    expect(reason(parseBatch({ fixes: [null] })[0]!)).toMatch(/^fix: /);
  });

  it('an empty time is "time: required"; an unreadable one says why', () => {
    expect(reason(one({ time: '' }))).toBe('time: required');
    expect(reason(one({ time: 'soon' }))).toBe('timestamp "soon" is not a time');
    expect(reason(one({ time: 1e15 }))).toBe('timestamp "1000000000000000" is out of range');
  });

  it('impossible coordinates say which one', () => {
    expect(reason(one({ lat: 90.5 }))).toBe('latitude 90.5 is outside -90..90');
    expect(reason(one({ lon: -181 }))).toBe('longitude -181 is outside -180..180');
  });

  it('keeps good fixes around bad ones, in order', () => {
    const items = parseBatch({ fixes: [base, { ...base, lat: 95 }, 'garbage', { ...base, time: 1_764_500_060 }] });
    expect(items.map(reason)).toEqual(['accepted', 'latitude 95 is outside -90..90', expect.stringMatching(/^fix: /), 'accepted']);
    expect(fixOf(items[3]!).fixTime).toBe(1_764_500_060_000);
  });
});
