// The simulator's plan course (lib/sim/plan-course.ts) and the demo seed's
// herb-season span (lib/sim/seed-plans.ts).
import { describe, expect, it } from 'vitest';
import type { LonLat, PlanCheckpoint } from '../../lib/model';
import { planRound } from '../../lib/sim/plan-course';
import { herbSeasonSpan } from '../../lib/sim/seed-plans';
import { Walker, type Leg } from '../../lib/sim/walker';

const cp = (seq: number, point: LonLat): PlanCheckpoint => ({ id: seq, seq, keyLocationId: null, name: `C${seq}`, point, radiusM: 30, frequency: null });
const isLeg = (x: LonLat | Leg): x is Leg => 'to' in x;

describe('planRound', () => {
  it('without a route: each checkpoint in order, standing there with two slow hops', () => {
    const round = planRound({ route: null, checkpoints: [cp(2, [100.002, 31]), cp(1, [100.001, 31])] }, { holdS: 90 })!;
    expect(round.filter((x) => !isLeg(x))).toEqual([[100.001, 31], [100.002, 31]]);
    const hops = round.filter(isLeg);
    expect(hops).toHaveLength(4);
    expect(hops[0]!.speedMs).toBeCloseTo(3 / 45);
  });
  it('with a route: out along it and back, turning off to each checkpoint at its nearest vertex', () => {
    const route = { type: 'LineString' as const, coordinates: [[100, 31], [100.002, 31], [100.004, 31]] as [number, number][] };
    const round = planRound({ route, checkpoints: [cp(1, [100.0021, 31.0002])] }, { holdS: 60 })!;
    const points = round.map((x) => (isLeg(x) ? 'hold' : x));
    expect(points).toEqual([[100, 31], [100.002, 31], [100.0021, 31.0002], 'hold', 'hold', [100.002, 31], [100.004, 31], [100.002, 31], [100.0021, 31.0002], 'hold', 'hold', [100.002, 31]]);
  });
  it('a walker on the course stands within a few metres of the checkpoint for the hold', () => {
    const round = planRound({ route: null, checkpoints: [cp(1, [100.001, 31])] }, { holdS: 90 })!;
    let i = 0;
    const w = new Walker([100.001, 31], 1.25, () => round[i++ % round.length]!);
    for (let s = 0; s < 80; s += 5) {
      w.advance(5);
      expect(Math.abs(w.position[0] - 100.001) * 111_195 * Math.cos((31 * Math.PI) / 180)).toBeLessThan(3.5);
    }
  });
  it('is null for a plan with neither', () => {
    expect(planRound({ route: null, checkpoints: [] }, { holdS: 60 })).toBeNull();
  });
});

describe('herbSeasonSpan', () => {
  it('this year’s season until it ends, then next year’s; a season wrapping the year end', () => {
    expect(herbSeasonSpan([5, 6, 7], '2026-03-01')).toEqual({ from: '2026-05-01', until: '2026-07-31' });
    expect(herbSeasonSpan([5, 6, 7], '2026-07-31')).toEqual({ from: '2026-05-01', until: '2026-07-31' });
    expect(herbSeasonSpan([7, 5, 6], '2026-08-01')).toEqual({ from: '2027-05-01', until: '2027-07-31' });
    expect(herbSeasonSpan([11, 12, 1, 2], '2026-01-15')).toEqual({ from: '2025-11-01', until: '2026-02-28' });
    expect(herbSeasonSpan([11, 12, 1, 2], '2026-03-01')).toEqual({ from: '2026-11-01', until: '2027-02-28' });
    expect(herbSeasonSpan([], '2026-03-01')).toBeNull();
  });
});
