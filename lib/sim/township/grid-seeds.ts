// The 65 generator points whose Voronoi cells (clipped to the boundary, in
// PostGIS) become the management grid. Dense in town, a few per village,
// the rest spread over the pastures and mountains.
import { dist, insideWithMargin, polar, type Ring, type XY } from './geometry';
import type { Rng } from './prng';

export const GRID_COUNT = 65;
/** Seeds within TOWN_SEED_RADIUS_M of the town centre. */
export const TOWN_SEEDS = 26;
export const SEEDS_PER_VILLAGE = 3;
/**
 * Every town seed is closer to the town centre than to any village, because
 * villages are at least 6 km away (see places.ts): 2.5 km < 6 km − 2.5 km.
 */
export const TOWN_SEED_RADIUS_M = 2500;
export const VILLAGE_SEED_RADIUS_M = 1800;
/**
 * A seed this far inside the boundary always keeps a non-empty cell: its own
 * Voronoi cell contains a disc of radius half the minimum spacing around it.
 */
export const SEED_MIN_FROM_EDGE_M = 250;

function farEnough(p: XY, taken: readonly XY[], spacing: number): boolean {
  return taken.every((q) => dist(p, q) >= spacing);
}

/**
 * Draws points around `centre` until `count` fit; `radius` is sampled so that
 * density falls off from the centre (town blocks are small, pastures big).
 */
function cluster(
  rng: Rng,
  boundary: Ring,
  taken: XY[],
  centre: XY,
  count: number,
  radius: number,
  spacing: number,
  first: number,
): boolean {
  let placed = 0;
  for (let tries = 0; placed < count && tries < 5000; tries++) {
    const r = placed === 0 ? rng.range(0, first) : first + (radius - first) * Math.pow(rng.next(), 0.85);
    const p = polar(centre, rng.range(0, 2 * Math.PI), r);
    if (!insideWithMargin(p, boundary, SEED_MIN_FROM_EDGE_M) || !farEnough(p, taken, spacing)) continue;
    taken.push(p);
    placed++;
  }
  return placed === count;
}

export function placeGridSeeds(rng: Rng, boundary: Ring, town: XY, villages: readonly XY[]): XY[] | null {
  const seeds: XY[] = [];
  if (!cluster(rng, boundary, seeds, town, TOWN_SEEDS, TOWN_SEED_RADIUS_M, 300, 80)) return null;
  for (const v of villages) {
    if (!cluster(rng, boundary, seeds, v, SEEDS_PER_VILLAGE, VILLAGE_SEED_RADIUS_M, 650, 200)) return null;
  }
  // The rest: as evenly as the draw allows. Start with a generous spacing and
  // relax it slowly so the outer cells come out of similar size.
  let spacing = 3200;
  for (let misses = 0; seeds.length < GRID_COUNT; ) {
    const p: XY = [rng.range(-22000, 22000), rng.range(-22000, 22000)];
    if (insideWithMargin(p, boundary, 400) && farEnough(p, seeds, spacing)) {
      seeds.push(p);
      continue;
    }
    if (++misses % 400 === 0) spacing *= 0.95;
    if (spacing < 600) return null;
  }
  return seeds;
}
