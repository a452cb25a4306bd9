import { describe, expect, it } from 'vitest';
import { DISPUTE_CATEGORIES, INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../lib/model';
import { insideWithMargin, toXY } from '../../lib/sim/township/geometry';
import { INCIDENT_SOURCES } from '../../lib/model';
import { CLOSED_AFTER_MS, generateIncidents, isHerbSeason, type IncidentPlan } from '../../lib/sim/township/incidents';
import { DEMO_SEED, generateLayout } from '../../lib/sim/township/layout';
import { townshipDay, townshipHour } from '../../lib/model/township-time';

const DAY = 86_400_000;
const SHANGHAI = 'Asia/Shanghai';
const layout = generateLayout(DEMO_SEED);
const now = new Date('2026-11-27T10:00:00Z');
const incidents = generateIncidents(layout, { seed: DEMO_SEED, now, historyDays: 395, tz: SHANGHAI });

const localMonth = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).getUTCMonth();
const share = (xs: readonly IncidentPlan[], f: (i: IncidentPlan) => boolean) => xs.filter(f).length / xs.length;

describe('generateIncidents', () => {
  it('is deterministic for the same seed and now', () => {
    expect(generateIncidents(layout, { seed: DEMO_SEED, now, historyDays: 395, tz: SHANGHAI })).toEqual(incidents);
  });

  it('plans the same demo history as before the zone became a setting (Asia/Shanghai, the default)', () => {
    // Written out from the planner as it was with UTC+8 built in: the default zone changes nothing.
    expect(incidents.length).toBe(4474);
    expect(incidents[0]?.reportedAt.toISOString()).toBe('2025-10-28T10:10:02.743Z');
    expect(incidents[0]?.category).toBe('citizen_request');
    expect(incidents[2000]?.reportedAt.toISOString()).toBe('2026-04-23T06:37:18.983Z');
    expect(incidents[incidents.length - 1]?.reportedAt.toISOString()).toBe('2026-11-27T09:44:15.875Z');
  });

  it('makes about 4,000 a year over the whole window, oldest first', () => {
    const lastYear = incidents.filter((i) => now.getTime() - i.reportedAt.getTime() <= 365 * DAY);
    expect(lastYear.length).toBeGreaterThan(3800);
    expect(lastYear.length).toBeLessThan(4800);
    const first = incidents[0]?.reportedAt.getTime() ?? 0;
    const last = incidents[incidents.length - 1]?.reportedAt.getTime() ?? 0;
    expect(last - first).toBeGreaterThan(390 * DAY);
    expect(last).toBeLessThanOrEqual(now.getTime());
    for (let k = 1; k < incidents.length; k++) {
      expect((incidents[k] as IncidentPlan).reportedAt >= (incidents[k - 1] as IncidentPlan).reportedAt).toBe(true);
    }
  });

  it('uses only the shared vocabulary, with disputes and citizen requests the bulk', () => {
    for (const i of incidents) {
      expect(INCIDENT_CATEGORIES).toContain(i.category);
      expect(INCIDENT_STATUSES).toContain(i.status);
      expect(INCIDENT_SOURCES).toContain(i.source);
      expect([1, 2, 3, 4]).toContain(i.severity);
    }
    const disputesAndRequests = share(incidents, (i) => DISPUTE_CATEGORIES.includes(i.category) || i.category === 'citizen_request');
    expect(disputesAndRequests).toBeGreaterThan(0.6);
    expect(share(incidents, (i) => i.severity <= 2)).toBeGreaterThan(0.7);
  });

  it('keeps every point inside the township', () => {
    for (const i of incidents) expect(insideWithMargin(toXY(i.at), layout.boundary, 5)).toBe(true);
  });

  it('moves incidents to the mountains in the herb season, with more lost-person and medical calls', () => {
    const herb = incidents.filter((i) => isHerbSeason(localMonth(i.reportedAt)));
    const rest = incidents.filter((i) => !isHerbSeason(localMonth(i.reportedAt)));
    const away = (i: IncidentPlan) => i.zone === 'mountain' || i.zone === 'pasture';
    expect(share(herb, away)).toBeGreaterThan(1.5 * share(rest, away));
    expect(share(herb, (i) => i.zone === 'village')).toBeLessThan(0.8 * share(rest, (i) => i.zone === 'village'));
    const searchAndCare = (i: IncidentPlan) => i.category === 'lost_person' || i.category === 'medical';
    expect(share(herb, searchAndCare)).toBeGreaterThan(1.5 * share(rest, searchAndCare));
  });

  it('has timelines that match the status, in order, never in the future', () => {
    const order = ['reported', 'dispatched', 'on_scene', 'resolved', 'closed'];
    for (const i of incidents) {
      expect(i.timeline.map((t) => t.status)).toEqual(order.slice(0, order.indexOf(i.status) + 1));
      const times = i.timeline.map((t) => Date.parse(t.at));
      expect(times[0]).toBe(i.reportedAt.getTime());
      for (let k = 1; k < times.length; k++) expect(times[k]).toBeGreaterThan(times[k - 1] ?? Infinity);
      expect(Math.max(...times)).toBeLessThanOrEqual(now.getTime());
      expect(i.resolvedAt !== null).toBe(i.status === 'resolved' || i.status === 'closed');
      expect(i.closedAt !== null).toBe(i.status === 'closed');
      if (i.resolvedAt) expect(i.resolvedAt > i.reportedAt).toBe(true);
      if (i.closedAt && i.resolvedAt) expect(i.closedAt > i.resolvedAt).toBe(true);
    }
  });

  it('closes everything older than three days and leaves 5–10 open now', () => {
    const old = incidents.filter((i) => now.getTime() - i.reportedAt.getTime() > CLOSED_AFTER_MS);
    expect(old.every((i) => i.status === 'closed')).toBe(true);
    const open = incidents.filter((i) => ['reported', 'dispatched', 'on_scene'].includes(i.status));
    expect(open.length).toBeGreaterThanOrEqual(5);
    expect(open.length).toBeLessThanOrEqual(10);
    const recent = incidents.filter((i) => now.getTime() - i.reportedAt.getTime() <= 2 * DAY);
    expect(new Set(recent.map((i) => i.status)).size).toBeGreaterThanOrEqual(3);
  });

  it('writes short titles and generic descriptions, with no digits that could be a phone or ID number', () => {
    for (const i of incidents) {
      expect(i.title.length).toBeLessThanOrEqual(16);
      expect(i.description.length).toBeLessThanOrEqual(40);
      expect(/\d{5,}/.test(i.title + i.description)).toBe(false);
    }
  });

  it('handles a zero-day history', () => {
    expect(generateIncidents(layout, { seed: 1, now, historyDays: 0, tz: SHANGHAI }).length).toBeLessThan(40);
  });
});

describe('generateIncidents in the township zone', () => {
  // The quiet hours (02:00–04:59, weights 0.08–0.1 of a peak 1.6) are the township's
  // night. Planned in New York, they fall on New York's night — where UTC+8 built in
  // would put them at 13:00–15:59 New York time, among the busiest hours.
  const quietShare = (xs: readonly IncidentPlan[], tz: string) =>
    share(
      xs.filter((i) => i.category !== 'public_order'),
      (i) => townshipHour(i.reportedAt, tz) >= 2 && townshipHour(i.reportedAt, tz) <= 4,
    );

  it('puts the quiet hours in the night of the zone it is given', () => {
    const newYork = generateIncidents(layout, { seed: DEMO_SEED, now, historyDays: 120, tz: 'America/New_York' });
    expect(quietShare(incidents, SHANGHAI)).toBeLessThan(0.03);
    expect(quietShare(newYork, 'America/New_York')).toBeLessThan(0.03);
    expect(quietShare(newYork, SHANGHAI)).toBeGreaterThan(0.1);
  });

  it("spans the zone's days: the first incident is on the zone's day `historyDays` before now, the last today", () => {
    const utc = generateIncidents(layout, { seed: DEMO_SEED, now, historyDays: 10, tz: 'UTC' });
    expect(utc.every((i) => i.reportedAt.getTime() >= now.getTime() - 10 * DAY && i.reportedAt <= now)).toBe(true);
    expect(townshipDay(utc[0]!.reportedAt, 'UTC')).toBe('2026-11-17');
    expect(townshipDay(utc[utc.length - 1]!.reportedAt, 'UTC')).toBe('2026-11-27');
  });

  it('plans across daylight-saving changes without losing or doubling a day', () => {
    // 2026-03-08 (spring forward) and 2026-11-01 (fall back) in New York.
    const days = new Set(
      generateIncidents(layout, { seed: DEMO_SEED, now, historyDays: 300, tz: 'America/New_York' }).map((i) => townshipDay(i.reportedAt, 'America/New_York')),
    );
    for (const d of ['2026-03-07', '2026-03-08', '2026-03-09', '2026-10-31', '2026-11-01', '2026-11-02']) expect(days.has(d)).toBe(true);
  });
});
