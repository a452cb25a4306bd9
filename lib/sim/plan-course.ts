// The course a simulated team walks while one of its plans runs (issue 14):
// along the plan's route, out and back, turning off at each checkpoint
// (from the route vertex nearest it) to stand there for `holdS`; without a
// route, from checkpoint to checkpoint in order. Standing is two slow hops of
// a few metres, well inside any checkpoint's radius (at least 5 m), so the
// devices report small movements as real ones do. Pure: the walker asks it
// for the next waypoint.
import { metresBetween } from '../geo/measure';
import type { LonLat, PatrolPlan } from '../model';
import type { Leg, NextWaypoint } from './walker';

/** How far from the checkpoint a standing team drifts, metres. */
const HOLD_DRIFT_M = 3;
const METRES_PER_DEGREE = 111_195;

function drift([lon, lat]: LonLat): LonLat {
  return [lon + HOLD_DRIFT_M / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180)), lat];
}


/** One round of the plan's course, or null when the plan has neither a route nor checkpoints. */
export function planRound(plan: Pick<PatrolPlan, 'route' | 'checkpoints'>, { holdS }: { holdS: number }): (LonLat | Leg)[] | null {
  const hopMs = HOLD_DRIFT_M / Math.max(holdS / 2, 1);
  const stand = (p: LonLat): (LonLat | Leg)[] => [p, { to: drift(p), speedMs: hopMs }, { to: p, speedMs: hopMs }];
  const cps = [...plan.checkpoints].sort((a, b) => a.seq - b.seq).map((c) => c.point as LonLat);
  const route = plan.route?.coordinates.map(([lon, lat]): LonLat => [lon, lat]) ?? [];
  if (route.length < 2) return cps.length === 0 ? null : cps.flatMap(stand);
  // Each checkpoint is visited from the route vertex nearest it.
  const at = new Map<number, LonLat[]>();
  for (const c of cps) {
    let best = 0;
    route.forEach((v, i) => {
      if (metresBetween(v, c) < metresBetween(route[best]!, c)) best = i;
    });
    at.set(best, [...(at.get(best) ?? []), c]);
  }
  const pass = (order: number[]) => order.flatMap((i) => [route[i]!, ...(at.get(i) ?? []).flatMap((c) => [...stand(c), route[i]!])]);
  const forward = route.map((_, i) => i);
  return [...pass(forward), ...pass(forward.slice(1, -1).reverse())];
}

/** The plan's course as an endless source of waypoints (the round, again and again), or null (see planRound). */
export function planCourse(plan: Pick<PatrolPlan, 'route' | 'checkpoints'>, opts: { holdS: number }): NextWaypoint | null {
  const round = planRound(plan, opts);
  if (!round) return null;
  let i = 0;
  return () => round[i++ % round.length]!;
}
