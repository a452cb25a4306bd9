// The wall's rotation rules (lib/live/wall-rotation.ts) with the answers
// written out: which views are skipped, the order, pausing, interruptions and
// what counts as new. The page turns `elapsed` into a timer of one interval
// after every change; tests/e2e/wall.spec.ts sees it happen in Chromium.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { BusyGrid, GridCollection, LonLat } from '@/lib/model';
import {
  INCIDENT_ZOOM,
  SOS_ZOOM,
  START_ROTATION,
  WALL_VIEWS,
  availableViews,
  findArrivals,
  gridsBbox,
  interruptFor,
  isUnacknowledgedAlert,
  newestOpenIncident,
  nextView,
  rotate,
  seenIds,
  wallBanner,
  wallCamera,
  wallTargets,
  type WallInterrupt,
  type WallRotation,
  type WallView,
} from '@/lib/live/wall-rotation';
import { FACTORY_NOW, alert, incident, isoAt, unit } from '../helpers/factories';

/** A square cell with its south-west corner at (lon, lat), 0.25° a side (binary fractions: the sums are exact). */
function cell(id: number, lon: number, lat: number): GridCollection['features'][number] {
  const ring: LonLat[] = [
    [lon, lat],
    [lon + 0.25, lat],
    [lon + 0.25, lat + 0.25],
    [lon, lat + 0.25],
    [lon, lat],
  ];
  return {
    type: 'Feature',
    geometry: { type: 'MultiPolygon', coordinates: [[ring]] },
    properties: {
      id,
      code: `G${id}`,
      name: `网格${id}`,
      nameEn: `Grid ${id}`,
      villageId: 1,
      villageName: '村',
      villageNameEn: 'Village',
      openIncidents: 0,
      lastPatrolAt: null,
      areaKm2: 1,
      labelPoint: [lon + 0.125, lat + 0.125],
    },
  };
}

const GRIDS: GridCollection = {
  type: 'FeatureCollection',
  features: [cell(1, 100, 31), cell(2, 100.5, 31.25), cell(3, 101, 31.5)],
};

const busy = (gridId: number, count: number): BusyGrid => ({ gridId, code: `G${gridId}`, name: '', nameEn: '', count });

const byId = <T extends { id: number }>(items: T[]): Record<number, T> => Object.fromEntries(items.map((x) => [x.id, x]));

const INCIDENT_INTERRUPT: WallInterrupt = {
  kind: 'incident',
  id: 9,
  camera: { key: 'new-incident:9', kind: 'point', center: [100.1, 31.2], zoom: INCIDENT_ZOOM },
};
const SOS_INTERRUPT: WallInterrupt = { kind: 'sos', id: 4, camera: { key: 'sos:4', kind: 'point', center: [100.3, 31.3], zoom: SOS_ZOOM } };

const ALL: readonly WallView[] = ['township', 'busiest', 'incident'];

describe('gridsBbox', () => {
  it('spans every ring of every cell, or of the cells asked for', () => {
    expect(gridsBbox(GRIDS)).toEqual([100, 31, 101.25, 31.75]);
    expect(gridsBbox(GRIDS, new Set([1, 2]))).toEqual([100, 31, 100.75, 31.5]);
    expect(gridsBbox(GRIDS, new Set([3]))).toEqual([101, 31.5, 101.25, 31.75]);
  });

  it('is null with no cells, or none of those asked for', () => {
    expect(gridsBbox({ type: 'FeatureCollection', features: [] })).toBeNull();
    expect(gridsBbox(GRIDS, new Set([42]))).toBeNull();
  });
});

describe('newestOpenIncident', () => {
  it('takes the latest report among open incidents, the higher id on a tie, never a resolved one', () => {
    const older = incident(1, { reportedAt: isoAt(FACTORY_NOW - 60_000) });
    const newer = incident(2, { reportedAt: isoAt(FACTORY_NOW - 1_000) });
    const resolvedNewest = incident(3, { reportedAt: isoAt(FACTORY_NOW), status: 'resolved' });
    const tieHigherId = incident(5, { reportedAt: isoAt(FACTORY_NOW - 1_000) });
    expect(newestOpenIncident([older, newer, resolvedNewest])?.id).toBe(2);
    expect(newestOpenIncident([tieHigherId, older, newer])?.id).toBe(5);
    expect(newestOpenIncident([resolvedNewest])).toBeNull();
    expect(newestOpenIncident([])).toBeNull();
  });
});

describe('wallTargets', () => {
  it('points each view at its place: all cells, the busiest cells, the newest open incident', () => {
    const t = wallTargets({
      grids: GRIDS,
      fallbackBbox: [0, 0, 1, 1],
      busiestGrids: [busy(2, 7), busy(1, 3)],
      incidents: [incident(1, { position: [100.15, 31.05] })],
    });
    expect(t).toEqual({
      township: { key: 'township', kind: 'bounds', bbox: [100, 31, 101.25, 31.75] },
      busiest: { key: 'busiest:1,2', kind: 'bounds', bbox: [100, 31, 100.75, 31.5] },
      incident: { key: 'incident:1', kind: 'point', center: [100.15, 31.05], zoom: 13.5 },
    });
    expect(availableViews(t)).toEqual(['township', 'busiest', 'incident']);
  });

  it('has nothing for the busiest view without busy cells, nor for the incident view without an open incident', () => {
    const t = wallTargets({
      grids: GRIDS,
      fallbackBbox: null,
      busiestGrids: [],
      incidents: [incident(1, { status: 'closed' })],
    });
    expect(t.busiest).toBeNull();
    expect(t.incident).toBeNull();
    expect(availableViews(t)).toEqual(['township']);
  });

  it('looks at the basemap before the grids come; busy cells need the grids to be placed', () => {
    const t = wallTargets({ grids: undefined, fallbackBbox: [99, 30, 101, 32], busiestGrids: [busy(2, 7)], incidents: [] });
    expect(t.township).toEqual({ key: 'township:basemap', kind: 'bounds', bbox: [99, 30, 101, 32] });
    expect(t.busiest).toBeNull();
    expect(availableViews(wallTargets({ grids: undefined, fallbackBbox: null, busiestGrids: undefined, incidents: [] }))).toEqual([]);
  });

  it('skips busy cells the grids do not know', () => {
    const t = wallTargets({ grids: GRIDS, fallbackBbox: null, busiestGrids: [busy(42, 9)], incidents: [] });
    expect(t.busiest).toBeNull();
  });
});

describe('nextView', () => {
  it('goes township → busiest → incident → township when all have something', () => {
    expect(nextView('township', ALL)).toBe('busiest');
    expect(nextView('busiest', ALL)).toBe('incident');
    expect(nextView('incident', ALL)).toBe('township');
  });

  it('skips a view with nothing to show', () => {
    expect(nextView('township', ['township', 'incident'])).toBe('incident');
    expect(nextView('incident', ['township', 'incident'])).toBe('township');
    expect(nextView('township', ['township', 'busiest'])).toBe('busiest');
    expect(nextView('busiest', ['township', 'busiest'])).toBe('township');
  });

  it('stays on the only view that has something, and falls back to the township when none has', () => {
    expect(nextView('township', ['township'])).toBe('township');
    expect(nextView('busiest', ['busiest'])).toBe('busiest');
    expect(nextView('incident', [])).toBe('township');
  });

  it('always lands on an available view (or the township when none is), whatever the start', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WALL_VIEWS), fc.subarray([...WALL_VIEWS]), (current, available) => {
        const allowed: readonly WallView[] = available.length === 0 ? ['township'] : available;
        expect(allowed).toContain(nextView(current, available));
      }),
    );
  });
});

describe('rotate', () => {
  const elapsed = (available: readonly WallView[] = ALL, paused = false) => ({ type: 'elapsed' as const, available, paused });
  const interrupt = (i: WallInterrupt, paused = false) => ({ type: 'interrupt' as const, interrupt: i, paused });

  it('counts each move on: township, busiest, incident, township again', () => {
    const states: WallRotation[] = [START_ROTATION];
    for (let n = 0; n < 3; n++) states.push(rotate(states.at(-1)!, elapsed()));
    expect(states.map((s) => [s.view, s.rotation])).toEqual([
      ['township', 0],
      ['busiest', 1],
      ['incident', 2],
      ['township', 3],
    ]);
  });

  it('counts a move on even when only one view has something (the camera stays: its key does not change)', () => {
    expect(rotate(START_ROTATION, elapsed(['township']))).toEqual({ view: 'township', rotation: 1, interrupt: null, lastSosId: null });
  });

  it('holds still while paused (the same object: nothing re-arms the timer) and moves on once not', () => {
    expect(rotate(START_ROTATION, elapsed(ALL, true))).toBe(START_ROTATION);
    expect(rotate(START_ROTATION, elapsed(ALL, false))).toEqual({ view: 'busiest', rotation: 1, interrupt: null, lastSosId: null });
  });

  it('a new incident takes over as the incident view; after one interval the rotation resumes with the township', () => {
    const onBusiest = rotate(START_ROTATION, elapsed());
    const interrupted = rotate(onBusiest, interrupt(INCIDENT_INTERRUPT));
    expect(interrupted).toEqual({ view: 'incident', rotation: 1, interrupt: INCIDENT_INTERRUPT, lastSosId: null });
    expect(rotate(interrupted, elapsed())).toEqual({ view: 'township', rotation: 2, interrupt: null, lastSosId: null });
  });

  it('an SOS leaves the view where it was, holds the wall while paused, and lets go one interval after the acknowledgement', () => {
    const onBusiest = rotate(START_ROTATION, elapsed());
    const sos = rotate(onBusiest, interrupt(SOS_INTERRUPT, true));
    expect(sos).toEqual({ view: 'busiest', rotation: 1, interrupt: SOS_INTERRUPT, lastSosId: 4 });
    expect(rotate(sos, elapsed(ALL, true))).toBe(sos);
    // The rotation moves on; the SOS is remembered for its banner (wallBanner).
    expect(rotate(sos, elapsed(ALL, false))).toEqual({ view: 'incident', rotation: 2, interrupt: null, lastSosId: 4 });
  });

  it('a new incident does not take the wall from an SOS still waiting; it does once nothing is unacknowledged', () => {
    const sos = rotate(START_ROTATION, interrupt(SOS_INTERRUPT, true));
    expect(rotate(sos, interrupt(INCIDENT_INTERRUPT, true))).toBe(sos);
    expect(rotate(sos, interrupt(INCIDENT_INTERRUPT, false))).toEqual({
      view: 'incident',
      rotation: 0,
      interrupt: INCIDENT_INTERRUPT,
      lastSosId: 4,
    });
  });

  it('a new SOS takes the wall from a new incident, paused or not', () => {
    const onIncident = rotate(START_ROTATION, interrupt(INCIDENT_INTERRUPT));
    expect(rotate(onIncident, interrupt(SOS_INTERRUPT, true))).toEqual({ view: 'incident', rotation: 0, interrupt: SOS_INTERRUPT, lastSosId: 4 });
    expect(rotate(onIncident, interrupt(SOS_INTERRUPT, false)).interrupt).toBe(SOS_INTERRUPT);
  });

  it('a newer SOS replaces an older one; the same interruption again changes nothing', () => {
    const first = rotate(START_ROTATION, interrupt(SOS_INTERRUPT));
    expect(rotate(first, interrupt({ ...SOS_INTERRUPT }))).toBe(first);
    const second: WallInterrupt = { kind: 'sos', id: 5, camera: null };
    const replaced = rotate(first, interrupt(second, true));
    expect(replaced.interrupt).toBe(second);
    expect(replaced.lastSosId).toBe(5);
  });
});

describe('wallCamera', () => {
  const targets = wallTargets({
    grids: GRIDS,
    fallbackBbox: null,
    busiestGrids: [busy(3, 4)],
    incidents: [incident(7, { position: [100.2, 31.1] })],
  });

  it('follows the view, the interruption over it, and the township when the view has nothing', () => {
    expect(wallCamera(START_ROTATION, targets)?.key).toBe('township');
    expect(wallCamera({ ...START_ROTATION, view: 'busiest' }, targets)?.key).toBe('busiest:3');
    expect(wallCamera({ ...START_ROTATION, view: 'incident' }, targets)?.key).toBe('incident:7');
    expect(wallCamera({ ...START_ROTATION, interrupt: SOS_INTERRUPT }, targets)?.key).toBe('sos:4');
    const noIncident = { ...targets, incident: null };
    expect(wallCamera({ ...START_ROTATION, view: 'incident' }, noIncident)?.key).toBe('township');
    // An SOS with nowhere to look leaves the camera on the view.
    expect(wallCamera({ ...START_ROTATION, view: 'busiest', interrupt: { kind: 'sos', id: 1, camera: null } }, targets)?.key).toBe('busiest:3');
  });
});

describe('new incidents and SOS alerts', () => {
  const firstIncidents = [incident(1), incident(2, { status: 'resolved' })];
  const firstAlerts = [alert(10)];
  const seen = seenIds(firstIncidents, firstAlerts);

  it('nothing in the first snapshot is new', () => {
    const a = findArrivals(seen, byId(firstIncidents), byId(firstAlerts));
    expect(a).toEqual({ seen, incident: null, sos: null });
    expect(a.seen).toBe(seen);
  });

  it('finds the newest open incident and the newest unacknowledged SOS that arrived, and remembers every new id', () => {
    const incidents = byId([
      ...firstIncidents,
      incident(3, { reportedAt: isoAt(FACTORY_NOW - 5_000) }),
      incident(4, { reportedAt: isoAt(FACTORY_NOW - 1_000) }),
      incident(5, { reportedAt: isoAt(FACTORY_NOW), status: 'closed' }),
    ]);
    const alerts = byId([
      ...firstAlerts,
      alert(11, { raisedAt: isoAt(FACTORY_NOW - 2_000) }),
      alert(12, { raisedAt: isoAt(FACTORY_NOW - 1_000) }),
      alert(13, { raisedAt: isoAt(FACTORY_NOW), kind: 'stale', severity: 2 }),
      alert(14, { raisedAt: isoAt(FACTORY_NOW), acknowledgedAt: isoAt(FACTORY_NOW), acknowledgedBy: 'desk' }),
    ]);
    const a = findArrivals(seen, incidents, alerts);
    expect(a.incident?.id).toBe(4);
    expect(a.sos?.id).toBe(12);
    expect([...a.seen.incidents].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...a.seen.alerts].sort()).toEqual([10, 11, 12, 13, 14]);
    // Seen once, never again.
    expect(findArrivals(a.seen, incidents, alerts)).toEqual({ seen: a.seen, incident: null, sos: null });
  });

  it('a change to an incident of the first snapshot (dispatched, escalated) is not new', () => {
    const changed = byId([incident(1, { status: 'dispatched', severity: 4, updatedAt: isoAt(FACTORY_NOW) }), firstIncidents[1]!]);
    expect(findArrivals(seen, changed, byId(firstAlerts)).incident).toBeNull();
  });

  it('turns an SOS into an interruption before an incident, at its own position, else its team’s', () => {
    const units = { 1: unit(1, { position: [100.4, 31.4] }) };
    const i = incident(3, { position: [100.5, 31.5] });
    expect(interruptFor({ incident: i, sos: alert(12, { position: [100.3, 31.3] }) }, units, GRIDS)).toEqual({
      kind: 'sos',
      id: 12,
      camera: { key: 'sos:12', kind: 'point', center: [100.3, 31.3], zoom: 15 },
    });
    expect(interruptFor({ incident: null, sos: alert(12, { position: null, teamId: 1 }) }, units, GRIDS)?.camera).toEqual({
      key: 'sos:12',
      kind: 'point',
      center: [100.4, 31.4],
      zoom: 15,
    });
    expect(interruptFor({ incident: null, sos: alert(12, { position: null, teamId: 99 }) }, units, GRIDS)).toEqual({
      kind: 'sos',
      id: 12,
      camera: null,
    });
    expect(interruptFor({ incident: i, sos: null }, units, GRIDS)).toEqual({
      kind: 'incident',
      id: 3,
      camera: { key: 'new-incident:3', kind: 'point', center: [100.5, 31.5], zoom: 13.5 },
    });
    expect(interruptFor({ incident: null, sos: null }, units, GRIDS)).toBeNull();
  });
});

describe('pausing and the banner', () => {
  it('an alert pauses until acknowledged, or until its condition ended', () => {
    expect(isUnacknowledgedAlert(alert(1))).toBe(true);
    expect(isUnacknowledgedAlert(alert(1, { acknowledgedAt: isoAt(FACTORY_NOW) }))).toBe(false);
    expect(isUnacknowledgedAlert(alert(1, { kind: 'stale', clearedAt: isoAt(FACTORY_NOW), clearedBy: 'rule' }))).toBe(false);
  });

  it('shows the interruption while it lasts, and an SOS until somebody acknowledges it', () => {
    expect(wallBanner(START_ROTATION, undefined)).toBeNull();
    expect(wallBanner({ ...START_ROTATION, interrupt: INCIDENT_INTERRUPT }, undefined)).toEqual({ kind: 'incident', id: 9 });
    expect(wallBanner({ ...START_ROTATION, interrupt: SOS_INTERRUPT }, alert(4))).toEqual({ kind: 'sos', id: 4 });
    // Cleared but never acknowledged: the rotation moved on, the banner stays.
    const clearedOnly = alert(4, { clearedAt: isoAt(FACTORY_NOW), clearedBy: 'desk' });
    expect(wallBanner(START_ROTATION, clearedOnly)).toEqual({ kind: 'sos', id: 4 });
    expect(wallBanner(START_ROTATION, alert(4, { acknowledgedAt: isoAt(FACTORY_NOW), acknowledgedBy: 'desk' }))).toBeNull();
  });
});
