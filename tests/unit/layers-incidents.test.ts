import { describe, expect, it } from 'vitest';
import {
  INCIDENT_PULSES_LAYER_ID,
  INCIDENTS_LAYER_ID,
  buildIncidentLayers,
  incidentRadius,
} from '@/components/map/layers/incident-layer';
import { SEVERITY_COLORS, SEVERITY_RADIUS_PX } from '@/components/map/palette';
import { type Incident, NEW_INCIDENT_MS } from '@/lib/model';
import { incident } from '../helpers/factories';

const NOW = Date.parse('2025-06-01T08:00:00Z');

function call<R>(fn: unknown, d: Incident): R {
  return (fn as (d: Incident, ctx: unknown) => R)(d, { index: 0, data: [], target: [] });
}

describe('buildIncidentLayers', () => {
  const old = incident(1);
  const fresh = incident(2, { reportedAt: new Date(NOW - 60_000).toISOString() });
  const critical = incident(3, { severity: 4 });
  const closed = incident(4, { status: 'closed', reportedAt: new Date(NOW - 30_000).toISOString() });

  it('uses stable ids and keeps every incident', () => {
    const [pulses, pins] = buildIncidentLayers({ incidents: [old, fresh, critical, closed], now: NOW, phase: 0.3, selectedId: null, visible: true });
    expect(pins.id).toBe(INCIDENTS_LAYER_ID);
    expect(pulses.id).toBe(INCIDENT_PULSES_LAYER_ID);
    expect(pins.props.data).toHaveLength(4);
    expect(pins.props.pickable).toBe(true);
    expect(pulses.props.pickable).toBe(false);
  });

  it('gives a new incident a different radius from an old one of the same severity, at every phase', () => {
    for (const phase of [0, 0.25, 0.5, 0.75, 0.99]) {
      const [, pins] = buildIncidentLayers({ incidents: [old, fresh], now: NOW, phase, selectedId: null, visible: true });
      const rOld = call<number>(pins.props.getRadius, old);
      const rNew = call<number>(pins.props.getRadius, fresh);
      expect(rOld).toBe(SEVERITY_RADIUS_PX[2]);
      expect(rNew).toBeGreaterThan(rOld);
    }
  });

  it('animates the new incident with the phase (pure: same phase, same radius)', () => {
    expect(incidentRadius(fresh, NOW, 0.25)).not.toBe(incidentRadius(fresh, NOW, 0.75));
    expect(incidentRadius(fresh, NOW, 0.25)).toBe(incidentRadius(fresh, NOW, 0.25));
    // Past NEW_INCIDENT_MS it stops.
    expect(incidentRadius(fresh, NOW + NEW_INCIDENT_MS, 0.25)).toBe(SEVERITY_RADIUS_PX[2]);
  });

  it('sizes and colours by severity', () => {
    const [, pins] = buildIncidentLayers({ incidents: [old, critical], now: NOW, phase: 0, selectedId: null, visible: true });
    expect(call<number>(pins.props.getRadius, critical)).toBeGreaterThan(call<number>(pins.props.getRadius, old));
    expect(call(pins.props.getFillColor, critical)).toEqual(SEVERITY_COLORS[4]);
  });

  it('pulses only open incidents that are new, and draws the most severe on top', () => {
    const [pulses, pins] = buildIncidentLayers({ incidents: [critical, fresh, old, closed], now: NOW, phase: 0, selectedId: null, visible: true });
    expect((pulses.props.data as Incident[]).map((i) => i.id)).toEqual([2]);
    const order = (pins.props.data as Incident[]).map((i) => i.id);
    expect(order[0]).toBe(4); // closed first (underneath)
    expect(order.at(-1)).toBe(3); // critical last (on top)
  });

  it('draws closed incidents hollow', () => {
    const [, pins] = buildIncidentLayers({ incidents: [closed], now: NOW, phase: 0, selectedId: null, visible: true });
    const fill = call<number[]>(pins.props.getFillColor, closed);
    expect(fill[3]).toBeLessThan(255);
    expect(call<number>(pins.props.getRadius, closed)).toBe(SEVERITY_RADIUS_PX[2]);
  });
});
