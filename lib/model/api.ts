// Shapes of the JSON snapshots served under /api/*, shared by route handlers
// and the browser. Coordinates are always [lon, lat].
import type {
  AlertKind,
  ForceType,
  IncidentCategory,
  IncidentStatus,
  KeyLocationCategory,
  LonLat,
  Severity,
  UnitStatus,
} from './domain';
import type { PersonRole, Role, SessionKind } from './roles';

export interface GridFeatureProps {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  villageId: number;
  villageName: string;
  villageNameEn: string;
  /** Open (not closed) incidents in the cell now. */
  openIncidents: number;
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
}

/** The fields only staff may receive; lib/auth/privacy.ts strips them for everyone else. */
export const STAFF_ONLY_INCIDENT_FIELDS = ['description', 'reporterContact'] as const;
export type StaffOnlyIncidentField = (typeof STAFF_ONLY_INCIDENT_FIELDS)[number];

/**
 * An incident as viewers and wall displays see it. The staff-only fields may
 * not be present at all (`?: never`), so a full `Incident` is not assignable
 * to it: handing one to a redacted audience is a compile error.
 */
export type RedactedIncident = Omit<Incident, StaffOnlyIncidentField> & { [K in StaffOnlyIncidentField]?: never };

/** What a browser holds: one projection or the other, depending on who signed in. */
export type IncidentView = Incident | RedactedIncident;

/** GET /api/heatmap?window=7d|30d|1y — dispute incidents as weighted points. */
export interface HeatmapPayload {
  window: string;
  from: string;
  to: string;
  count: number;
  /** Flat [lon, lat, weight, lon, lat, weight, …] — compact for thousands of points. */
  points: number[];
}

/** The error body every /api and /ingest route answers with on failure. */
export interface ApiErrorBody {
  error: { code: string; message: string };
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
}

/** The signed-in person, as GET /api/auth/me answers. */
export interface Me {
  id: number;
  username: string;
  displayName: string;
  role: PersonRole;
  /** The kind of the session this request came with. */
  session: SessionKind;
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
