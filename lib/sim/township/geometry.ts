// Planar geometry for the generator. The township is generated in a local
// metric frame (metres east/north of ORIGIN) where distances and areas are
// plain Euclidean, and converted to [lon, lat] only on the way out.
import type { LonLat } from '../../model';
import type { Rng } from './prng';

/** Metres east and north of ORIGIN. */
export type XY = [x: number, y: number];
/** A polygon ring without the repeated closing vertex. */
export type Ring = readonly XY[];

/** The fictional township sits around here (any spot on the plateau would do). */
export const ORIGIN: LonLat = [99.7, 28.45];

const LAT0 = (ORIGIN[1] * Math.PI) / 180;
// Length of a degree on the WGS84 ellipsoid at ORIGIN's latitude. Using the
// ellipsoid (not a sphere) makes planar areas match ST_Area(geography): the
// demo boundary, 556.000 km² here, measures 556.001 km² in PostGIS.
const M_PER_DEG_LAT = 111132.92 - 559.82 * Math.cos(2 * LAT0) + 1.175 * Math.cos(4 * LAT0);
const M_PER_DEG_LON = 111412.84 * Math.cos(LAT0) - 93.5 * Math.cos(3 * LAT0) + 0.118 * Math.cos(5 * LAT0);

/**
 * 6 decimals (~0.1 m). Rounding here is what makes shared road vertices exact:
 * the same XY always becomes the same two doubles, and those doubles survive
 * GeoJSON → PostGIS → GeoJSON unchanged.
 */
const COORD_SCALE = 1e6;

export function toLonLat([x, y]: XY): LonLat {
  const lon = ORIGIN[0] + x / M_PER_DEG_LON;
  const lat = ORIGIN[1] + y / M_PER_DEG_LAT;
  return [Math.round(lon * COORD_SCALE) / COORD_SCALE, Math.round(lat * COORD_SCALE) / COORD_SCALE];
}

export function toXY([lon, lat]: LonLat): XY {
  return [(lon - ORIGIN[0]) * M_PER_DEG_LON, (lat - ORIGIN[1]) * M_PER_DEG_LAT];
}

export function add(a: XY, b: XY): XY {
  return [a[0] + b[0], a[1] + b[1]];
}

export function sub(a: XY, b: XY): XY {
  return [a[0] - b[0], a[1] - b[1]];
}

export function scale(a: XY, k: number): XY {
  return [a[0] * k, a[1] * k];
}

export function dist(a: XY, b: XY): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** The point at `distance` metres from `from` in direction `angle` (radians, counter-clockwise from east). */
export function polar(from: XY, angle: number, distance: number): XY {
  return [from[0] + distance * Math.cos(angle), from[1] + distance * Math.sin(angle)];
}

export function angleOf(from: XY, to: XY): number {
  return Math.atan2(to[1] - from[1], to[0] - from[0]);
}

/** Shoelace area, positive for counter-clockwise rings. */
export function signedArea(ring: Ring): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i] as XY;
    const [x2, y2] = ring[(i + 1) % ring.length] as XY;
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

/** Even–odd ray casting. Points exactly on an edge are unspecified; callers keep a margin. */
export function pointInRing(p: XY, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as XY;
    const [xj, yj] = ring[j] as XY;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function distanceToSegment(p: XY, a: XY, b: XY): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / len2));
  return Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy));
}

export function distanceToRing(p: XY, ring: Ring): number {
  let d = Infinity;
  for (let i = 0; i < ring.length; i++) {
    d = Math.min(d, distanceToSegment(p, ring[i] as XY, ring[(i + 1) % ring.length] as XY));
  }
  return d;
}

/** Inside the ring and at least `margin` metres from its edge. */
export function insideWithMargin(p: XY, ring: Ring, margin: number): boolean {
  return pointInRing(p, ring) && distanceToRing(p, ring) >= margin;
}

function cross(o: XY, a: XY, b: XY): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

/**
 * Where segments ab and cd cross, or null. Touching at an end counts as a
 * crossing; collinear overlaps are reported as null (never produced here).
 */
export function segmentIntersection(a: XY, b: XY, c: XY, d: XY): XY | null {
  const r = sub(b, a);
  const s = sub(d, c);
  const denom = r[0] * s[1] - r[1] * s[0];
  if (denom === 0) return null;
  const ca = sub(c, a);
  const t = (ca[0] * s[1] - ca[1] * s[0]) / denom;
  const u = (ca[0] * r[1] - ca[1] * r[0]) / denom;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return [a[0] + t * r[0], a[1] + t * r[1]];
}

/** True when ab and cd share any point (including touching and collinear overlap). */
export function segmentsTouch(a: XY, b: XY, c: XY, d: XY): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const onSeg = (p: XY, q: XY, r: XY) =>
    Math.min(p[0], q[0]) <= r[0] && r[0] <= Math.max(p[0], q[0]) && Math.min(p[1], q[1]) <= r[1] && r[1] <= Math.max(p[1], q[1]);
  return (
    (d1 === 0 && onSeg(c, d, a)) ||
    (d2 === 0 && onSeg(c, d, b)) ||
    (d3 === 0 && onSeg(a, b, c)) ||
    (d4 === 0 && onSeg(a, b, d))
  );
}

/** A ring is simple when no two non-adjacent edges touch and it has at least 3 distinct vertices. */
export function isSimpleRing(ring: Ring): boolean {
  const n = ring.length;
  if (n < 3) return false;
  for (let i = 0; i < n; i++) {
    const a = ring[i] as XY;
    const b = ring[(i + 1) % n] as XY;
    if (a[0] === b[0] && a[1] === b[1]) return false;
    for (let j = i + 1; j < n; j++) {
      // Adjacent edges share a vertex by construction; skip them.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsTouch(a, b, ring[j] as XY, ring[(j + 1) % n] as XY)) return false;
    }
  }
  return true;
}

/** Every vertex at least `margin` inside and no segment leaving the ring. */
export function lineInsideRing(line: readonly XY[], ring: Ring, margin: number): boolean {
  if (!line.every((p) => insideWithMargin(p, ring, margin))) return false;
  for (let i = 0; i + 1 < line.length; i++) {
    for (let j = 0; j < ring.length; j++) {
      if (segmentsTouch(line[i] as XY, line[i + 1] as XY, ring[j] as XY, ring[(j + 1) % ring.length] as XY)) return false;
    }
  }
  return true;
}

/** Every crossing point between two polylines. */
export function lineCrossings(a: readonly XY[], b: readonly XY[]): XY[] {
  const out: XY[] = [];
  for (let i = 0; i + 1 < a.length; i++) {
    for (let j = 0; j + 1 < b.length; j++) {
      const p = segmentIntersection(a[i] as XY, a[i + 1] as XY, b[j] as XY, b[j + 1] as XY);
      if (p) out.push(p);
    }
  }
  return out;
}

/** Distance along a ray from `from` (inside the ring) to the first edge it hits. */
export function rayToRing(from: XY, angle: number, ring: Ring): number {
  const far = polar(from, angle, 1e7);
  let best = Infinity;
  for (let i = 0; i < ring.length; i++) {
    const p = segmentIntersection(from, far, ring[i] as XY, ring[(i + 1) % ring.length] as XY);
    if (p) best = Math.min(best, dist(from, p));
  }
  return best;
}

export function lineLength(line: readonly XY[]): number {
  let s = 0;
  for (let i = 0; i + 1 < line.length; i++) s += dist(line[i] as XY, line[i + 1] as XY);
  return s;
}

/**
 * A polyline from a to b with intermediate vertices every ~`spacing` metres,
 * pushed sideways by a smooth random offset of up to `amplitude` metres.
 * The sine envelope pins both ends, so a and b are returned as the very same
 * tuples — which is what lets roads share vertices exactly.
 */
export function wiggleLine(a: XY, b: XY, spacing: number, amplitude: number, rng: Rng): XY[] {
  const length = dist(a, b);
  const steps = Math.max(1, Math.round(length / spacing));
  const ux = (b[0] - a[0]) / length;
  const uy = (b[1] - a[1]) / length;
  // Two sine waves with random phase: smooth bends rather than zig-zag noise.
  const f1 = rng.range(0.7, 1.6);
  const f2 = rng.range(2, 3.5);
  const p1 = rng.range(0, 2 * Math.PI);
  const p2 = rng.range(0, 2 * Math.PI);
  const w2 = rng.range(0.15, 0.35);
  const out: XY[] = [a];
  for (let i = 1; i < steps; i++) {
    const t = i / steps;
    const envelope = Math.sin(Math.PI * t);
    const off =
      amplitude * envelope * ((1 - w2) * Math.sin(2 * Math.PI * f1 * t + p1) + w2 * Math.sin(2 * Math.PI * f2 * t + p2));
    out.push([a[0] + ux * length * t - uy * off, a[1] + uy * length * t + ux * off]);
  }
  out.push(b);
  return out;
}

/** A point `fraction` (0..1) of the way along a polyline, by length. */
export function pointAlong(line: readonly XY[], fraction: number): XY {
  const target = lineLength(line) * Math.max(0, Math.min(1, fraction));
  let walked = 0;
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i] as XY;
    const b = line[i + 1] as XY;
    const seg = dist(a, b);
    if (walked + seg >= target && seg > 0) {
      const t = (target - walked) / seg;
      return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
    }
    walked += seg;
  }
  return line[line.length - 1] as XY;
}

/** Closed GeoJSON ring in [lon, lat], counter-clockwise as RFC 7946 asks for outer rings. */
export function ringToLonLat(ring: Ring): LonLat[] {
  const ccw = signedArea(ring) >= 0 ? ring : [...ring].reverse();
  const out = ccw.map(toLonLat);
  out.push(out[0] as LonLat);
  return out;
}
