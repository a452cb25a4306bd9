// The plan monitor keeps each checkpoint's state until the next instant it
// can change (lib/plans/live.ts nextStateChange): the next period edge, the
// next known visit or the next start or end of a dispatch. Checked on written
// cases and as a property: at every instant from `now` up to that instant the
// state (and the period it speaks of) is the one computed at `now`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkpointStatus, type Period, type Span } from '../../lib/plans/compliance';
import { nextStateChange } from '../../lib/plans/live';

const MIN = 60_000;
// Four 30-minute slots from 0 to 120 min.
const slots: Period[] = [0, 30, 60, 90].map((m) => ({ start: m * MIN, end: (m + 30) * MIN }));

describe('next state change', () => {
  it('is the next slot edge when nothing else is known', () => {
    expect(nextStateChange(slots, { visits: [], suspensions: [], now: -5 * MIN })).toBe(0);
    expect(nextStateChange(slots, { visits: [], suspensions: [], now: 0 })).toBe(30 * MIN);
    expect(nextStateChange(slots, { visits: [], suspensions: [], now: 45 * MIN })).toBe(60 * MIN);
  });

  it('is a known visit or a dispatch edge when it comes first', () => {
    expect(nextStateChange(slots, { visits: [10 * MIN, 20 * MIN], suspensions: [], now: 15 * MIN })).toBe(20 * MIN);
    expect(nextStateChange(slots, { visits: [], suspensions: [{ start: 35 * MIN, end: 50 * MIN }], now: 31 * MIN })).toBe(35 * MIN);
    expect(nextStateChange(slots, { visits: [], suspensions: [{ start: 35 * MIN, end: 50 * MIN }], now: 40 * MIN })).toBe(50 * MIN);
    // A dispatch still running has no end to wait for.
    expect(nextStateChange(slots, { visits: [], suspensions: [{ start: 35 * MIN, end: null }], now: 40 * MIN })).toBe(60 * MIN);
  });

  it('is never after the last slot has ended and nothing more is known', () => {
    expect(nextStateChange(slots, { visits: [5 * MIN], suspensions: [{ start: 0, end: 10 * MIN }], now: 200 * MIN })).toBe(Infinity);
  });

  it('the state and its period hold from now until the next change', () => {
    const minute = fc.integer({ min: -20, max: 140 }).map((m) => m * MIN);
    const span = fc
      .tuple(minute, fc.option(fc.integer({ min: 1, max: 60 }), { nil: null }))
      .map(([start, len]): Span => ({ start, end: len === null ? null : start + len * MIN }));
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.array(minute, { maxLength: 4 }),
        fc.array(span, { maxLength: 3 }),
        minute,
        (n, visits, suspensions, now) => {
          const periods = slots.slice(0, n);
          const next = nextStateChange(periods, { visits, suspensions, now });
          expect(next).toBeGreaterThan(now);
          const at = (t: number) => {
            const st = checkpointStatus(periods, { visits, suspensions, now: t });
            return [st.state, st.period.start, st.period.end];
          };
          const expected = at(now);
          const last = Math.min(next - 1, now + 200 * MIN);
          for (let t = now; t <= last; t += Math.max(1, Math.floor((last - now) / 50))) expect(at(t)).toEqual(expected);
          expect(at(last)).toEqual(expected);
        },
      ),
    );
  });
});
