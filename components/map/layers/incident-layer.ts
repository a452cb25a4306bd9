// Incidents: a pin head coloured and sized by severity; new ones (reported
// within NEW_INCIDENT_MS) swell and send out a ring. The animation phase is an
// argument, so the builder stays pure.
import { ScatterplotLayer } from '@deck.gl/layers';
import { type IncidentView, NEW_INCIDENT_MS } from '@/lib/model';
import { isNewIncident } from '@/lib/live/live-store';
import { pulseRingLayer } from './pulse-ring-layer';
import {
  DONE_INCIDENT_FILL_ALPHA,
  INCIDENT_OUTLINE_COLOR,
  SELECTED_OUTLINE_COLOR,
  SEVERITY_COLORS,
  SEVERITY_RADIUS_PX,
  type Rgba,
} from '../palette';

export const INCIDENTS_LAYER_ID = 'incidents';
export const INCIDENT_PULSES_LAYER_ID = 'incident-pulses';

export interface IncidentLayerInput {
  incidents: Iterable<IncidentView>;
  /** Server-corrected epoch ms: "new" is measured against it. */
  now: number;
  /** Animation phase in [0, 1). */
  phase: number;
  selectedId: number | null;
  visible: boolean;
}

export function isDone(i: IncidentView): boolean {
  return i.status === 'resolved' || i.status === 'closed';
}

/** Pixel radius: by severity; a new incident breathes between 1.25× and 1.6× (never 1×, so it always stands out). */
export function incidentRadius(i: IncidentView, now: number, phase: number): number {
  const base = SEVERITY_RADIUS_PX[i.severity];
  if (!isNewIncident(i, now, NEW_INCIDENT_MS) || isDone(i)) return base;
  return base * (1.25 + 0.35 * (0.5 + 0.5 * Math.sin(phase * 2 * Math.PI)));
}

export function incidentFillColor(i: IncidentView): Rgba {
  const [r, g, b] = SEVERITY_COLORS[i.severity];
  return isDone(i) ? [r, g, b, DONE_INCIDENT_FILL_ALPHA] : [r, g, b, 255];
}

function pulseRadius(i: IncidentView, phase: number): number {
  return SEVERITY_RADIUS_PX[i.severity] * (1.6 + 2.6 * phase);
}

export function buildIncidentLayers({
  incidents,
  now,
  phase,
  selectedId,
  visible,
}: IncidentLayerInput): [ScatterplotLayer<IncidentView>, ScatterplotLayer<IncidentView>] {
  // Quiet ones underneath, the most severe open ones on top (drawn and picked first).
  const ordered = [...incidents].sort(
    (a, b) => Number(isDone(b)) - Number(isDone(a)) || a.severity - b.severity || a.reportedAt.localeCompare(b.reportedAt),
  );
  const fresh = ordered.filter((i) => !isDone(i) && isNewIncident(i, now, NEW_INCIDENT_MS));
  const nowKey = Math.floor(now / 1000);
  const pulses = pulseRingLayer<IncidentView>({
    id: INCIDENT_PULSES_LAYER_ID,
    data: fresh,
    visible,
    phase,
    maxAlpha: 230,
    lineWidth: 2,
    radius: (d) => pulseRadius(d, phase),
    color: (d) => SEVERITY_COLORS[d.severity],
  });

  const pins = new ScatterplotLayer<IncidentView>({
    id: INCIDENTS_LAYER_ID,
    data: ordered,
    visible,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 90],
    filled: true,
    stroked: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => d.position,
    getRadius: (d) => incidentRadius(d, now, phase) + (d.id === selectedId ? 2 : 0),
    getFillColor: incidentFillColor,
    getLineColor: (d) => (d.id === selectedId ? SELECTED_OUTLINE_COLOR : isDone(d) ? SEVERITY_COLORS[d.severity] : INCIDENT_OUTLINE_COLOR),
    getLineWidth: (d) => (d.id === selectedId ? 3 : 2),
    updateTriggers: {
      getRadius: [phase, nowKey, selectedId],
      getLineColor: selectedId,
      getLineWidth: selectedId,
    },
  });

  return [pulses, pins];
}
