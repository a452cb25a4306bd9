// The plan alerts besides checkpoint_overdue (issue 14), as pure functions the
// plan monitor runs once per rules cycle on what it holds in memory: the live
// occurrences, the plan teams' newest fixes (from each committed batch's
// moves, so no query per fix) and their duty state (one statement per cycle).
// The evaluator raises what they want and clears what they no longer want.
//
// - plan_team_unready: from the occurrence's start until its end, a team of
//   the plan that is not on duty, or whose newest fix is older than
//   PLAN_START_FIX_MINUTES before the start. Cleared when it comes on duty
//   and has sent a fix, or when the occurrence ends. A team on a dispatch is
//   excused (its plan obligations are suspended).
// - joint_patrol_split: a joint plan's teams (those with a fix in the
//   occurrence, not on a dispatch) further apart than PLAN_SPLIT_DISTANCE_M
//   from the first cycle that saw it for PLAN_SPLIT_MINUTES. Cleared when
//   they are back within the distance (or the occurrence ends).
import type { LonLat } from '../model/domain';
import type { DispatchSpan, PatrolPlan } from '../model/plans';
import { townshipClock } from '../model/township-time';
import { formatSpan, SEVERITY, type AlertCandidate } from '../rules/alert-rules';
import { nearMetres } from './visits';

export interface PlanAlertSettings {
  startFixMs: number;
  splitDistanceM: number;
  splitMs: number;
}

/** A plan team as the monitor knows it at a cycle. */
export interface PlanTeamState {
  onDuty: boolean;
  /** The newest fix, or null if the team never sent one. */
  fix: { fixTime: number; lon: number; lat: number } | null;
}

export interface AlertOccurrence {
  plan: Pick<PatrolPlan, 'id' | 'name' | 'kind' | 'teams'>;
  day: string;
  start: number;
  end: number;
  /** The dispatches of the plan's teams overlapping the occurrence. */
  spans: readonly DispatchSpan[];
}

export const unreadyRuleKey = (planId: number, day: string, teamId: number) => `plan_team_unready:plan:${planId}:${day}:team:${teamId}`;
export const splitRuleKey = (planId: number, day: string) => `joint_patrol_split:plan:${planId}:${day}`;

const dispatchedAt = (spans: readonly DispatchSpan[], teamId: number, t: number) =>
  spans.some((s) => s.teamId === teamId && s.start <= t && (s.end === null || t < s.end));

const pointOf = (f: PlanTeamState['fix']): LonLat | null => (f ? [f.lon, f.lat] : null);

/** plan_team_unready for the running occurrences at `now`. */
export function unreadyAlerts(
  occurrences: readonly AlertOccurrence[],
  teams: ReadonlyMap<number, PlanTeamState>,
  { now, tz }: { now: number; tz: string },
  { startFixMs }: Pick<PlanAlertSettings, 'startFixMs'>,
): AlertCandidate[] {
  const out: AlertCandidate[] = [];
  for (const o of occurrences) {
    if (now < o.start || now >= o.end) continue;
    const since = o.start - startFixMs;
    for (const team of o.plan.teams) {
      if (dispatchedAt(o.spans, team.id, now)) continue;
      const st = teams.get(team.id) ?? { onDuty: false, fix: null };
      const silent = st.fix === null || st.fix.fixTime < since;
      if (st.onDuty && !silent) continue;
      const why = !st.onDuty ? 'is not on duty' : `has sent no position since ${townshipClock(since, tz)}`;
      out.push({
        ruleKey: unreadyRuleKey(o.plan.id, o.day, team.id),
        kind: 'plan_team_unready',
        severity: SEVERITY.plan_team_unready,
        teamId: team.id,
        incidentId: null,
        gridId: null,
        position: pointOf(st.fix),
        message: `${team.code} ${why} for plan "${o.plan.name}", which started at ${townshipClock(o.start, tz)}`,
      });
    }
  }
  return out;
}

/** The two teams furthest apart among those given, with the distance, or null for fewer than two. */
export function widestPair(points: readonly { teamId: number; code: string; lon: number; lat: number }[]) {
  let best: { a: (typeof points)[number]; b: (typeof points)[number]; metres: number } | null = null;
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!;
      const b = points[j]!;
      const metres = nearMetres(a.lon, a.lat, b.lon, b.lat);
      if (!best || metres > best.metres) best = { a, b, metres };
    }
  }
  return best;
}

/** joint_patrol_split: keeps, per occurrence, when its teams were first seen apart. */
export class SplitWatch {
  readonly #since = new Map<string, number>();

  /** Forgets every split (a cycle back in time: tests replay instants). */
  reset(): void {
    this.#since.clear();
  }

  alerts(
    occurrences: readonly AlertOccurrence[],
    teams: ReadonlyMap<number, PlanTeamState>,
    { now }: { now: number },
    { splitDistanceM, splitMs }: Pick<PlanAlertSettings, 'splitDistanceM' | 'splitMs'>,
  ): AlertCandidate[] {
    const out: AlertCandidate[] = [];
    const seen = new Set<string>();
    for (const o of occurrences) {
      if (o.plan.teams.length < 2 || now < o.start || now >= o.end) continue;
      const key = splitRuleKey(o.plan.id, o.day);
      const points = o.plan.teams.flatMap((team) => {
        const f = teams.get(team.id)?.fix;
        if (!f || f.fixTime < o.start || dispatchedAt(o.spans, team.id, now)) return [];
        return [{ teamId: team.id, code: team.code, lon: f.lon, lat: f.lat }];
      });
      const pair = widestPair(points);
      if (!pair || pair.metres <= splitDistanceM) continue;
      seen.add(key);
      const since = this.#since.get(key) ?? now;
      this.#since.set(key, since);
      if (now - since < splitMs) continue;
      out.push({
        ruleKey: key,
        kind: 'joint_patrol_split',
        severity: SEVERITY.joint_patrol_split,
        teamId: pair.a.teamId,
        incidentId: null,
        gridId: null,
        position: [pair.a.lon, pair.a.lat],
        message: `Joint patrol "${o.plan.name}" has split: ${pair.a.code} and ${pair.b.code} are ${Math.round(pair.metres)} m apart (more than ${splitDistanceM} m for ${formatSpan(splitMs)})`,
      });
    }
    for (const k of this.#since.keys()) if (!seen.has(k)) this.#since.delete(k);
    return out;
  }
}
