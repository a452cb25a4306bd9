import { bearing, distance } from '@turf/turf';
import type { LonLat } from '../model';

/** An undirected graph whose nodes are line vertices; shared coordinates join lines. */
export interface RoadGraph {
  nodes: LonLat[];
  /** adjacency: node index → neighbour indices */
  edges: number[][];
}

const key = (p: LonLat) => `${p[0].toFixed(7)},${p[1].toFixed(7)}`;

export function buildRoadGraph(lines: readonly (readonly LonLat[])[]): RoadGraph {
  const index = new Map<string, number>();
  const nodes: LonLat[] = [];
  const edges: number[][] = [];
  const nodeOf = (p: LonLat): number => {
    const k = key(p);
    let i = index.get(k);
    if (i === undefined) {
      i = nodes.length;
      index.set(k, i);
      nodes.push([p[0], p[1]]);
      edges.push([]);
    }
    return i;
  };
  for (const line of lines) {
    for (let j = 1; j < line.length; j++) {
      const a = nodeOf(line[j - 1]!);
      const b = nodeOf(line[j]!);
      if (a === b) continue;
      if (!edges[a]!.includes(b)) edges[a]!.push(b);
      if (!edges[b]!.includes(a)) edges[b]!.push(a);
    }
  }
  return { nodes, edges };
}

/** Sizes of the connected components, largest first. */
export function componentSizes(g: RoadGraph): number[] {
  const seen = new Uint8Array(g.nodes.length);
  const sizes: number[] = [];
  for (let s = 0; s < g.nodes.length; s++) {
    if (seen[s]) continue;
    let size = 0;
    const stack = [s];
    seen[s] = 1;
    while (stack.length > 0) {
      const n = stack.pop()!;
      size++;
      for (const m of g.edges[n]!) {
        if (!seen[m]) {
          seen[m] = 1;
          stack.push(m);
        }
      }
    }
    sizes.push(size);
  }
  return sizes.sort((a, b) => b - a);
}

export function nearestNode(g: RoadGraph, p: LonLat): number {
  let best = 0;
  let bestD = Infinity;
  g.nodes.forEach((n, i) => {
    const d = (n[0] - p[0]) ** 2 + (n[1] - p[1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}

export const metresBetween = (a: LonLat, b: LonLat): number => distance(a, b, { units: 'meters' });

/** Compass bearing 0..360 from a to b. */
export const headingBetween = (a: LonLat, b: LonLat): number => (bearing(a, b) + 360) % 360;

/** The point a fraction t (0..1) of the way from a to b (fine at township scale). */
export function lerp(a: LonLat, b: LonLat, t: number): LonLat {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}
