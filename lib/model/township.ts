// The demo township as plain data in [lon, lat]: what the planner
// (lib/sim/township/) produces and the writer (db/township.ts) stores. It is
// declared here, below both, so db/ never imports the planner and the planner
// never imports db/.
import type { BasemapPayload, LineStringGeometry, PolygonGeometry } from './api';
import type { ForceType, IncidentCategory, IncidentStatus, KeyLocationCategory, LonLat, Severity } from './domain';

export interface Bilingual {
  name: string;
  nameEn: string;
}

export interface SettlementName extends Bilingual {
  code: string;
  /** Stem used for grid names: 拉雍 → 拉雍第3网格 / Layong Grid 3. */
  stem: string;
  stemEn: string;
  population: number;
}

/** 'village' or 'community' (the urban community at the town centre), as /api/basemap serves it. */
export type SettlementKind = BasemapPayload['villages']['features'][number]['properties']['kind'];

export interface TownshipSettlement extends SettlementName {
  kind: SettlementKind;
  centre: LonLat;
}

export interface TownshipKeyLocation extends Bilingual {
  category: KeyLocationCategory;
  at: LonLat;
}

/** A road, track, river or relief band's kind, name and level, as /api/basemap serves them. */
type BasemapFeatureProps = BasemapPayload['features']['features'][number]['properties'];

export interface BasemapFeaturePlan extends BasemapFeatureProps {
  geometry: LineStringGeometry | PolygonGeometry;
}

export interface TownshipPlan {
  seed: number;
  name: string;
  nameEn: string;
  /** Closed, counter-clockwise outer ring. */
  boundary: LonLat[];
  townCentre: LonLat;
  /** [0] is the town community; then the villages, largest first (the writer keeps this order). */
  settlements: TownshipSettlement[];
  features: BasemapFeaturePlan[];
  /** One point per management grid: the grid is its Voronoi cell, cut in PostGIS. */
  gridSeeds: LonLat[];
  keyLocations: TownshipKeyLocation[];
}

export interface TimelineEntry {
  at: string;
  status: IncidentStatus;
}

/** One incident of the seeded history, as written. */
export interface PlannedIncident {
  category: IncidentCategory;
  severity: Severity;
  status: IncidentStatus;
  title: string;
  description: string;
  source: string;
  at: LonLat;
  reportedAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  timeline: TimelineEntry[];
}

export interface TeamPlan {
  code: string;
  name: string;
  nameEn: string;
  forceType: ForceType;
  size: number;
  villageCode: string | null;
  /** Grid workers: their grid. Others: null, and the grid covering homePoint is used. */
  homeGridId: number | null;
  homePoint: LonLat | null;
  onDuty: boolean;
  deviceLabel: string;
}

/** A management grid as written (its id and code are decided in PostGIS): what grid workers are planned from. */
export interface GridRef {
  id: number;
  code: string;
  name: string;
  nameEn: string;
  villageCode: string;
  /** Owned by the urban community rather than a village. */
  isTown: boolean;
}
