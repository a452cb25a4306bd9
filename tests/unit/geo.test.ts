import { describe, expect, it } from 'vitest';
import type { LonLat } from '../../lib/model';
import { headingBetween, metresBetween } from '../../lib/geo/measure';
import { RoadNetwork } from '../../lib/geo/road-network';
import { Walker } from '../../lib/sim/walker';

describe('the road network as patrols walk it', () => {
  it('joins lines at shared vertices; the nearest vertex is the nearer end of the snapped segment; neighbours are one segment away', () => {
    const a: LonLat[] = [[100, 30], [100, 30.01], [100.01, 30.01]];
    const b: LonLat[] = [[100.01, 30.01], [100.02, 30.01]];
    const c: LonLat[] = [[100.05, 30.05], [100.06, 30.06]];
    const net = new RoadNetwork([a, b, c]);
    expect(net.nodes).toHaveLength(6);
    // Node numbers follow first appearance: a's three vertices, b's new end, then c's two.
    expect(net.nearestVertex([100.011, 30.0099])).toBe(2);
    expect(net.roadNeighbours(2).sort()).toEqual([1, 3]);
    expect(net.roadNeighbours(0)).toEqual([1]);
    expect(net.roadNeighbours(4)).toEqual([5]);
    expect(net.nearestVertex([100.0, 30.004])).toBe(0);
    expect(new RoadNetwork([]).nearestVertex([100, 30])).toBeNull();
  });
});

describe('walker', () => {
  it('moves at its speed along waypoints and faces where it goes', () => {
    const points: LonLat[] = [[99.7, 28.45], [99.71, 28.45]];
    let i = 0;
    const w = new Walker(points[0]!, 10, () => points[(i = (i + 1) % points.length)]!);
    const covered = w.advance(30);
    expect(covered).toBeCloseTo(300, 3);
    expect(metresBetween(points[0]!, w.position)).toBeCloseTo(300, 0);
    expect(w.heading).toBeCloseTo(headingBetween(points[0]!, points[1]!), 3);
    expect(w.heading).toBeGreaterThan(89);
    expect(w.heading).toBeLessThan(91);
  });
});
