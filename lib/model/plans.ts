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
