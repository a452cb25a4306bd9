// Arrival from a sequence of fixes (lib/rules/arrival.ts): the start of the
// latest unbroken run within the radius that includes the newest fix, once it
// spans the dwell. Radius 60 m and dwell 30 s in every case; times are written
// out as seconds after 08:00:00 UTC on 1 December 2026.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectArrival, type ArrivalFix } from '../../lib/rules/arrival';

const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const RULE = { radiusM: 60, dwellS: 30 };
/** [seconds after T0, metres from the incident] → fixes. */
const fixes = (...pairs: [number, number][]): ArrivalFix[] => pairs.map(([s, metres]) => ({ at: T0 + s * 1000, metres }));

describe('detectArrival', () => {
  it('is null with no fixes at all', () => {
    expect(detectArrival([], RULE)).toBeNull();
  });

  it('is null when the team never comes within the radius (it drives past at 61 m)', () => {
    expect(detectArrival(fixes([0, 900], [10, 400], [20, 120], [30, 61], [40, 75], [50, 200]), RULE)).toBeNull();
  });

  it('is null when the team is within the radius, but not yet for the dwell (25 s of 30)', () => {
    expect(detectArrival(fixes([0, 400], [10, 150], [20, 50], [30, 20], [40, 12], [45, 8]), RULE)).toBeNull();
  });

  it('is the first fix of the run once the run spans the dwell', () => {
    // In from 20 s; the newest fix at 55 s makes the run 35 s long.
    expect(detectArrival(fixes([0, 400], [10, 150], [20, 50], [30, 20], [40, 12], [55, 8]), RULE)).toBe(T0 + 20_000);
  });

  it('counts a run of exactly the dwell (30 s) as arrived', () => {
    expect(detectArrival(fixes([0, 300], [10, 59], [25, 40], [40, 30]), RULE)).toBe(T0 + 10_000);
  });

  it('counts a fix exactly on the radius (60 m) as inside', () => {
    expect(detectArrival(fixes([0, 60], [15, 60], [30, 60]), RULE)).toBe(T0);
  });

  it('restarts the run when the team leaves and comes back', () => {
    // In 0–40 s (long enough then), out at 50 s, back from 60 s: the newest run is only 20 s long.
    const sequence = fixes([0, 30], [20, 25], [40, 20], [50, 140], [60, 40], [70, 30], [80, 10]);
    expect(detectArrival(sequence, RULE)).toBeNull();
    // Ten seconds later the second run spans 30 s: arrival is its start, not the first visit.
    expect(detectArrival([...sequence, { at: T0 + 90_000, metres: 15 }], RULE)).toBe(T0 + 60_000);
  });

  it('is null when the newest fix has left the radius, however long the team stayed before', () => {
    expect(detectArrival(fixes([0, 10], [60, 10], [120, 10], [180, 10], [190, 95]), RULE)).toBeNull();
  });

  it('breaks the run on every fix that jitters just outside the boundary (60.4 m)', () => {
    // GPS jitter around the radius: 59.6 / 60.4 / 59.8 / 60.2 / 59.9 … each outside fix restarts the run.
    const jitter = fixes([0, 59.6], [10, 60.4], [20, 59.8], [30, 60.2], [40, 59.9], [50, 59.7], [60, 59.5]);
    expect(detectArrival(jitter, RULE)).toBeNull();
    // Held inside from 40 s, the run reaches 30 s at 70 s.
    expect(detectArrival([...jitter, { at: T0 + 70_000, metres: 59.9 }], RULE)).toBe(T0 + 40_000);
  });

  it('treats a distance that is not a number as outside', () => {
    expect(detectArrival(fixes([0, 10], [15, Number.NaN], [30, 10], [45, 10]), RULE)).toBeNull();
    expect(detectArrival(fixes([0, 10], [15, Number.NaN], [30, 10], [60, 10]), RULE)).toBe(T0 + 30_000);
  });

  it('arrives at once with a dwell of 0 s, at the newest fix if it alone is inside', () => {
    expect(detectArrival(fixes([0, 200], [10, 45]), { radiusM: 60, dwellS: 0 })).toBe(T0 + 10_000);
  });

  it('reads fixes in any order (devices resend, batches arrive late)', () => {
    const shuffled = fixes([55, 8], [0, 400], [30, 20], [20, 50], [10, 150], [40, 12]);
    expect(detectArrival(shuffled, RULE)).toBe(T0 + 20_000);
  });

  it('gives the same answer for any order of the same fixes (property)', () => {
    const fix = fc.record({ at: fc.integer({ min: 0, max: 600 }).map((s) => T0 + s * 1000), metres: fc.double({ min: 0, max: 200, noNaN: true }) });
    fc.assert(
      fc.property(fc.uniqueArray(fix, { minLength: 1, maxLength: 40, selector: (f) => f.at }), fc.integer(), (list, seed) => {
        const sorted = [...list].sort((a, b) => a.at - b.at);
        const shuffled = [...list].sort((a, b) => ((a.at * 31 + seed) % 97) - ((b.at * 31 + seed) % 97));
        const answer = detectArrival(sorted, RULE);
        expect(detectArrival(shuffled, RULE)).toBe(answer);
        // An answer is one of the fixes, within the radius, at least the dwell before the newest.
        const start = sorted.find((f) => f.at === answer);
        const newest = sorted[sorted.length - 1]!;
        expect(answer === null || (start !== undefined && start.metres <= 60 && newest.at - answer >= 30_000)).toBe(true);
      }),
    );
  });
});
