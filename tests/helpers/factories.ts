// Objects as the API and the socket carry them, for unit tests: one factory per
// type, with plain defaults that any field in `over` replaces. Times are
// relative to FACTORY_NOW, so a test that needs "fresh" or "old" says so.
import { DEFAULT_VISIBILITY, type MapLayersInput } from '../../components/map/build-layers';
import type { GridFeature } from '../../components/map/layers/grid-layer';
import type { VillageFeature } from '../../components/map/layers/village-layer';
import type { Alert, Incident, UnitState } from '../../lib/model';

/** The clock the defaults are written against: 2025-06-01 08:00 UTC. */
export const FACTORY_NOW = Date.parse('2025-06-01T08:00:00Z');

export const isoAt = (ms: number): string => new Date(ms).toISOString();

/** A unit with a fix 10 s before FACTORY_NOW, east of the township centre by teamId metres-ish. */
export function unit(teamId: number, over: Partial<UnitState> = {}): UnitState {
  return {
    teamId,
    code: `T${teamId}`,
    name: `队伍${teamId}`,
    nameEn: `Team ${teamId}`,
    forceType: 'armband',
    size: 10,
    status: 'available',
    position: [100.1 + teamId / 1000, 31.2],
    fixTime: isoAt(FACTORY_NOW - 10_000),
    speed: 2,
    heading: 90,
    battery: 80,
    gridId: 1,
    incidentId: null,
    ...over,
  };
}

/** A staff-view incident, reported an hour before FACTORY_NOW (so not new), with no narrative or contact. */
export function incident(id: number, over: Partial<Incident> = {}): Incident {
  return {
    id,
    category: 'neighbour_dispute',
    severity: 2,
    status: 'reported',
    title: `事件 ${id}`,
    description: null,
    reporterContact: null,
    position: [100.1, 31.2],
    gridId: 3,
    gridCode: 'V1-03',
    reportedAt: isoAt(FACTORY_NOW - 3_600_000),
    source: 'coordinator',
    outcome: null,
    outcomeNote: null,
    resolvedAt: null,
    closedAt: null,
    updatedAt: isoAt(FACTORY_NOW - 3_600_000),
    assignments: [],
    ...over,
  };
}

/** An open SOS from team 1, raised `id` seconds before FACTORY_NOW. */
export function alert(id: number, over: Partial<Alert> = {}): Alert {
  return {
    id,
    kind: 'sos',
    severity: 4,
    teamId: 1,
    teamCode: 'GW-001',
    teamName: '网格员一组',
    teamNameEn: 'Grid team 1',
    position: [100.1, 31.2],
    message: 'SOS from a team device',
    raisedAt: isoAt(FACTORY_NOW - id * 1000),
    acknowledgedAt: null,
    acknowledgedBy: null,
    clearedAt: null,
    clearedBy: null,
    incidentId: null,
    gridId: null,
    gridCode: null,
    ...over,
  };
}

/** What buildMapLayers is given before anything but `over` has loaded: no basemap, cells or lists, the desk's defaults at FACTORY_NOW. */
export function mapLayersInput(over: Partial<MapLayersInput> = {}): MapLayersInput {
  return {
    basemap: undefined,
    grids: undefined,
    keyLocations: undefined,
    units: [],
    incidents: [],
    alerts: [],
    openByGrid: null,
    heatmap: null,
    visibility: DEFAULT_VISIBILITY,
    selection: null,
    lang: 'zh',
    zoom: 12,
    now: FACTORY_NOW,
    phase: 0,
    ...over,
  };
}

/** A grid cell 0.01° square with its south-west corner `id` × 0.01° east of (100° E, 31° N), its label at its centre. */
export function gridCell(id: number, over: Partial<GridFeature['properties']> = {}): GridFeature {
  const x = 100 + id * 0.01;
  return {
    type: 'Feature',
    id,
    geometry: { type: 'MultiPolygon', coordinates: [[[[x, 31], [x + 0.01, 31], [x + 0.01, 31.01], [x, 31.01], [x, 31]]]] },
    properties: {
      id,
      code: `V1-0${id}`,
      name: `拉雍第${id}网格`,
      nameEn: `Layong Grid ${id}`,
      villageId: 1,
      villageName: '拉雍村',
      villageNameEn: 'Layong Village',
      openIncidents: 0,
      lastPatrolAt: null,
      areaKm2: 1.2,
      labelPoint: [x + 0.005, 31.005],
      ...over,
    },
  };
}

/** A settlement of 1,000 at `position`. */
export function villagePoint(id: number, position: [number, number], kind: 'village' | 'community' = 'village'): VillageFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: position },
    properties: { id, code: `V${id}`, name: '拉雍村', nameEn: 'Layong', kind, population: 1000 },
  } as VillageFeature;
}
