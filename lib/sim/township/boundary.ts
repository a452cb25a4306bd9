// The township outline: an irregular but simple polygon of a fixed area.
import { polar, signedArea, type XY } from './geometry';
import type { Rng } from './prng';

/** PRODUCT.md: about 556 km². */
export const TOWNSHIP_AREA_M2 = 556e6;

/**
 * A ring that is star-shaped about the origin: one vertex per (jittered but
 * increasing) angle, at a radius that is a smooth sum of a few harmonics.
 * Because the angles increase and every radius is positive, the ring can never
 * cross itself — simplicity holds by construction, not by checking afterwards.
 * It is then scaled so its planar area is exactly `area` square metres.
 */
export function generateBoundary(rng: Rng, area = TOWNSHIP_AREA_M2): XY[] {
  const n = rng.int(30, 38);
  const harmonics = [2, 3, 4, 5, 7].map((k) => ({
    k,
    // Low harmonics give the lobes, high ones the smaller bays; all decay with k.
    amp: rng.range(0.04, 0.13) * (2 / (k + 1)),
    phase: rng.range(0, 2 * Math.PI),
  }));
  const stretch = rng.range(1.1, 1.35); // valleys run in one direction: a mildly elongated outline
  const tilt = rng.range(0, Math.PI);
  const ring: XY[] = [];
  for (let i = 0; i < n; i++) {
    const theta = ((i + rng.range(-0.3, 0.3)) / n) * 2 * Math.PI;
    let r = 1 + rng.range(-0.035, 0.035);
    for (const h of harmonics) r += h.amp * Math.cos(h.k * theta + h.phase);
    // An ellipse-like stretch along `tilt`, still strictly positive and single-valued in theta.
    const along = Math.cos(theta - tilt);
    r *= 1 + (stretch - 1) * along * along;
    ring.push(polar([0, 0], theta, r));
  }
  const k = Math.sqrt(area / Math.abs(signedArea(ring)));
  return ring.map(([x, y]) => [x * k, y * k]);
}
