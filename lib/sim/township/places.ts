// Where things are: the town centre, the villages and the mountain masses.
import {
  dist,
  distanceToRing,
  distanceToSegment,
  insideWithMargin,
  polar,
  rayToRing,
  type Ring,
  type XY,
} from './geometry';
import type { Rng } from './prng';

/** Villages sit at least this far from the town centre (keeps town grid cells town-owned). */
export const VILLAGE_MIN_FROM_TOWN_M = 6000;
/** …and at least this far from each other and from the boundary. */
export const VILLAGE_MIN_SPACING_M = 4500;
export const VILLAGE_MIN_FROM_EDGE_M = 2200;

/** The town centre: near the middle of the township, where the valley roads meet. */
export function placeTownCentre(rng: Rng, boundary: Ring): XY {
  for (let i = 0; i < 200; i++) {
    const p = polar([0, 0], rng.range(0, 2 * Math.PI), rng.range(500, 2500));
    if (insideWithMargin(p, boundary, 6000)) return p;
  }
  return [0, 0];
}

/**
 * Seven village centres spread around the town, each on its own bearing, part
 * of the way from the town to the township edge. Returns null when the draw
 * cannot satisfy the spacing rules, so the caller retries with fresh numbers.
 */
export function placeVillages(rng: Rng, boundary: Ring, town: XY, count: number): XY[] | null {
  const rotation = rng.range(0, 2 * Math.PI);
  const out: XY[] = [];
  for (let k = 0; k < count; k++) {
    let placed: XY | null = null;
    for (let attempt = 0; attempt < 60 && !placed; attempt++) {
      const bearing = rotation + ((k + rng.range(-0.3, 0.3)) / count) * 2 * Math.PI;
      const reach = rayToRing(town, bearing, boundary);
      const d = reach * rng.range(0.45, 0.8);
      if (d < VILLAGE_MIN_FROM_TOWN_M) continue;
      const p = polar(town, bearing, d);
      if (!insideWithMargin(p, boundary, VILLAGE_MIN_FROM_EDGE_M)) continue;
      if (out.some((q) => dist(p, q) < VILLAGE_MIN_SPACING_M)) continue;
      placed = p;
    }
    if (!placed) return null;
    out.push(placed);
  }
  return out;
}

export interface Mountain {
  centre: XY;
  /** Nominal radius of the outermost band (level 1), metres. */
  radius: number;
  /** How many nested bands: 3 for the main mass, fewer for the others. */
  levels: number;
  /** Radius factor per vertex angle, shared by all bands so they nest. */
  shape: number[];
}

/** Vertices per relief ring. */
const RELIEF_VERTICES = 24;
/** The shape factor stays within 1 ± SHAPE_MAX; rings are sized with it in mind. */
const SHAPE_MAX = 0.18;
/** Level radii as a fraction of level 1. Each band is jittered by at most ±4 %. */
export const RELIEF_LEVEL_RATIOS = [1, 0.62, 0.3] as const;

function reliefShape(rng: Rng): number[] {
  const hs = [2, 3, 4].map((k) => ({ k, amp: rng.range(0.02, 0.06), phase: rng.range(0, 2 * Math.PI) }));
  return Array.from({ length: RELIEF_VERTICES }, (_, i) => {
    const theta = (i / RELIEF_VERTICES) * 2 * Math.PI;
    return 1 + hs.reduce((s, h) => s + h.amp * Math.cos(h.k * theta + h.phase), 0);
  });
}

function distanceToLine(p: XY, line: readonly XY[]): number {
  let d = Infinity;
  for (let i = 0; i + 1 < line.length; i++) d = Math.min(d, distanceToSegment(p, line[i] as XY, line[i + 1] as XY));
  return d;
}

/**
 * Two or three mountain masses in the parts of the township farthest from
 * people: sample candidate centres and keep the one that admits the largest
 * mass clear of the boundary, the settlements, the roads (valley roads go
 * round mountains, not over the summit) and the masses already placed.
 */
export function placeMountains(
  rng: Rng,
  boundary: Ring,
  settlements: readonly XY[],
  roads: readonly (readonly XY[])[],
): Mountain[] | null {
  const candidates: XY[] = [];
  while (candidates.length < 400) {
    const p: XY = [rng.range(-20000, 20000), rng.range(-20000, 20000)];
    if (insideWithMargin(p, boundary, 1500)) candidates.push(p);
  }
  const grow = 1 + SHAPE_MAX + 0.04; // the largest a band can be relative to its nominal radius
  const out: Mountain[] = [];
  for (let m = 0; m < 3; m++) {
    let best: { centre: XY; radius: number } | null = null;
    for (const c of candidates) {
      let limit = Math.min(4200, (0.9 * distanceToRing(c, boundary)) / grow);
      for (const s of settlements) limit = Math.min(limit, (dist(c, s) - 1500) / grow);
      for (const r of roads) limit = Math.min(limit, (distanceToLine(c, r) - 250) / grow);
      for (const o of out) limit = Math.min(limit, (dist(c, o.centre) - 400) / grow - o.radius);
      if (!best || limit > best.radius) best = { centre: c, radius: limit };
    }
    if (!best || best.radius < 1500) break;
    out.push({ ...best, levels: 3 - m, shape: reliefShape(rng) });
  }
  return out.length >= 2 ? out : null;
}

/** The ring of one relief band: the shared shape scaled by the level ratio, jittered a little. */
export function reliefRing(rng: Rng, m: Mountain, level: number): XY[] {
  const ratio = RELIEF_LEVEL_RATIOS[level - 1] ?? 0.3;
  return m.shape.map((f, i) => {
    const theta = (i / m.shape.length) * 2 * Math.PI;
    return polar(m.centre, theta, m.radius * ratio * f * (1 + rng.range(-0.04, 0.04)));
  });
}

