import type { LonLat } from '../model';
import { headingBetween, lerp, metresBetween } from '../geo/measure';

/** One straight stretch to walk, at its own speed (m/s). */
export interface Leg {
  to: LonLat;
  speedMs: number;
}

/** Asked for the next waypoint whenever the walker runs out of them: a point (walked at the cruise speed) or a leg with its own speed (a plan's dwell). */
export type NextWaypoint = (from: LonLat) => LonLat | Leg;

/**
 * Something that moves along a sequence of waypoints and, when it runs out,
 * asks for the next one. It can be given a course (legs, each at its own
 * speed, e.g. a dispatch: off road on foot, then the road at the team's
 * speed) and then go on with a new source of waypoints. Pure state, no I/O.
 */
export class Walker {
  position: LonLat;
  heading = 0;
  /** The speed of the stretch being walked, m/s (what the device reports). */
  speedMs: number;
  #cruiseMs: number;
  #next: NextWaypoint;
  #legs: Leg[] = [];
  #target: Leg | null = null;

  constructor(start: LonLat, speedMs: number, next: NextWaypoint) {
    this.position = [start[0], start[1]];
    this.speedMs = speedMs;
    this.#cruiseMs = speedMs;
    this.#next = next;
  }

  /** Drops the current course at once: walks `legs` in order, then goes on with `next` at `speedMs`. */
  follow(legs: readonly Leg[], next: NextWaypoint, speedMs: number): void {
    this.#legs = [...legs];
    this.#next = next;
    this.#cruiseMs = speedMs;
    this.#target = null;
  }

  /** Moves for dtSeconds; returns the distance covered in metres. */
  advance(dtSeconds: number): number {
    // A time budget rather than a distance budget: legs may differ in speed.
    let time = dtSeconds;
    let covered = 0;
    // A bounded loop: very short segments cannot spin it forever.
    for (let guard = 0; time > 1e-3 && guard < 1000; guard++) {
      if (!this.#target) {
        const next = this.#legs.shift() ?? this.#next(this.position);
        this.#target = 'to' in next ? next : { to: next, speedMs: this.#cruiseMs };
      }
      const { to, speedMs } = this.#target;
      this.speedMs = speedMs;
      const d = metresBetween(this.position, to);
      if (d < 0.5) {
        this.position = to;
        this.#target = null;
        continue;
      }
      this.heading = headingBetween(this.position, to);
      const reach = speedMs * time;
      if (d <= reach) {
        this.position = to;
        this.#target = null;
        time -= d / speedMs;
        covered += d;
      } else {
        this.position = lerp(this.position, to, reach / d);
        covered += reach;
        time = 0;
      }
    }
    return covered;
  }
}
