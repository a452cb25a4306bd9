// A unit's fix time in epoch ms, parsed once per fix. The layers ask for it
// many times per frame (staleness, offline, colours, age labels) and a batch of
// 2,000 fixes made Date.parse a visible share of the frame. Held per team (the
// last fix time read and its value), not per record: a WeakMap keyed by every
// record — a new one per move, 400 a second on the loaded wall — filled with
// entries the garbage collector had to work through in its pause (the wall's
// longest task was that pause: docs/BENCHMARKS.md, 2026-12-03 11:00). This
// holds one entry per team, changed in place, and answers the same.
import type { UnitState } from '../model';

const parsed = new Map<number, { fixTime: string | null; ms: number }>();

/** The unit's fix time in epoch ms; NaN when it has none or it cannot be read. */
export function fixTimeMs(u: UnitState): number {
  const held = parsed.get(u.teamId);
  if (held !== undefined && held.fixTime === u.fixTime) return held.ms;
  const ms = u.fixTime === null ? Number.NaN : Date.parse(u.fixTime);
  if (held === undefined) parsed.set(u.teamId, { fixTime: u.fixTime, ms });
  else {
    held.fixTime = u.fixTime;
    held.ms = ms;
  }
  return ms;
}

/** The fix time to order two states of a unit by: as fixTimeMs, with no readable fix older than any (−Infinity). */
export function fixOrder(u: UnitState): number {
  const t = fixTimeMs(u);
  return Number.isNaN(t) ? -Infinity : t;
}
