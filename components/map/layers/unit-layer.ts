// Patrol units: a dot coloured by force type, a wedge for the heading when
// moving, grey when the newest fix is older than STALE_AFTER_MS; a team
// committed to an incident wears a thick ring in its status colour.
import { IconLayer, ScatterplotLayer } from '@deck.gl/layers';
import { UNIT_STATUSES, type UnitState, type LonLat } from '@/lib/model';
import { isUnitStale } from '@/lib/live/live-store';
import { HEADING_ICON } from '../icons';
import {
  BUSY_UNIT_RING_COLORS,
  FORCE_COLORS,
  SELECTED_OUTLINE_COLOR,
  STALE_UNIT_COLOR,
  STALE_UNIT_OUTLINE_COLOR,
  UNIT_OUTLINE_COLOR,
  UNIT_RADIUS_PX,
  type Rgba,
} from '../palette';

export const UNITS_LAYER_ID = 'units';
export const UNIT_HEADINGS_LAYER_ID = 'unit-headings';
/** Slower than this (m/s) a heading means nothing: no wedge. */
export const MOVING_SPEED_MS = 0.5;

export type PositionedUnit = UnitState & { position: LonLat };

export interface UnitLayerInput {
  units: Iterable<UnitState>;
  /** Server-corrected epoch ms; staleness is measured against it. */
  now: number;
  selectedTeamId: number | null;
  visible: boolean;
}

export function hasPosition(u: UnitState): u is PositionedUnit {
  return u.position !== null;
}

export function unitColor(u: UnitState, now: number): Rgba {
  return isUnitStale(u, now) ? STALE_UNIT_COLOR : FORCE_COLORS[u.forceType];
}

export function showsHeading(u: UnitState, now: number): boolean {
  return u.heading !== null && (u.speed === null || u.speed >= MOVING_SPEED_MS) && !isUnitStale(u, now);
}

/** The ring colour of a team committed to an incident (dispatched, en route, on scene); null otherwise. */
export function busyRingColor(u: UnitState): Rgba | null {
  return u.status === 'dispatched' || u.status === 'en_route' || u.status === 'on_scene' ? BUSY_UNIT_RING_COLORS[u.status] : null;
}

export function unitLineColor(u: UnitState, now: number, selectedTeamId: number | null): Rgba {
  if (u.teamId === selectedTeamId) return SELECTED_OUTLINE_COLOR;
  return busyRingColor(u) ?? (isUnitStale(u, now) ? STALE_UNIT_OUTLINE_COLOR : UNIT_OUTLINE_COLOR);
}

export function unitLineWidth(u: UnitState, selectedTeamId: number | null): number {
  if (u.teamId === selectedTeamId) return 2.5;
  return busyRingColor(u) ? 3 : 1.5;
}

export function buildUnitLayers({
  units,
  now,
  selectedTeamId,
  visible,
}: UnitLayerInput): [IconLayer<PositionedUnit>, ScatterplotLayer<PositionedUnit>] {
  const positioned: PositionedUnit[] = [];
  for (const u of units) if (hasPosition(u)) positioned.push(u);
  // Stale units first so fresh ones are drawn (and picked) on top.
  positioned.sort((a, b) => Number(isUnitStale(b, now)) - Number(isUnitStale(a, now)) || a.teamId - b.teamId);
  const moving = positioned.filter((u) => showsHeading(u, now));
  // Colours only change when a unit crosses the staleness line or moves; a second is fine-grained enough.
  const nowKey = Math.floor(now / 1000);
  // Statuses change without a move (a dispatch, an arrival): the rings recompute when any does.
  // One character per status (UNIT_STATUSES' index): on_scene and off_duty share a first letter.
  const statusKey = positioned.map((u) => UNIT_STATUSES.indexOf(u.status)).join('');

  const headings = new IconLayer<PositionedUnit>({
    id: UNIT_HEADINGS_LAYER_ID,
    data: moving,
    visible,
    pickable: false,
    getPosition: (d) => d.position,
    getIcon: () => HEADING_ICON,
    // deck.gl rotates counter-clockwise; a heading is clockwise from north.
    getAngle: (d) => -(d.heading ?? 0),
    getSize: UNIT_RADIUS_PX * 5,
    sizeUnits: 'pixels',
    getColor: (d) => unitColor(d, now),
    updateTriggers: { getColor: nowKey },
  });

  const dots = new ScatterplotLayer<PositionedUnit>({
    id: UNITS_LAYER_ID,
    data: positioned,
    visible,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 90],
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    stroked: true,
    filled: true,
    getPosition: (d) => d.position,
    getRadius: (d) => (d.teamId === selectedTeamId ? UNIT_RADIUS_PX + 2.5 : UNIT_RADIUS_PX),
    getFillColor: (d) => unitColor(d, now),
    getLineColor: (d) => unitLineColor(d, now, selectedTeamId),
    getLineWidth: (d) => unitLineWidth(d, selectedTeamId),
    updateTriggers: {
      getFillColor: nowKey,
      getLineColor: [nowKey, selectedTeamId, statusKey],
      getLineWidth: [selectedTeamId, statusKey],
      getRadius: selectedTeamId,
    },
  });

  return [headings, dots];
}
