// Roads, tracks and the river. Roads form one graph: every road ends exactly
// on a village centre or on a vertex of another road (the same XY tuple, hence
// the same rounded lon/lat), so the simulator can join them by shared vertices.
import {
  add,
  angleOf,
  dist,
  lineInsideRing,
  polar,
  rayToRing,
  segmentsTouch,
  type Ring,
  type XY,
} from './geometry';
import type { Rng } from './prng';
import type { BasemapFeaturePlan, Bilingual } from '../../model/township';

export type LineKind = Exclude<BasemapFeaturePlan['kind'], 'relief'>;

export interface LinePlan extends Bilingual {
  kind: LineKind;
  /** Roads: 1 = township road, 2 = town street. Tracks and the river: 0. */
  level: number;
  line: XY[];
}

/** Distance between parallel town streets, metres. */
export const STREET_SPACING_M = 380;

export interface StreetGrid {
  /** node(i, j) for i in -2..2 (main street only) and -1..1, j in -1..1. */
  node: (i: number, j: number) => XY;
  /** Nodes a township road may leave town from (every node but the centre). */
  exits: XY[];
  streets: LinePlan[];
}

/**
 * A small rotated grid of streets around the town centre: three east–west
 * streets (the middle one, the main street, two blocks longer each way) and
 * three north–south ones. Each street lists every crossing as a vertex, so the
 * grid is connected through shared vertices and the town centre is node(0, 0).
 */
export function buildStreetGrid(rng: Rng, town: XY, names: readonly Bilingual[]): StreetGrid {
  const rot = rng.range(-0.35, 0.35);
  const cache = new Map<string, XY>();
  const node = (i: number, j: number): XY => {
    const key = `${i},${j}`;
    let p = cache.get(key);
    if (!p) {
      if (i === 0 && j === 0) p = town;
      else {
        const dx = i * STREET_SPACING_M;
        const dy = j * STREET_SPACING_M;
        p = add(town, [dx * Math.cos(rot) - dy * Math.sin(rot), dx * Math.sin(rot) + dy * Math.cos(rot)]);
      }
      cache.set(key, p);
    }
    return p;
  };
  const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
  const name = (k: number): Bilingual => names[k] ?? { name: `${k + 1}号街`, nameEn: `Street ${k + 1}` };
  const streets: LinePlan[] = [
    { ...name(0), kind: 'road', level: 2, line: range(-2, 2).map((i) => node(i, 0)) },
    { ...name(1), kind: 'road', level: 2, line: range(-1, 1).map((i) => node(i, 1)) },
    { ...name(2), kind: 'road', level: 2, line: range(-1, 1).map((i) => node(i, -1)) },
    { ...name(3), kind: 'road', level: 2, line: range(-1, 1).map((j) => node(0, j)) },
    { ...name(4), kind: 'road', level: 2, line: range(-1, 1).map((j) => node(-1, j)) },
    { ...name(5), kind: 'road', level: 2, line: range(-1, 1).map((j) => node(1, j)) },
  ];
  const exits = [...cache.entries()].filter(([k]) => k !== '0,0').map(([, p]) => p);
  return { node, exits, streets };
}

/** Villages within this angle of each other, seen from the town, share a road out. */
const SAME_VALLEY_RAD = (40 * Math.PI) / 180;

/**
 * Which settlements a township road joins, as index pairs (0 = the town).
 * Roads radiate from the town, as they do in a valley township, except that a
 * village lying beyond a nearer one in about the same direction is reached
 * through it. Visiting villages nearest-first makes the result a tree rooted
 * at the town: connected by construction.
 */
export function planRoadLinks(centres: readonly XY[]): [number, number][] {
  const town = centres[0] as XY;
  const byDistance = centres
    .map((c, i) => ({ c, i }))
    .slice(1)
    .sort((a, b) => dist(a.c, town) - dist(b.c, town));
  const linked: { c: XY; i: number }[] = [];
  const links: [number, number][] = [];
  for (const v of byDistance) {
    const bearing = angleOf(town, v.c);
    const via = linked
      .filter((u) => {
        const turn = Math.abs(Math.atan2(Math.sin(angleOf(town, u.c) - bearing), Math.cos(angleOf(town, u.c) - bearing)));
        return turn < SAME_VALLEY_RAD && dist(u.c, v.c) < dist(town, v.c);
      })
      .sort((a, b) => dist(a.c, v.c) - dist(b.c, v.c))[0];
    links.push([via ? via.i : 0, v.i]);
    linked.push(v);
  }
  return links;
}

function sameXY(a: XY, b: XY): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

/**
 * Segment pairs may only meet where both have the very same vertex; anything
 * else is a crossing without a junction, which a shared-vertex graph would
 * silently treat as a bridge or a gap. Used for roads against roads and tracks.
 */
export function linesMeetOnlyAtSharedVertices(a: readonly XY[], b: readonly XY[]): boolean {
  for (let i = 0; i + 1 < a.length; i++) {
    const a1 = a[i] as XY;
    const a2 = a[i + 1] as XY;
    for (let j = 0; j + 1 < b.length; j++) {
      const b1 = b[j] as XY;
      const b2 = b[j + 1] as XY;
      if (!segmentsTouch(a1, a2, b1, b2)) continue;
      const shared = sameXY(a1, b1) || sameXY(a1, b2) || sameXY(a2, b1) || sameXY(a2, b2);
      if (!shared) return false;
    }
  }
  return true;
}

function fitsNetwork(line: readonly XY[], existing: readonly LinePlan[], boundary: Ring, margin: number): boolean {
  return lineInsideRing(line, boundary, margin) && existing.every((o) => linesMeetOnlyAtSharedVertices(line, o.line));
}

export interface RoadNetworkInput {
  boundary: Ring;
  grid: StreetGrid;
  /** Settlement centres; index 0 is the town centre. */
  centres: readonly XY[];
  /** Short names per settlement, for road names: 格曲—拉雍公路 / Gequ–Layong Road. */
  stems: readonly { stem: string; stemEn: string }[];
  /** Draws a wiggled polyline between two exact end points. */
  wiggle: (a: XY, b: XY, spacing: number, amplitude: number) => XY[];
}

/**
 * Township roads: the tree from planRoadLinks plus one extra village–village
 * link so a few trips have an alternative. A road into town ends on the street
 * node nearest its other end; a road to a village ends on its centre.
 * A link that leaves the township or crosses another road is redrawn with
 * less wiggle; null when even the straight link does not fit (the caller
 * then tries another layout).
 */
export function buildRoads(input: RoadNetworkInput): LinePlan[] | null {
  const { boundary, grid, centres, stems, wiggle } = input;
  const roads: LinePlan[] = [...grid.streets];
  const endpoint = (idx: number, other: XY): XY =>
    idx === 0
      ? grid.exits.reduce((best, p) => (dist(p, other) < dist(best, other) ? p : best))
      : (centres[idx] as XY);
  const label = (a: number, b: number): Bilingual => {
    const na = stems[a];
    const nb = stems[b];
    return { name: `${na?.stem ?? a}—${nb?.stem ?? b}公路`, nameEn: `${na?.stemEn ?? a}–${nb?.stemEn ?? b} Road` };
  };
  const tryLink = (a: number, b: number): LinePlan | null => {
    const ca = centres[a] as XY;
    const cb = centres[b] as XY;
    const pa = endpoint(a, cb);
    const pb = endpoint(b, ca);
    const length = dist(pa, pb);
    // Less wiggle on each retry; the straight link is the last resort.
    for (const k of [1, 0.6, 0.3, 0]) {
      const line = wiggle(pa, pb, 650, k * Math.min(320, 0.06 * length));
      if (fitsNetwork(line, roads, boundary, 150)) return { ...label(a, b), kind: 'road', level: 1, line };
    }
    return null;
  };
  const tree = planRoadLinks(centres);
  for (const [a, b] of tree) {
    const road = tryLink(a, b);
    if (!road) return null;
    roads.push(road);
  }
  // One loop: the shortest village–village pair not yet linked that fits cleanly.
  const linked = new Set(tree.map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`));
  const pairs: [number, number][] = [];
  for (let a = 1; a < centres.length; a++) {
    for (let b = a + 1; b < centres.length; b++) if (!linked.has(`${a}-${b}`)) pairs.push([a, b]);
  }
  pairs.sort((p, q) => dist(centres[p[0]] as XY, centres[p[1]] as XY) - dist(centres[q[0]] as XY, centres[q[1]] as XY));
  for (const [a, b] of pairs.slice(0, 4)) {
    const road = tryLink(a, b);
    if (road) {
      roads.push(road);
      break;
    }
  }
  return roads;
}

export interface TrackInput {
  boundary: Ring;
  town: XY;
  villages: readonly { centre: XY; stem: string; stemEn: string }[];
  mountains: readonly { centre: XY; radius: number; name: Bilingual }[];
  roads: readonly LinePlan[];
  wiggle: (a: XY, b: XY, spacing: number, amplitude: number) => XY[];
  rng: Rng;
}

/**
 * Tracks from villages up to the pastures: each starts exactly on a village
 * centre (a road vertex) and heads for the nearest mountain mass if one is
 * close, otherwise straight away from the town. Tracks may not cross roads.
 */
export function buildTracks(input: TrackInput, count: number): LinePlan[] {
  const { boundary, town, villages, mountains, roads, wiggle, rng } = input;
  const out: LinePlan[] = [];
  for (const v of villages) {
    if (out.length >= count) break;
    // Bearings of the roads leaving this village, so a track does not run alongside one.
    const roadBearings = roads.flatMap((r) => {
      const first = r.line[0] as XY;
      const last = r.line[r.line.length - 1] as XY;
      if (sameXY(first, v.centre)) return [angleOf(v.centre, last)];
      if (sameXY(last, v.centre)) return [angleOf(v.centre, first)];
      return [];
    });
    const nearest = [...mountains].sort((a, b) => dist(a.centre, v.centre) - dist(b.centre, v.centre))[0];
    const toMountain = nearest && dist(nearest.centre, v.centre) < 11000 ? nearest : null;
    for (let attempt = 0; attempt < 12; attempt++) {
      const bearing = toMountain
        ? angleOf(v.centre, toMountain.centre) + rng.range(-0.25, 0.25)
        : angleOf(town, v.centre) + rng.range(-0.6, 0.6);
      if (roadBearings.some((b) => Math.abs(Math.atan2(Math.sin(b - bearing), Math.cos(b - bearing))) < 0.6)) continue;
      const room = rayToRing(v.centre, bearing, boundary) - 700;
      const want = toMountain ? dist(v.centre, toMountain.centre) - 0.3 * toMountain.radius : rng.range(3000, 6000);
      const length = Math.min(room, want, 7500);
      if (length < 1800) continue;
      const end = polar(v.centre, bearing, length);
      const line = wiggle(v.centre, end, 350, 0.1 * length);
      if (!fitsNetwork(line, [...roads, ...out], boundary, 300)) continue;
      const name: Bilingual = toMountain
        ? { name: `${v.stem}—${toMountain.name.name}便道`, nameEn: `${v.stemEn}–${toMountain.name.nameEn} Track` }
        : { name: `${v.stem}夏季牧场便道`, nameEn: `${v.stemEn} Summer Pasture Track` };
      out.push({ ...name, kind: 'track', level: 0, line });
      break;
    }
  }
  return out;
}

/**
 * The river: enters and leaves near the township edge and passes a couple of
 * hundred metres from the town centre, through the street grid — so the town
 * has bridges. Meanders grow away from town and fade at both ends. The river
 * keeps out of mountain cores: it runs in a valley.
 */
export function buildRiver(
  rng: Rng,
  boundary: Ring,
  town: XY,
  name: Bilingual,
  /** Places the river should not run through (village centres, mountain cores). */
  avoid: (p: XY) => boolean,
): LinePlan | null {
  for (let attempt = 0; attempt < 20; attempt++) {
    const heading = rng.range(0, Math.PI);
    const through = polar(town, heading + Math.PI / 2, rng.range(110, 260) * (rng.next() < 0.5 ? -1 : 1));
    const ahead = rayToRing(through, heading, boundary) - 80;
    const behind = rayToRing(through, heading + Math.PI, boundary) - 80;
    const p1 = rng.range(0, 2 * Math.PI);
    const p2 = rng.range(0, 2 * Math.PI);
    const steps = Math.max(4, Math.round((ahead + behind) / 450));
    for (const k of [1, 0.5, 0.2]) {
      const line: XY[] = [];
      for (let i = 0; i <= steps; i++) {
        const s = -behind + ((ahead + behind) * i) / steps;
        const nearTown = Math.min(1, Math.abs(s) / 1800);
        const nearEnd = Math.min(1, (s + behind) / 1200, (ahead - s) / 1200);
        const off =
          k * 420 * nearTown * nearEnd * (0.7 * Math.sin((2 * Math.PI * s) / 4300 + p1) + 0.3 * Math.sin((2 * Math.PI * s) / 1700 + p2));
        line.push(add(polar(through, heading, s), polar([0, 0], heading + Math.PI / 2, off)));
      }
      if (lineInsideRing(line, boundary, 20) && !line.some(avoid)) return { ...name, kind: 'river', level: 0, line };
    }
  }
  return null;
}
