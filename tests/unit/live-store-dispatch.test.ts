// The live store's dispatch-loop views: incidents merged by updatedAt, alerts
// that need attention (acknowledged AND cleared leave), escalation, the
// incident list's filter and query, where an alert is on the map.
import { describe, expect, it } from 'vitest';
import type { GridCollection } from '@/lib/model';
import {
  DEFAULT_INCIDENT_FILTER,
  EMPTY_LIVE_DATA,
  alertPosition,
  applyAlertsSnapshot,
  applyBatch,
  applyIncidentsSnapshot,
  attentionAlerts,
  emptyBatch,
  incidentFilterQuery,
  isEscalatedAlert,
  isOpenAlert,
  isOpenIncident,
  listIncidents,
  matchesIncidentFilter,
  mergeAlerts,
  newerAlert,
  newerIncident,
  openSosAlerts,
  queueAlert,
  queueIncident,
  villageByGrid,
} from '@/lib/live/live-store';
import { alert, FACTORY_NOW as T0, incident, isoAt as iso, unit } from '../helpers/factories';

const ev = <T>(seq: number, data: T) => ({ seq, serverTime: T0 + seq, data });

describe('open incidents', () => {
  it('are the ones not yet resolved', () => {
    expect(isOpenIncident(incident(1, { status: 'reported' }))).toBe(true);
    expect(isOpenIncident(incident(1, { status: 'dispatched' }))).toBe(true);
    expect(isOpenIncident(incident(1, { status: 'en_route' }))).toBe(true);
    expect(isOpenIncident(incident(1, { status: 'on_scene' }))).toBe(true);
    expect(isOpenIncident(incident(1, { status: 'resolved', outcome: 'mediated' }))).toBe(false);
    expect(isOpenIncident(incident(1, { status: 'closed', outcome: 'referred' }))).toBe(false);
  });
});

describe('incident versions', () => {
  const older = incident(7, { status: 'dispatched', updatedAt: iso(T0 + 1000) });
  const newer = incident(7, { status: 'en_route', updatedAt: iso(T0 + 2000) });

  it('keep the later updatedAt, whichever arrives last; a tie goes to the later arrival', () => {
    expect(newerIncident(older, newer)).toBe(newer);
    expect(newerIncident(newer, older)).toBe(newer);
    const sameTime = incident(7, { status: 'on_scene', updatedAt: iso(T0 + 2000) });
    expect(newerIncident(newer, sameTime)).toBe(sameTime);
    expect(newerIncident(undefined, older)).toBe(older);
  });

  it('an answer applied at once is not undone by the older push that follows it', () => {
    // Our PATCH answer (en route) is applied first; the push of the step before it comes late.
    let data = applyBatch(EMPTY_LIVE_DATA, queueIncident(emptyBatch(), ev(0, newer)));
    data = applyBatch(data, queueIncident(emptyBatch(), ev(5, older)));
    expect(data.incidents[7]?.status).toBe('en_route');
    // Within one batch too.
    const batch = queueIncident(queueIncident(emptyBatch(), ev(1, newer)), ev(2, older));
    expect(applyBatch(EMPTY_LIVE_DATA, batch).incidents[7]?.status).toBe('en_route');
  });

  it('a snapshot does not undo a newer live version', () => {
    let data = applyBatch(EMPTY_LIVE_DATA, queueIncident(emptyBatch(), ev(1, newer)));
    data = applyIncidentsSnapshot(data, [older], T0);
    expect(data.incidents[7]?.status).toBe('en_route');
  });
});

describe('alerts needing attention', () => {
  const raised = alert(5);
  const acked = alert(5, { acknowledgedAt: iso(T0 + 1000), acknowledgedBy: 'zhang.wei' });
  const cleared = alert(5, { clearedAt: iso(T0 + 2000), clearedBy: 'rule' });
  const done = alert(5, { acknowledgedAt: iso(T0 + 1000), acknowledgedBy: 'zhang.wei', clearedAt: iso(T0 + 2000), clearedBy: 'rule' });

  it('need it until acknowledged and cleared both', () => {
    expect(isOpenAlert(raised)).toBe(true);
    expect(isOpenAlert(acked)).toBe(true);
    expect(isOpenAlert(cleared)).toBe(true);
    expect(isOpenAlert(done)).toBe(false);
  });

  it('never lose an acknowledgement or a clearing to a late copy; crossing changes keep both', () => {
    expect(newerAlert(acked, raised)).toBe(acked);
    expect(newerAlert(cleared, raised)).toBe(cleared);
    expect(newerAlert(raised, acked)).toBe(acked);
    const crossed = newerAlert(acked, cleared);
    expect(crossed).toEqual(done);
    expect(newerAlert(cleared, acked)).toEqual(done);
    const base = { 5: done };
    expect(mergeAlerts(base, [raised, acked, cleared])).toBe(base);
  });

  it('an alert:update that acknowledges an SOS keeps it in the banner until it is cleared', () => {
    let data = applyBatch(EMPTY_LIVE_DATA, queueAlert(emptyBatch(), ev(1, raised)));
    data = applyBatch(data, queueAlert(emptyBatch(), ev(2, acked)));
    expect(openSosAlerts(Object.values(data.alerts)).map((a) => a.id)).toEqual([5]);
    data = applyBatch(data, queueAlert(emptyBatch(), ev(3, { ...acked, clearedAt: iso(T0 + 3000), clearedBy: 'zhang.wei' })));
    expect(openSosAlerts(Object.values(data.alerts))).toEqual([]);
    // A snapshot read before the clearing does not bring it back.
    data = applyAlertsSnapshot(data, [acked]);
    expect(data.alerts[5]?.clearedBy).toBe('zhang.wei');
  });

  it('the panel lists them newest first, by kind when asked', () => {
    const byId = {
      1: alert(1, { kind: 'stale', severity: 2, raisedAt: iso(T0 - 1000) }),
      2: alert(2, { kind: 'unacknowledged', severity: 3, raisedAt: iso(T0 - 500), incidentId: 40 }),
      3: alert(3, { raisedAt: iso(T0 - 100) }),
      4: alert(4, { raisedAt: iso(T0), acknowledgedAt: iso(T0), clearedAt: iso(T0) }),
    };
    expect(attentionAlerts(byId).map((a) => a.id)).toEqual([3, 2, 1]);
    expect(attentionAlerts(byId, 'stale').map((a) => a.id)).toEqual([1]);
    expect(attentionAlerts(byId, 'coverage_gap')).toEqual([]);
  });

  it('escalates an unacknowledged-dispatch alert until someone acknowledges it', () => {
    expect(isEscalatedAlert(alert(2, { kind: 'unacknowledged' }))).toBe(true);
    expect(isEscalatedAlert(alert(2, { kind: 'unacknowledged', acknowledgedAt: iso(T0) }))).toBe(false);
    expect(isEscalatedAlert(alert(2, { kind: 'sos' }))).toBe(false);
  });
});

function grids(): GridCollection {
  const cell = (id: number, code: string, villageId: number, labelPoint: [number, number]) => ({
    type: 'Feature' as const,
    geometry: { type: 'MultiPolygon' as const, coordinates: [] },
    properties: {
      id,
      code,
      name: `网格${id}`,
      nameEn: `Grid ${id}`,
      villageId,
      villageName: '村',
      villageNameEn: 'Village',
      openIncidents: 0,
      lastPatrolAt: null,
      areaKm2: 1,
      labelPoint,
    },
  });
  return { type: 'FeatureCollection', features: [cell(3, 'V1-03', 1, [100.3, 31.3]), cell(8, 'V2-01', 2, [100.8, 31.8])] };
}

describe('incident list', () => {
  const villages = villageByGrid(grids());
  const list = [
    incident(1, { status: 'reported', gridId: 3, reportedAt: iso(T0 - 5000) }),
    incident(2, { status: 'resolved', outcome: 'mediated', gridId: 3, reportedAt: iso(T0 - 4000) }),
    incident(3, { status: 'en_route', gridId: 8, category: 'fire', severity: 4, reportedAt: iso(T0 - 3000) }),
    incident(4, { status: 'closed', outcome: 'other', gridId: null, reportedAt: iso(T0 - 2000) }),
  ];
  const ids = (f: Partial<typeof DEFAULT_INCIDENT_FILTER>) =>
    list.filter((i) => matchesIncidentFilter(i, { ...DEFAULT_INCIDENT_FILTER, ...f }, villages)).map((i) => i.id);

  it('filters by status (open by default), category, severity, grid, village and time', () => {
    expect(ids({})).toEqual([1, 3]);
    expect(ids({ status: 'all' })).toEqual([1, 2, 3, 4]);
    expect(ids({ status: 'resolved' })).toEqual([2]);
    expect(ids({ status: 'all', category: 'fire' })).toEqual([3]);
    expect(ids({ status: 'all', severity: 4 })).toEqual([3]);
    expect(ids({ status: 'all', gridId: 3 })).toEqual([1, 2]);
    expect(ids({ status: 'all', villageId: 2 })).toEqual([3]);
    expect(ids({ status: 'all', from: T0 - 4000, to: T0 - 2000 })).toEqual([2, 3]);
  });

  it("merges the server's answer with the live store: newer versions win, new live ones join, changed ones leave", () => {
    const server = [incident(1, { gridId: 3, updatedAt: iso(T0 - 5000) }), incident(3, { status: 'en_route', gridId: 8 })];
    const live = {
      // Resolved since the server answered: leaves the open list.
      3: incident(3, { status: 'resolved', outcome: 'mediated', gridId: 8, updatedAt: iso(T0) }),
      // Reported since: joins it.
      9: incident(9, { gridId: 3, reportedAt: iso(T0 - 10) }),
    };
    expect(listIncidents(server, live, DEFAULT_INCIDENT_FILTER, villages).map((i) => i.id)).toEqual([9, 1]);
    expect(listIncidents(undefined, live, { ...DEFAULT_INCIDENT_FILTER, status: 'resolved' }, villages).map((i) => i.id)).toEqual([3]);
  });

  it('puts the filter on the wire with grid and village codes', () => {
    expect(incidentFilterQuery(DEFAULT_INCIDENT_FILTER, { grid: null, village: null })).toBe('status=open');
    expect(
      incidentFilterQuery(
        { status: 'all', category: 'fire', severity: 3, gridId: 3, villageId: 1, from: Date.parse('2025-06-01T00:00:00Z'), to: null },
        { grid: 'V1-03', village: 'V1' },
      ),
    ).toBe('category=fire&severity=3&grid=V1-03&village=V1&from=2025-06-01T00%3A00%3A00.000Z');
  });
});

describe('alertPosition', () => {
  it("uses the alert's own position, else its team's, else its grid cell's label point", () => {
    const units = { 1: unit(1, { position: [100.5, 31.5] }) };
    expect(alertPosition(alert(1, { position: [100.1, 31.1] }), units, grids())).toEqual([100.1, 31.1]);
    const fromTeam = alertPosition(alert(1, { position: null }), units, grids());
    expect(fromTeam).toEqual([100.5, 31.5]);
    // Its own pair: the team's record is written again when the team moves (unit-records.ts).
    expect(fromTeam).not.toBe(units[1]!.position);
    expect(alertPosition(alert(1, { position: null, teamId: null, kind: 'coverage_gap', gridId: 8 }), units, grids())).toEqual([100.8, 31.8]);
    expect(alertPosition(alert(1, { position: null, teamId: null, gridId: null }), units, grids())).toBeNull();
  });
});
