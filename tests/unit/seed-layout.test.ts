import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_LOCATION_CATEGORIES, type LonLat } from '../../lib/model';
import {
  dist,
  insideWithMargin,
  isSimpleRing,
  lineInsideRing,
  pointInRing,
  signedArea,
  toLonLat,
  toXY,
  type XY,
} from '../../lib/sim/township/geometry';
import { GRID_COUNT } from '../../lib/sim/township/grid-seeds';
import { DEMO_SEED, generateLayout, toTownshipPlan, type Layout } from '../../lib/sim/township/layout';
import type { TownshipPlan } from '../../lib/model/township';

const layout = generateLayout(DEMO_SEED);
const plan = toTownshipPlan(layout);

const key = ([lon, lat]: LonLat) => `${lon},${lat}`;

/** Components of the graph whose nodes are exact vertex coordinates, as the simulator builds it. */
function components(lines: readonly (readonly LonLat[])[]): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let r = k;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(k, r);
    return r;
  };
  for (const line of lines) {
    for (const p of line) if (!parent.has(key(p))) parent.set(key(p), key(p));
    for (let i = 1; i < line.length; i++) {
      const a = find(key(line[i - 1] as LonLat));
      const b = find(key(line[i] as LonLat));
      if (a !== b) parent.set(a, b);
    }
  }
  const out = new Map<string, string>();
  for (const k of parent.keys()) out.set(k, find(k));
  return out;
}

function lines(p: TownshipPlan, kind: 'road' | 'track' | 'river'): LonLat[][] {
  return p.features.flatMap((f) => (f.kind === kind && f.geometry.type === 'LineString' ? [f.geometry.coordinates] : []));
}

/** The checks that must hold for any seed, not only the demo one. */
function expectSoundLayout(l: Layout): void {
  const b = l.boundary;
  expect(b.length).toBeGreaterThanOrEqual(24);
  expect(b.length).toBeLessThanOrEqual(40);
  expect(isSimpleRing(b)).toBe(true);
  expect(Math.abs(Math.abs(signedArea(b)) / 556e6 - 1)).toBeLessThan(0.01);
  for (const s of l.settlements) expect(insideWithMargin(s.centre, b, 1000)).toBe(true);
  for (const line of [...l.roads, ...l.tracks, l.river]) expect(lineInsideRing(line.line, b, 10)).toBe(true);
  expect(l.gridSeeds).toHaveLength(GRID_COUNT);
  for (const [i, p] of l.gridSeeds.entries()) {
    expect(insideWithMargin(p, b, 200)).toBe(true);
    for (const q of l.gridSeeds.slice(i + 1)) expect(dist(p, q)).toBeGreaterThan(250);
  }
  for (const k of l.keyLocations) expect(insideWithMargin(k.at, b, 50)).toBe(true);
  for (const r of l.relief) {
    expect(isSimpleRing(r.ring)).toBe(true);
    expect(lineInsideRing([...r.ring, r.ring[0] as XY], b, 10)).toBe(true);
  }
}

describe('generateLayout', () => {
  it('is deterministic: the same seed gives the same township, to the coordinate', () => {
    expect(toTownshipPlan(generateLayout(DEMO_SEED))).toEqual(plan);
  });

  it('gives a different township for a different seed', () => {
    expect(toTownshipPlan(generateLayout(DEMO_SEED + 1)).boundary).not.toEqual(plan.boundary);
  });

  it('lays out a sound township for the demo seed', () => {
    expectSoundLayout(layout);
  });

  it('lays out a sound township for any seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => expectSoundLayout(generateLayout(seed))),
      { numRuns: 12 },
    );
  });

  it('sits on the plateau around 99.70 E, 28.45 N', () => {
    const [lon, lat] = plan.townCentre;
    expect(Math.abs(lon - 99.7)).toBeLessThan(0.1);
    expect(Math.abs(lat - 28.45)).toBeLessThan(0.1);
  });

  it('has one community and seven villages, about 20,000 people, the town largest', () => {
    const kinds = plan.settlements.map((s) => s.kind);
    expect(kinds.filter((k) => k === 'community')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'village')).toHaveLength(7);
    const total = plan.settlements.reduce((s, v) => s + v.population, 0);
    expect(total).toBeGreaterThan(19_000);
    expect(total).toBeLessThan(21_000);
    const town = plan.settlements.find((s) => s.kind === 'community');
    expect(town?.population).toBe(Math.max(...plan.settlements.map((s) => s.population)));
    expect(town?.centre).toEqual(plan.townCentre);
  });

  it('joins every road into one network through exactly shared vertices', () => {
    const roads = lines(plan, 'road');
    const comp = components(roads);
    expect(new Set(comp.values()).size).toBe(1);
    // Every settlement centre is a road vertex, so a walker can reach it.
    for (const s of plan.settlements) expect(comp.has(key(s.centre))).toBe(true);
    // Every road end lies on a settlement centre or on another road's vertex.
    const centres = new Set(plan.settlements.map((s) => key(s.centre)));
    roads.forEach((line, i) => {
      const others = new Set(roads.filter((_, j) => j !== i).flatMap((l) => l.map(key)));
      for (const end of [line[0], line[line.length - 1]]) {
        const k = key(end as LonLat);
        expect(centres.has(k) || others.has(k)).toBe(true);
      }
    });
  });

  it('has a small street grid in town and wiggly township roads', () => {
    const streets = plan.features.filter((f) => f.kind === 'road' && f.level === 2);
    const roads = plan.features.filter((f) => f.kind === 'road' && f.level === 1);
    expect(streets.length).toBeGreaterThanOrEqual(4);
    expect(roads.length).toBeGreaterThanOrEqual(7);
    for (const r of roads) expect(r.geometry.type === 'LineString' && r.geometry.coordinates.length > 2).toBe(true);
  });

  it('starts every track on a road vertex, at a village centre', () => {
    const roadVertices = new Set(lines(plan, 'road').flatMap((l) => l.map(key)));
    const centres = new Set(plan.settlements.map((s) => key(s.centre)));
    const tracks = lines(plan, 'track');
    expect(tracks.length).toBeGreaterThanOrEqual(3);
    for (const t of tracks) {
      const start = key(t[0] as LonLat);
      expect(roadVertices.has(start) && centres.has(start)).toBe(true);
    }
  });

  it('has one named river passing near the town centre', () => {
    const rivers = lines(plan, 'river');
    expect(rivers).toHaveLength(1);
    const near = Math.min(...(rivers[0] ?? []).map((p) => dist(toXY(p), layout.town)));
    expect(near).toBeLessThan(800);
  });

  it('has 3–6 relief bands, nested within each mass', () => {
    expect(layout.relief.length).toBeGreaterThanOrEqual(3);
    expect(layout.relief.length).toBeLessThanOrEqual(6);
    for (const inner of layout.relief.filter((r) => r.level > 1)) {
      const outer = layout.relief.filter((r) => r.level === inner.level - 1 && inner.ring.every((p) => pointInRing(p, r.ring)));
      expect(outer).toHaveLength(1);
    }
  });

  it('has 50–80 key locations covering every category, bridges on the river', () => {
    expect(plan.keyLocations.length).toBeGreaterThanOrEqual(50);
    expect(plan.keyLocations.length).toBeLessThanOrEqual(80);
    const cats = new Set(plan.keyLocations.map((k) => k.category));
    for (const c of KEY_LOCATION_CATEGORIES) expect(cats.has(c)).toBe(true);
    const river = layout.river.line;
    for (const b of layout.keyLocations.filter((k) => k.category === 'bridge')) {
      const d = Math.min(...river.slice(1).map((p, i) => Math.min(dist(b.at, p), dist(b.at, river[i] as XY))));
      expect(d).toBeLessThan(500); // on a river segment, so within one vertex spacing
    }
    const depot = plan.keyLocations.filter((k) => k.category === 'equipment_depot');
    expect(depot).toHaveLength(1);
  });

  it('puts about 26 grid seeds in and around the town', () => {
    const nearTown = layout.gridSeeds.filter((p) => dist(p, layout.town) < 2600).length;
    expect(nearTown).toBeGreaterThanOrEqual(20);
  });

  it('round-trips coordinates at 6 decimals', () => {
    for (const p of layout.gridSeeds) {
      const ll = toLonLat(p);
      expect(toLonLat(toXY(ll))).toEqual(ll);
      expect(String(ll[0]).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(6);
    }
  });
});
