import { describe, expect, it } from 'vitest';
import { DISPUTE_CATEGORIES, INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../lib/model';
import { insideWithMargin, toXY } from '../../lib/sim/township/geometry';
import { INCIDENT_SOURCES } from '../../lib/model';
import { CLOSED_AFTER_MS, generateIncidents, isHerbSeason, type IncidentPlan } from '../../lib/sim/township/incidents';
import { DEMO_SEED, generateLayout } from '../../lib/sim/township/layout';

const DAY = 86_400_000;
const layout = generateLayout(DEMO_SEED);
const now = new Date('2026-11-27T10:00:00Z');
const incidents = generateIncidents(layout, { seed: DEMO_SEED, now, historyDays: 395 });

const localMonth = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).getUTCMonth();
const share = (xs: readonly IncidentPlan[], f: (i: IncidentPlan) => boolean) => xs.filter(f).length / xs.length;

describe('generateIncidents', () => {
  it('is deterministic for the same seed and now', () => {
    expect(generateIncidents(layout, { seed: DEMO_SEED, now, historyDays: 395 })).toEqual(incidents);
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
    expect(generateIncidents(layout, { seed: 1, now, historyDays: 0 }).length).toBeLessThan(40);
  });
});
