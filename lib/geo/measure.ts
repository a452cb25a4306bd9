// Small measures on [lon, lat] points for the simulator's walkers.
import { bearing, distance } from '@turf/turf';
import type { LonLat } from '../model';

export const metresBetween = (a: LonLat, b: LonLat): number => distance(a, b, { units: 'meters' });

/** Compass bearing 0..360 from a to b. */
export const headingBetween = (a: LonLat, b: LonLat): number => (bearing(a, b) + 360) % 360;

/** The point a fraction t (0..1) of the way from a to b (fine at township scale). */
export function lerp(a: LonLat, b: LonLat, t: number): LonLat {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
}
