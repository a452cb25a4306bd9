// Patrol units: a dot coloured by force type, a wedge for the heading when
// moving, grey when the newest fix is older than STALE_AFTER_MS.
import { IconLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { UnitState, LonLat } from '@/lib/model';
import { isUnitStale } from '@/lib/live/live-store';
import { HEADING_ICON } from '../icons';
import {
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
    getLineColor: (d) =>
      d.teamId === selectedTeamId ? SELECTED_OUTLINE_COLOR : isUnitStale(d, now) ? STALE_UNIT_OUTLINE_COLOR : UNIT_OUTLINE_COLOR,
    getLineWidth: (d) => (d.teamId === selectedTeamId ? 2.5 : 1.5),
    updateTriggers: {
      getFillColor: nowKey,
      getLineColor: [nowKey, selectedTeamId],
      getLineWidth: selectedTeamId,
      getRadius: selectedTeamId,
    },
  });

  return [headings, dots];
}
