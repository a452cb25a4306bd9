// The incident layers pinned by example: draw order, radii at given phases,
// fills and outlines per state, the desk's rings and the wall's still rings,
// and the update triggers (deck.gl recomputes an accessor only when its trigger
// changes). Colours are written out as RGBA literals, radii in pixels.
import { describe, expect, it } from 'vitest';
import {
  INCIDENT_PULSES_LAYER_ID,
  INCIDENTS_LAYER_ID,
  buildIncidentLayers,
  deskIncidentRing,
  incidentFillColor,
  incidentRadius,
  isDone,
} from '@/components/map/layers/incident-layer';
import type { RingMotion } from '@/components/map/motion';
import type { Incident } from '@/lib/model';
import { FACTORY_NOW, incident, isoAt } from '../helpers/factories';

// 2025-06-01T08:00:00.750Z: its second is 1_748_764_800.
const NOW = FACTORY_NOW + 750;
const call = <R>(fn: unknown, d: Incident): R => (fn as (d: Incident, ctx: unknown) => R)(d, { index: 0, data: [], target: [] });
const ids = (data: unknown) => (data as Incident[]).map((i) => i.id);

// Severity 2 (yellow, 7.5 px) unless said otherwise; "new" is reported within 10 minutes.
const fresh = (id: number, over: Partial<Incident> = {}) => incident(id, { reportedAt: isoAt(NOW - 60_000), ...over });
const old = (id: number, over: Partial<Incident> = {}) => incident(id, over);

describe('incident helpers', () => {
  it('calls resolved and closed incidents done, and nothing else', () => {
    expect((['reported', 'dispatched', 'en_route', 'on_scene', 'resolved', 'closed'] as const).map((status) => isDone(old(1, { status })))).toEqual([
      false,
      false,
      false,
      false,
      true,
      true,
    ]);
  });

  it('pulses new open incidents on the desk: not old ones, not done ones', () => {
    expect(deskIncidentRing(fresh(1), NOW)).toBe('pulse');
    expect(deskIncidentRing(fresh(1, { status: 'resolved' }), NOW)).toBeUndefined();
    expect(deskIncidentRing(old(1), NOW)).toBeUndefined();
  });

  it('sizes by severity, breathes between 1.25× and 1.6× while pulsing, and stays at 1.4× when still', () => {
    expect([1, 2, 3, 4].map((severity) => incidentRadius(old(1, { severity: severity as 1 | 2 | 3 | 4 }), NOW, 0.25))).toEqual([6, 7.5, 9, 11]);
    // Pulsing (the desk's default for a new one): 7.5 × (1.25 + 0.35 × (0.5 + 0.5 sin 2πφ)).
    expect(incidentRadius(fresh(1), NOW, 0.25)).toBeCloseTo(12, 10);
    expect(incidentRadius(fresh(1), NOW, 0.75)).toBeCloseTo(9.375, 10);
    expect(incidentRadius(fresh(1), NOW, 0)).toBeCloseTo(10.6875, 10);
    expect(incidentRadius(fresh(1), NOW, 0.25, undefined)).toBeCloseTo(12, 10);
    // The ring given wins over the desk's rule.
    expect(incidentRadius(old(1), NOW, 0.25, 'pulse')).toBeCloseTo(12, 10);
    expect(incidentRadius(fresh(1), NOW, 0.25, 'still')).toBeCloseTo(10.5, 10);
    expect(incidentRadius(old(1, { severity: 4 }), NOW, 0.25, 'still')).toBeCloseTo(15.4, 10);
  });

  it('fills open incidents opaque in their severity colour, done ones at alpha 60', () => {
    expect(incidentFillColor(old(1, { severity: 1 }))).toEqual([96, 165, 250, 255]);
    expect(incidentFillColor(old(1, { severity: 4, status: 'on_scene' }))).toEqual([255, 45, 85, 255]);
    expect(incidentFillColor(old(1, { severity: 3, status: 'resolved' }))).toEqual([251, 146, 60, 60]);
    expect(incidentFillColor(old(1, { severity: 2, status: 'closed' }))).toEqual([250, 204, 21, 60]);
  });
});

describe('buildIncidentLayers', () => {
  const incidents = [
    old(1, { severity: 4 }),
    old(2, { severity: 1, reportedAt: isoAt(NOW - 7_200_000) }),
    old(3, { severity: 1, reportedAt: isoAt(NOW - 9_000_000) }),
    fresh(4, { severity: 3 }),
    old(5, { severity: 4, status: 'closed' }),
    old(6, { severity: 1, status: 'resolved' }),
  ];

  it('draws done ones underneath, then by severity, then oldest first; pulses only the new open ones', () => {
    const [pulses, pins] = buildIncidentLayers({ incidents, now: NOW, phase: 0, selectedId: null, visible: true });
    expect(ids(pins.props.data)).toEqual([6, 5, 3, 2, 4, 1]);
    expect(ids(pulses.props.data)).toEqual([4]);
  });

  it('has fixed ids and props: pins pickable and highlighted, rings neither', () => {
    const [pulses, pins] = buildIncidentLayers({ incidents, now: NOW, phase: 0, selectedId: null, visible: true });
    expect([INCIDENT_PULSES_LAYER_ID, INCIDENTS_LAYER_ID]).toEqual(['incident-pulses', 'incidents']);
    expect([pulses.id, pins.id]).toEqual(['incident-pulses', 'incidents']);
    expect(pins.props).toMatchObject({
      pickable: true,
      autoHighlight: true,
      highlightColor: [255, 255, 255, 90],
      filled: true,
      stroked: true,
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      visible: true,
    });
    expect(pulses.props).toMatchObject({ pickable: false, filled: false, stroked: true, visible: true });
    const [hiddenPulses, hiddenPins] = buildIncidentLayers({ incidents, now: NOW, phase: 0, selectedId: null, visible: false });
    expect([hiddenPulses.props.visible, hiddenPins.props.visible]).toEqual([false, false]);
  });

  it('outlines white, done ones in their own colour, the selected one white and wider and 2 px bigger', () => {
    const [, pins] = buildIncidentLayers({ incidents, now: NOW, phase: 0.25, selectedId: 1, visible: true });
    expect(call(pins.props.getPosition, incidents[0]!)).toEqual([100.1, 31.2]);
    expect(call(pins.props.getFillColor, incidents[4]!)).toEqual([255, 45, 85, 60]);
    expect(call(pins.props.getLineColor, incidents[1]!)).toEqual([255, 255, 255, 235]);
    expect(call(pins.props.getLineColor, incidents[4]!)).toEqual([255, 45, 85, 255]);
    expect(call(pins.props.getLineColor, incidents[0]!)).toEqual([255, 255, 255, 255]);
    expect([call(pins.props.getLineWidth, incidents[0]!), call(pins.props.getLineWidth, incidents[1]!)]).toEqual([3, 2]);
    expect(call(pins.props.getRadius, incidents[0]!)).toBe(13);
    expect(call(pins.props.getRadius, incidents[1]!)).toBe(6);
    expect(call<number>(pins.props.getRadius, incidents[3]!)).toBeCloseTo(14.4, 10);
  });

  it('draws the desk’s pulse ring growing from 1.6× to 4.2× and fading from alpha 230, 2 px wide', () => {
    const at = (phase: number) => buildIncidentLayers({ incidents, now: NOW, phase, selectedId: null, visible: true })[0];
    const severity3 = incidents[3]!;
    expect(call<number>(at(0).props.getRadius, severity3)).toBeCloseTo(14.4, 10);
    expect(call<number>(at(0.5).props.getRadius, severity3)).toBeCloseTo(26.1, 10);
    expect(call(at(0).props.getLineColor, severity3)).toEqual([251, 146, 60, 230]);
    expect(call(at(0.5).props.getLineColor, severity3)).toEqual([251, 146, 60, 115]);
    expect(at(0.5).props.getLineWidth).toBe(2);
  });

  it('follows the rings it is given: which incidents wear one, and the still ones fixed, opaque and 4 px wide', () => {
    const rings = new Map<number, RingMotion>([
      [4, 'still'],
      [1, 'pulse'],
    ]);
    const [pulses, pins] = buildIncidentLayers({ incidents, now: NOW, phase: 0.5, selectedId: null, visible: true, rings, ringsKey: 'k7' });
    expect(ids(pulses.props.data)).toEqual([4, 1]);
    // Incident 4 (severity 3) still: 9 × 1.4, ring 9 × 2.4. Incident 1 (severity 4, old) pulses because the map says so:
    // 11 × (1.25 + 0.35 × 0.5) at phase 0.5, ring 11 × (1.6 + 2.6 × 0.5). Incident 2 has no ring: its plain 6 px.
    expect(call<number>(pins.props.getRadius, incidents[3]!)).toBeCloseTo(12.6, 10);
    expect(call<number>(pins.props.getRadius, incidents[0]!)).toBeCloseTo(15.675, 10);
    expect(call(pins.props.getRadius, incidents[1]!)).toBe(6);
    expect(call<number>(pulses.props.getRadius, incidents[3]!)).toBeCloseTo(21.6, 10);
    expect(call<number>(pulses.props.getRadius, incidents[0]!)).toBeCloseTo(31.9, 10);
    expect(call(pulses.props.getLineColor, incidents[3]!)).toEqual([251, 146, 60, 255]);
    expect(call(pulses.props.getLineColor, incidents[0]!)).toEqual([255, 45, 85, 115]);
    expect([call(pulses.props.getLineWidth, incidents[3]!), call(pulses.props.getLineWidth, incidents[0]!)]).toEqual([4, 2]);
    expect(pulses.props.updateTriggers).toEqual({ getRadius: [0.5, 'k7'], getLineColor: [0.5, 'k7'], getLineWidth: 'k7' });
    expect(pins.props.updateTriggers).toEqual({ getRadius: [0.5, 1_748_764_800, null, 'k7'], getLineColor: null, getLineWidth: null });
  });

  it('recomputes the radius each second, with the phase and the selection', () => {
    const [pulses, pins] = buildIncidentLayers({ incidents, now: NOW, phase: 0.25, selectedId: 3, visible: true });
    expect(pins.props.updateTriggers).toEqual({ getRadius: [0.25, 1_748_764_800, 3, ''], getLineColor: 3, getLineWidth: 3 });
    expect(pulses.props.updateTriggers).toEqual({ getRadius: [0.25, undefined], getLineColor: [0.25, undefined], getLineWidth: undefined });
  });
});
