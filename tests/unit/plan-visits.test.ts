// Checkpoint visits from fix sequences (issue 14), in memory: a run inside
// the radius that spans the dwell is a visit from its first fix; a shorter
// pass-through is none; a fix outside, or outside the occurrence's window,
// ends the run; a fix older than the team's newest is left to the history.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nearMetres, VisitTracker, type TeamFix, type WatchedCheckpoint } from '../../lib/plans/visits';

const T0 = Date.parse('2026-12-01T10:00:00Z');
const S = 1000;
const BRIDGE: WatchedCheckpoint = { planId: 7, checkpointId: 11, day: '2026-12-01', start: T0, end: T0 + 8 * 3600 * S, lon: 100.5, lat: 31.2, radiusM: 50 };
/** A point `m` metres north of the bridge. */
const north = (m: number) => ({ lon: 100.5, lat: 31.2 + m / 111_320 });
const fix = (teamId: number, s: number, m: number): TeamFix => ({ teamId, fixTime: T0 + s * S, ...north(m) });
const tracker = (dwellS = 60, cps: WatchedCheckpoint[] = [BRIDGE], team = 3) => {
  const t = new VisitTracker({ dwellS });
  t.watch(new Map([[team, cps]]));
  return t;
};

describe('visit detection', () => {
  it('measures metres as the geography does here (1 m north is 1 m; 100 m east at 31.2° N)', () => {
    expect(nearMetres(100.5, 31.2, 100.5, 31.2 + 1 / 111_320)).toBeCloseTo(1, 6);
    expect(nearMetres(100.5, 31.2, 100.5 + 100 / (111_320 * Math.cos((31.2 * Math.PI) / 180)), 31.2)).toBeCloseTo(100, 3);
  });

  it('a pass-through shorter than the dwell is no visit', () => {
    const t = tracker();
    expect(t.observe([fix(3, 0, 80), fix(3, 10, 40), fix(3, 40, 10), fix(3, 69, 45), fix(3, 75, 90)])).toEqual([]);
  });

  it('a dwell is a visit from the first fix inside, reported when the dwell is reached; it left when last seen inside', () => {
    const t = tracker();
    expect(t.observe([fix(3, 0, 80), fix(3, 10, 40)])).toEqual([]);
    expect(t.observe([fix(3, 40, 0)])).toEqual([]);
    const arrived = { planId: 7, checkpointId: 11, teamId: 3, day: '2026-12-01', arrivedAt: T0 + 10 * S, leftAt: null };
    expect(t.observe([fix(3, 70, 49.9)])).toEqual([arrived]); // 60 s after 10 s, just inside
    expect(t.observe([fix(3, 100, 20)])).toEqual([]);
    expect(t.observe([fix(3, 130, 51)])).toEqual([{ ...arrived, leftAt: T0 + 100 * S }]);
    expect(t.observe([fix(3, 140, 51)])).toEqual([]);
  });

  it('a fix at exactly the radius is inside (as lib/rules/arrival.ts counts it)', () => {
    const edge = fix(3, 0, 50);
    const atEdge: WatchedCheckpoint = { ...BRIDGE, radiusM: nearMetres(BRIDGE.lon, BRIDGE.lat, edge.lon, edge.lat) };
    const t = tracker(60, [atEdge]);
    expect(t.observe([edge, fix(3, 30, 50)])).toEqual([]);
    expect(t.observe([fix(3, 60, 50)])).toEqual([{ planId: 7, checkpointId: 11, teamId: 3, day: '2026-12-01', arrivedAt: T0, leftAt: null }]);
  });

  it('leaving and coming back starts the count again', () => {
    const t = tracker();
    expect(t.observe([fix(3, 0, 0), fix(3, 50, 0), fix(3, 55, 200), fix(3, 60, 0), fix(3, 110, 0)])).toEqual([]);
    expect(t.observe([fix(3, 120, 0)]).map((v) => v.arrivedAt)).toEqual([T0 + 60 * S]);
  });

  it('a fix older than the newest one seen for the team neither starts nor breaks a run', () => {
    const t = tracker();
    t.observe([fix(3, 0, 0), fix(3, 30, 0)]);
    expect(t.observe([fix(3, 20, 500)])).toEqual([]); // late and far: ignored, the run goes on
    expect(t.observe([fix(3, 60, 0)]).map((v) => v.arrivedAt)).toEqual([T0]);
    const u = tracker();
    u.observe([fix(3, 0, 500), fix(3, 100, 500)]);
    expect(u.observe([fix(3, 30, 0), fix(3, 95, 0)])).toEqual([]); // late and inside: no visit made up from the past
  });

  it('fixes outside the occurrence window do not count, and only the plan teams are watched', () => {
    const late: WatchedCheckpoint = { ...BRIDGE, start: T0 + 30 * S, end: T0 + 100 * S };
    const t = tracker(60, [late]);
    expect(t.observe([fix(3, 0, 0), fix(3, 29, 0), fix(3, 30, 0), fix(3, 89, 0), fix(4, 95, 0), fix(4, 200, 0), fix(3, 100, 0), fix(3, 200, 0)])).toEqual([]);
    expect(t.observe([fix(3, 30 + 1000, 0)])).toEqual([]);
  });

  it('a dwell of 0 makes the first fix inside a visit; checkpoints dropped from the watch lose their runs', () => {
    const t = tracker(0);
    expect(t.observe([fix(3, 5, 10)]).map((v) => [v.arrivedAt, v.leftAt])).toEqual([[T0 + 5 * S, null]]);
    const u = tracker();
    u.observe([fix(3, 0, 0), fix(3, 30, 0)]);
    u.watch(new Map([[3, [{ ...BRIDGE, checkpointId: 12 }]]]));
    expect(u.watched).toBe(1);
    expect(u.observe([fix(3, 60, 0)])).toEqual([]);
    u.watch(new Map([[3, [{ ...BRIDGE, checkpointId: 12 }]]]));
    expect(u.observe([fix(3, 120, 0)]).map((v) => [v.checkpointId, v.arrivedAt])).toEqual([[12, T0 + 60 * S]]);
  });

  it('the fixes of one call may come in any order: the same visits as one by one in time order', () => {
    const seqArb = fc.array(fc.record({ s: fc.integer({ min: 0, max: 600 }), m: fc.integer({ min: 0, max: 120 }) }), { maxLength: 40 });
    fc.assert(
      fc.property(seqArb, fc.nat(), (seq, seed) => {
        const fixes = [...new Map(seq.map((f) => [f.s, fix(3, f.s, f.m)])).values()];
        const inOrder = [...fixes].sort((a, b) => a.fixTime - b.fixTime);
        const shuffled = [...fixes].sort((a, b) => ((a.fixTime * 7919 + seed) % 101) - ((b.fixTime * 7919 + seed) % 101));
        const one = tracker();
        const expected = inOrder.flatMap((f) => one.observe([f]));
        expect(tracker().observe(shuffled)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
