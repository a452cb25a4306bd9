// The alert layers pinned by example: which alerts are drawn and in what
// order, the disc's breath and the ring's spread at given phases, still rings
// and still discs where the motion state says so, and the update triggers.
// Colours are written out as RGBA literals, radii in pixels (the disc is 12 px).
import { describe, expect, it } from 'vitest';
import {
  ALERT_PULSES_LAYER_ID,
  ALERTS_LAYER_ID,
  alertColor,
  alertRadius,
  buildAlertLayers,
  isPlacedAlert,
  type PlacedAlert,
} from '@/components/map/layers/alert-layer';
import type { RingMotion } from '@/components/map/motion';
import type { Alert } from '@/lib/model';
import { FACTORY_NOW, alert, isoAt } from '../helpers/factories';

const call = <R>(fn: unknown, d: Alert): R => (fn as (d: Alert, ctx: unknown) => R)(d, { index: 0, data: [], target: [] });
const ids = (data: unknown) => (data as PlacedAlert[]).map((a) => a.id);
const ACK = isoAt(FACTORY_NOW);

describe('alert helpers', () => {
  it('places an alert with a position that is not both acknowledged and cleared', () => {
    expect(isPlacedAlert(alert(1))).toBe(true);
    expect(isPlacedAlert(alert(1, { acknowledgedAt: ACK }))).toBe(true);
    expect(isPlacedAlert(alert(1, { clearedAt: ACK }))).toBe(true);
    expect(isPlacedAlert(alert(1, { acknowledgedAt: ACK, clearedAt: ACK }))).toBe(false);
    expect(isPlacedAlert(alert(1, { position: null }))).toBe(false);
  });

  it('colours an SOS pure red whatever its severity, other kinds by severity', () => {
    expect(alertColor(alert(1, { severity: 1 }))).toEqual([255, 23, 23, 255]);
    expect(alertColor(alert(1, { kind: 'stale', severity: 1 }))).toEqual([96, 165, 250, 255]);
    expect(alertColor(alert(1, { kind: 'offline', severity: 3 }))).toEqual([251, 146, 60, 255]);
  });

  it('breathes the disc between 12 and 15.6 px: 12 × (1 + 0.3 × (0.5 + 0.5 sin 2πφ))', () => {
    expect(alertRadius(0)).toBeCloseTo(13.8, 10);
    expect(alertRadius(0.25)).toBeCloseTo(15.6, 10);
    expect(alertRadius(0.5)).toBeCloseTo(13.8, 10);
    expect(alertRadius(0.75)).toBeCloseTo(12, 10);
  });
});

describe('buildAlertLayers', () => {
  const alerts = [
    alert(1, { severity: 4 }),
    alert(2, { kind: 'stale', severity: 3 }),
    alert(3, { kind: 'stale', severity: 1 }),
    alert(4, { kind: 'offline', severity: 3 }),
    alert(5, { acknowledgedAt: ACK }),
    alert(6, { severity: 2, position: null }),
    alert(7, { acknowledgedAt: ACK, clearedAt: ACK }),
  ];

  it('draws other kinds under SOS, by severity, then oldest first; only unacknowledged ones pulse', () => {
    const [pulses, markers] = buildAlertLayers({ alerts, phase: 0, selectedId: null });
    // Raised 1 s before the factory clock per id: 4 is older than 2, 5 older than 1.
    expect(ids(markers.props.data)).toEqual([3, 4, 2, 5, 1]);
    expect(ids(pulses.props.data)).toEqual([3, 4, 2, 1]);
  });

  it('has fixed ids and props: the disc pickable, white-rimmed and highlighted, the ring neither', () => {
    const [pulses, markers] = buildAlertLayers({ alerts, phase: 0, selectedId: null });
    expect([ALERT_PULSES_LAYER_ID, ALERTS_LAYER_ID]).toEqual(['alert-pulses', 'alerts']);
    expect([pulses.id, markers.id]).toEqual(['alert-pulses', 'alerts']);
    expect(markers.props).toMatchObject({
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 90],
      filled: true,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      getLineColor: [255, 255, 255, 255],
      visible: true,
    });
    expect(pulses.props).toMatchObject({ pickable: false, filled: false, stroked: true, visible: true });
    expect(call(markers.props.getPosition, alerts[0]!)).toEqual([100.1, 31.2]);
    expect(call(markers.props.getFillColor, alerts[0]!)).toEqual([255, 23, 23, 255]);
    expect(call(markers.props.getFillColor, alerts[2]!)).toEqual([96, 165, 250, 255]);
  });

  it('marks the selected alert 2 px bigger with a 5 px rim (3 px otherwise)', () => {
    const [, markers] = buildAlertLayers({ alerts, phase: 0.25, selectedId: 1 });
    expect(call<number>(markers.props.getRadius, alerts[0]!)).toBeCloseTo(17.6, 10);
    expect(call<number>(markers.props.getRadius, alerts[1]!)).toBeCloseTo(15.6, 10);
    expect([call(markers.props.getLineWidth, alerts[0]!), call(markers.props.getLineWidth, alerts[1]!)]).toEqual([5, 3]);
    expect(markers.props.updateTriggers).toEqual({ getRadius: [0.25, 1, ''], getLineWidth: 1 });
  });

  it('spreads the desk’s ring from 1.3× to 4.5× the disc, fading from alpha 255, 4 px wide, in the alert’s colour', () => {
    const at = (phase: number) => buildAlertLayers({ alerts, phase, selectedId: null })[0];
    expect(call<number>(at(0).props.getRadius, alerts[0]!)).toBeCloseTo(15.6, 10);
    expect(call<number>(at(0.5).props.getRadius, alerts[0]!)).toBeCloseTo(34.8, 10);
    expect(call(at(0).props.getLineColor, alerts[0]!)).toEqual([255, 23, 23, 255]);
    expect(call(at(0.5).props.getLineColor, alerts[1]!)).toEqual([251, 146, 60, 128]);
    expect(at(0.5).props.getLineWidth).toBe(4);
    expect(at(0.5).props.updateTriggers).toEqual({ getRadius: [0.5, undefined], getLineColor: [0.5, undefined], getLineWidth: undefined });
  });

  it('follows the motion state: rings where it says, still ones fixed at 26.4 px, opaque and 5 px wide; still discs at 13.8 px', () => {
    const rings = new Map<number, RingMotion>([
      [5, 'still'],
      [2, 'pulse'],
    ]);
    const [pulses, markers] = buildAlertLayers({ alerts, phase: 0.5, selectedId: null, rings, breathing: new Set([2]), motionKey: 'm3' });
    // 5 is acknowledged but the map gives it a ring; 1 is unacknowledged but has none.
    expect(ids(pulses.props.data)).toEqual([2, 5]);
    expect(call<number>(pulses.props.getRadius, alerts[4]!)).toBeCloseTo(26.4, 10);
    expect(call<number>(pulses.props.getRadius, alerts[1]!)).toBeCloseTo(34.8, 10);
    expect(call(pulses.props.getLineColor, alerts[4]!)).toEqual([255, 23, 23, 255]);
    expect(call(pulses.props.getLineColor, alerts[1]!)).toEqual([251, 146, 60, 128]);
    expect([call(pulses.props.getLineWidth, alerts[4]!), call(pulses.props.getLineWidth, alerts[1]!)]).toEqual([5, 4]);
    expect(pulses.props.updateTriggers).toEqual({ getRadius: [0.5, 'm3'], getLineColor: [0.5, 'm3'], getLineWidth: 'm3' });
    // Breathing (2): 12 × 1.15 at phase 0.5 as well; not breathing (1): still at 12 × 1.15.
    expect(call<number>(markers.props.getRadius, alerts[1]!)).toBeCloseTo(13.8, 10);
    expect(call<number>(markers.props.getRadius, alerts[0]!)).toBeCloseTo(13.8, 10);
    expect(markers.props.updateTriggers).toEqual({ getRadius: [0.5, null, 'm3'], getLineWidth: null });
    const [, breathingAt] = buildAlertLayers({ alerts, phase: 0.25, selectedId: null, rings, breathing: new Set([2]), motionKey: 'm3' });
    expect(call<number>(breathingAt.props.getRadius, alerts[1]!)).toBeCloseTo(15.6, 10);
    expect(call<number>(breathingAt.props.getRadius, alerts[0]!)).toBeCloseTo(13.8, 10);
  });
});
