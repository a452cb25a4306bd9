import { describe, expect, it } from 'vitest';
import { ALERT_PULSES_LAYER_ID, ALERTS_LAYER_ID, alertRadius, buildAlertLayers, type PlacedAlert } from '@/components/map/layers/alert-layer';
import { ALERT_COLOR, ALERT_RADIUS_PX, SEVERITY_COLORS } from '@/components/map/palette';
import { selectionFromPick } from '@/components/map/selection';
import type { Alert } from '@/lib/model';
import { alert } from '../helpers/factories';

const NOW = Date.parse('2025-06-01T08:00:00Z');

function call<R>(fn: unknown, d: Alert): R {
  return (fn as (d: Alert, ctx: unknown) => R)(d, { index: 0, data: [], target: [] });
}

describe('buildAlertLayers', () => {
  const sos = alert(1);
  const olderSos = alert(2);
  const stale = alert(3, { kind: 'stale', severity: 2 });
  const noPosition = alert(4, { position: null });
  const acknowledged = alert(5, { acknowledgedAt: new Date(NOW).toISOString() });
  const done = alert(6, { acknowledgedAt: new Date(NOW).toISOString(), clearedAt: new Date(NOW).toISOString() });

  it('uses stable ids; the marker is pickable, the ring is not', () => {
    const [pulses, markers] = buildAlertLayers({ alerts: [sos], phase: 0.3, selectedId: null });
    expect(markers.id).toBe(ALERTS_LAYER_ID);
    expect(markers.id).toBe('alerts');
    expect(pulses.id).toBe(ALERT_PULSES_LAYER_ID);
    expect(markers.props.pickable).toBe(true);
    expect(pulses.props.pickable).toBe(false);
    // Filled, so a pick at the exact position hits it (a hollow ring would only be pickable on its rim).
    expect(markers.props.filled).toBe(true);
  });

  it('draws alerts needing attention with a position, SOS on top and the newest SOS last; only unacknowledged ones pulse', () => {
    const [pulses, markers] = buildAlertLayers({
      alerts: [sos, stale, noPosition, acknowledged, olderSos, done],
      phase: 0,
      selectedId: null,
    });
    const ids = (markers.props.data as PlacedAlert[]).map((a) => a.id);
    // The acknowledged SOS (5) stays until it is cleared; the acknowledged and cleared one (6) is gone.
    expect(ids).toEqual([3, 5, 2, 1]);
    expect((pulses.props.data as PlacedAlert[]).map((a) => a.id)).toEqual([3, 2, 1]);
    expect(call<number[]>(markers.props.getPosition, sos)).toEqual([100.1, 31.2]);
  });

  it('colours an SOS red, other kinds by severity', () => {
    const [, markers] = buildAlertLayers({ alerts: [sos, stale], phase: 0, selectedId: null });
    expect(call(markers.props.getFillColor, sos)).toEqual(ALERT_COLOR);
    expect(call(markers.props.getFillColor, stale)).toEqual(SEVERITY_COLORS[2]);
  });

  it('pulses with the phase (pure) and never shrinks below its base size', () => {
    expect(alertRadius(0.25)).not.toBe(alertRadius(0.75));
    expect(alertRadius(0.25)).toBe(alertRadius(0.25));
    for (const phase of [0, 0.25, 0.5, 0.75, 0.99]) expect(alertRadius(phase)).toBeGreaterThanOrEqual(ALERT_RADIUS_PX);
    const ring = (phase: number) => call<number>(buildAlertLayers({ alerts: [sos], phase, selectedId: null })[0].props.getRadius, sos);
    expect(ring(0.8)).toBeGreaterThan(ring(0.1));
    const alpha = (phase: number) =>
      call<number[]>(buildAlertLayers({ alerts: [sos], phase, selectedId: null })[0].props.getLineColor, sos)[3]!;
    expect(alpha(0.8)).toBeLessThan(alpha(0.1));
  });

  it('marks the selected alert and maps a pick to an alert selection', () => {
    const [, markers] = buildAlertLayers({ alerts: [sos, olderSos], phase: 0, selectedId: 1 });
    expect(call<number>(markers.props.getRadius, sos)).toBeGreaterThan(call<number>(markers.props.getRadius, olderSos));
    expect(selectionFromPick(ALERTS_LAYER_ID, sos)).toEqual({ kind: 'alert', id: 1 });
  });
});
