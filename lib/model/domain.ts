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

export const INCIDENT_STATUSES = ['reported', 'dispatched', 'en_route', 'on_scene', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** "Open" means not yet resolved, everywhere: the KPI, the feed, the grid shading. */
export const OPEN_INCIDENT_STATUSES = ['reported', 'dispatched', 'en_route', 'on_scene'] as const satisfies readonly IncidentStatus[];
export type OpenIncidentStatus = (typeof OPEN_INCIDENT_STATUSES)[number];
export const isOpenStatus = (s: IncidentStatus): s is OpenIncidentStatus => (OPEN_INCIDENT_STATUSES as readonly string[]).includes(s);

/** How a resolved incident ended; `other` needs a note. */
export const INCIDENT_OUTCOMES = ['mediated', 'referred', 'no_action_needed', 'other'] as const;
export type IncidentOutcome = (typeof INCIDENT_OUTCOMES)[number];

/** Why a team's assignment to an incident ended. */
export const RELEASE_REASONS = ['resolved', 'cancelled', 'reassigned'] as const;
export type ReleaseReason = (typeof RELEASE_REASONS)[number];

/** How a force type travels when sent to an incident (ETA speeds per mode are settings). */
export const TRAVEL_MODES = ['foot', 'motorcycle', 'vehicle'] as const;
export type TravelMode = (typeof TRAVEL_MODES)[number];
export const FORCE_TRAVEL_MODE: Record<ForceType, TravelMode> = {
  emergency: 'vehicle',
  armband: 'foot',
  motorcycle: 'motorcycle',
  militia: 'foot',
  grid_worker: 'foot',
};

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

export const ALERT_KINDS = ['sos', 'stale', 'offline', 'outside_area', 'coverage_gap', 'unacknowledged', 'checkpoint_overdue', 'plan_team_unready', 'joint_patrol_split'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const HEATMAP_WINDOWS = ['7d', '30d', '1y'] as const;
export type HeatmapWindow = (typeof HEATMAP_WINDOWS)[number];
export const HEATMAP_WINDOW_DAYS: Record<HeatmapWindow, number> = { '7d': 7, '30d': 30, '1y': 365 };
/** The heatmap's square bins, edge in metres (the rollup keeps each). */
export const HEATMAP_BIN_SIZES = [100, 400, 1600] as const;
export type HeatmapBinSize = (typeof HEATMAP_BIN_SIZES)[number];
/**
 * The finest bin each window is served at (a finer request is answered at this
 * size, and the payload's binM says so): a year of 100 m bins holds about as
 * many rows as the incidents themselves, so it would be no faster than points.
 * A small viewport (`bbox`) may be served finer: heatmapFinestBin in heatmap-viewport.ts.
 */
export const HEATMAP_FINEST_BIN: Record<HeatmapWindow, HeatmapBinSize> = { '7d': 100, '30d': 400, '1y': 1600 };
/** Viewers and wall displays see no bin holding fewer incidents than this. */
export const HEATMAP_MIN_SHOWN_COUNT = 3;

/** The bin size for a map zoom: about 10–20 px a bin on screen (1600 m below zoom 12, 400 m below 14, then 100 m). */
export function heatmapBinForZoom(zoom: number): HeatmapBinSize {
  if (zoom >= 14) return 100;
  if (zoom >= 12) return 400;
  return 1600;
}

/**
 * A unit whose newest fix is older than this is drawn as stale (dimmed, its
 * age shown) and is not recommended for dispatch. Deliberately shorter than
 * the stale *alert* (config ALERT_STALE_MINUTES, default 5): the map says
 * "this position is old" after a couple of missed reports, while an alert —
 * which asks a person to act — waits until the silence is unusual.
 */
export const STALE_AFTER_MS = 2 * 60_000;
/**
 * A unit silent this long is marked offline on the wall. The default of the
 * server's ALERT_OFFLINE_MINUTES (the browser does not know the setting): the
 * wall also marks a team offline as soon as the server has raised an offline
 * alert for it, so a shorter setting shows at once.
 */
export const UNIT_OFFLINE_AFTER_MS = 30 * 60_000;
/** Incidents younger than this pulse on the map. */
export const NEW_INCIDENT_MS = 10 * 60_000;

/** [lon, lat] — never the other way round. */
export type LonLat = [lon: number, lat: number];
