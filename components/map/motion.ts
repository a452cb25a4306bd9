// What moves on the map and when it stops. Pure: the map view asks this each
// render and runs its animation loop only while something pulses, so a wall
// left alone draws nothing.
//
// The desk keeps its behaviour: new incidents (NEW_INCIDENT_MS) and
// unacknowledged alerts pulse as long as they stay so, and every placed alert's
// disc breathes. The wall lets a pulse run WALL_PULSE_MS, then draws the
// incident or alert still with a bold ring (still different from an old one,
// no longer a moving thing in the corner of the eye). Under
// prefers-reduced-motion nothing pulses on either: every ring is still.
import { type Alert, type IncidentView, NEW_INCIDENT_MS } from '@/lib/model';
import { isNewIncident } from '@/lib/live/live-store';
import { isPlacedAlert } from './layers/alert-layer';
import { isDone } from './layers/incident-layer';

export const MAP_VARIANTS = ['desk', 'wall'] as const;
export type MapVariant = (typeof MAP_VARIANTS)[number];

/** On the wall a new incident pulses this long after it was reported, an alert this long after it was raised. */
export const WALL_PULSE_MS = 60_000;
/**
 * The wall's layers see time in steps of this: ages (minutes) and staleness
 * (2 minutes) do not need finer, and a redraw every second for them is what
 * the wall must not pay.
 */
export const WALL_NOW_STEP_MS = 10_000;

/** A ring around a marker: spreading and fading with the phase, or drawn still and bold. */
export type RingMotion = 'pulse' | 'still';

export interface MotionInput {
  incidents: Iterable<IncidentView>;
  alerts: Iterable<Alert>;
  /** Server-corrected epoch ms, to the second (not the wall's quantised layer time). */
  now: number;
  variant: MapVariant;
  reducedMotion: boolean;
}

export interface MotionState {
  /** Incidents with a ring (new and open), by id. */
  incidents: ReadonlyMap<number, RingMotion>;
  /** Alerts with a ring (placed and not acknowledged), by id. */
  alertRings: ReadonlyMap<number, RingMotion>;
  /** Placed alerts whose disc breathes. */
  breathing: ReadonlySet<number>;
  /** Equal keys, equal states: the view compares this, not the maps. */
  key: string;
}

function pulsesFor(startIso: string, now: number, variant: MapVariant, reducedMotion: boolean): RingMotion {
  if (reducedMotion) return 'still';
  if (variant === 'desk') return 'pulse';
  const t = Date.parse(startIso);
  return !Number.isNaN(t) && now - t < WALL_PULSE_MS ? 'pulse' : 'still';
}

export function motionState({ incidents, alerts, now, variant, reducedMotion }: MotionInput): MotionState {
  const incidentRings = new Map<number, RingMotion>();
  for (const i of incidents) {
    if (isDone(i) || !isNewIncident(i, now, NEW_INCIDENT_MS)) continue;
    incidentRings.set(i.id, pulsesFor(i.reportedAt, now, variant, reducedMotion));
  }
  const alertRings = new Map<number, RingMotion>();
  const breathing = new Set<number>();
  for (const a of alerts) {
    if (!isPlacedAlert(a)) continue;
    const ring = a.acknowledgedAt === null ? pulsesFor(a.raisedAt, now, variant, reducedMotion) : null;
    if (ring) alertRings.set(a.id, ring);
    // The desk's discs breathe while placed (acknowledged too); the wall's only while their ring pulses.
    if (variant === 'desk' ? !reducedMotion : ring === 'pulse') breathing.add(a.id);
  }
  const part = (m: ReadonlyMap<number, RingMotion>) => [...m].map(([id, r]) => `${id}${r === 'pulse' ? 'p' : 's'}`).join(',');
  const key = `i:${part(incidentRings)};a:${part(alertRings)};b:${[...breathing].join(',')}`;
  return { incidents: incidentRings, alertRings, breathing, key };
}

/** Whether the pulse loop must run: some ring pulses or some disc breathes (incident rings only while incidents are shown). */
export function isAnimating(m: MotionState, incidentsVisible: boolean): boolean {
  if (m.breathing.size > 0) return true;
  for (const r of m.alertRings.values()) if (r === 'pulse') return true;
  if (incidentsVisible) for (const r of m.incidents.values()) if (r === 'pulse') return true;
  return false;
}

/**
 * When (server epoch ms) the next wall pulse running at `now` stops, or null
 * if none runs: the view sets a timer for it, so a pulse ends on time even
 * though the wall's clock only ticks in steps.
 */
export function nextMotionChange({ incidents, alerts, now, variant, reducedMotion }: MotionInput): number | null {
  if (variant !== 'wall' || reducedMotion) return null;
  let next: number | null = null;
  const consider = (startIso: string) => {
    const end = Date.parse(startIso) + WALL_PULSE_MS;
    if (end > now && (next === null || end < next)) next = end;
  };
  for (const i of incidents) if (!isDone(i) && isNewIncident(i, now, NEW_INCIDENT_MS)) consider(i.reportedAt);
  for (const a of alerts) if (isPlacedAlert(a) && a.acknowledgedAt === null) consider(a.raisedAt);
  return next;
}

/** The time the layers see: the wall's in WALL_NOW_STEP_MS steps, the desk's as given. */
export function layerTime(now: number, variant: MapVariant): number {
  return variant === 'wall' ? Math.floor(now / WALL_NOW_STEP_MS) * WALL_NOW_STEP_MS : now;
}
