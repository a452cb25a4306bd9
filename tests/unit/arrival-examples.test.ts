// Arrival at the very edges of the rule (lib/rules/arrival.ts), beside
// tests/unit/arrival.test.ts: a run 1 ms short of the dwell, a fix 1 cm past
// the radius. Radius 60 m and dwell 30 s; times in milliseconds after
// 08:00:00 UTC on 1 December 2026.
import { describe, expect, it } from 'vitest';
import { detectArrival, type ArrivalFix } from '../../lib/rules/arrival';

const T0 = Date.UTC(2026, 11, 1, 8, 0, 0);
const RULE = { radiusM: 60, dwellS: 30 };
/** [milliseconds after T0, metres from the incident] → fixes. */
const fixes = (...pairs: [number, number][]): ArrivalFix[] => pairs.map(([ms, metres]) => ({ at: T0 + ms, metres }));

describe('detectArrival at the edges', () => {
  it('is null for a run 1 ms short of the dwell and arrives once it is exactly the dwell', () => {
    expect(detectArrival(fixes([0, 200], [5_000, 40], [34_999, 40]), RULE)).toBeNull();
    expect(detectArrival(fixes([0, 200], [5_000, 40], [35_000, 40]), RULE)).toBe(T0 + 5_000);
  });

  it('counts a fix 1 cm past the radius as outside: it breaks the run', () => {
    // 60 m at 10 s is inside, so the run is 0–40 s; 60.01 m at 10 s splits it and leaves 20–40 s.
    expect(detectArrival(fixes([0, 30], [10_000, 60], [20_000, 30], [40_000, 30]), RULE)).toBe(T0);
    expect(detectArrival(fixes([0, 30], [10_000, 60.01], [20_000, 30], [40_000, 30]), RULE)).toBeNull();
  });

  it('is null when only the newest fix is 1 cm past the radius', () => {
    expect(detectArrival(fixes([0, 30], [40_000, 30], [50_000, 60.01]), RULE)).toBeNull();
  });
});
