// Plan vs actual (issue 14): GET /api/plans/report, the plan board's "计划执行"
// section and the briefing's plan figures — the same object for all three.
import type { ForceType } from './domain';
import type { PlanKind } from './plans';

/** PLAN_ROUTE_COVER_M's default, also used where the setting is not passed (the briefing in benches and tests). */
export const DEFAULT_PLAN_ROUTE_COVER_M = 40;

/** The longest period GET /api/plans/report answers (inclusive days). */
export const PLAN_REPORT_MAX_DAYS = 92;

/**
 * Checkpoint slots (a checkpoint's period in an occurrence) that ended by the
 * report's time: visited on time (a visit arrived in the slot), late (none in
 * it, one later in the same occurrence), missed (none), suspended (the team
 * was on a dispatch during the slot and did not visit in it: counted apart,
 * never missed). Slots still running are pending.
 */
export interface SlotCounts {
  slots: number;
  onTime: number;
  late: number;
  missed: number;
  suspended: number;
  pending: number;
}

/** Route coverage and time on plan, summed over the occurrences that began by the report's time. */
export interface PlanActual {
  /** Occurrences begun by the report's time. */
  occurrences: number;
  /** The route's length in those occurrences (metres), and how much of it lay within PLAN_ROUTE_COVER_M of the teams' fixes; 0 and 0 without a route. */
  routeM: number;
  coveredM: number;
  /** coveredM / routeM, or null without a route. */
  routeCoverage: number | null;
  /** Planned minutes (up to the report's time in a running occurrence) and minutes the team's fixes were inside the plan area (within the cover distance of the route for a route-only plan). */
  plannedMinutes: number;
  onPlanMinutes: number;
}

export interface PlanReportPlan extends SlotCounts, PlanActual {
  planId: number;
  name: string;
  kind: PlanKind;
}

export interface PlanReportTeam extends SlotCounts, PlanActual {
  planId: number;
  teamId: number;
  code: string;
  name: string;
  nameEn: string;
  forceType: ForceType;
}

export interface PlanReportForce extends SlotCounts {
  forceType: ForceType;
  plannedMinutes: number;
  onPlanMinutes: number;
}

/** GET /api/plans/report?from=YYYY-MM-DD&to=YYYY-MM-DD (township days, both inclusive). */
export interface PlanReport {
  from: string;
  to: string;
  timeZone: string;
  /** The instant the figures were taken at (slots ending later are pending). */
  asOf: string;
  /** Metres from the route that count as covered (PLAN_ROUTE_COVER_M). */
  coverM: number;
  totals: SlotCounts & { plannedMinutes: number; onPlanMinutes: number; routeM: number; coveredM: number; routeCoverage: number | null };
  plans: PlanReportPlan[];
  /** One row per plan and team (a team in two plans has two rows). */
  teams: PlanReportTeam[];
  forces: PlanReportForce[];
}
