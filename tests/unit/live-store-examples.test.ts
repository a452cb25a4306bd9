// The live store's small rules pinned at their edges, with the thresholds
// written out: sequence numbers, connection state, data freshness, unit
// staleness, "new" incidents, alert merging. tests/unit/live-store.test.ts has
// the flows; this file has the boundaries.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DATA_ALARM_MS,
  DATA_STALE_MS,
  INCIDENT_RETENTION_MS,
  SILENCE_OFFLINE_MS,
  checkSeq,
  deriveConnState,
  deriveFreshness,
  emptyBatch,
  isEscalatedAlert,
  isNewIncident,
  isOpenAlert,
  isUnitStale,
  newerAlert,
  newerIncident,
  newerUnit,
  DEFAULT_INCIDENT_FILTER,
  incidentFilterQuery,
  pruneIncidents,
  queueIncident,
  queueTick,
} from '@/lib/live/live-store';
import type { IncidentView } from '@/lib/model';
import { alert, incident, unit } from '../helpers/factories';

const T = 1_748_764_800_000; // 2025-06-01T08:00:00.000Z

describe('live store constants', () => {
  it('are three heartbeats (15 s) for silence and staleness, a minute for the alarm, a day of closed incidents', () => {
    expect(SILENCE_OFFLINE_MS).toBe(15_000);
    expect(DATA_STALE_MS).toBe(15_000);
    expect(DATA_ALARM_MS).toBe(60_000);
    expect(INCIDENT_RETENTION_MS).toBe(86_400_000);
  });
});

describe('checkSeq', () => {
  it('first, next, gap, old', () => {
    expect(checkSeq(null, 7)).toBe('first');
    expect(checkSeq(6, 7)).toBe('next');
    expect(checkSeq(6, 8)).toBe('gap');
    expect(checkSeq(6, 100)).toBe('gap');
    expect(checkSeq(6, 6)).toBe('old');
    expect(checkSeq(6, 5)).toBe('old');
    expect(checkSeq(0, 1)).toBe('next');
  });
});

describe('deriveConnState', () => {
  it('follows the socket, then the silence: live up to 15 s without an event, offline after', () => {
    expect(deriveConnState('disconnected', T, T)).toBe('offline');
    expect(deriveConnState('connecting', T, T)).toBe('connecting');
    expect(deriveConnState('connected', null, T)).toBe('connecting');
    expect(deriveConnState('connected', T, T + 15_000)).toBe('live');
    expect(deriveConnState('connected', T, T + 15_001)).toBe('offline');
  });
});

describe('deriveFreshness', () => {
  it('none without both times; fresh up to 15 s, stale up to 60 s, alarm after', () => {
    expect(deriveFreshness(null, T)).toEqual({ ageMs: null, freshness: 'none' });
    expect(deriveFreshness(T, null)).toEqual({ ageMs: null, freshness: 'none' });
    expect(deriveFreshness(T, T + 15_000)).toEqual({ ageMs: 15_000, freshness: 'fresh' });
    expect(deriveFreshness(T, T + 15_001)).toEqual({ ageMs: 15_001, freshness: 'stale' });
    expect(deriveFreshness(T, T + 60_000)).toEqual({ ageMs: 60_000, freshness: 'stale' });
    expect(deriveFreshness(T, T + 60_001)).toEqual({ ageMs: 60_001, freshness: 'alarm' });
  });

  it('reads data from the future (clock skew) as 0 ms old', () => {
    expect(deriveFreshness(T + 5_000, T)).toEqual({ ageMs: 0, freshness: 'fresh' });
  });
});

describe('isUnitStale', () => {
  it('is stale more than 2 minutes after the newest fix, or without a readable one', () => {
    const u = unit(1, { fixTime: '2025-06-01T08:00:00.000Z' });
    expect(isUnitStale(u, T + 120_000)).toBe(false);
    expect(isUnitStale(u, T + 120_001)).toBe(true);
    expect(isUnitStale(unit(1, { fixTime: null }), T)).toBe(true);
    expect(isUnitStale(unit(1, { fixTime: 'yesterday' }), T)).toBe(true);
  });
});

describe('isNewIncident', () => {
  it('is new from its report (up to a minute of clock skew early) until newForMs has passed', () => {
    const i = incident(1, { reportedAt: '2025-06-01T08:00:00.000Z' });
    expect(isNewIncident(i, T - 60_000, 300_000)).toBe(true);
    expect(isNewIncident(i, T - 60_001, 300_000)).toBe(false);
    expect(isNewIncident(i, T, 300_000)).toBe(true);
    expect(isNewIncident(i, T + 299_999, 300_000)).toBe(true);
    expect(isNewIncident(i, T + 300_000, 300_000)).toBe(false);
    expect(isNewIncident(incident(1, { reportedAt: 'soon' }), T, 300_000)).toBe(false);
  });
});

describe('newerUnit and newerIncident', () => {
  it('keeps the newer fix; on a tie, or with no fix to compare, the later arrival', () => {
    const older = unit(1, { fixTime: '2025-06-01T08:00:00.000Z', status: 'available' });
    const newer = unit(1, { fixTime: '2025-06-01T08:00:01.000Z', status: 'dispatched' });
    expect(newerUnit(undefined, older)).toBe(older);
    expect(newerUnit(older, newer)).toBe(newer);
    expect(newerUnit(newer, older)).toBe(newer);
    const sameFix = unit(1, { fixTime: '2025-06-01T08:00:00.000Z', status: 'en_route' });
    expect(newerUnit(older, sameFix)).toBe(sameFix);
    const noFix = unit(1, { fixTime: null });
    expect(newerUnit(older, noFix)).toBe(older);
    expect(newerUnit(noFix, older)).toBe(older);
    const unreadable = unit(1, { fixTime: 'garbage' });
    expect(newerUnit(older, unreadable)).toBe(older);
  });

  it('keeps the later updatedAt; on a tie the later arrival', () => {
    const a = incident(1, { updatedAt: '2025-06-01T08:00:00.000Z', title: 'a' });
    const b = incident(1, { updatedAt: '2025-06-01T08:00:05.000Z', title: 'b' });
    const c = incident(1, { updatedAt: '2025-06-01T08:00:05.000Z', title: 'c' });
    expect(newerIncident(undefined, a)).toBe(a);
    expect(newerIncident(a, b)).toBe(b);
    expect(newerIncident(b, a)).toBe(b);
    expect(newerIncident(b, c)).toBe(c);
  });
});

describe('queueTick', () => {
  it('moves the server clock to the newest time and data freshness only to dataAsOf', () => {
    let b = queueTick(emptyBatch(), T, null);
    expect([b.lastServerTime, b.dataAsOf, b.events]).toEqual([T, null, 1]);
    b = queueTick(b, T - 5_000, T - 1_000);
    expect([b.lastServerTime, b.dataAsOf, b.events]).toEqual([T, T - 1_000, 2]);
    b = queueTick(b, T + 5_000, T - 2_000);
    expect([b.lastServerTime, b.dataAsOf, b.events]).toEqual([T + 5_000, T - 1_000, 3]);
  });
});

describe('alerts', () => {
  const ACK = { acknowledgedAt: '2025-06-01T08:01:00.000Z', acknowledgedBy: 'coord' };
  const CLEAR = { clearedAt: '2025-06-01T08:02:00.000Z', clearedBy: 'system' };

  it('needs attention until both acknowledged and cleared', () => {
    expect(isOpenAlert(alert(1))).toBe(true);
    expect(isOpenAlert(alert(1, ACK))).toBe(true);
    expect(isOpenAlert(alert(1, CLEAR))).toBe(true);
    expect(isOpenAlert(alert(1, { ...ACK, ...CLEAR }))).toBe(false);
  });

  it('is escalated when a dispatch went unacknowledged and nobody has acknowledged the alert', () => {
    expect(isEscalatedAlert(alert(1, { kind: 'unacknowledged' }))).toBe(true);
    expect(isEscalatedAlert(alert(1, { kind: 'unacknowledged', ...ACK }))).toBe(false);
    expect(isEscalatedAlert(alert(1, { kind: 'sos' }))).toBe(false);
  });

  it('never undoes an acknowledgement or a clearing with an older copy; keeps both when they cross', () => {
    const plain = alert(1, { message: 'old' });
    const acked = alert(1, { ...ACK, message: 'acked' });
    const cleared = alert(1, { ...CLEAR, message: 'cleared' });
    expect(newerAlert(undefined, plain)).toBe(plain);
    expect(newerAlert(plain, acked)).toBe(acked);
    expect(newerAlert(acked, plain)).toBe(acked);
    expect(newerAlert(cleared, plain)).toBe(cleared);
    expect(newerAlert(acked, cleared)).toEqual(alert(1, { ...ACK, ...CLEAR, message: 'cleared' }));
    expect(newerAlert(cleared, acked)).toEqual(alert(1, { ...ACK, ...CLEAR, message: 'acked' }));
    const both = alert(1, { ...ACK, ...CLEAR, message: 'both' });
    expect(newerAlert(acked, both)).toBe(both);
    expect(newerAlert(both, acked)).toBe(both);
  });
});

describe('queueIncident and pruneIncidents', () => {
  it('counts each incident event', () => {
    const e = { seq: 1, serverTime: T, data: incident(1) };
    const b = queueIncident(queueIncident(emptyBatch(), e), { ...e, seq: 2 });
    expect(b.events).toBe(2);
  });

  it('keeps a closed incident reported exactly 24 h ago and drops one a millisecond older; open ones stay', () => {
    const edge = incident(1, { status: 'closed', reportedAt: '2025-05-31T08:00:00.000Z' });
    const older = incident(2, { status: 'closed', reportedAt: '2025-05-31T07:59:59.999Z' });
    const open = incident(3, { status: 'reported', reportedAt: '2025-05-01T08:00:00.000Z' });
    expect(Object.keys(pruneIncidents({ 1: edge, 2: older, 3: open }, T))).toEqual(['1', '3']);
  });

  it('drops an incident the moment it passes the retention even when the same object was pruned before (the answer is held per object)', () => {
    const closed = incident(1, { status: 'closed', reportedAt: '2025-05-31T08:00:00.000Z' });
    const held = { 1: closed, 2: incident(2, { status: 'closed', reportedAt: '2025-05-31T09:00:00.000Z' }) };
    expect(pruneIncidents(held, T - 60_000)).toBe(held);
    expect(pruneIncidents(held, T)).toBe(held);
    expect(Object.keys(pruneIncidents(held, T + 1))).toEqual(['2']);
    // A shorter retention is its own question, not the held answer for the day.
    expect(Object.keys(pruneIncidents(held, T, 3_600_000))).toEqual([]);
    expect(pruneIncidents(held, T)).toBe(held);
  });

  it('answers as reading every incident would, over any sequence of clocks and retentions (fast-check)', () => {
    const day = INCIDENT_RETENTION_MS;
    const arb = fc.record({
      incidents: fc.array(
        fc.record({ open: fc.boolean(), ageMs: fc.integer({ min: -60_000, max: 2 * day }), bad: fc.integer({ min: 0, max: 30 }) }),
        { maxLength: 30 },
      ),
      steps: fc.array(fc.record({ dt: fc.integer({ min: -3_600_000, max: day / 2 }), shortRetention: fc.boolean() }), { minLength: 1, maxLength: 12 }),
    });
    fc.assert(
      fc.property(arb, ({ incidents, steps }) => {
        let held: Record<number, IncidentView> = {};
        incidents.forEach((x, k) => {
          // One in about thirty has a time nobody can read: never kept once closed.
          const reportedAt = x.bad === 0 ? 'not a time' : new Date(T - x.ageMs).toISOString();
          held[k + 1] = incident(k + 1, { status: x.open ? 'reported' : 'closed', reportedAt });
        });
        let now = T;
        for (const { dt, shortRetention } of steps) {
          now += dt;
          const retention = shortRetention ? 3_600_000 : day;
          const expected = Object.values(held)
            .filter((i) => i.status !== 'closed' || Date.parse(i.reportedAt) >= now - retention)
            .map((i) => i.id);
          const next = pruneIncidents(held, now, retention);
          expect(Object.values(next).map((i) => i.id)).toEqual(expected);
          // The same object exactly when nothing left.
          expect(next === held).toBe(expected.length === Object.keys(held).length);
          held = { ...next };
          // Sometimes the same object again, sometimes a copy (as a flush that changed nothing or something hands it on).
          if (dt % 2 === 0) held = next as typeof held;
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('incidentFilterQuery', () => {
  it('sends grid and village by code only when both the filter and the code are there, and times as ISO UTC', () => {
    const f = { ...DEFAULT_INCIDENT_FILTER, status: 'all' as const, gridId: 4, villageId: 2, from: T, to: T + 3_600_000 };
    expect(incidentFilterQuery(f, { grid: 'G-04', village: 'V-02' })).toBe(
      'grid=G-04&village=V-02&from=2025-06-01T08%3A00%3A00.000Z&to=2025-06-01T09%3A00%3A00.000Z',
    );
    expect(incidentFilterQuery(f, { grid: null, village: null })).toBe('from=2025-06-01T08%3A00%3A00.000Z&to=2025-06-01T09%3A00%3A00.000Z');
    expect(incidentFilterQuery({ ...f, gridId: null, villageId: null, from: null, to: null }, { grid: 'G-04', village: 'V-02' })).toBe('');
  });
});
