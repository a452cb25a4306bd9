// The wall's rotation, as pure functions: which views have something to
// show, where each one points the camera, what counts as a new incident or
// SOS, and how the rotation moves on. No clock and no React: the page
// (components/wall/wall-page.tsx) sends `elapsed` one rotation interval after
// every change of the state, so each view, and each interruption, is on screen
// for one full interval; tests/unit/wall-rotation.test.ts checks the rules.
import type { Alert, BusyGrid, GridCollection, IncidentView, LonLat } from '../model';
import { alertPosition, isOpenIncident, type AlertsById, type IncidentsById, type UnitsById } from './live-store';

/** The views in the order they take turns. */
export const WALL_VIEWS = ['township', 'busiest', 'incident'] as const;
export type WallView = (typeof WALL_VIEWS)[number];

export type Bbox = [west: number, south: number, east: number, north: number];

/**
 * Where the wall's map looks. The same shape as MapView's `camera` prop
 * (components/map/map-view.tsx: MapCamera), which lib/ may not import; the map
 * moves when `key` changes.
 */
export type WallCamera =
  | { key: string; kind: 'bounds'; bbox: Bbox }
  | { key: string; kind: 'point'; center: LonLat; zoom: number };

/** The newest open incident, zoomed in as the desk does (FOCUS_ZOOM): the place and the teams around it. */
export const INCIDENT_ZOOM = 13.5;
/** An SOS is one team among houses: closer (the desk's SOS_ZOOM). */
export const SOS_ZOOM = 15;

/**
 * The wall cuts to each view (no easing: an eased flight draws the whole map
 * for every frame of it) and fades the map in from this opacity over this long,
 * which the compositor runs. components/map/map-view.tsx does it; bench/wall.ts's
 * baseline does the same so the two are compared doing the same thing.
 */
export const WALL_CUT_FADE = { fromOpacity: 0.25, ms: 600 } as const;

/** What each view would show now; null where it has nothing (the rotation skips it). */
export type WallTargets = Readonly<Record<WallView, WallCamera | null>>;

/** The bounding box of every ring of the given cells; null when there are none. */
export function gridsBbox(grids: GridCollection, ids?: ReadonlySet<number>): Bbox | null {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (const f of grids.features) {
    if (ids && !ids.has(f.properties.id)) continue;
    for (const polygon of f.geometry.coordinates) {
      for (const ring of polygon) {
        for (const [lon, lat] of ring) {
          if (lon < west) west = lon;
          if (lon > east) east = lon;
          if (lat < south) south = lat;
          if (lat > north) north = lat;
        }
      }
    }
  }
  return west <= east && south <= north ? [west, south, east, north] : null;
}

/** The newest open incident (latest report, then highest id); null when none is open. */
export function newestOpenIncident(incidents: Iterable<IncidentView>): IncidentView | null {
  let best: IncidentView | null = null;
  for (const i of incidents) {
    if (!isOpenIncident(i)) continue;
    if (best === null || i.reportedAt > best.reportedAt || (i.reportedAt === best.reportedAt && i.id > best.id)) best = i;
  }
  return best;
}

export interface WallTargetInput {
  /** The grid cells; the township view fits them all. */
  grids: GridCollection | undefined;
  /** Where the township view looks before the grids are known, or if there are none (the basemap's bbox). */
  fallbackBbox: Bbox | null;
  /** The busiest cells of the last 24 h (WallKpis.busiestGrids), most first. */
  busiestGrids: readonly BusyGrid[] | undefined;
  incidents: Iterable<IncidentView>;
}

export function wallTargets({ grids, fallbackBbox, busiestGrids, incidents }: WallTargetInput): WallTargets {
  const all = grids ? gridsBbox(grids) : null;
  const townshipBbox = all ?? fallbackBbox;
  // A different key for the fallback, so the camera moves once the grids arrive.
  const townshipKey = all ? 'township' : 'township:basemap';
  const busyIds = new Set((busiestGrids ?? []).map((g) => g.gridId));
  const busyBbox = grids && busyIds.size > 0 ? gridsBbox(grids, busyIds) : null;
  const newest = newestOpenIncident(incidents);
  return {
    township: townshipBbox ? { key: townshipKey, kind: 'bounds', bbox: townshipBbox } : null,
    busiest: busyBbox
      ? { key: `busiest:${[...busyIds].sort((a, b) => a - b).join(',')}`, kind: 'bounds', bbox: busyBbox }
      : null,
    incident: newest ? { key: `incident:${newest.id}`, kind: 'point', center: newest.position, zoom: INCIDENT_ZOOM } : null,
  };
}

/** The views that have something to show, in rotation order. */
export function availableViews(targets: WallTargets): WallView[] {
  return WALL_VIEWS.filter((v) => targets[v] !== null);
}

/** The view after `current` in rotation order that has something to show; the township when none has. */
export function nextView(current: WallView, available: readonly WallView[]): WallView {
  const start = WALL_VIEWS.indexOf(current);
  for (let step = 1; step <= WALL_VIEWS.length; step++) {
    const v = WALL_VIEWS[(start + step) % WALL_VIEWS.length]!;
    if (available.includes(v)) return v;
  }
  return 'township';
}

/** A new incident or SOS that took over the wall: the banner's subject and where the camera went. */
export interface WallInterrupt {
  kind: 'incident' | 'sos';
  /** The incident's or the alert's id. */
  id: number;
  /** Null when there is nowhere to look (an SOS from a team with no position): the banner alone. */
  camera: WallCamera | null;
}

export interface WallRotation {
  view: WallView;
  /** How many times the rotation has moved on (data-rotation). */
  rotation: number;
  interrupt: WallInterrupt | null;
  /** The newest SOS that interrupted: its banner stays until somebody acknowledges it (wallBanner). */
  lastSosId: number | null;
}

export const START_ROTATION: WallRotation = { view: 'township', rotation: 0, interrupt: null, lastSosId: null };

/**
 * `paused`: an alert nobody has acknowledged (isUnacknowledgedAlert) is open.
 * It is not part of the state: the page derives it from the live alerts, and
 * its timer does not run while paused and is re-armed when the pause ends, so
 * what is on screen then gets one more full interval.
 */
export type RotationEvent =
  /** One interval has passed since the state last changed (or the pause ended); `available`: what has something to show now. */
  | { type: 'elapsed'; available: readonly WallView[]; paused: boolean }
  | { type: 'interrupt'; interrupt: WallInterrupt; paused: boolean };

/**
 * The rotation's one transition function. Returns the same object when
 * nothing changes, so the page's timer is re-armed only by a real change.
 */
export function rotate(state: WallRotation, event: RotationEvent): WallRotation {
  switch (event.type) {
    case 'elapsed':
      // Paused: the view (or the SOS that paused it) stays until acknowledged.
      if (event.paused) return state;
      return { ...state, view: nextView(state.view, event.available), rotation: state.rotation + 1, interrupt: null };
    case 'interrupt': {
      const current = state.interrupt;
      if (current?.kind === event.interrupt.kind && current.id === event.interrupt.id) return state;
      // An SOS still waiting for a person (the rotation is paused) keeps the wall; a new incident does not take it away.
      if (current?.kind === 'sos' && event.interrupt.kind === 'incident' && event.paused) return state;
      // A new incident is the "newest open incident" view; an SOS leaves the view where it was.
      if (event.interrupt.kind === 'sos') return { ...state, interrupt: event.interrupt, lastSosId: event.interrupt.id };
      return { ...state, view: 'incident', interrupt: event.interrupt };
    }
  }
}

/** Where the map looks: the interruption's place, else the current view's, else the township. */
export function wallCamera(state: WallRotation, targets: WallTargets): WallCamera | null {
  return state.interrupt?.camera ?? targets[state.view] ?? targets.township;
}

export interface WallBannerSubject {
  kind: 'incident' | 'sos';
  id: number;
}

/**
 * The banner: the interruption while it lasts, and an SOS for as long as
 * nobody has acknowledged it, even if the rotation moved on (an SOS cleared
 * without an acknowledgement does not hold the rotation, but keeps its banner).
 * `lastSos` is the alert `state.lastSosId` names, as the live store has it now
 * (undefined once it has left the store).
 */
export function wallBanner(state: WallRotation, lastSos: Alert | undefined): WallBannerSubject | null {
  if (state.interrupt) return { kind: state.interrupt.kind, id: state.interrupt.id };
  if (lastSos && lastSos.acknowledgedAt === null) return { kind: 'sos', id: lastSos.id };
  return null;
}

/** An alert that pauses the rotation: nobody has acknowledged it and its condition still holds. */
export function isUnacknowledgedAlert(a: Alert): boolean {
  return a.acknowledgedAt === null && a.clearedAt === null;
}

/** Ids the wall has already seen: anything in its first snapshot never interrupts. */
export interface SeenIds {
  incidents: ReadonlySet<number>;
  alerts: ReadonlySet<number>;
}

export function seenIds(incidents: Iterable<{ id: number }>, alerts: Iterable<{ id: number }>): SeenIds {
  return { incidents: new Set([...incidents].map((i) => i.id)), alerts: new Set([...alerts].map((a) => a.id)) };
}

export interface Arrivals {
  /** `seen` with everything now present added (the same object when nothing is new). */
  seen: SeenIds;
  /** The newest incident the wall had not seen that is open, or null. */
  incident: IncidentView | null;
  /** The newest SOS the wall had not seen that nobody has acknowledged yet, or null. */
  sos: Alert | null;
}

/** What arrived since `seen`: new incidents and SOS alerts, the newest of each. */
export function findArrivals(seen: SeenIds, incidents: IncidentsById, alerts: AlertsById): Arrivals {
  let incidentIds: Set<number> | null = null;
  let alertIds: Set<number> | null = null;
  let incident: IncidentView | null = null;
  let sos: Alert | null = null;
  for (const i of Object.values(incidents)) {
    if (seen.incidents.has(i.id)) continue;
    incidentIds ??= new Set(seen.incidents);
    incidentIds.add(i.id);
    if (isOpenIncident(i) && (incident === null || newestOpenIncident([incident, i]) === i)) incident = i;
  }
  for (const a of Object.values(alerts)) {
    if (seen.alerts.has(a.id)) continue;
    alertIds ??= new Set(seen.alerts);
    alertIds.add(a.id);
    if (a.kind !== 'sos' || a.acknowledgedAt !== null) continue;
    if (sos === null || a.raisedAt > sos.raisedAt || (a.raisedAt === sos.raisedAt && a.id > sos.id)) sos = a;
  }
  const changed = incidentIds !== null || alertIds !== null;
  return {
    seen: changed ? { incidents: incidentIds ?? seen.incidents, alerts: alertIds ?? seen.alerts } : seen,
    incident,
    sos,
  };
}

/** The interruption for what arrived: an SOS before an incident (a person in danger comes first). */
export function interruptFor(
  arrivals: Pick<Arrivals, 'incident' | 'sos'>,
  units: UnitsById,
  grids: GridCollection | undefined,
): WallInterrupt | null {
  if (arrivals.sos) {
    const at = alertPosition(arrivals.sos, units, grids);
    const key = `sos:${arrivals.sos.id}`;
    return { kind: 'sos', id: arrivals.sos.id, camera: at ? { key, kind: 'point', center: at, zoom: SOS_ZOOM } : null };
  }
  if (arrivals.incident) {
    const i = arrivals.incident;
    return { kind: 'incident', id: i.id, camera: { key: `new-incident:${i.id}`, kind: 'point', center: i.position, zoom: INCIDENT_ZOOM } };
  }
  return null;
}
