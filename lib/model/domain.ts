// Domain vocabulary shared by server, seed and browser: every union is written
// once here as a const array, and its type (and any zod schema) derives from it.

export const FORCE_TYPES = ['emergency', 'armband', 'motorcycle', 'militia', 'grid_worker'] as const;
export type ForceType = (typeof FORCE_TYPES)[number];

export const UNIT_STATUSES = ['available', 'dispatched', 'en_route', 'on_scene', 'off_duty'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export const INCIDENT_CATEGORIES = [
  'neighbour_dispute',
  'family_dispute',
  'land_grazing_dispute',
  'wage_labour_dispute',
  'citizen_request',
  'traffic',
  'fire',
  'medical',
  'lost_person',
  'natural_hazard',
  'public_order',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** The categories the dispute heatmap counts. */
export const DISPUTE_CATEGORIES: readonly IncidentCategory[] = [
  'neighbour_dispute',
  'family_dispute',
  'land_grazing_dispute',
  'wage_labour_dispute',
];

/** Who reported an incident. */
export const INCIDENT_SOURCES = ['grid_worker', 'citizen_request', 'coordinator', 'patrol'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];

export const INCIDENT_STATUSES = ['reported', 'dispatched', 'on_scene', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** 1 = low … 4 = critical */
export const SEVERITIES = [1, 2, 3, 4] as const;
export type Severity = (typeof SEVERITIES)[number];

export const KEY_LOCATION_CATEGORIES = [
  'government',
  'police',
  'mediation_centre',
  'citizen_centre',
  'health',
  'school',
  'market',
  'bus_station',
  'construction',
  'hotel',
  'rental_housing',
  'tea_house',
  'entertainment',
  'equipment_depot',
  'bridge',
] as const;
export type KeyLocationCategory = (typeof KEY_LOCATION_CATEGORIES)[number];

export const ALERT_KINDS = ['sos', 'stale', 'outside_area', 'coverage_gap', 'unacknowledged'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const HEATMAP_WINDOWS = ['7d', '30d', '1y'] as const;
export type HeatmapWindow = (typeof HEATMAP_WINDOWS)[number];
export const HEATMAP_WINDOW_DAYS: Record<HeatmapWindow, number> = { '7d': 7, '30d': 30, '1y': 365 };

/** A unit whose newest fix is older than this is drawn as stale. */
export const STALE_AFTER_MS = 2 * 60_000;
/** Incidents younger than this pulse on the map. */
export const NEW_INCIDENT_MS = 10 * 60_000;

/** [lon, lat] — never the other way round. */
export type LonLat = [lon: number, lat: number];
