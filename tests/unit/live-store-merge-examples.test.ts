// The live store's merges, pinned where the mutation run (docs/TESTING.md)
// found them unpinned: a merge keeps what it did not touch, a batch without
// incidents or alerts keeps those objects (memoised views downstream are not
// rebuilt on every position batch), live ids accumulate across batches until a
// resync, and nothing throws before the grids have loaded.
import { describe, expect, it } from 'vitest';
import type { GridCollection } from '@/lib/model';
import {
  DEFAULT_INCIDENT_FILTER,
  EMPTY_LIVE_DATA,
  alertPosition,
  applyAlertsSnapshot,
  applyBatch,
  applyIncidentsSnapshot,
  beginResync,
  emptyBatch,
  listIncidents,
  mergeAlerts,
  mergeUnits,
  newerAlert,
  queueAlert,
  queueIncident,
  queuePositions,
  villageByGrid,
} from '@/lib/live/live-store';
import { alert, FACTORY_NOW as T0, incident, isoAt as iso, unit } from '../helpers/factories';

const ev = <T>(seq: number, data: T) => ({ seq, serverTime: T0 + seq, data });

describe('mergeUnits and mergeAlerts keep what they do not touch', () => {
  it('a newer fix for one team leaves the other teams in place', () => {
    const base = { 1: unit(1), 2: unit(2) };
    const moved = unit(1, { fixTime: iso(T0), position: [100.2, 31.3] });
    expect(mergeUnits(base, [moved])).toEqual({ 1: moved, 2: unit(2) });
  });

  it('a new alert joins the ones already there', () => {
    const base = { 1: alert(1), 2: alert(2) };
    const raised = alert(3, { kind: 'stale', severity: 2 });
    expect(mergeAlerts(base, [raised])).toEqual({ 1: alert(1), 2: alert(2), 3: raised });
  });
});

describe('newerAlert: the later arrival wins when neither copy holds an acknowledgement or clearing the other lacks', () => {
  it('between two open copies', () => {
    const first = alert(1, { message: 'first' });
    const later = alert(1, { message: 'later' });
    expect(newerAlert(first, later)).toBe(later);
  });

  it('between two cleared copies', () => {
    const CLEAR = { clearedAt: iso(T0), clearedBy: 'rule' };
    const first = alert(1, { ...CLEAR, message: 'first' });
    const later = alert(1, { ...CLEAR, message: 'later' });
    expect(newerAlert(first, later)).toBe(later);
  });
});

describe('applyBatch', () => {
  const data = applyBatch(
    EMPTY_LIVE_DATA,
    queueAlert(queueIncident(emptyBatch(), ev(1, incident(1, { reportedAt: iso(T0) }))), ev(2, alert(7))),
  );

  it('keeps the incidents, alerts and their live ids as they were when the batch has only positions', () => {
    const next = applyBatch(data, queuePositions(emptyBatch(), ev(3, { 1: unit(1) })));
    expect(next.units).toEqual({ 1: unit(1) });
    expect(next.incidents).toBe(data.incidents);
    expect(next.liveIncidentIds).toBe(data.liveIncidentIds);
    expect(next.alerts).toBe(data.alerts);
    expect(next.liveAlertIds).toBe(data.liveAlertIds);
  });

  it('adds to the live ids across batches, so a snapshot read before both keeps both', () => {
    let d = beginResync(EMPTY_LIVE_DATA);
    d = applyBatch(d, queueIncident(emptyBatch(), ev(1, incident(1, { reportedAt: iso(T0) }))));
    d = applyBatch(d, queueIncident(emptyBatch(), ev(2, incident(2, { reportedAt: iso(T0) }))));
    d = applyBatch(d, queueAlert(emptyBatch(), ev(3, alert(7))));
    d = applyBatch(d, queueAlert(emptyBatch(), ev(4, alert(8))));
    expect(d.liveIncidentIds).toEqual({ 1: true, 2: true });
    expect(d.liveAlertIds).toEqual({ 7: true, 8: true });
    // Snapshots read before either event: neither has them, both stay.
    expect(Object.keys(applyIncidentsSnapshot(d, [], T0).incidents)).toEqual(['1', '2']);
    expect(Object.keys(applyAlertsSnapshot(d, []).alerts)).toEqual(['7', '8']);
  });

  it('survives a snapshot after a live event for an incident the batch itself pruned', () => {
    // Closing an incident reported two days ago: the event is live, but the
    // incident is past the store's window and leaves at once.
    const old = incident(5, { status: 'closed', outcome: 'mediated', reportedAt: iso(T0 - 2 * 86_400_000), closedAt: iso(T0), updatedAt: iso(T0) });
    const d = applyBatch(beginResync(EMPTY_LIVE_DATA), queueIncident(emptyBatch(), ev(1, old)));
    expect(d.incidents).toEqual({});
    expect(d.liveIncidentIds).toEqual({ 5: true });
    const open = incident(6, { reportedAt: iso(T0) });
    expect(applyIncidentsSnapshot(d, [open], T0).incidents).toEqual({ 6: open });
  });
});

describe('before the grids have loaded', () => {
  it('villageByGrid answers an empty map', () => {
    expect(villageByGrid(undefined)).toEqual({});
  });

  it('alertPosition answers null for an alert placed only by its grid cell', () => {
    expect(alertPosition(alert(1, { position: null, teamId: null, kind: 'coverage_gap', gridId: 8 }), {}, undefined)).toBeNull();
  });

  it('listIncidents shows the live incidents while the server has not answered', () => {
    const grids: GridCollection = { type: 'FeatureCollection', features: [] };
    const live = { 1: incident(1, { reportedAt: iso(T0 - 5000) }), 2: incident(2, { status: 'closed', outcome: 'other', reportedAt: iso(T0 - 4000) }) };
    expect(listIncidents(undefined, live, { ...DEFAULT_INCIDENT_FILTER, status: 'all' }, villageByGrid(grids))).toEqual([live[2], live[1]]);
  });
});
