// Property tests (fast-check, 10,000 runs each): whatever a device sends, a
// parser either returns a fix that obeys the rules or throws an AppError (a
// 4xx) — never anything else, which would become a 5xx.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../lib/errors';
import { parseBatch } from '../../lib/ingest/batch';
import type { ParsedFix } from '../../lib/ingest/fix';
import { parseOsmandParams } from '../../lib/ingest/osmand';
import { parseOwnTracks } from '../../lib/ingest/owntracks';
import { parseTraccarJson } from '../../lib/ingest/traccar-json';

// The mutation run (vitest.mutation.config.ts) runs each property fewer times: it runs this file once per mutant.
const RUNS = Number(process.env.PROPERTY_RUNS) || 10_000;

function wellFormed(f: ParsedFix): void {
  expect(f.lat).toBeGreaterThanOrEqual(-90);
  expect(f.lat).toBeLessThanOrEqual(90);
  expect(f.lon).toBeGreaterThanOrEqual(-180);
  expect(f.lon).toBeLessThanOrEqual(180);
  expect(f.deviceKey.length).toBeGreaterThan(0);
  if (f.fixTime !== null) expect(Number.isFinite(f.fixTime)).toBe(true);
  for (const v of [f.speed, f.heading, f.accuracy, f.battery]) {
    if (v !== null) expect(Number.isFinite(v) && v >= 0).toBe(true);
  }
}

function onlyAppErrors<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBeGreaterThanOrEqual(400);
    expect((err as AppError).status).toBeLessThan(500);
    return null;
  }
}

const KEYS = ['id', 'deviceid', 'lat', 'lon', 'location', 'timestamp', 'speed', 'bearing', 'heading', 'altitude', 'accuracy', 'hdop', 'batt', 'charge', 'alarm', 'x'];
const numberish = fc.oneof(
  fc.double().map(String),
  fc.integer().map(String),
  fc.constantFrom('', '-1', 'NaN', 'Infinity', '1e400', '0x10', ' 5 ', '28.4,99.7', '2026-11-27 10:00:00', '2026-11-27T10:00:00+08:00'),
  fc.string(),
);

describe('parser properties', () => {
  it('OsmAnd params: arbitrary and mutated query strings give a sound fix or a 4xx', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...KEYS), numberish), { maxLength: 12 }), (pairs) => {
        const fix = onlyAppErrors(() => parseOsmandParams(new URLSearchParams(pairs)));
        if (fix) wellFormed(fix);
      }),
      { numRuns: RUNS },
    );
  });

  it('OsmAnd params: raw garbage strings never escape as anything but a 4xx', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const fix = onlyAppErrors(() => parseOsmandParams(new URLSearchParams(raw)));
        if (fix) wellFormed(fix);
      }),
      { numRuns: RUNS },
    );
  });

  it('Traccar JSON: arbitrary JSON values give a sound fix or a 4xx', () => {
    const coords = fc.record({ latitude: fc.anything(), longitude: fc.anything(), speed: fc.anything(), heading: fc.anything(), accuracy: fc.anything() }, { requiredKeys: [] });
    const shaped = fc.record({ device_id: fc.oneof(fc.string(), fc.integer(), fc.anything()), location: fc.record({ timestamp: fc.anything(), coords, battery: fc.anything() }, { requiredKeys: [] }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), shaped), (body) => {
        const fix = onlyAppErrors(() => parseTraccarJson(body, null));
        if (fix) wellFormed(fix);
      }),
      { numRuns: RUNS },
    );
  });

  it('OwnTracks: arbitrary messages give a fix, null (ignored) or a 4xx', () => {
    const loc = fc.record({ _type: fc.constantFrom('location', 'transition', 'card', 5), lat: fc.anything(), lon: fc.anything(), tst: fc.anything(), vel: fc.anything(), batt: fc.anything(), acc: fc.anything(), cog: fc.anything() }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), loc), (body) => {
        const fix = onlyAppErrors(() => parseOwnTracks(body, 'dev'));
        if (fix) wellFormed(fix);
      }),
      { numRuns: RUNS },
    );
  });

  it('batch: a bad fix is rejected with a reason and never spoils the valid ones', () => {
    const good = fc.record({
      device: fc.string({ minLength: 1, maxLength: 40 }),
      time: fc.integer({ min: 1_000_000_000_000, max: 2_000_000_000_000 }),
      lat: fc.double({ min: -90, max: 90, noNaN: true }),
      lon: fc.double({ min: -180, max: 180, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(good.map((g) => ({ g, valid: true })), fc.anything().map((g) => ({ g, valid: false }))), { maxLength: 30 }), (items) => {
        const out = onlyAppErrors(() => parseBatch({ fixes: items.map((i) => i.g) }));
        expect(out).not.toBeNull();
        out!.forEach((r, i) => {
          if (items[i]!.valid) expect(r.ok).toBe(true);
          if (r.ok) wellFormed(r.fix);
          else expect(r.reason.length).toBeGreaterThan(0);
        });
      }),
      { numRuns: RUNS },
    );
  });
});
