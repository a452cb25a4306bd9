import { describe, expect, it } from 'vitest';
import type { LonLat } from '../../lib/model';
import { buildRoadGraph, componentSizes, headingBetween, metresBetween, nearestNode } from '../../lib/geo/road-graph';
import { Walker } from '../../lib/sim/walker';

describe('road graph', () => {
  it('joins lines at shared vertices and finds components', () => {
    const a: LonLat[] = [[0, 0], [0, 1], [1, 1]];
    const b: LonLat[] = [[1, 1], [2, 1]];
    const c: LonLat[] = [[5, 5], [6, 6]];
    const g = buildRoadGraph([a, b, c]);
    expect(g.nodes).toHaveLength(6);
    expect(componentSizes(g)).toEqual([4, 2]);
    expect(g.edges[nearestNode(g, [1.1, 0.9])]!.length).toBe(2);
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
