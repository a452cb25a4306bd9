// The whole township as plain data: boundary, settlements, basemap lines and
// relief, grid seed points and key locations. Pure and deterministic: the
// same seed gives the same layout, to the last coordinate.
import type { Bilingual, BasemapFeaturePlan, SettlementKind, SettlementName, TownshipPlan } from '../../model/township';
import { generateBoundary } from './boundary';
import { dist, insideWithMargin, ringToLonLat, toLonLat, wiggleLine, type XY } from './geometry';
import { placeGridSeeds } from './grid-seeds';
import { planKeyLocations, type KeyLocationPlan } from './key-locations';
import {
  COMMUNITY_NAME,
  MOUNTAIN_NAMES,
  RIVER_NAME,
  TOWN_STREETS,
  TOWNSHIP_NAME,
  VILLAGE_NAMES,
} from './names';
import { buildRiver, buildRoads, buildStreetGrid, buildTracks, type LinePlan } from './network';
import { placeMountains, placeTownCentre, placeVillages, RELIEF_LEVEL_RATIOS, reliefRing, type Mountain } from './places';
import { createRng } from './prng';

export interface SettlementPlan extends SettlementName {
  kind: SettlementKind;
  centre: XY;
}

export interface ReliefPlan {
  name: string | null;
  nameEn: string | null;
  /** 1 = outer mountain band … 3 = summit; bands of one mass nest strictly. */
  level: number;
  ring: XY[];
}

export interface NamedMountain extends Mountain {
  name: Bilingual;
}

export interface Layout {
  seed: number;
  boundary: XY[];
  town: XY;
  /** [0] is the town community; then the villages, largest first. */
  settlements: SettlementPlan[];
  roads: LinePlan[];
  tracks: LinePlan[];
  river: LinePlan;
  mountains: NamedMountain[];
  relief: ReliefPlan[];
  gridSeeds: XY[];
  keyLocations: KeyLocationPlan[];
}

/** The demo seed (also the DEMO_SEED default in lib/config.ts). */
export const DEMO_SEED = 20261127;
export const TRACK_COUNT = 5;
const MAX_ATTEMPTS = 60;

function reliefFor(seed: number, mountains: readonly NamedMountain[]): ReliefPlan[] {
  const rng = createRng(seed, 'relief');
  return mountains.flatMap((m, k) => {
    const names = MOUNTAIN_NAMES[k];
    return Array.from({ length: m.levels }, (_, i): ReliefPlan => {
      const level = i + 1;
      const named = level === 1 ? names?.mass : level === m.levels ? names?.peak : undefined;
      return { name: named?.name ?? null, nameEn: named?.nameEn ?? null, level, ring: reliefRing(rng, m, level) };
    });
  });
}

/**
 * One try at everything that depends on the village placement. Any rule that
 * cannot be met (a road leaving the township, seeds not fitting) returns null
 * and the caller tries the next attempt stream — deterministic either way.
 */
function tryLayout(seed: number, attempt: number, boundary: XY[]): Layout | null {
  const rng = createRng(seed, `layout/${attempt}`);
  const town = placeTownCentre(rng, boundary);
  const villageXY = placeVillages(rng, boundary, town, VILLAGE_NAMES.length);
  if (!villageXY) return null;
  const settlements: SettlementPlan[] = [
    { ...COMMUNITY_NAME, kind: 'community', centre: town },
    ...VILLAGE_NAMES.map((v, k): SettlementPlan => ({ ...v, kind: 'village', centre: villageXY[k] as XY })),
  ];
  const wiggle = (a: XY, b: XY, spacing: number, amplitude: number) => wiggleLine(a, b, spacing, amplitude, rng);
  const grid = buildStreetGrid(rng, town, TOWN_STREETS);
  const roads = buildRoads({
    boundary,
    grid,
    centres: settlements.map((s) => s.centre),
    stems: settlements,
    wiggle,
  });
  if (!roads) return null;
  // Mountains go where the roads are not; tracks then climb to them.
  const placed = placeMountains(
    rng,
    boundary,
    [town, ...villageXY],
    roads.map((r) => r.line),
  );
  if (!placed) return null;
  const mountains: NamedMountain[] = placed.map((m, k) => ({
    ...m,
    name: MOUNTAIN_NAMES[k]?.mass ?? { name: `${k + 1}号山`, nameEn: `Mountain ${k + 1}` },
  }));
  const tracks = buildTracks(
    {
      boundary,
      town,
      villages: settlements.slice(1),
      mountains,
      roads,
      wiggle,
      rng,
    },
    TRACK_COUNT,
  );
  if (tracks.length < 3) return null;
  const river = buildRiver(
    rng,
    boundary,
    town,
    RIVER_NAME,
    (p) =>
      villageXY.some((v) => dist(p, v) < 250) ||
      mountains.some((m) => dist(p, m.centre) < m.radius * RELIEF_LEVEL_RATIOS[1] * 1.3),
  );
  if (!river) return null;

  const gridSeeds = placeGridSeeds(rng, boundary, town, villageXY);
  if (!gridSeeds) return null;
  const keyLocations = planKeyLocations({
    rng,
    township: TOWNSHIP_NAME,
    town,
    grid,
    villages: settlements.slice(1),
    roads,
    river,
  });
  const bridges = keyLocations.filter((k) => k.category === 'bridge').length;
  const tidy = keyLocations.every(
    (k, i) => insideWithMargin(k.at, boundary, 50) && keyLocations.every((o, j) => j === i || dist(k.at, o.at) > 15),
  );
  if (bridges === 0 || !tidy) return null;

  return {
    seed,
    boundary,
    town,
    settlements,
    roads,
    tracks,
    river,
    mountains,
    relief: reliefFor(seed, mountains),
    gridSeeds,
    keyLocations,
  };
}

export function generateLayout(seed: number = DEMO_SEED): Layout {
  // The outline has its own stream so it stays put while later parts retry.
  const boundary = generateBoundary(createRng(seed, 'boundary'));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const layout = tryLayout(seed, attempt, boundary);
    if (layout) return layout;
  }
  throw new Error(`generateLayout: no valid township after ${MAX_ATTEMPTS} attempts for seed ${seed}`);
}

// ---- The same layout in [lon, lat], ready for GeoJSON ----------------------

function lineFeature(l: LinePlan): BasemapFeaturePlan {
  return {
    kind: l.kind,
    name: l.name,
    nameEn: l.nameEn,
    level: l.level,
    geometry: { type: 'LineString', coordinates: l.line.map(toLonLat) },
  };
}

export function toTownshipPlan(layout: Layout): TownshipPlan {
  return {
    seed: layout.seed,
    name: TOWNSHIP_NAME.name,
    nameEn: TOWNSHIP_NAME.nameEn,
    boundary: ringToLonLat(layout.boundary),
    townCentre: toLonLat(layout.town),
    settlements: layout.settlements.map((s) => ({ ...s, centre: toLonLat(s.centre) })),
    features: [
      ...layout.roads.map(lineFeature),
      ...layout.tracks.map(lineFeature),
      lineFeature(layout.river),
      ...layout.relief.map(
        (r): BasemapFeaturePlan => ({
          kind: 'relief',
          name: r.name,
          nameEn: r.nameEn,
          level: r.level,
          geometry: { type: 'Polygon', coordinates: [ringToLonLat(r.ring)] },
        }),
      ),
    ],
    gridSeeds: layout.gridSeeds.map(toLonLat),
    keyLocations: layout.keyLocations.map((k) => ({ category: k.category, name: k.name, nameEn: k.nameEn, at: toLonLat(k.at) })),
  };
}
