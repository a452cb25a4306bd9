// A unit's fix time in epoch ms, parsed once per unit record. The layers ask
// for it many times per frame (staleness, offline, colours, age labels) and a
// batch of 2,000 fixes made Date.parse a visible share of the frame. Unit
// records are replaced, never changed, on every move, so caching by the
// record itself is exact and lets old records go with the garbage collector.
import type { UnitState } from '../model';

const parsed = new WeakMap<UnitState, number>();

/** The unit's fix time in epoch ms; NaN when it has none or it cannot be read. */
export function fixTimeMs(u: UnitState): number {
  let t = parsed.get(u);
  if (t === undefined) {
    t = u.fixTime === null ? Number.NaN : Date.parse(u.fixTime);
    parsed.set(u, t);
  }
  return t;
}
