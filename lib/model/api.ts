// Shapes of the JSON snapshots served under /api/*, shared by route handlers
// and the browser. Coordinates are always [lon, lat].
import type {
  AlertKind,
  ForceType,
  HeatmapBinSize,
  IncidentCategory,
  IncidentOutcome,
  IncidentStatus,
  ReleaseReason,
  TravelMode,
  KeyLocationCategory,
  LonLat,
  Severity,
  UnitStatus,
} from './domain';
import type { PersonRole, Role, SessionKind } from './roles';
import type { BasemapArchive } from './basemap';

export interface GridFeatureProps {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  villageId: number;
  villageName: string;
  villageNameEn: string;
  /** Open (not yet resolved: OPEN_INCIDENT_STATUSES) incidents in the cell now. */
  openIncidents: number;
  /** When a patrol's fix last fell inside the cell (ISO-8601 UTC), or null if never: the coverage shading. */
  lastPatrolAt: string | null;
  /** Area in km² (computed in PostGIS on the geography). */
  areaKm2: number;
  /** A point inside the cell for the label ([lon, lat]). */
  labelPoint: LonLat;
}

export interface GeoJsonFeature<G, P> {
  type: 'Feature';
  id?: number | string;
  geometry: G;
  properties: P;
}
export interface GeoJsonCollection<G, P> {
  type: 'FeatureCollection';
  features: GeoJsonFeature<G, P>[];
}
export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: LonLat[][][];
}
export interface PolygonGeometry {
  type: 'Polygon';
  coordinates: LonLat[][];
}
export interface LineStringGeometry {
  type: 'LineString';
  coordinates: LonLat[];
}
export interface PointGeometry {
  type: 'Point';
  coordinates: LonLat;
}

export type GridCollection = GeoJsonCollection<MultiPolygonGeometry, GridFeatureProps>;

/** GET /api/basemap — everything the offline basemap style draws. */
export interface BasemapPayload {
  bbox: [west: number, south: number, east: number, north: number];
  boundary: GeoJsonCollection<MultiPolygonGeometry, { name: string; nameEn: string }>;
  /** roads, tracks, river and relief bands; `kind` tells which. */
  features: GeoJsonCollection<
    LineStringGeometry | PolygonGeometry | MultiPolygonGeometry,
    { kind: 'road' | 'track' | 'river' | 'relief'; name: string | null; nameEn: string | null; level: number }
  >;
  villages: GeoJsonCollection<
    PointGeometry,
    { id: number; code: string; name: string; nameEn: string; kind: 'village' | 'community'; population: number }
  >;
  /** The uploaded PMTiles archive drawn under our layers, or null: the township's own style alone. */
  pmtiles: BasemapArchive | null;
}

export interface KeyLocation {
  id: number;
  category: KeyLocationCategory;
  name: string;
  nameEn: string;
  gridId: number | null;
  position: LonLat;
}

/** GET /api/units — one row per team with its latest fix (position null before the first). */
export interface UnitState {
  teamId: number;
  code: string;
  name: string;
  nameEn: string;
  forceType: ForceType;
  size: number;
  status: UnitStatus;
  position: LonLat | null;
  /** ISO-8601 UTC time of the newest fix, or null. */
  fixTime: string | null;
  speed: number | null; // m/s
  heading: number | null; // degrees from north
  battery: number | null; // percent 0..100
  gridId: number | null;
  /** The incident the team is committed to (an active assignment), or null. */
  incidentId: number | null;
}

/** An incident as staff (STAFF_ROLES) see it: the staff-only fields are always there, null when empty. */
export interface Incident {
  id: number;
  category: IncidentCategory;
  severity: Severity;
  status: IncidentStatus;
  title: string;
  /** The narrative. Staff only. */
  description: string | null;
  /** The reporter's contact when one was given. Staff only. */
  reporterContact: string | null;
  position: LonLat;
  gridId: number | null;
  gridCode: string | null;
  reportedAt: string; // ISO-8601 UTC
  source: string;
  /** Set when resolved (kept after close; cleared on reopen). */
  outcome: IncidentOutcome | null;
  /** Free text with the outcome. Staff only. */
  outcomeNote: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  /** Last change of any kind (ISO-8601 UTC). */
  updatedAt: string;
  /** The teams committed to it now (active assignments), oldest first. */
  assignments: Assignment[];
}

/** A team committed to an incident: from dispatch until it is released. */
export interface Assignment {
  id: number;
  incidentId: number;
  teamId: number;
  teamCode: string;
  teamName: string;
  teamNameEn: string;
  forceType: ForceType;
  dispatchedAt: string;
  /** Username of the coordinator who dispatched. */
  dispatchedBy: string;
  acknowledgedAt: string | null;
  /** A username (recorded on the team's behalf) or `device:<label>` (the device acknowledged itself). */
  acknowledgedBy: string | null;
  arrivedAt: string | null;
  /** `detected` (from the team's fixes) or a username (set by hand). */
  arrivedBy: string | null;
  releasedAt: string | null;
  releaseReason: ReleaseReason | null;
}

export const TIMELINE_ACTIONS = [
  'reported',
  'status',
  'severity',
  'dispatched',
  'acknowledged',
  'arrived',
  'released',
  'resolved',
  'reopened',
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

/** One step in an incident's timeline: who, when, what. */
export interface TimelineEntry {
  at: string;
  /** A username, `device:<label>`, `detected` (arrival from fixes) or `system`; null for the simulator's reports. */
  by: string | null;
  action: TimelineAction;
  /** The status after this step, when it changed. */
  status?: IncidentStatus;
  from?: IncidentStatus;
  /** The severity after this step: on a severity change, and (since issue 13) on the report. */
  severity?: Severity;
  /** On a severity change: the severity it replaced (recorded since issue 13; older steps lack it). */
  fromSeverity?: Severity;
  teamId?: number;
  teamCode?: string;
  assignmentId?: number;
  releaseReason?: ReleaseReason;
  outcome?: IncidentOutcome;
  /** The outcome note. Staff only: stripped for other roles. */
  note?: string;
}

/** GET /api/incidents/[id]/timeline */
export interface IncidentTimeline {
  incidentId: number;
  entries: TimelineEntry[];
  /** Every assignment the incident has had, released ones too, oldest first. */
  assignments: Assignment[];
}

/** One ranked team in GET /api/incidents/[id]/recommendations. */
export interface Recommendation {
  teamId: number;
  code: string;
  name: string;
  nameEn: string;
  forceType: ForceType;
  mode: TravelMode;
  status: UnitStatus;
  /** Estimated seconds to reach the incident: off-road legs at walking speed × detour factor, road leg at the mode's speed. */
  etaSeconds: number;
  /** Metres along the road network between the two snap points. */
  roadMetres: number;
  /** Straight-line metres from the team to its road plus from the road to the incident (before the detour factor). */
  offRoadMetres: number;
  position: LonLat;
  /** The newest fix the ETA is computed from (ISO-8601 UTC). */
  fixTime: string;
  /** Older than STALE_AFTER_MS: shown, flagged, never hidden. */
  stale: boolean;
  /** The incident the team is committed to, when it is busy (only with ?busy=1). */
  busyWith: number | null;
}

export interface RecommendationsPayload {
  incidentId: number;
  computedAt: string;
  /** At most five, fastest first. */
  recommendations: Recommendation[];
  /** Teams left out and why. */
  excluded: { offDuty: number; busy: number; noPosition: number; unreachable: number };
}

/** The fields only staff may receive; lib/auth/privacy.ts strips them for everyone else. */
export const STAFF_ONLY_INCIDENT_FIELDS = ['description', 'reporterContact', 'outcomeNote'] as const;
export type StaffOnlyIncidentField = (typeof STAFF_ONLY_INCIDENT_FIELDS)[number];

/**
 * An incident as viewers and wall displays see it. The staff-only fields may
 * not be present at all (`?: never`), so a full `Incident` is not assignable
 * to it: handing one to a redacted audience is a compile error.
 */
export type RedactedIncident = Omit<Incident, StaffOnlyIncidentField> & { [K in StaffOnlyIncidentField]?: never };

/** What a browser holds: one projection or the other, depending on who signed in. */
export type IncidentView = Incident | RedactedIncident;

/**
 * GET /api/heatmap?window=7d|30d|1y&bin=100|400|1600[&bbox=minLon,minLat,maxLon,maxLat]
 * — dispute incidents counted per square bin (from the rollup of migration
 * 0011), in the whole township or the bins the box touches, columnar:
 * bin i is centred at (lon[i], lat[i]) and holds n[i] incidents. Never single
 * incident points: for viewers and wall displays a bin holding fewer than
 * `minCount` incidents is withheld (their sum is `withheld`).
 */
export interface HeatmapPayload {
  window: string;
  /** The first instant counted: the start of the window's first township day. */
  from: string;
  to: string;
  /** The bin's edge in metres. */
  binM: HeatmapBinSize;
  /** The smallest count a bin shown holds (1 for staff, HEATMAP_MIN_SHOWN_COUNT for viewers and walls). */
  minCount: number;
  /** Incidents in the bins shown. */
  count: number;
  /** Incidents in bins withheld as too small to show. */
  withheld: number;
  lon: number[];
  lat: number[];
  n: number[];
}

/** The error body every /api and /ingest route answers with on failure. */
export interface ApiErrorBody {
  /** incidentId: a 409 for a team already committed names the incident it went to (the client links it). */
  error: { code: string; message: string; incidentId?: number };
}

/** GET /api/alerts (open ones) and the `alert:new` socket event. */
export interface Alert {
  id: number;
  kind: AlertKind;
  /** 1 = low … 4 = critical; an SOS is 4. */
  severity: Severity;
  teamId: number | null;
  teamCode: string | null;
  teamName: string | null;
  teamNameEn: string | null;
  position: LonLat | null;
  message: string;
  raisedAt: string; // ISO-8601 UTC
  acknowledgedAt: string | null;
  /** Username of whoever acknowledged it. */
  acknowledgedBy: string | null;
  /** When the condition ended (a rule cleared it, or a person cleared an SOS); null while it holds. */
  clearedAt: string | null;
  /** `rule` when the condition ended by itself, else a username. */
  clearedBy: string | null;
  incidentId: number | null;
  gridId: number | null;
  gridCode: string | null;
}

/** The signed-in person, as GET /api/auth/me answers. */
export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: PersonRole;
  /** The kind of the session this request came with. */
  session: SessionKind;
  /** The township's IANA time zone (config TOWNSHIP_TZ): every clock and date on the page is shown in it. */
  townshipTz: string;
}

/** One of the busiest grid cells of the last 24 h (the wall's second view). */
export interface BusyGrid {
  gridId: number;
  code: string;
  name: string;
  nameEn: string;
  /** Incidents reported in the cell in the 24 h before `asOf`. */
  count: number;
}

/**
 * The wall's KPI tiles, as GET /api/wall/kpis answers. Computed in one
 * request from the database, days in the township's time zone.
 */
export interface WallKpis {
  /** Server time the figures are for, epoch ms. */
  asOf: number;
  /** The township's IANA time zone. */
  townshipTz: string;
  /** The township day `asOf` falls in, YYYY-MM-DD. */
  day: string;
  /** Teams on duty (status other than off_duty), of those available, and busy (dispatched, en_route, on_scene). */
  teams: { onDuty: number; available: number; busy: number };
  /** Open incidents (OPEN_INCIDENT_STATUSES) by severity; every severity present, 0 when none. */
  openBySeverity: Record<Severity, number>;
  /** Incidents reported since the start of today (township time). */
  incidentsToday: number;
  /**
   * Incidents reported on the same weekday in each of the previous 4 weeks, up
   * to the same time of day as `asOf`, averaged (so a morning compares with
   * mornings). 0 when there were none.
   */
  sameWeekdayAverage: number;
  /**
   * Median seconds from report to on scene (the first assignment's arrival)
   * over today's incidents that have one; null when none has arrived today.
   */
  medianResponseSeconds: number | null;
  /** How many of today's incidents the median is over. */
  responseSamples: number;
  /** Alerts not cleared (clearedAt null), and of those not acknowledged. */
  openAlerts: number;
  unacknowledgedAlerts: number;
  /** Wall rotation interval, seconds (config WALL_ROTATE_S). */
  rotateSeconds: number;
  /** Up to 5 grid cells with the most incidents reported in the 24 h before `asOf`, most first (ties by code); cells with 0 left out. */
  busiestGrids: BusyGrid[];
}

/** A live session (GET /api/auth/sessions: the caller's own; GET /api/admin/sessions: everyone's). */
export interface SessionInfo {
  id: number;
  kind: SessionKind;
  userId: number;
  username: string;
  role: Role;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  /** True for the session the request itself came with. */
  current: boolean;
}

/** An account as administrators see it (GET/POST /api/admin/users, PATCH /api/admin/users/[id]). */
export interface AdminUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  /** Live (not expired, not revoked) sessions. */
  liveSessions: number;
  lastSignInAt: string | null;
}
