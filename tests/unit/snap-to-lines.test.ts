// The plan editor's road snap (components/map/snap-to-lines.ts), on the
// equator where 0.001° of longitude is 111.195 m. (The route coverage is the
// plan-vs-actual report's PostGIS statement: tests/integration/plans-report
// and plans-live-coverage.)
import { describe, expect, it } from 'vitest';
import { snapToLines } from '../../components/map/snap-to-lines';
import type { LonLat } from '../../lib/model';

const ROUTE: LonLat[] = [
  [0, 0],
  [0.001, 0],
];

describe('snapToLines', () => {
  const ROAD: LonLat[][] = [ROUTE];

  it('a point 33 m off a road moves onto it', () => {
    const r = snapToLines([0.0005, 0.0003], ROAD, 40);
    expect(r.snapped).toBe(true);
    expect(r.point[0]).toBeCloseTo(0.0005, 9);
    expect(r.point[1]).toBeCloseTo(0, 9);
    expect(r.movedM).toBeCloseTo(33.36, 1);
  });

  it('a point 44 m off stays where it is', () => {
    expect(snapToLines([0.0005, 0.0004], ROAD, 40)).toEqual({ point: [0.0005, 0.0004], movedM: 0, snapped: false });
  });

  it('past the end of a road it meets the end', () => {
    const r = snapToLines([0.0012, 0.0001], ROAD, 40);
    expect(r.point[0]).toBeCloseTo(0.001, 9);
    expect(r.point[1]).toBeCloseTo(0, 9);
    expect(r.movedM).toBeCloseTo(24.86, 1);
  });

  it('the nearest of several roads wins; no roads, no snap', () => {
    const north: LonLat[] = [
      [0, 0.0002],
      [0.001, 0.0002],
    ];
    const r = snapToLines([0.0005, 0.00015], [ROUTE, north], 40);
    expect(r.point[1]).toBeCloseTo(0.0002, 9);
    expect(snapToLines([0.0005, 0.00015], [], 40).snapped).toBe(false);
  });

  it("at the township's latitude a degree of longitude is shorter: 0.0004° east at 31.2° N is 38 m, within 40", () => {
    // 0.0004 × 111,195 × cos 31.2° = 38.0 m (44.5 m if the longitude were not scaled: no snap).
    const r = snapToLines([100.5004, 31.2], [[[100.5, 31.19], [100.5, 31.21]]], 40);
    expect(r.snapped).toBe(true);
    expect(r.movedM).toBeCloseTo(38.0, 0);
    expect(r.point[0]).toBeCloseTo(100.5, 9);
  });
});
