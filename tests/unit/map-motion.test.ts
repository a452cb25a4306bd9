// What pulses on the map, by example: the desk as it always was, the wall's
// pulses expiring after 60 s into a still bold ring, nothing moving under
// prefers-reduced-motion, and the times the view schedules itself by.
import { describe, expect, it } from 'vitest';
import { isAnimating, layerTime, motionState, nextMotionChange, type MotionInput } from '@/components/map/motion';
import { buildAlertLayers, type PlacedAlert } from '@/components/map/layers/alert-layer';
import { buildIncidentLayers, incidentRadius } from '@/components/map/layers/incident-layer';
import type { Alert, IncidentView } from '@/lib/model';
import { FACTORY_NOW, alert, incident, isoAt } from '../helpers/factories';

// 2025-06-01T08:00:00Z.
const NOW = FACTORY_NOW;

const justReported = incident(1, { reportedAt: isoAt(NOW - 30_000) }); // 30 s ago
const fiveMinutes = incident(2, { reportedAt: isoAt(NOW - 5 * 60_000) });
const elevenMinutes = incident(3, { reportedAt: isoAt(NOW - 11 * 60_000) }); // past NEW_INCIDENT_MS (10 min)
const closedNew = incident(4, { status: 'closed', reportedAt: isoAt(NOW - 20_000) });
const sosNow = alert(10); // raised 10 s ago, unacknowledged
const sosOld = alert(90); // raised 90 s ago, unacknowledged
const sosAcked = alert(20, { acknowledgedAt: isoAt(NOW - 5_000) });
const sosNowhere = alert(5, { position: null });

const INCIDENTS: IncidentView[] = [justReported, fiveMinutes, elevenMinutes, closedNew];
const ALERTS: Alert[] = [sosNow, sosOld, sosAcked, sosNowhere];

const input = (over: Partial<MotionInput>): MotionInput => ({
  incidents: INCIDENTS,
  alerts: ALERTS,
  now: NOW,
  variant: 'desk',
  reducedMotion: false,
  ...over,
});

describe('motionState', () => {
  it('desk: every new open incident and unacknowledged placed alert pulses; every placed disc breathes', () => {
    const m = motionState(input({}));
    expect([...m.incidents]).toEqual([
      [1, 'pulse'],
      [2, 'pulse'],
    ]);
    expect([...m.alertRings]).toEqual([
      [10, 'pulse'],
      [90, 'pulse'],
    ]);
    expect([...m.breathing]).toEqual([10, 90, 20]);
    expect(m.key).toBe('i:1p,2p;a:10p,90p;b:10,90,20');
  });

  it('wall: a pulse runs 60 s from the report (or the alert), then the ring stands still', () => {
    const m = motionState(input({ variant: 'wall' }));
    expect([...m.incidents]).toEqual([
      [1, 'pulse'],
      [2, 'still'],
    ]);
    expect([...m.alertRings]).toEqual([
      [10, 'pulse'],
      [90, 'still'],
    ]);
    // Only a disc whose ring pulses breathes; the acknowledged one is still.
    expect([...m.breathing]).toEqual([10]);
    expect(m.key).toBe('i:1p,2s;a:10p,90s;b:10');
  });

  it('wall: 59 s after the report it still pulses, at 60 s it has stopped', () => {
    const at = (ms: number) => motionState(input({ variant: 'wall', incidents: [justReported], alerts: [], now: NOW + ms })).incidents.get(1);
    expect(at(29_000)).toBe('pulse'); // 59 s old
    expect(at(30_000)).toBe('still'); // 60 s old
    // After NEW_INCIDENT_MS (10 min) it is an ordinary incident: no ring at all.
    expect(at(10 * 60_000 - 30_000)).toBeUndefined();
  });

  it('prefers-reduced-motion: nothing pulses or breathes, on either variant; the rings stay (still)', () => {
    for (const variant of ['desk', 'wall'] as const) {
      const m = motionState(input({ variant, reducedMotion: true }));
      expect(m.key).toBe('i:1s,2s;a:10s,90s;b:');
      expect(isAnimating(m, true)).toBe(false);
    }
  });
});

describe('isAnimating', () => {
  it('runs the loop only while something moves', () => {
    expect(isAnimating(motionState(input({})), true)).toBe(true);
    expect(isAnimating(motionState(input({ variant: 'wall' })), true)).toBe(true);
    // The wall 2 minutes on: every pulse has expired.
    expect(isAnimating(motionState(input({ variant: 'wall', now: NOW + 120_000 })), true)).toBe(false);
    expect(isAnimating(motionState(input({ alerts: [] })), true)).toBe(true);
    // Incident rings with the incident layer switched off do not keep the loop going.
    expect(isAnimating(motionState(input({ alerts: [] })), false)).toBe(false);
    expect(isAnimating(motionState(input({ incidents: [], alerts: [] })), true)).toBe(false);
  });
});

describe('nextMotionChange', () => {
  it('is the end of the earliest running wall pulse', () => {
    // Incident 1 reported 30 s ago ends in 30 s; the SOS raised 10 s ago ends in 50 s.
    expect(nextMotionChange(input({ variant: 'wall' }))).toBe(NOW + 30_000);
    expect(nextMotionChange(input({ variant: 'wall', incidents: [] }))).toBe(NOW + 50_000);
    expect(nextMotionChange(input({ variant: 'wall', now: NOW + 120_000 }))).toBeNull();
  });

  it('is null on the desk and under reduced motion (nothing expires there)', () => {
    expect(nextMotionChange(input({}))).toBeNull();
    expect(nextMotionChange(input({ variant: 'wall', reducedMotion: true }))).toBeNull();
  });
});

describe('layerTime', () => {
  it('steps the wall by 10 s and leaves the desk alone', () => {
    expect(layerTime(1_748_764_807_500, 'wall')).toBe(1_748_764_800_000);
    expect(layerTime(1_748_764_809_999, 'wall')).toBe(1_748_764_800_000);
    expect(layerTime(1_748_764_810_000, 'wall')).toBe(1_748_764_810_000);
    expect(layerTime(1_748_764_807_500, 'desk')).toBe(1_748_764_807_500);
  });
});

type Accessor<T, R> = (d: T, ctx: unknown) => R;
const call = <T, R>(fn: unknown, d: T): R => (fn as Accessor<T, R>)(d, { index: 0, data: [], target: [] });

describe('still rings in the layers', () => {
  const wall = motionState(input({ variant: 'wall' }));

  it('draws a still incident swollen (1.4×), unmoving, inside a bold opaque ring', () => {
    const [pulses, pins] = buildIncidentLayers({
      incidents: INCIDENTS,
      now: NOW,
      phase: 0.5,
      selectedId: null,
      visible: true,
      rings: wall.incidents,
      ringsKey: wall.key,
    });
    // Drawn oldest first (the newest on top).
    expect((pulses.props.data as IncidentView[]).map((i) => i.id)).toEqual([2, 1]);
    // Severity 2: 7.5 px. Still: 7.5 × 1.4 = 10.5 at any phase; the ring 7.5 × 2.4 = 18 px, 4 px wide, alpha 255.
    expect(call<IncidentView, number>(pins.props.getRadius, fiveMinutes)).toBeCloseTo(10.5, 10);
    expect(incidentRadius(fiveMinutes, NOW, 0.1, 'still')).toBeCloseTo(10.5, 10);
    expect(call<IncidentView, number>(pulses.props.getRadius, fiveMinutes)).toBe(18);
    expect(call<IncidentView, number>(pulses.props.getLineWidth, fiveMinutes)).toBe(4);
    expect(call<IncidentView, number[]>(pulses.props.getLineColor, fiveMinutes)).toEqual([250, 204, 21, 255]);
    // The pulsing one spreads with the phase: 7.5 × (1.6 + 2.6 × 0.5) = 21.75 px, 2 px wide, alpha 230 × 0.5 → 115.
    expect(call<IncidentView, number>(pulses.props.getRadius, justReported)).toBeCloseTo(21.75, 10);
    expect(call<IncidentView, number>(pulses.props.getLineWidth, justReported)).toBe(2);
    expect(call<IncidentView, number[]>(pulses.props.getLineColor, justReported)).toEqual([250, 204, 21, 115]);
    // An old incident: no ring, its severity's size.
    expect(call<IncidentView, number>(pins.props.getRadius, elevenMinutes)).toBe(7.5);
  });

  it('draws a still alert disc at 1.15× with a still 5 px ring of 2.2×; acknowledged ones have no ring', () => {
    const [pulses, markers] = buildAlertLayers({
      alerts: ALERTS,
      phase: 0.5,
      selectedId: null,
      rings: wall.alertRings,
      breathing: wall.breathing,
      motionKey: wall.key,
    });
    expect((pulses.props.data as PlacedAlert[]).map((a) => a.id).sort((a, b) => a - b)).toEqual([10, 90]);
    const old = sosOld as PlacedAlert;
    // 12 px base: still disc 13.8 px, ring 26.4 px.
    expect(call<PlacedAlert, number>(markers.props.getRadius, old)).toBeCloseTo(13.8, 10);
    expect(call<PlacedAlert, number>(pulses.props.getRadius, old)).toBeCloseTo(26.4, 10);
    expect(call<PlacedAlert, number>(pulses.props.getLineWidth, old)).toBe(5);
    expect(call<PlacedAlert, number[]>(pulses.props.getLineColor, old)).toEqual([255, 23, 23, 255]);
    // The acknowledged SOS does not breathe on the wall: 13.8 too.
    expect(call<PlacedAlert, number>(markers.props.getRadius, sosAcked as PlacedAlert)).toBeCloseTo(13.8, 10);
    // The fresh one breathes: 12 × (1 + 0.3 × (0.5 + 0.5 × sin π)) = 13.8 at phase 0.5, 15.6 at 0.25.
    const at = (phase: number) =>
      call<PlacedAlert, number>(
        buildAlertLayers({ alerts: ALERTS, phase, selectedId: null, rings: wall.alertRings, breathing: wall.breathing, motionKey: wall.key })[1]
          .props.getRadius,
        sosNow as PlacedAlert,
      );
    expect(at(0.25)).toBeCloseTo(15.6, 10);
    expect(at(0.75)).toBeCloseTo(12, 10);
  });
});
