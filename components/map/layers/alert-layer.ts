// Alerts needing attention with a position (an SOS above all): a red disc
// with a white rim that breathes, and — until a person acknowledges it — a
// ring that keeps spreading out from it: the incident pulse pattern, red. Where
// the pulse has stopped (components/map/motion.ts) the disc keeps a still, bold
// ring instead. The animation phase and the ring states are arguments, so
// the builder stays pure. No layer toggle hides them: an SOS must never be
// switched off by accident.
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Alert, LonLat } from '@/lib/model';
import type { RingMotion } from '../motion';
import { pulseRingLayer } from './pulse-ring-layer';
import { DrawOrders } from './draw-order';
import { isOpenAlert } from '@/lib/live/live-store';
import { ALERT_COLOR, ALERT_OUTLINE_COLOR, ALERT_RADIUS_PX, SEVERITY_COLORS, type Rgba } from '../palette';

export const ALERTS_LAYER_ID = 'alerts';
export const ALERT_PULSES_LAYER_ID = 'alert-pulses';

/** An alert the map can draw: needing attention (isOpenAlert) and with a position. */
export type PlacedAlert = Alert & { position: LonLat };

export interface AlertLayerInput {
  alerts: Iterable<Alert>;
  /** Animation phase in [0, 1). */
  phase: number;
  selectedId: number | null;
  /** Which alerts wear a ring and whether it pulses; by default every unacknowledged one pulses (the desk). */
  rings?: ReadonlyMap<number, RingMotion>;
  /** Which discs breathe; by default all (the desk). */
  breathing?: ReadonlySet<number>;
  /** Changes whenever `rings` or `breathing` does (MotionState.key). */
  motionKey?: string;
}

export function isPlacedAlert(a: Alert): a is PlacedAlert {
  return a.position !== null && isOpenAlert(a);
}

/** SOS is red whatever its severity says; other kinds take their severity colour. */
export function alertColor(a: Alert): Rgba {
  return a.kind === 'sos' ? ALERT_COLOR : SEVERITY_COLORS[a.severity];
}

/** Pixel radius of the disc: breathes between 1× and 1.3× so it is alive even between ring pulses. */
export function alertRadius(phase: number): number {
  return ALERT_RADIUS_PX * (1 + 0.3 * (0.5 + 0.5 * Math.sin(phase * 2 * Math.PI)));
}

/** A disc that has stopped breathing stays at this many times its base size. */
export const STILL_ALERT_SCALE = 1.15;
/** A still ring: this many times the disc's base radius, this wide in pixels. */
export const STILL_ALERT_RING_SCALE = 2.2;
export const STILL_ALERT_RING_WIDTH_PX = 5;

// Other kinds underneath, SOS on top; within a kind the newest on top (drawn and picked first). The same
// arrays for the same list (draw-order.ts): a batch of unit fixes is no new data for the alerts.
const ALERT_ORDERS = new DrawOrders<Alert, PlacedAlert>((alerts) =>
  [...alerts]
    .filter(isPlacedAlert)
    .sort((a, b) => Number(a.kind === 'sos') - Number(b.kind === 'sos') || a.severity - b.severity || a.raisedAt.localeCompare(b.raisedAt)),
);

function ringRadius(phase: number): number {
  return ALERT_RADIUS_PX * (1.3 + 3.2 * phase);
}

export function buildAlertLayers({
  alerts,
  phase,
  selectedId,
  rings,
  breathing,
  motionKey = '',
}: AlertLayerInput): [ScatterplotLayer<PlacedAlert>, ScatterplotLayer<PlacedAlert>] {
  // Acknowledged ones stay (an SOS until it is cleared) but stop calling for attention.
  const { ordered: placed, ringed } = ALERT_ORDERS.of(alerts, (a) => (rings ? rings.has(a.id) : a.acknowledgedAt === null), rings ?? null);
  const pulses = pulseRingLayer<PlacedAlert>({
    id: ALERT_PULSES_LAYER_ID,
    data: ringed,
    phase,
    maxAlpha: 255,
    lineWidth: 4,
    radius: () => ringRadius(phase),
    color: alertColor,
    still: rings && {
      isStill: (d) => rings.get(d.id) === 'still',
      radius: () => ALERT_RADIUS_PX * STILL_ALERT_RING_SCALE,
      lineWidth: STILL_ALERT_RING_WIDTH_PX,
      key: motionKey,
    },
  });
  const discRadius = (a: PlacedAlert) => (!breathing || breathing.has(a.id) ? alertRadius(phase) : ALERT_RADIUS_PX * STILL_ALERT_SCALE);

  const markers = new ScatterplotLayer<PlacedAlert>({
    id: ALERTS_LAYER_ID,
    data: placed,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 90],
    filled: true,
    stroked: true,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    getPosition: (d) => d.position,
    getRadius: (d) => discRadius(d) + (d.id === selectedId ? 2 : 0),
    getFillColor: alertColor,
    // The rim is already white (the selection colour); a selected alert gets a thicker one.
    getLineColor: ALERT_OUTLINE_COLOR,
    getLineWidth: (d) => (d.id === selectedId ? 5 : 3),
    updateTriggers: { getRadius: [phase, selectedId, motionKey], getLineWidth: selectedId },
  });

  return [pulses, markers];
}
