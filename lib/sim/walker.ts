import type { LonLat } from '../model';
import { headingBetween, lerp, metresBetween } from '../geo/road-graph';

/**
 * Something that moves along a sequence of waypoints at a constant speed and,
 * when it runs out, asks for the next waypoint. Pure state, no I/O.
 */
export class Walker {
  position: LonLat;
  heading = 0;
  #target: LonLat | null = null;

  constructor(
    start: LonLat,
    readonly speedMs: number,
    private readonly next: (from: LonLat) => LonLat,
  ) {
    this.position = [start[0], start[1]];
  }

  /** Moves for dtSeconds; returns the distance covered in metres. */
  advance(dtSeconds: number): number {
    let budget = this.speedMs * dtSeconds;
    let covered = 0;
    // A bounded loop: very short segments cannot spin it forever.
    for (let guard = 0; budget > 0.01 && guard < 1000; guard++) {
      this.#target ??= this.next(this.position);
      const d = metresBetween(this.position, this.#target);
      if (d < 0.5) {
        this.position = this.#target;
        this.#target = null;
        continue;
      }
      this.heading = headingBetween(this.position, this.#target);
      if (d <= budget) {
        this.position = this.#target;
        this.#target = null;
        budget -= d;
        covered += d;
      } else {
        this.position = lerp(this.position, this.#target, budget / d);
        covered += budget;
        budget = 0;
      }
    }
    return covered;
  }
}
