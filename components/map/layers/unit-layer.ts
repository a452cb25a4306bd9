// Patrol units: a dot coloured by force type, a wedge for the heading when
// moving, grey when the newest fix is older than STALE_AFTER_MS; a team
// committed to an incident wears a thick ring in its status colour. Where the
// caller says which teams are offline (the wall), those are a hollow grey ring.
import { IconLayer, ScatterplotLayer, type IconLayerProps, type ScatterplotLayerProps } from '@deck.gl/layers';
import { UNIT_OFFLINE_AFTER_MS, UNIT_STATUSES, type Alert, type UnitState, type LonLat } from '@/lib/model';
import { isUnitStale } from '@/lib/live/live-store';
import { fixTimeMs } from '@/lib/live/fix-time';
import { HEADING_ICON } from '../icons';
import type { UnitDotData } from './unit-dots';
import {
  BUSY_UNIT_RING_COLORS,
  FORCE_COLORS,
  OFFLINE_UNIT_LINE_COLOR,
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
  /** Teams to draw as offline (offlineTeams); none when not given (the desk). */
  offline?: ReadonlySet<number>;
  /**
   * The wall: when given, a new array of the same dots (sameUnitDots) is not
   * new data to deck.gl — only the positions are read again, whenever this
   * value changes (pass the units array itself) — instead of every colour and
   * width of 2,000 units at every batch of fixes. What else the dots show has
   * its own trigger (time, selection, statuses, offline teams).
   */
  positionsKey?: unknown;
  /**
   * The wall: the dots as binary attributes kept from batch to batch
   * (UnitDotBuffers, unit-dots.ts), drawn in their order. When given, the dots
   * read nothing through accessors, the headings take the dots' units, and of
   * `units`, `offline` and `positionsKey` only `offline` is read (which units
   * carry a heading).
   */
  dots?: UnitDotData;
}

export function hasPosition(u: UnitState): u is PositionedUnit {
  return u.position !== null;
}

/** An open (not cleared) offline alert for the team: the server's configured threshold has passed. */
export function offlineAlertTeams(alerts: Iterable<Alert>): Set<number> {
  const out = new Set<number>();
  for (const a of alerts) if (a.kind === 'offline' && a.clearedAt === null && a.teamId !== null) out.add(a.teamId);
  return out;
}

/**
 * Offline: the server says so (an open offline alert), or no fix for
 * UNIT_OFFLINE_AFTER_MS (servers with the rule off, or before its next run).
 */
export function isUnitOffline(u: UnitState, now: number, alerted: ReadonlySet<number>): boolean {
  if (alerted.has(u.teamId)) return true;
  const t = fixTimeMs(u);
  return Number.isNaN(t) || now - t >= UNIT_OFFLINE_AFTER_MS;
}

/** The teams among `units` to draw offline at `now`. */
export function offlineTeams(units: Iterable<UnitState>, alerts: Iterable<Alert>, now: number): Set<number> {
  const alerted = offlineAlertTeams(alerts);
  const out = new Set<number>();
  for (const u of units) if (isUnitOffline(u, now, alerted)) out.add(u.teamId);
  return out;
}

/** An offline unit: no fill, only its grey ring. */
const NO_FILL: Rgba = [0, 0, 0, 0];
export const OFFLINE_UNIT_LINE_WIDTH_PX = 3;

export function unitColor(u: UnitState, now: number): Rgba {
  return isUnitStale(u, now) ? STALE_UNIT_COLOR : FORCE_COLORS[u.forceType];
}

// A unit's dot, as both the accessor-drawn dots (the desk) and the wall's binary rows (unit-dots.ts) draw it.
/** Fill: none when offline (only its grey ring), else by force type or stale grey. */
export function dotFill(u: UnitState, now: number, offline: boolean): Rgba {
  return offline ? NO_FILL : unitColor(u, now);
}
/** Ring colour: grey when offline and not selected. */
export function dotLine(u: UnitState, now: number, offline: boolean, selectedTeamId: number | null): Rgba {
  return offline && u.teamId !== selectedTeamId ? OFFLINE_UNIT_LINE_COLOR : unitLineColor(u, now, selectedTeamId);
}
/** Ring width: at least the offline ring's when offline. */
export function dotLineWidth(u: UnitState, offline: boolean, selectedTeamId: number | null): number {
  return offline ? Math.max(OFFLINE_UNIT_LINE_WIDTH_PX, unitLineWidth(u, selectedTeamId)) : unitLineWidth(u, selectedTeamId);
}
/** Radius: larger when selected. */
export function dotRadius(u: UnitState, selectedTeamId: number | null): number {
  return u.teamId === selectedTeamId ? UNIT_RADIUS_PX + 2.5 : UNIT_RADIUS_PX;
}
/** Draw order: offline, then stale units first, so fresh ones are drawn (and picked) on top. */
export function unitRank(u: UnitState, now: number, offline: boolean): number {
  return (offline ? 0 : 2) + (isUnitStale(u, now) ? 0 : 1);
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

/**
 * Whether two lists of dots in draw order differ only in what the dots'
 * triggers cover: the same teams in the same order, each of the same force and
 * on the same side of the staleness line at `now` (a unit whose fix time did
 * not change is not looked at again).
 */
export function sameUnitDots(next: readonly UnitState[], prev: readonly UnitState[] | undefined, now: number): boolean {
  if (prev === undefined || next.length !== prev.length) return false;
  for (let i = 0; i < next.length; i++) {
    const a = next[i]!;
    const b = prev[i]!;
    if (a === b) continue;
    if (a.teamId !== b.teamId || a.forceType !== b.forceType) return false;
    if (a.fixTime !== b.fixTime && isUnitStale(a, now) !== isUnitStale(b, now)) return false;
  }
  return true;
}

export function buildUnitLayers({
  units,
  now,
  selectedTeamId,
  visible,
  offline,
  positionsKey,
  dots,
}: UnitLayerInput): [IconLayer<PositionedUnit>, ScatterplotLayer<PositionedUnit>] {
  const isOffline = (u: UnitState) => offline?.has(u.teamId) ?? false;
  const positioned = dots ? dots.units : rankedUnits(units, now, isOffline);
  const moving = positioned.filter((u) => showsHeading(u, now) && !isOffline(u));
  const headings = headingLayer(moving, visible, positionsKey);
  if (dots) return [headings, binaryDots(dots, visible)];
  const offlineKey = offline ? [...offline].join(',') : '';
  // Colours only change when a unit crosses the staleness line or moves; a second is fine-grained enough.
  const nowKey = Math.floor(now / 1000);
  // Statuses change without a move (a dispatch, an arrival): the rings recompute when any does.
  // One character per status (UNIT_STATUSES' index): on_scene and off_duty share a first letter.
  const statusKey = positioned.map((u) => UNIT_STATUSES.indexOf(u.status)).join('');

  const dotsLayer = new ScatterplotLayer<PositionedUnit>({
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
    getRadius: (d) => dotRadius(d, selectedTeamId),
    getFillColor: (d) => dotFill(d, now, isOffline(d)),
    getLineColor: (d) => dotLine(d, now, isOffline(d), selectedTeamId),
    getLineWidth: (d) => dotLineWidth(d, isOffline(d), selectedTeamId),
    updateTriggers: {
      // The offline set joins the triggers only where it is given (the wall): the desk's stay as they were.
      getFillColor: offline ? [nowKey, offlineKey] : nowKey,
      getLineColor: offline ? [nowKey, selectedTeamId, statusKey, offlineKey] : [nowKey, selectedTeamId, statusKey],
      getLineWidth: offline ? [selectedTeamId, statusKey, offlineKey] : [selectedTeamId, statusKey],
      getRadius: selectedTeamId,
      ...(positionsKey === undefined ? {} : { getPosition: positionsKey }),
    },
    ...(positionsKey === undefined
      ? {}
      : {
          // deck.gl types the comparator as generic over any data; this layer's are its own arrays.
          dataComparator: ((a: readonly UnitState[], b?: readonly UnitState[]) => sameUnitDots(a, b, now)) as unknown as NonNullable<
            ScatterplotLayerProps<PositionedUnit>['dataComparator']
          >,
        }),
  });

  return [headings, dotsLayer];
}

/** Offline, then stale units first so fresh ones are drawn (and picked) on top, by team id within each. */
function rankedUnits(units: Iterable<UnitState>, now: number, isOffline: (u: UnitState) => boolean): PositionedUnit[] {
  // Each unit's rank is worked out once, not in every comparison (a fix time parsed ~20 times per unit at 2,000 units).
  const ranked: { u: PositionedUnit; rank: number }[] = [];
  for (const u of units) if (hasPosition(u)) ranked.push({ u, rank: unitRank(u, now, isOffline(u)) });
  ranked.sort((a, b) => a.rank - b.rank || a.u.teamId - b.u.teamId);
  return ranked.map((r) => r.u);
}

/**
 * Whether two lists of wedges differ only in where they stand and point: the
 * same teams, in the same order, each of the same force (a wedge is drawn only
 * for a fresh unit, in its force's colour).
 */
export function sameHeadings(next: readonly UnitState[], prev: readonly UnitState[] | undefined): boolean {
  if (prev === undefined || next.length !== prev.length) return false;
  for (let i = 0; i < next.length; i++) {
    const a = next[i]!;
    const b = prev[i]!;
    if (a !== b && (a.teamId !== b.teamId || a.forceType !== b.forceType)) return false;
  }
  return true;
}

/**
 * The wedges of the units moving (not stale, not offline), in their force's
 * colour. With `positionsKey` (the wall) a new list of the same wedges
 * (sameHeadings) is not new data: only the positions and angles are read
 * again, whenever the key changes, not the icons, sizes and colours of every
 * moving unit at every batch of fixes.
 */
function headingLayer(moving: PositionedUnit[], visible: boolean, positionsKey: unknown): IconLayer<PositionedUnit> {
  return new IconLayer<PositionedUnit>({
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
    getColor: (d) => FORCE_COLORS[d.forceType],
    ...(positionsKey === undefined
      ? {}
      : {
          updateTriggers: { getPosition: positionsKey, getAngle: positionsKey },
          // deck.gl types the comparator as generic over any data; this layer's are its own arrays.
          dataComparator: sameHeadings as unknown as NonNullable<IconLayerProps<PositionedUnit>['dataComparator']>,
        }),
  });
}

/** The wall's dots from their binary attributes: nothing read per unit here (the wall picks nothing). */
function binaryDots(dots: UnitDotData, visible: boolean): ScatterplotLayer<PositionedUnit> {
  return new ScatterplotLayer<PositionedUnit>({
    id: UNITS_LAYER_ID,
    data: dots as unknown as PositionedUnit[],
    visible,
    pickable: false,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    stroked: true,
    filled: true,
  });
}
