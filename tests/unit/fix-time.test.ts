// A unit's fix time in epoch ms (lib/live/fix-time.ts), held per team: whatever
// order records of the same or other teams are asked about in — an old record
// and its newer one compared, teams interleaved, a fix time that goes away —
// each answer is the record's own fix time read afresh.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fixTimeMs } from '@/lib/live/fix-time';
import { FACTORY_NOW, isoAt, unit } from '../helpers/factories';

describe("a unit's fix time", () => {
  it('is the record’s own time, NaN without one or when it cannot be read', () => {
    expect(fixTimeMs(unit(7001, { fixTime: isoAt(FACTORY_NOW) }))).toBe(FACTORY_NOW);
    expect(fixTimeMs(unit(7001, { fixTime: null }))).toBeNaN();
    expect(fixTimeMs(unit(7001, { fixTime: 'not a time' }))).toBeNaN();
    expect(fixTimeMs(unit(7001, { fixTime: '2025-06-01T10:00:00+02:00' }))).toBe(FACTORY_NOW);
  });

  it('answers each record in any order of records and teams as a fresh parse does', () => {
    const record = fc.record({
      teamId: fc.integer({ min: 1, max: 4 }),
      at: fc.option(fc.integer({ min: 0, max: 5 }).map((k) => isoAt(FACTORY_NOW - k * 60_000)), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 40 }), (asked) => {
        for (const { teamId, at } of asked) {
          const u = unit(teamId, { fixTime: at });
          expect(fixTimeMs(u)).toStrictEqual(at === null ? Number.NaN : Date.parse(at));
        }
      }),
    );
  });
});
