// Incidents: a pin head coloured and sized by severity; new ones (reported
// within NEW_INCIDENT_MS) swell and send out a ring — or, once their pulse has
// stopped (components/map/motion.ts), stay swollen inside a still, bold ring.
// The animation phase and the ring states are arguments, so the builder stays pure.
import { ScatterplotLayer } from '@deck.gl/layers';
import { type IncidentView, NEW_INCIDENT_MS } from '@/lib/model';
import { isNewIncident } from '@/lib/live/live-store';
import type { RingMotion } from '../motion';
import { pulseRingLayer } from './pulse-ring-layer';
import { DrawOrders } from './draw-order';
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
  /** Which incidents wear a ring and whether it pulses; by default every new open one pulses (the desk). */
  rings?: ReadonlyMap<number, RingMotion>;
  /** Changes whenever `rings` does (MotionState.key). */
  ringsKey?: string;
}

export function isDone(i: IncidentView): boolean {
  return i.status === 'resolved' || i.status === 'closed';
}

/** The desk's rings: every new open incident pulses. */
export function deskIncidentRing(i: IncidentView, now: number): RingMotion | undefined {
  return !isDone(i) && isNewIncident(i, now, NEW_INCIDENT_MS) ? 'pulse' : undefined;
}

/** A new incident whose ring has stopped is drawn this much bigger than its severity's size, unmoving. */
export const STILL_INCIDENT_SCALE = 1.4;
/** The still ring: this many times the severity's radius, this wide in pixels. */
export const STILL_INCIDENT_RING_SCALE = 2.4;
export const STILL_INCIDENT_RING_WIDTH_PX = 4;

/**
 * Pixel radius: by severity; a pulsing incident breathes between 1.25× and 1.6× (never 1×, so it always
 * stands out), a still one stays at STILL_INCIDENT_SCALE.
 */
export function incidentRadius(i: IncidentView, now: number, phase: number, ring: RingMotion | undefined = deskIncidentRing(i, now)): number {
  const base = SEVERITY_RADIUS_PX[i.severity];
  if (ring === undefined) return base;
  if (ring === 'still') return base * STILL_INCIDENT_SCALE;
  return base * (1.25 + 0.35 * (0.5 + 0.5 * Math.sin(phase * 2 * Math.PI)));
}

export function incidentFillColor(i: IncidentView): Rgba {
  const [r, g, b] = SEVERITY_COLORS[i.severity];
  return isDone(i) ? [r, g, b, DONE_INCIDENT_FILL_ALPHA] : [r, g, b, 255];
}

function pulseRadius(i: IncidentView, phase: number): number {
  return SEVERITY_RADIUS_PX[i.severity] * (1.6 + 2.6 * phase);
}

// Quiet ones underneath, the most severe open ones on top (drawn and picked first).
const INCIDENT_ORDERS = new DrawOrders<IncidentView>((incidents) =>
  [...incidents].sort((a, b) => Number(isDone(b)) - Number(isDone(a)) || a.severity - b.severity || a.reportedAt.localeCompare(b.reportedAt)),
);

/**
 * The incidents in draw order, and those wearing a ring (`by` says what the
 * rings depend on: the rings' map, or the time when there is none). The same
 * arrays come back for the same list and the same `by` (draw-order.ts).
 */
export function orderedIncidents(
  incidents: Iterable<IncidentView>,
  ringOf: (i: IncidentView) => RingMotion | undefined,
  by: unknown,
): { ordered: IncidentView[]; ringed: IncidentView[] } {
  return INCIDENT_ORDERS.of(incidents, (i) => ringOf(i) !== undefined, by);
}

export function buildIncidentLayers({
  incidents,
  now,
  phase,
  selectedId,
  visible,
  rings,
  ringsKey = '',
}: IncidentLayerInput): [ScatterplotLayer<IncidentView>, ScatterplotLayer<IncidentView>] {
  const ringOf = (i: IncidentView): RingMotion | undefined => (rings ? rings.get(i.id) : deskIncidentRing(i, now));
  const { ordered, ringed: fresh } = orderedIncidents(incidents, ringOf, rings ?? now);
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
    still: rings && {
      isStill: (d) => rings.get(d.id) === 'still',
      radius: (d) => SEVERITY_RADIUS_PX[d.severity] * STILL_INCIDENT_RING_SCALE,
      lineWidth: STILL_INCIDENT_RING_WIDTH_PX,
      key: ringsKey,
    },
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
    getRadius: (d) => incidentRadius(d, now, phase, ringOf(d)) + (d.id === selectedId ? 2 : 0),
    getFillColor: incidentFillColor,
    getLineColor: (d) => (d.id === selectedId ? SELECTED_OUTLINE_COLOR : isDone(d) ? SEVERITY_COLORS[d.severity] : INCIDENT_OUTLINE_COLOR),
    getLineWidth: (d) => (d.id === selectedId ? 3 : 2),
    updateTriggers: {
      getRadius: [phase, nowKey, selectedId, ringsKey],
      getLineColor: selectedId,
      getLineWidth: selectedId,
    },
  });

  return [pulses, pins];
}
