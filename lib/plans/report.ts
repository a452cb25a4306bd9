// Plan vs actual (issue 14) for township days [from, to]: per plan, team and
// force, the checkpoint slots visited on time / late / missed (suspended by a
// dispatch counted apart), route coverage and time on plan. GET
// /api/plans/report, the plan board's section and the briefing read it.
//
// The occurrences are those of the plans as they are now (a plan's earlier
// terms are not kept), begun by `now`. Slots follow lib/plans/compliance.ts:
// on time when a visit arrived in the slot, suspended when not and a dispatch
// of the team overlapped it, late when a visit came after it within the
// occurrence, missed otherwise; a slot not ended by `now` is pending unless
// already visited. A joint plan's slot is paid by any of its teams (as the
// live view counts it); a team's own row counts its own visits.
import type { Queryable } from '../../db/client';
import { getPlanActuals, type ActualsInput } from '../../db/plan-report';
import { getDispatchSpans, getVisits } from '../../db/plan-visits';
import { listPlans } from '../../db/plans';
import type { Config } from '../config';
import { AppError } from '../errors';
import type { DispatchSpan, PatrolPlan } from '../model/plans';
import { PLAN_REPORT_MAX_DAYS, type PlanActual, type PlanReport, type PlanReportForce, type PlanReportTeam, type SlotCounts } from '../model/plan-report';
import { addDays, daysBetween, isDay } from '../model/township-time';
import { arrivalKey, checkpointPeriods, overlaps, type Period } from './compliance';
import { planSpans } from './live';
import { occurrenceOn, occursOn, parseMarketDays } from './recurrence';

export type SlotOutcome = 'onTime' | 'late' | 'missed' | 'suspended' | 'pending';

/** One slot's outcome from the arrivals at its checkpoint in the occurrence and the dispatches that suspend it. */
export function slotOutcome(p: Period, { arrivals, spans, occurrenceEnd, now }: { arrivals: readonly number[]; spans: readonly DispatchSpan[]; occurrenceEnd: number; now: number }): SlotOutcome {
  const seen = arrivals.filter((a) => a <= now);
  if (seen.some((a) => a >= p.start && a < p.end)) return 'onTime';
  if (p.end > now) return 'pending';
  if (spans.some((s) => overlaps(p, s))) return 'suspended';
  if (seen.some((a) => a >= p.end && a < occurrenceEnd)) return 'late';
  return 'missed';
}

const zeroCounts = (): SlotCounts => ({ slots: 0, onTime: 0, late: 0, missed: 0, suspended: 0, pending: 0 });
const zeroActual = (): PlanActual => ({ occurrences: 0, routeM: 0, coveredM: 0, routeCoverage: null, plannedMinutes: 0, onPlanMinutes: 0 });

function addCounts(into: SlotCounts, from: SlotCounts): void {
  for (const k of ['slots', 'onTime', 'late', 'missed', 'suspended', 'pending'] as const) into[k] += from[k];
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The share of a route covered, to three decimals (the live map's figure and the report's). */
export function coverageShare(coveredM: number, routeM: number): number | null {
  return routeM > 0 ? Math.round((coveredM / routeM) * 1000) / 1000 : null;
}

/** Rounds what was summed, and derives the coverage share. */
function finish<T extends PlanActual>(row: T): T {
  return {
    ...row,
    routeM: Math.round(row.routeM),
    coveredM: Math.round(row.coveredM),
    routeCoverage: coverageShare(row.coveredM, row.routeM),
    plannedMinutes: round1(row.plannedMinutes),
    onPlanMinutes: round1(row.onPlanMinutes),
  };
}

/** A bad query (GET parameters): 400. */
const badInput = (message: string) => new AppError('bad_request', message);

/** Checks the report's days: real days, from not after to, at most `maxDays` (inclusive). */
export function checkReportRange({ from, to }: { from: string; to: string }, maxDays: number): void {
  if (!isDay(from)) throw badInput('from must be a day written YYYY-MM-DD');
  if (!isDay(to)) throw badInput('to must be a day written YYYY-MM-DD');
  const days = daysBetween(from, to) + 1;
  if (days < 1) throw badInput('to must not be before from');
  if (days > maxDays) throw badInput(`a report covers at most ${maxDays} days (asked for ${days})`);
}

/**
 * Plan vs actual for township days `from`..`to` (both inclusive) as of
 * `now`. `maxDays` caps the range (the API's cap by default; the briefing
 * passes its own longest period).
 */
export async function readPlanReport(
  deps: { db: Queryable; config: Pick<Config, 'TOWNSHIP_TZ' | 'TOWNSHIP_MARKET_DAYS' | 'PLAN_ROUTE_COVER_M'> },
  { from, to }: { from: string; to: string },
  { now = Date.now(), maxDays = PLAN_REPORT_MAX_DAYS }: { now?: number; maxDays?: number } = {},
): Promise<PlanReport> {
  checkReportRange({ from, to }, maxDays);
  const tz = deps.config.TOWNSHIP_TZ;
  const coverM = deps.config.PLAN_ROUTE_COVER_M;
  const market = parseMarketDays(deps.config.TOWNSHIP_MARKET_DAYS);
  const plans = await listPlans(deps.db);
  const occ: { plan: PatrolPlan; day: string; start: number; end: number }[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) {
    for (const plan of plans) {
      if (!occursOn(plan.recurrence, day, market)) continue;
      const o = occurrenceOn(day, plan.window, tz);
      const start = Date.parse(o.start);
      if (start < now) occ.push({ plan, day, start, end: Date.parse(o.end) });
    }
  }
  const report: PlanReport = {
    from,
    to,
    timeZone: tz,
    asOf: new Date(now).toISOString(),
    coverM,
    totals: { ...zeroCounts(), plannedMinutes: 0, onPlanMinutes: 0, routeM: 0, coveredM: 0, routeCoverage: null },
    plans: [],
    teams: [],
    forces: [],
  };
  if (occ.length === 0) return report;

  const first = Math.min(...occ.map((o) => o.start));
  const last = Math.min(now, Math.max(...occ.map((o) => o.end)));
  const teamIds = [...new Set(plans.flatMap((p) => p.teams.map((x) => x.id)))];
  const actualsIn: ActualsInput[] = occ.flatMap((o, k) => o.plan.teams.map((team) => ({ k, planId: o.plan.id, teamId: team.id, start: o.start, stop: Math.min(o.end, now) })));
  const [visits, dispatches, actuals] = await Promise.all([
    getVisits(deps.db, { from: new Date(first), to: new Date(last) }),
    getDispatchSpans(deps.db, { teamIds, from: new Date(first), to: new Date(last) }),
    getPlanActuals(deps.db, { rows: actualsIn, coverM }),
  ]);
  const arrivals = new Map<string, { teamId: number; at: number }[]>();
  for (const v of visits) {
    const key = arrivalKey(v.planId, v.day, v.checkpointId);
    const list = arrivals.get(key) ?? [];
    list.push({ teamId: v.teamId, at: v.arrivedAt });
    arrivals.set(key, list);
  }
  const actualOf = new Map(actuals.map((a) => [`${a.k}:${a.teamId ?? ''}`, a]));

  const planRows = new Map<number, PlanReport['plans'][number]>();
  const teamRows = new Map<string, PlanReportTeam>();
  occ.forEach((o, k) => {
    const { plan } = o;
    const planRow = planRows.get(plan.id) ?? { planId: plan.id, name: plan.name, kind: plan.kind, ...zeroCounts(), ...zeroActual() };
    planRows.set(plan.id, planRow);
    const minutes = (Math.min(o.end, now) - o.start) / 60_000;
    const teamIds = plan.teams.map((x) => x.id);
    const spans = planSpans(dispatches, teamIds, o);
    // Each team's own dispatches, once per occurrence (not per checkpoint slot).
    const teamSpans = teamIds.map((id) => spans.filter((s) => s.teamId === id));
    const whole = actualOf.get(`${k}:`);
    planRow.occurrences++;
    planRow.routeM += whole?.routeM ?? 0;
    planRow.coveredM += whole?.coveredM ?? 0;
    const teamCounts = plan.teams.map(() => zeroCounts());
    for (const c of plan.checkpoints) {
      const periods = checkpointPeriods({ day: o.day, window: plan.window, frequency: c.frequency, tz });
      const all = arrivals.get(arrivalKey(plan.id, o.day, c.id)) ?? [];
      // The checkpoint's arrivals, any team's and each team's own, once for all its slots.
      const anyTeam = all.map((a) => a.at);
      const byTeam = teamIds.map((id) => all.filter((a) => a.teamId === id).map((a) => a.at));
      for (const p of periods) {
        planRow.slots++;
        planRow[slotOutcome(p, { arrivals: anyTeam, spans, occurrenceEnd: o.end, now })]++;
        teamIds.forEach((_, i) => {
          teamCounts[i]!.slots++;
          teamCounts[i]![slotOutcome(p, { arrivals: byTeam[i]!, spans: teamSpans[i]!, occurrenceEnd: o.end, now })]++;
        });
      }
    }
    plan.teams.forEach((team, i) => {
      const key = `${plan.id}:${team.id}`;
      const row = teamRows.get(key) ?? {
        planId: plan.id,
        teamId: team.id,
        code: team.code,
        name: team.name,
        nameEn: team.nameEn,
        forceType: team.forceType,
        ...zeroCounts(),
        ...zeroActual(),
      };
      teamRows.set(key, row);
      addCounts(row, teamCounts[i]!);
      const a = actualOf.get(`${k}:${team.id}`);
      row.occurrences++;
      row.routeM += a?.routeM ?? 0;
      row.coveredM += a?.coveredM ?? 0;
      row.plannedMinutes += minutes;
      row.onPlanMinutes += (a?.onPlanS ?? 0) / 60;
      // A plan's minutes are team-minutes: each team's planned and on-plan time added.
      planRow.plannedMinutes += minutes;
      planRow.onPlanMinutes += (a?.onPlanS ?? 0) / 60;
    });
  });

  report.plans = [...planRows.values()].map(finish).sort((a, b) => a.name.localeCompare(b.name) || a.planId - b.planId);
  report.teams = [...teamRows.values()].map(finish).sort((a, b) => a.planId - b.planId || a.code.localeCompare(b.code));
  const forces = new Map<string, PlanReportForce>();
  for (const row of report.teams) {
    const f = forces.get(row.forceType) ?? { forceType: row.forceType, ...zeroCounts(), plannedMinutes: 0, onPlanMinutes: 0 };
    forces.set(row.forceType, f);
    addCounts(f, row);
    f.plannedMinutes = round1(f.plannedMinutes + row.plannedMinutes);
    f.onPlanMinutes = round1(f.onPlanMinutes + row.onPlanMinutes);
  }
  report.forces = [...forces.values()].sort((a, b) => a.forceType.localeCompare(b.forceType));
  const totals = report.totals;
  for (const row of report.plans) {
    addCounts(totals, row);
    totals.plannedMinutes = round1(totals.plannedMinutes + row.plannedMinutes);
    totals.onPlanMinutes = round1(totals.onPlanMinutes + row.onPlanMinutes);
    totals.routeM += row.routeM;
    totals.coveredM += row.coveredM;
  }
  totals.routeCoverage = coverageShare(totals.coveredM, totals.routeM);
  return report;
}
