// Arrival from a team's fixes: pure, so the rule is tested on written-out
// sequences (tests/unit/arrival.test.ts). The evaluator reads the fixes of
// every dispatched team in one query (db/rules.ts: getArrivalFixes) with the
// distance to its incident computed in PostGIS, and calls this per assignment.

/** One fix of a dispatched team: when (epoch ms) and how far from its incident (metres, on the geography). */
export interface ArrivalFix {
  at: number;
  metres: number;
}

export interface ArrivalRule {
  /** Within this many metres of the incident counts as there (the boundary itself included). */
  radiusM: number;
  /** … for at least this many seconds, from the first fix of the run to the newest. */
  dwellS: number;
}

/**
 * The time of arrival, or null: the start of the latest unbroken run of fixes
 * within `radiusM` that includes the newest fix, once that run spans at least
 * `dwellS`. A fix outside the radius breaks the run, so a team that drives
 * past, or leaves and comes back, starts counting again. Fixes may come in any
 * order; a distance that is not a number counts as outside.
 */
export function detectArrival(fixes: readonly ArrivalFix[], { radiusM, dwellS }: ArrivalRule): number | null {
  if (fixes.length === 0) return null;
  const sorted = [...fixes].sort((a, b) => a.at - b.at);
  const inside = (f: ArrivalFix) => f.metres <= radiusM;
  const newest = sorted[sorted.length - 1]!;
  if (!inside(newest)) return null;
  let start = newest.at;
  for (let i = sorted.length - 2; i >= 0 && inside(sorted[i]!); i--) start = sorted[i]!.at;
  return newest.at - start >= dwellS * 1000 ? start : null;
}
