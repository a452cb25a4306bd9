// The patrol plans service (issue 14): coordinators and administrators write
// plans; each change and its audit row commit together. A plan is refused
// with its reason — 422 for what does not exist or does not fit, 409 for a
// conflict with the world: a team that is off duty, a team already in
// another plan whose occurrences overlap, a checkpoint outside the area.
// After the commit, `plans:changed` goes on the bus: the plan monitor
// (lib/plans/monitor.ts) reloads the live occurrences it watches.
import type { Db, Queryable } from '../../db/client';
import { getPlanActuals } from '../../db/plan-report';
import { getDispatchSpans, getVisits } from '../../db/plan-visits';
import { deletePlan, findCheckpointsOutsideArea, findPlanInputProblems, insertPlan, listPlans, listPlansOfTeams, lockPlanTeams, replacePlan } from '../../db/plans';
import { recordAudit, type Actor } from '../audit';
import type { Bus } from '../bus';
import type { Config } from '../config';
import { AppError } from '../errors';
import { seesIncidentDetail } from '../auth/privacy';
import { type LivePlanOccurrence, type LiveRouteCoverage, type PatrolPlan, type Role, type PlanBoard, type PlanInput, type PlansLive } from '../model';
import { DEFAULT_PLAN_ROUTE_COVER_M } from '../model/plan-report';
import { townshipDay } from '../model/township-time';
import { startOfYesterday } from './compliance';
import { coverageShare } from './report';
import { livePlans } from './live';
import { firstOverlap, occurrencesBetween, parseMarketDays, windowWithin } from './recurrence';

export type PlanDeps = {
  db: Db;
  config: Pick<Config, 'TOWNSHIP_TZ' | 'TOWNSHIP_MARKET_DAYS'> & Partial<Pick<Config, 'PLAN_ROUTE_COVER_M'>>;
  /** Told `plans:changed` after each committed change (the registry's bus; absent in tests that watch nothing). */
  bus?: Bus;
  /** The clock (tests set it); the overlap check starts from its township day. */
  now?: () => Date;
};

/**
 * How far ahead two open-ended plans are compared: 53 weeks, in which every
 * weekday meets every day of the month up to the 28th (market days on the
 * 7th against weekday plans can first clash months ahead). Listing a year of
 * occurrences of two plans takes a few milliseconds.
 */
export const OVERLAP_HORIZON_DAYS = 371;

const today = (deps: PlanDeps) => townshipDay(deps.now?.() ?? new Date(), deps.config.TOWNSHIP_TZ);

/** What zod cannot see: the teams match the kind, frequency windows lie in the plan's window. */
function checkShape(plan: PlanInput): void {
  if (plan.kind === 'patrol' && plan.teamIds.length !== 1) throw new AppError('invalid_input', 'teamIds: a patrol has one team; a joint patrol (kind "joint") has several');
  if (plan.kind === 'joint' && plan.teamIds.length < 2) throw new AppError('invalid_input', 'teamIds: a joint patrol names at least two teams');
  plan.checkpoints.forEach((c, i) => {
    if (c.frequency && !windowWithin(c.frequency, plan.window)) {
      throw new AppError(
        'invalid_input',
        `checkpoints.${i}.frequency: ${c.frequency.start}–${c.frequency.end} is not within the plan's window ${plan.window.start}–${plan.window.end}`,
      );
    }
  });
}

async function checkReferences(db: Queryable, plan: PlanInput): Promise<void> {
  const p = await findPlanInputProblems(db, { plan });
  if (p.unknownTeamIds.length > 0) throw new AppError('invalid_input', `teamIds: no team ${p.unknownTeamIds.join(', ')}`);
  if (p.unknownGridIds.length > 0) throw new AppError('invalid_input', `areaGridIds: no grid cell ${p.unknownGridIds.join(', ')}`);
  if (p.unknownKeyLocationIds.length > 0) throw new AppError('invalid_input', `checkpoints: no key location ${p.unknownKeyLocationIds.join(', ')}`);
  if (p.areaInvalid !== null) throw new AppError('invalid_input', `areaPolygon: not a valid polygon (${p.areaInvalid})`);
  if (p.routeInvalid !== null) throw new AppError('invalid_input', `route: ${p.routeInvalid}`);
}

/** The conflicts, in the transaction that writes the plan (its teams locked first). */
async function checkConflicts(deps: PlanDeps, tx: Queryable, plan: PlanInput, planId: number | null): Promise<void> {
  const teams = await lockPlanTeams(tx, { teamIds: plan.teamIds });
  const offDuty = teams.filter((t) => !t.onDuty).map((t) => t.code);
  if (offDuty.length > 0) throw new AppError('conflict', `team ${offDuty.join(', ')} is off duty: put it on duty before planning its patrols`);

  const market = parseMarketDays(deps.config.TOWNSHIP_MARKET_DAYS);
  const opts = { today: today(deps), tz: deps.config.TOWNSHIP_TZ, market, horizonDays: OVERLAP_HORIZON_DAYS };
  for (const other of await listPlansOfTeams(tx, { teamIds: plan.teamIds, exceptPlanId: planId })) {
    const clash = firstOverlap(plan, other, opts);
    if (clash) {
      throw new AppError(
        'conflict',
        `team ${other.sharedTeamCodes.join(', ')} is already in plan "${other.name}" (${other.window.start}–${other.window.end}), ` +
          `which overlaps this plan on ${clash.a.day}`,
      );
    }
  }
}

async function checkCheckpoints(tx: Queryable, planId: number): Promise<void> {
  const outside = await findCheckpointsOutsideArea(tx, { planId });
  const first = outside[0];
  if (first) {
    throw new AppError(
      'conflict',
      `checkpoint ${first.seq} "${first.name}" is outside the plan's area: ${first.distanceM} m from it, more than its ${first.radiusM} m radius`,
    );
  }
}

/** Creates a plan (422: bad input; 409: off-duty team, overlapping plan, checkpoint outside the area). */
export async function createPlan(deps: PlanDeps, { plan, actor }: { plan: PlanInput; actor: Actor }): Promise<PatrolPlan> {
  checkShape(plan);
  await checkReferences(deps.db, plan);
  const created = await deps.db.transaction(async (tx) => {
    await checkConflicts(deps, tx, plan, null);
    const id = await insertPlan(tx, { plan, createdBy: actor.actor });
    await checkCheckpoints(tx, id);
    await recordAudit(tx, actor, { action: 'plan.create', target: `plan:${id}`, detail: auditDetail(plan) });
    return (await listPlans(tx, { ids: [id] }))[0]!;
  });
  deps.bus?.publish('plans:changed');
  return created;
}

/** Replaces a plan as a whole (404: no such plan; otherwise as createPlan). */
export async function changePlan(deps: PlanDeps, { id, plan, actor }: { id: number; plan: PlanInput; actor: Actor }): Promise<PatrolPlan> {
  checkShape(plan);
  await checkReferences(deps.db, plan);
  const changed = await deps.db.transaction(async (tx) => {
    await checkConflicts(deps, tx, plan, id);
    if (!(await replacePlan(tx, { id, plan }))) throw new AppError('not_found', `no plan ${id}`);
    await checkCheckpoints(tx, id);
    await recordAudit(tx, actor, { action: 'plan.update', target: `plan:${id}`, detail: auditDetail(plan) });
    return (await listPlans(tx, { ids: [id] }))[0]!;
  });
  deps.bus?.publish('plans:changed');
  return changed;
}

/** Deletes a plan (404: no such plan). */
export async function removePlan(deps: Pick<PlanDeps, 'db' | 'bus'>, { id, actor }: { id: number; actor: Actor }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const name = await deletePlan(tx, { id });
    if (name === null) throw new AppError('not_found', `no plan ${id}`);
    await recordAudit(tx, actor, { action: 'plan.delete', target: `plan:${id}`, detail: { name } });
  });
  deps.bus?.publish('plans:changed');
}

/** The plan board of a township day (today when not given): every plan, and the day's occurrences by start. */
export async function planBoard(deps: PlanDeps, { day }: { day?: string }): Promise<PlanBoard> {
  const board = day ?? today(deps);
  const tz = deps.config.TOWNSHIP_TZ;
  const market = parseMarketDays(deps.config.TOWNSHIP_MARKET_DAYS);
  const plans = await listPlans(deps.db);
  const occurrences = plans
    .flatMap((p) => occurrencesBetween(p, board, board, tz, market).map((o) => ({ planId: p.id, ...o })))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.planId - b.planId));
  return { day: board, timeZone: tz, plans, occurrences };
}

/** What the audit row keeps of a plan: its terms, not its geometry. */
function auditDetail(plan: PlanInput): Record<string, unknown> {
  return {
    name: plan.name,
    kind: plan.kind,
    teamIds: plan.teamIds,
    recurrence: plan.recurrence,
    window: plan.window,
    areaGridIds: plan.areaGridIds,
    drawnArea: plan.areaPolygon !== null,
    route: plan.route !== null,
    checkpoints: plan.checkpoints.length,
  };
}

/**
 * GET /api/plans/live: each occurrence running now or begun today, with its
 * checkpoints' states (visited, due, overdue, suspended, upcoming), last
 * visit and next due, read fresh (the monitor computes the same every rules
 * cycle for the alerts and the push). Which incidents suspended a plan is for
 * staff: viewers and walls see the state only.
 */
export async function plansLive(deps: PlanDeps, { role }: { role: Role }): Promise<PlansLive> {
  const now = deps.now?.() ?? new Date();
  const tz = deps.config.TOWNSHIP_TZ;
  const plans = await listPlans(deps.db);
  const from = startOfYesterday(now.getTime(), tz);
  const teamIds = [...new Set(plans.flatMap((p) => p.teams.map((t) => t.id)))];
  const [visits, dispatches] = await Promise.all([getVisits(deps.db, { from, to: now }), getDispatchSpans(deps.db, { teamIds, from, to: now })]);
  const occurrences = livePlans({ plans, visits, dispatches, now: now.getTime(), tz, market: parseMarketDays(deps.config.TOWNSHIP_MARKET_DAYS) });
  const byId = new Map(plans.map((p) => [p.id, p]));
  const live = [...new Set(occurrences.map((o) => o.planId))].map((id) => byId.get(id)!);
  return {
    serverTime: now.toISOString(),
    day: townshipDay(now, tz),
    timeZone: tz,
    occurrences: seesIncidentDetail(role) ? occurrences : occurrences.map((o) => ({ ...o, checkpoints: o.checkpoints.map((c) => ({ ...c, suspendedBy: [] })) })),
    shapes: live.map((p) => ({ planId: p.id, area: p.area, route: p.route })),
    coverage: await liveCoverage(deps.db, occurrences, byId, now, deps.config.PLAN_ROUTE_COVER_M ?? DEFAULT_PLAN_ROUTE_COVER_M),
  };
}

/**
 * Each occurrence's route coverage at `now`: the part of its route within
 * `coverM` of any of its teams' fixes since it began (until its end), by the
 * plan-vs-actual report's own statement (db/plan-report.ts, PostGIS), so the
 * live figure and the day's report are the same rule. An occurrence not begun
 * yet, or without a route, has none.
 */
async function liveCoverage(
  db: Db,
  occurrences: readonly LivePlanOccurrence[],
  plans: ReadonlyMap<number, PatrolPlan>,
  now: Date,
  coverM: number,
): Promise<LiveRouteCoverage[]> {
  const rows = occurrences.flatMap((o, k) => {
    const start = Date.parse(o.start);
    if (!plans.get(o.planId)?.route || start > now.getTime()) return [];
    const stop = Math.min(Date.parse(o.end), now.getTime());
    return o.teamIds.map((teamId) => ({ k, planId: o.planId, teamId, start, stop }));
  });
  const whole = new Map((await getPlanActuals(db, { rows, coverM })).filter((r) => r.teamId === null).map((r) => [r.k, r]));
  return occurrences.map((o, k) => {
    const r = whole.get(k);
    return { planId: o.planId, day: o.day, share: r ? coverageShare(r.coveredM, r.routeM) : null };
  });
}
