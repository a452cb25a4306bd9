// Patrol plans (issue 14): what the API takes and answers, shared by the
// service, the routes and the plan board.
import type { ForceType } from './domain';
import type { PersonRole } from './roles';

/** Who may open the plan board (PAGE_RULES, and the header's link): staff write plans there, a viewer reads; the wall has no use for it. */
export const PLAN_BOARD_ROLES = ['admin', 'coordinator', 'viewer'] as const satisfies readonly PersonRole[];

export const PLAN_KINDS = ['patrol', 'joint'] as const;
/** patrol: one team; joint: several teams (of any force types) together. */
export type PlanKind = (typeof PLAN_KINDS)[number];

export const PLAN_REPEATS = ['once', 'daily', 'weekdays', 'market_days'] as const;
export type PlanRepeat = (typeof PLAN_REPEATS)[number];

/**
 * When a plan happens, in township days (`YYYY-MM-DD`, TOWNSHIP_TZ): one day,
 * or every day / weekday (Mon–Fri) / market day, within `from`..`until` when
 * given (both inclusive; null is open).
 */
export type PlanRecurrence =
  | { repeat: 'once'; date: string }
  | { repeat: Exclude<PlanRepeat, 'once'>; from: string | null; until: string | null };

/** A wall-clock window `HH:MM`–`HH:MM`; an end at or before the start crosses midnight (18:00–02:00). */
export interface PlanWindow {
  start: string;
  end: string;
}

/** "Every N minutes between HH:MM and HH:MM" (inside the plan's window). */
export interface CheckpointFrequency {
  everyMinutes: number;
  start: string;
  end: string;
}

/** A checkpoint as a plan is written: a key location or a map point. */
export interface CheckpointInput {
  keyLocationId: number | null;
  /** [lon, lat]; used when keyLocationId is null. */
  point: [lon: number, lat: number] | null;
  /** The name shown; defaults to the key location's. */
  name: string | null;
  radiusM: number;
  frequency: CheckpointFrequency | null;
}

export interface PlanInput {
  name: string;
  kind: PlanKind;
  teamIds: number[];
  recurrence: PlanRecurrence;
  window: PlanWindow;
  /** Grid cells whose union is (part of) the area. */
  areaGridIds: number[];
  /** A drawn area (GeoJSON Polygon or MultiPolygon), united with the cells. */
  areaPolygon: PlanPolygon | null;
  /** A route (GeoJSON LineString). */
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
  checkpoints: CheckpointInput[];
}

export type PlanPolygon =
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] };

export interface PlanTeam {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  forceType: ForceType;
  onDuty: boolean;
}

export interface PlanCheckpoint {
  id: number;
  seq: number;
  keyLocationId: number | null;
  name: string;
  point: [lon: number, lat: number];
  radiusM: number;
  frequency: CheckpointFrequency | null;
}

/** A stored plan. */
export interface PatrolPlan {
  id: number;
  name: string;
  kind: PlanKind;
  teams: PlanTeam[];
  recurrence: PlanRecurrence;
  window: PlanWindow;
  areaGridIds: number[];
  /** The whole area (cells ∪ drawn polygon) as GeoJSON, or null for a route-only plan. */
  area: PlanPolygon | null;
  /** The drawn part of the area, as it was given (areaPolygon), or null. */
  drawnArea: PlanPolygon | null;
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
  checkpoints: PlanCheckpoint[];
  createdBy: string;
  updatedAt: string;
}

/** One occurrence of a plan on the board: the plan happens from `start` to `end` (ISO UTC). */
export interface PlanOccurrence {
  planId: number;
  /** The township day the occurrence starts on. */
  day: string;
  start: string;
  end: string;
}

/** GET /api/plans?day=YYYY-MM-DD: the plan board of a township day. */
export interface PlanBoard {
  day: string;
  timeZone: string;
  /** Every plan (the board's occurrences refer to them by id). */
  plans: PatrolPlan[];
  /** The day's occurrences by start time (a window crossing midnight is listed on the day it starts). */
  occurrences: PlanOccurrence[];
}

/**
 * A checkpoint's state in its period (issue 14, live compliance): upcoming
 * (its period has not begun), due (running, not visited yet), visited (in
 * this period), overdue (a period ended unvisited and no visit since),
 * suspended (the plan's team is, or was during the period, on a dispatch).
 */
export const CHECKPOINT_STATES = ['upcoming', 'due', 'visited', 'overdue', 'suspended'] as const;
export type CheckpointState = (typeof CHECKPOINT_STATES)[number];

/** A checkpoint of a live occurrence, as GET /api/plans/live gives it. */
export interface LiveCheckpoint {
  checkpointId: number;
  seq: number;
  name: string;
  point: [lon: number, lat: number];
  radiusM: number;
  state: CheckpointState;
  /** The period the state speaks of (ISO UTC): the running one (the missed one before it when that makes it overdue), else the last ended, else the first. */
  periodStart: string;
  periodEnd: string;
  lastVisitAt: string | null;
  /** When the next unvisited period ends, or null when nothing more is owed in this occurrence. */
  nextDueAt: string | null;
  /** Staff only: the incidents whose dispatch suspended the state (empty otherwise, and for viewers and walls). */
  suspendedBy: number[];
}

/** One occurrence running now or begun today (township day), with its checkpoints' states. */
export interface LivePlanOccurrence {
  planId: number;
  name: string;
  kind: PlanKind;
  teamIds: number[];
  day: string;
  start: string;
  end: string;
  checkpoints: LiveCheckpoint[];
}

/** A live plan's shape on the map (GET /api/plans/live). */
export interface LivePlanShape {
  planId: number;
  /** The whole area (cells ∪ drawn polygon), or null. */
  area: PlanPolygon | null;
  route: { type: 'LineString'; coordinates: [number, number][] } | null;
}

/** The share of an occurrence's route covered so far (the plan-vs-actual statement, db/plan-report.ts): 0..1, null without a route. */
export interface LiveRouteCoverage {
  planId: number;
  day: string;
  share: number | null;
}

/** GET /api/plans/live. */
export interface PlansLive {
  serverTime: string;
  day: string;
  timeZone: string;
  occurrences: LivePlanOccurrence[];
  /** One per plan with an occurrence in `occurrences`. */
  shapes: LivePlanShape[];
  /** One per occurrence, as of serverTime (fixes since the occurrence began, within PLAN_ROUTE_COVER_M of the route). */
  coverage: LiveRouteCoverage[];
}

/** The socket's `plans:checkpoints` payload: checkpoints whose state changed, as parallel arrays (index k is one checkpoint of one occurrence). */
export interface CheckpointChanges {
  /** Plan ids. */
  p: number[];
  /** Occurrence days (YYYY-MM-DD). */
  d: string[];
  /** Checkpoint ids. */
  c: number[];
  /** New states. */
  s: CheckpointState[];
}

/** A checkpoint visit (migration 0015): a plan team inside the checkpoint's radius for at least the dwell. Times are epoch ms. */
export interface PlanVisit {
  planId: number;
  checkpointId: number;
  teamId: number;
  /** The township day the occurrence started on. */
  day: string;
  arrivedAt: number;
  /** Null while the team is still there. */
  leftAt: number | null;
}

/** A team's dispatch (epoch ms): from dispatch to release (`end` null: still active). While it runs, the team's plan obligations are suspended. */
export interface DispatchSpan {
  teamId: number;
  incidentId: number;
  start: number;
  end: number | null;
}
