// The live plans (issue 14): each occurrence running now or begun today, in
// the township's day, with each checkpoint's state (lib/plans/compliance.ts)
// from the visits and the teams' dispatches. Pure: the monitor runs it every
// rules cycle on the plans it holds, GET /api/plans/live on freshly read ones.
import type { DispatchSpan, LiveCheckpoint, LivePlanOccurrence, PatrolPlan } from '../model/plans';
import { townshipDay } from '../model/township-time';
import { arrivalKey, checkpointPeriods, checkpointStatus, liveOccurrenceDays, overlaps, type Period, type Span } from './compliance';
import { occurrenceOn, occursOn, type MarketDays } from './recurrence';

export interface LiveVisit {
  planId: number;
  checkpointId: number;
  day: string;
  arrivedAt: number;
}

/** The dispatches of the plan's teams that overlap its occurrence [start, end): they suspend it. */
export function planSpans(dispatches: readonly DispatchSpan[], teamIds: readonly number[], occurrence: Period): DispatchSpan[] {
  return dispatches.filter((s) => teamIds.includes(s.teamId) && overlaps(occurrence, s));
}

export interface LiveInput {
  plans: readonly PatrolPlan[];
  visits: readonly LiveVisit[];
  dispatches: readonly DispatchSpan[];
  now: number;
  tz: string;
  market: MarketDays;
}

/** The occurrences live at `now`: begun on the township's today, or begun yesterday and still running. */
export function liveOccurrences(plans: readonly PatrolPlan[], { now, tz, market }: Pick<LiveInput, 'now' | 'tz' | 'market'>) {
  const today = townshipDay(now, tz);
  const out: { plan: PatrolPlan; day: string; start: number; end: number }[] = [];
  for (const plan of plans) {
    for (const day of liveOccurrenceDays(today)) {
      if (!occursOn(plan.recurrence, day, market)) continue;
      const o = occurrenceOn(day, plan.window, tz);
      const start = Date.parse(o.start);
      const end = Date.parse(o.end);
      if (day === today || end > now) out.push({ plan, day, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start || a.plan.id - b.plan.id);
}

/** A live occurrence with each checkpoint's periods: fixed by the plan and the day, so computed once (the Intl work) and reused every cycle. */
export interface ScheduledOccurrence {
  plan: PatrolPlan;
  day: string;
  start: number;
  end: number;
  checkpoints: { checkpoint: PatrolPlan['checkpoints'][number]; periods: Period[] }[];
}

/** The live occurrences at `now` with their checkpoints' periods. */
export function planSchedule(plans: readonly PatrolPlan[], opts: Pick<LiveInput, 'now' | 'tz' | 'market'>): ScheduledOccurrence[] {
  return liveOccurrences(plans, opts).map(({ plan, day, start, end }) => ({
    plan,
    day,
    start,
    end,
    checkpoints: plan.checkpoints.map((checkpoint) => ({
      checkpoint,
      periods: checkpointPeriods({ day, window: plan.window, frequency: checkpoint.frequency, tz: opts.tz }),
    })),
  }));
}

/**
 * Each scheduled occurrence with its checkpoints' states at `now`: plain
 * arithmetic over the periods (visits grouped by checkpoint and day first). A
 * dispatch of any of the plan's teams suspends the plan.
 */
export function liveStates(
  schedule: readonly ScheduledOccurrence[],
  { visits, dispatches, now }: Pick<LiveInput, 'visits' | 'dispatches' | 'now'>,
): LivePlanOccurrence[] {
  // Checkpoints share period edges (every slot of a frequency, every occurrence's end): each instant is written out once.
  const written = new Map<number, string>();
  const iso = (ms: number) => {
    let s = written.get(ms);
    if (s === undefined) written.set(ms, (s = new Date(ms).toISOString()));
    return s;
  };
  const arrivals = new Map<string, number[]>();
  for (const v of visits) {
    const key = arrivalKey(v.planId, v.day, v.checkpointId);
    const list = arrivals.get(key);
    if (list) list.push(v.arrivedAt);
    else arrivals.set(key, [v.arrivedAt]);
  }
  return schedule.map(({ plan, day, start, end, checkpoints: cps }) => {
    const teamIds = plan.teams.map((t) => t.id);
    const spans = planSpans(dispatches, teamIds, { start, end });
    const checkpoints = cps.map(({ checkpoint: c, periods }): LiveCheckpoint => {
      const st = checkpointStatus(periods, { visits: arrivals.get(arrivalKey(plan.id, day, c.id)) ?? [], suspensions: spans, now });
      const p = st.period;
      const suspendedBy =
        st.state === 'suspended' ? [...new Set(spans.filter((s) => overlaps(p, s)).map((s) => s.incidentId))] : [];
      return {
        checkpointId: c.id,
        seq: c.seq,
        name: c.name,
        point: c.point,
        radiusM: c.radiusM,
        state: st.state,
        periodStart: iso(p.start),
        periodEnd: iso(p.end),
        lastVisitAt: st.lastVisitAt === null ? null : iso(st.lastVisitAt),
        nextDueAt: st.nextDueAt === null ? null : iso(st.nextDueAt),
        suspendedBy,
      };
    });
    return { planId: plan.id, name: plan.name, kind: plan.kind, teamIds, day, start: iso(start), end: iso(end), checkpoints };
  });
}

/** Each live occurrence with its checkpoints' states at `now` (GET /api/plans/live: plans read fresh). */
export function livePlans(input: LiveInput): LivePlanOccurrence[] {
  return liveStates(planSchedule(input.plans, input), input);
}

/**
 * The first instant after `now` at which a checkpoint's state (and the period
 * it speaks of) can change without a new visit or a change in the dispatches:
 * the next period edge, the next known visit's arrival or the next start or
 * end of a dispatch, whichever comes first; Infinity when none is left. The
 * monitor keeps each checkpoint's state until then (lib/plans/monitor.ts).
 */
export function nextStateChange(
  periods: readonly Period[],
  { visits, suspensions, now }: { visits: readonly number[]; suspensions: readonly Span[]; now: number },
): number {
  let next = Infinity;
  const consider = (ms: number | null) => {
    if (ms !== null && ms > now && ms < next) next = ms;
  };
  for (const p of periods) {
    consider(p.start);
    consider(p.end);
  }
  for (const v of visits) consider(v);
  for (const s of suspensions) {
    consider(s.start);
    consider(s.end);
  }
  return next;
}
