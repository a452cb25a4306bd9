import { describe, expect, it } from 'vitest';
import { type Alert, type UnitState, STALE_AFTER_MS } from '@/lib/model';
import {
  EMPTY_LIVE_DATA,
  DATA_STALE_MS,
  INCIDENT_RETENTION_MS,
  SILENCE_OFFLINE_MS,
  applyAlertsSnapshot,
  applyBatch,
  applyIncidentsSnapshot,
  applyUnitsSnapshot,
  beginResync,
  checkSeq,
  countOpenByGrid,
  deriveConnState,
  deriveFreshness,
  emptyBatch,
  isUnitStale,
  mergeAlerts,
  mergeUnits,
  newerAlert,
  openSosAlerts,
  queueAlert,
  queueIncident,
  queuePositions,
  queueTick,
  sortAlerts,
  sortIncidents,
} from '@/lib/live/live-store';
import { alert, FACTORY_NOW as T0, incident, isoAt as iso, unit as makeUnit } from '../helpers/factories';

/** A unit whose fix was taken at `fixAt` (null: none yet); a later fix is a little further east. */
function unit(teamId: number, fixAt: number | null, over: Partial<UnitState> = {}): UnitState {
  return makeUnit(teamId, {
    position: fixAt === null ? null : [100 + fixAt / 1e12, 31],
    fixTime: fixAt === null ? null : iso(fixAt),
    ...over,
  });
}

const alertEvent = (seq: number, a: Alert) => ({ seq, serverTime: T0 + seq, data: a });

const positions = (seq: number, ...units: UnitState[]) => ({
  seq,
  serverTime: T0 + seq * 200,
  data: Object.fromEntries(units.map((u) => [u.teamId, u])),
});

describe('positions bursts', () => {
  it('merges a burst by team id before it is applied, newest fix winning', () => {
    let b = emptyBatch();
    b = queuePositions(b, positions(1, unit(1, T0 + 1000), unit(2, T0 + 1000)));
    b = queuePositions(b, positions(2, unit(1, T0 + 2000)));
    // An out-of-order older fix for team 1 does not move it back.
    b = queuePositions(b, positions(3, unit(1, T0 + 1500)));
    expect(Object.keys(b.units)).toEqual(['1', '2']);
    expect(b.units[1]?.fixTime).toBe(iso(T0 + 2000));
    expect(b.events).toBe(3);
    expect(b.lastServerTime).toBe(T0 + 600);

    const data = applyBatch(EMPTY_LIVE_DATA, b);
    expect(Object.keys(data.units)).toHaveLength(2);
    expect(data.units[1]?.fixTime).toBe(iso(T0 + 2000));
    expect(data.lastServerTime).toBe(T0 + 600);
  });

  it('keeps the same object when nothing changed (React can skip the render)', () => {
    const data = applyBatch(EMPTY_LIVE_DATA, queuePositions(emptyBatch(), positions(1, unit(1, T0))));
    expect(applyBatch(data, emptyBatch())).toBe(data);
    expect(mergeUnits(data.units, [unit(1, T0 - 5000)])).toBe(data.units);
  });

  it('a same-time update replaces (status may change without a new fix)', () => {
    const data = applyBatch(EMPTY_LIVE_DATA, queuePositions(emptyBatch(), positions(1, unit(1, T0))));
    const next = mergeUnits(data.units, [unit(1, T0, { status: 'dispatched' })]);
    expect(next[1]?.status).toBe('dispatched');
  });
});

describe('incident events', () => {
  it('adds new incidents and replaces updated ones by id', () => {
    let b = emptyBatch();
    b = queueIncident(b, { seq: 1, serverTime: T0, data: incident(7) });
    b = queueIncident(b, { seq: 2, serverTime: T0 + 5, data: incident(8) });
    b = queueIncident(b, { seq: 3, serverTime: T0 + 10, data: incident(7, { status: 'dispatched' }) });
    const data = applyBatch(EMPTY_LIVE_DATA, b);
    expect(Object.keys(data.incidents)).toEqual(['7', '8']);
    expect(data.incidents[7]?.status).toBe('dispatched');
    expect(data.liveIncidentIds).toEqual({ 7: true, 8: true });
  });

  it('ticks move the server clock and nothing else but the data time they carry', () => {
    const data = applyBatch(EMPTY_LIVE_DATA, queueTick(emptyBatch(), T0 + 5000, T0 + 4990));
    expect(data.lastServerTime).toBe(T0 + 5000);
    expect(data.dataAsOf).toBe(T0 + 4990);
    expect(data.units).toBe(EMPTY_LIVE_DATA.units);
  });

  it('drops closed incidents older than the retention, keeps open ones however old', () => {
    const old = T0 - INCIDENT_RETENTION_MS - 60_000;
    let data = applyBatch(EMPTY_LIVE_DATA, queueIncident(emptyBatch(), { seq: 1, serverTime: T0, data: incident(1, { reportedAt: iso(old) }) }));
    data = applyBatch(data, queueIncident(emptyBatch(), { seq: 2, serverTime: T0, data: incident(2, { reportedAt: iso(old), status: 'closed' }) }));
    expect(Object.keys(data.incidents)).toEqual(['1']);
  });
});

describe('alert events', () => {
  it('adds alerts by id, marks them live and moves the freshness clock', () => {
    let b = emptyBatch();
    b = queueAlert(b, alertEvent(1, alert(5)));
    b = queueAlert(b, alertEvent(2, alert(6, { teamId: 2 })));
    b = queueAlert(b, alertEvent(3, alert(5)));
    expect(b.events).toBe(3);
    const data = applyBatch(EMPTY_LIVE_DATA, b);
    expect(Object.keys(data.alerts)).toEqual(['5', '6']);
    expect(data.liveAlertIds).toEqual({ 5: true, 6: true });
    expect(data.lastServerTime).toBe(T0 + 3);
    expect(data.dataAsOf).toBe(T0 + 3);
    // Alerts only change the alerts: other keyed maps keep their identity.
    expect(data.units).toBe(EMPTY_LIVE_DATA.units);
  });

  it('never undoes an acknowledgement with a late unacknowledged copy', () => {
    const acked = alert(5, { acknowledgedAt: iso(T0 + 60_000) });
    expect(newerAlert(acked, alert(5))).toBe(acked);
    expect(newerAlert(alert(5), acked)).toBe(acked);
    const base = { 5: acked };
    expect(mergeAlerts(base, [alert(5)])).toBe(base);
  });

  it('keeps the same object when nothing changed', () => {
    const data = applyBatch(EMPTY_LIVE_DATA, queueTick(emptyBatch(), T0, T0));
    expect(data.alerts).toBe(EMPTY_LIVE_DATA.alerts);
    expect(mergeAlerts(data.alerts, [])).toBe(data.alerts);
  });
});

describe('snapshots', () => {
  it('an alerts snapshot replaces the open alerts, but keeps ones a live event brought since the resync began', () => {
    // The event arrives before a snapshot that was read earlier and does not have it yet.
    let data = applyBatch(EMPTY_LIVE_DATA, queueAlert(emptyBatch(), alertEvent(1, alert(9))));
    data = applyAlertsSnapshot(data, [alert(3), alert(4)]);
    expect(Object.keys(data.alerts).sort()).toEqual(['3', '4', '9']);

    // After a resync starts the next snapshot is authoritative: ones no longer needing attention (absent from it) leave.
    data = beginResync(data);
    expect(data.liveAlertIds).toEqual({});
    data = applyAlertsSnapshot(data, [alert(9)]);
    expect(Object.keys(data.alerts)).toEqual(['9']);
  });

  it('a snapshot does not re-open a live alert that was acknowledged', () => {
    const acked = alert(9, { acknowledgedAt: iso(T0 + 1000) });
    let data = applyBatch(EMPTY_LIVE_DATA, queueAlert(emptyBatch(), alertEvent(1, acked)));
    data = applyAlertsSnapshot(data, [alert(9)]);
    expect(data.alerts[9]?.acknowledgedAt).toBe(iso(T0 + 1000));
  });

  it('a units snapshot replaces the team set but never moves a unit back to an older fix', () => {
    let data = applyBatch(EMPTY_LIVE_DATA, queuePositions(emptyBatch(), positions(1, unit(1, T0 + 5000), unit(9, T0))));
    data = applyUnitsSnapshot(data, [unit(1, T0), unit(2, null)]);
    expect(Object.keys(data.units).sort()).toEqual(['1', '2']);
    expect(data.units[1]?.fixTime).toBe(iso(T0 + 5000));
    expect(data.units[2]?.position).toBeNull();
  });

  it('an incidents snapshot wins, except over incidents a live event touched since the resync began', () => {
    let data = applyBatch(EMPTY_LIVE_DATA, queueIncident(emptyBatch(), { seq: 1, serverTime: T0, data: incident(1, { status: 'on_scene' }) }));
    // Snapshot read before the live update reached it: the live state stays.
    data = applyIncidentsSnapshot(data, [incident(1), incident(2)], T0);
    expect(data.incidents[1]?.status).toBe('on_scene');
    expect(data.incidents[2]).toBeDefined();

    // After a resync starts, the next snapshot is authoritative.
    data = beginResync(data);
    data = applyIncidentsSnapshot(data, [incident(1, { status: 'resolved' })], T0);
    expect(data.incidents[1]?.status).toBe('resolved');
    expect(data.incidents[2]).toBeUndefined();
  });
});

describe('checkSeq', () => {
  it('detects gaps, in-order events, the first event and replays', () => {
    expect(checkSeq(null, 40)).toBe('first');
    expect(checkSeq(40, 41)).toBe('next');
    expect(checkSeq(41, 44)).toBe('gap');
    expect(checkSeq(44, 44)).toBe('old');
    expect(checkSeq(44, 3)).toBe('old');
  });
});

describe('freshness', () => {
  it('derives connecting / live / offline, counting silence as offline', () => {
    expect(deriveConnState('connecting', null, T0)).toBe('connecting');
    expect(deriveConnState('connected', null, T0)).toBe('connecting');
    expect(deriveConnState('connected', T0 - 1000, T0)).toBe('live');
    expect(deriveConnState('connected', T0 - SILENCE_OFFLINE_MS - 1, T0)).toBe('offline');
    expect(deriveConnState('disconnected', T0, T0)).toBe('offline');
  });

  it('heartbeats during a database outage do not refresh the data: only dataAsOf or a data event does', () => {
    // Data confirmed at T0; then the database goes down and ticks keep arriving with the same dataAsOf.
    let data = applyBatch(EMPTY_LIVE_DATA, queueTick(emptyBatch(), T0, T0 - 20));
    for (let k = 1; k <= 12; k++) data = applyBatch(data, queueTick(emptyBatch(), T0 + k * 5_000, T0 - 20));
    expect(data.lastServerTime).toBe(T0 + 60_000);
    expect(data.dataAsOf).toBe(T0 - 20);
    expect(deriveFreshness(data.dataAsOf, T0 + 60_000)).toEqual({ ageMs: 60_020, freshness: 'alarm' });
    // A server that has not reached its database since it started says null: still no data.
    expect(applyBatch(EMPTY_LIVE_DATA, queueTick(emptyBatch(), T0, null)).dataAsOf).toBeNull();
    // The database answers again: the next tick carries a new time.
    data = applyBatch(data, queueTick(emptyBatch(), T0 + 65_000, T0 + 64_990));
    expect(deriveFreshness(data.dataAsOf, T0 + 65_000)).toEqual({ ageMs: 10, freshness: 'fresh' });
    // A data event counts as of its serverTime.
    data = applyBatch(data, queuePositions(emptyBatch(), { seq: 9, serverTime: T0 + 70_000, data: {} }));
    expect(data.dataAsOf).toBe(T0 + 70_000);
    // An old dataAsOf (a tick overtaken by data) never moves it back.
    data = applyBatch(data, queueTick(emptyBatch(), T0 + 70_500, T0 + 64_990));
    expect(data.dataAsOf).toBe(T0 + 70_000);
  });

  it('names the data fresh, stale past three heartbeats, alarm past a minute, none without data', () => {
    expect(DATA_STALE_MS).toBe(15_000);
    expect(deriveFreshness(null, T0)).toEqual({ ageMs: null, freshness: 'none' });
    expect(deriveFreshness(T0, null)).toEqual({ ageMs: null, freshness: 'none' });
    expect(deriveFreshness(T0, T0 + 15_000).freshness).toBe('fresh');
    expect(deriveFreshness(T0, T0 + 15_001).freshness).toBe('stale');
    expect(deriveFreshness(T0, T0 + 60_000).freshness).toBe('stale');
    expect(deriveFreshness(T0, T0 + 60_001).freshness).toBe('alarm');
    // A server clock slightly behind the data time is not a negative age.
    expect(deriveFreshness(T0 + 500, T0)).toEqual({ ageMs: 0, freshness: 'fresh' });
  });

  it('calls a unit stale after STALE_AFTER_MS or with no fix', () => {
    expect(isUnitStale(unit(1, T0), T0 + STALE_AFTER_MS)).toBe(false);
    expect(isUnitStale(unit(1, T0), T0 + STALE_AFTER_MS + 1)).toBe(true);
    expect(isUnitStale(unit(1, null), T0)).toBe(true);
  });
});

describe('derived views', () => {
  it('counts open incidents per grid (open = not yet resolved) and sorts newest first', () => {
    const list = [
      incident(1, { gridId: 1 }),
      incident(2, { gridId: 1, status: 'resolved', reportedAt: iso(T0 + 1000) }),
      incident(3, { gridId: 2, status: 'closed' }),
      incident(4, { gridId: null }),
    ];
    expect(countOpenByGrid(list)).toEqual({ 1: 1 });
    // Every not-yet-resolved status counts, en route included.
    expect(
      countOpenByGrid([
        incident(5, { gridId: 4, status: 'dispatched' }),
        incident(6, { gridId: 4, status: 'en_route' }),
        incident(7, { gridId: 4, status: 'on_scene' }),
      ]),
    ).toEqual({ 4: 3 });
    const byId = Object.fromEntries(list.map((i) => [i.id, i]));
    expect(sortIncidents(byId).map((i) => i.id)).toEqual([2, 4, 3, 1]);
  });

  it('sorts alerts newest first and picks the SOS ones still needing attention for the banner', () => {
    const list = [
      alert(1, { raisedAt: iso(T0) }),
      alert(2, { raisedAt: iso(T0 + 2000) }),
      alert(3, { raisedAt: iso(T0 + 1000), kind: 'stale', severity: 2 }),
      // Acknowledged but not cleared: stays (steady) until someone clears it.
      alert(4, { raisedAt: iso(T0 + 3000), acknowledgedAt: iso(T0 + 4000) }),
      alert(5, { raisedAt: iso(T0 + 2000) }),
      // Acknowledged and cleared: done.
      alert(6, { raisedAt: iso(T0 + 5000), acknowledgedAt: iso(T0 + 5500), clearedAt: iso(T0 + 6000) }),
    ];
    const sorted = sortAlerts(Object.fromEntries(list.map((a) => [a.id, a])));
    expect(sorted.map((a) => a.id)).toEqual([6, 4, 5, 2, 3, 1]);
    expect(openSosAlerts(sorted).map((a) => a.id)).toEqual([4, 5, 2, 1]);
  });
});
