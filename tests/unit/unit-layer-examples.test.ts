// The unit layers pinned by example: which units are drawn and in what order,
// colours and outlines per state, the heading wedge's threshold and the
// update triggers (deck.gl recomputes an accessor only when its trigger changes).
// Colours are written out as RGBA literals.
import { describe, expect, it } from 'vitest';
import {
  MOVING_SPEED_MS,
  UNIT_HEADINGS_LAYER_ID,
  UNITS_LAYER_ID,
  buildUnitLayers,
  busyRingColor,
  hasPosition,
  showsHeading,
  unitColor,
  unitLineColor,
  unitLineWidth,
  type PositionedUnit,
} from '@/components/map/layers/unit-layer';
import { HEADING_ICON } from '@/components/map/icons';
import type { UnitState } from '@/lib/model';
import { unit } from '../helpers/factories';

// 2025-06-01T08:00:00.750Z; a unit is stale 2 minutes after its newest fix.
const NOW = 1_748_764_800_750;
const FRESH_FIX = '2025-06-01T07:59:50.000Z';
const STALE_FIX = '2025-06-01T07:57:00.000Z';

const ARMBAND = [255, 128, 64, 255];
const EMERGENCY = [239, 68, 68, 255];
const STALE_GREY = [128, 136, 150, 150];
const OUTLINE = [8, 12, 18, 230];
const STALE_OUTLINE = [8, 12, 18, 120];
const SELECTED_OUTLINE = [255, 255, 255, 255];

type Accessor<R> = (d: PositionedUnit, ctx: { index: number; data: unknown; target: number[] }) => R;
const call = <R>(fn: unknown, d: UnitState): R => (fn as Accessor<R>)(d as PositionedUnit, { index: 0, data: [], target: [] });
const ids = (data: unknown) => (data as PositionedUnit[]).map((u) => u.teamId);

const fresh = (teamId: number, over: Partial<UnitState> = {}) => unit(teamId, { fixTime: FRESH_FIX, ...over });
const stale = (teamId: number, over: Partial<UnitState> = {}) => unit(teamId, { fixTime: STALE_FIX, ...over });

describe('unit layers: ids and fixed props', () => {
  const [headings, dots] = buildUnitLayers({ units: [fresh(1)], now: NOW, selectedTeamId: null, visible: true });

  it('are called "unit-headings" and "units", headings first (drawn under the dots)', () => {
    expect(UNIT_HEADINGS_LAYER_ID).toBe('unit-headings');
    expect(UNITS_LAYER_ID).toBe('units');
    expect([headings.id, dots.id]).toEqual(['unit-headings', 'units']);
  });

  it('draws the wedge five dot radii wide, in pixels, not pickable', () => {
    expect(headings.props.getSize).toBe(32.5);
    expect(headings.props.sizeUnits).toBe('pixels');
    expect(headings.props.pickable).toBe(false);
    expect(call(headings.props.getIcon, fresh(1))).toEqual(HEADING_ICON);
  });

  it('draws pickable dots in pixels, filled and outlined, highlighted white on hover', () => {
    expect(dots.props.pickable).toBe(true);
    expect(dots.props.autoHighlight).toBe(true);
    expect(dots.props.highlightColor).toEqual([255, 255, 255, 90]);
    expect(dots.props.radiusUnits).toBe('pixels');
    expect(dots.props.lineWidthUnits).toBe('pixels');
    expect(dots.props.stroked).toBe(true);
    expect(dots.props.filled).toBe(true);
  });

  it('places both at the unit position', () => {
    const u = fresh(1, { position: [100.25, 31.5] });
    expect(call(dots.props.getPosition, u)).toEqual([100.25, 31.5]);
    expect(call(headings.props.getPosition, u)).toEqual([100.25, 31.5]);
  });

  it('passes visible through, both ways', () => {
    expect([headings.props.visible, dots.props.visible]).toEqual([true, true]);
    const [h, d] = buildUnitLayers({ units: [fresh(1)], now: NOW, selectedTeamId: null, visible: false });
    expect([h.props.visible, d.props.visible]).toEqual([false, false]);
  });
});

describe('unit layers: which units, in which order', () => {
  it('leaves out units without a position', () => {
    expect(hasPosition(fresh(1))).toBe(true);
    expect(hasPosition(fresh(2, { position: null }))).toBe(false);
    const [, dots] = buildUnitLayers({ units: [fresh(1), fresh(2, { position: null })], now: NOW, selectedTeamId: null, visible: true });
    expect(ids(dots.props.data)).toEqual([1]);
  });

  it('draws stale units first (under), then fresh ones, each by team id', () => {
    const units = [fresh(5), stale(9), fresh(1), stale(2), fresh(3), unit(7, { fixTime: null })];
    const [, dots] = buildUnitLayers({ units, now: NOW, selectedTeamId: null, visible: true });
    expect(ids(dots.props.data)).toEqual([2, 7, 9, 1, 3, 5]);
  });

  it('takes any iterable of units', () => {
    const byTeam = new Map([[4, fresh(4)], [2, fresh(2)]]);
    const [, dots] = buildUnitLayers({ units: byTeam.values(), now: NOW, selectedTeamId: null, visible: true });
    expect(ids(dots.props.data)).toEqual([2, 4]);
  });
});

describe('unit layers: the heading wedge', () => {
  it('shows for a fresh unit with a heading moving at 0.5 m/s or more, or of unknown speed', () => {
    expect(MOVING_SPEED_MS).toBe(0.5);
    expect(showsHeading(fresh(1, { speed: 0.5, heading: 10 }), NOW)).toBe(true);
    expect(showsHeading(fresh(1, { speed: 12, heading: 10 }), NOW)).toBe(true);
    expect(showsHeading(fresh(1, { speed: null, heading: 10 }), NOW)).toBe(true);
  });

  it('hides for a slower unit, one without a heading, and a stale one', () => {
    expect(showsHeading(fresh(1, { speed: 0.49, heading: 10 }), NOW)).toBe(false);
    expect(showsHeading(fresh(1, { speed: 2, heading: null }), NOW)).toBe(false);
    expect(showsHeading(stale(1, { speed: 2, heading: 10 }), NOW)).toBe(false);
  });

  it('the headings layer holds exactly the units that show one, in draw order', () => {
    const units = [fresh(3, { speed: 2 }), fresh(1, { speed: 0 }), stale(2, { speed: 2 }), fresh(4, { heading: null }), fresh(0, { speed: null })];
    const [headings] = buildUnitLayers({ units, now: NOW, selectedTeamId: null, visible: true });
    expect(ids(headings.props.data)).toEqual([0, 3]);
  });

  it('rotates by minus the heading (deck.gl turns counter-clockwise), 0 without one', () => {
    const [headings] = buildUnitLayers({ units: [], now: NOW, selectedTeamId: null, visible: true });
    expect(call(headings.props.getAngle, fresh(1, { heading: 90 }))).toBe(-90);
    expect(call(headings.props.getAngle, fresh(1, { heading: 270 }))).toBe(-270);
    expect(Math.abs(call<number>(headings.props.getAngle, fresh(1, { heading: null })))).toBe(0);
  });
});

describe('unit layers: colours', () => {
  it('fills a fresh unit with its force colour and a stale one grey, 2 minutes after its fix', () => {
    expect(unitColor(fresh(1), NOW)).toEqual(ARMBAND);
    expect(unitColor(fresh(1, { forceType: 'emergency' }), NOW)).toEqual(EMERGENCY);
    expect(unitColor(stale(1), NOW)).toEqual(STALE_GREY);
    expect(unitColor(unit(1, { fixTime: null }), NOW)).toEqual(STALE_GREY);
    // Fix at 07:59:50.000: fresh at exactly 2 minutes, stale 1 ms later.
    expect(unitColor(fresh(1), Date.parse('2025-06-01T08:01:50.000Z'))).toEqual(ARMBAND);
    expect(unitColor(fresh(1), Date.parse('2025-06-01T08:01:50.001Z'))).toEqual(STALE_GREY);
  });

  it('the layers colour by the same rule', () => {
    const [headings, dots] = buildUnitLayers({ units: [], now: NOW, selectedTeamId: null, visible: true });
    expect(call(dots.props.getFillColor, fresh(1))).toEqual(ARMBAND);
    expect(call(dots.props.getFillColor, stale(1))).toEqual(STALE_GREY);
    expect(call(headings.props.getColor, fresh(1, { forceType: 'emergency' }))).toEqual(EMERGENCY);
  });

  it('outlines the selected unit white, a stale one faintly, the others dark', () => {
    const [, dots] = buildUnitLayers({ units: [], now: NOW, selectedTeamId: 7, visible: true });
    expect(call(dots.props.getLineColor, fresh(1))).toEqual(OUTLINE);
    expect(call(dots.props.getLineColor, stale(1))).toEqual(STALE_OUTLINE);
    expect(call(dots.props.getLineColor, fresh(7))).toEqual(SELECTED_OUTLINE);
    expect(call(dots.props.getLineColor, stale(7))).toEqual(SELECTED_OUTLINE);
  });

  it('draws the selected unit larger, with a wider outline', () => {
    const [, dots] = buildUnitLayers({ units: [], now: NOW, selectedTeamId: 7, visible: true });
    expect(call(dots.props.getRadius, fresh(7))).toBe(9);
    expect(call(dots.props.getRadius, fresh(1))).toBe(6.5);
    expect(call(dots.props.getLineWidth, fresh(7))).toBe(2.5);
    expect(call(dots.props.getLineWidth, fresh(1))).toBe(1.5);
  });
});

describe('unit layers: a team committed to an incident', () => {
  const AMBER = [251, 191, 36, 255];
  const SKY = [56, 189, 248, 255];

  it('wears a 3 px ring, amber while dispatched or en route and sky blue on scene', () => {
    expect(busyRingColor(fresh(1, { status: 'dispatched' }))).toEqual(AMBER);
    expect(busyRingColor(fresh(1, { status: 'en_route' }))).toEqual(AMBER);
    expect(busyRingColor(fresh(1, { status: 'on_scene' }))).toEqual(SKY);
    expect(busyRingColor(fresh(1, { status: 'available' }))).toBeNull();
    expect(busyRingColor(fresh(1, { status: 'off_duty' }))).toBeNull();
    expect(unitLineColor(stale(1, { status: 'on_scene' }), NOW, null)).toEqual(SKY);
    expect(unitLineWidth(fresh(1, { status: 'en_route' }), null)).toBe(3);
    expect(unitLineWidth(fresh(1, { status: 'available' }), null)).toBe(1.5);
  });

  it('the selection outline wins over the ring', () => {
    expect(unitLineColor(fresh(7, { status: 'on_scene' }), NOW, 7)).toEqual(SELECTED_OUTLINE);
    expect(unitLineWidth(fresh(7, { status: 'on_scene' }), 7)).toBe(2.5);
  });
});

describe('unit layers: update triggers', () => {
  it('recolour once a second (now in whole seconds) and restyle when the selection or a status changes; the wedges never recolour', () => {
    const units = [fresh(2, { status: 'on_scene' }), fresh(1), stale(3, { status: 'dispatched' })];
    const [headings, dots] = buildUnitLayers({ units, now: NOW, selectedTeamId: 7, visible: true });
    // Only fresh units have a wedge, so it is in the force's colour whatever the clock: new data is the only trigger.
    expect(headings.props.updateTriggers).toEqual({});
    // Statuses by first letter, in draw order: 3 (stale, dispatched), 1 (available), 2 (on scene).
    expect(dots.props.updateTriggers).toEqual({
      getFillColor: 1_748_764_800,
      getLineColor: [1_748_764_800, 7, '103'],
      getLineWidth: [7, '103'],
      getRadius: 7,
    });
  });

  it('no selection is a trigger too', () => {
    const [, dots] = buildUnitLayers({ units: [], now: 1_000, selectedTeamId: null, visible: true });
    expect(dots.props.updateTriggers).toEqual({ getFillColor: 1, getLineColor: [1, null, ''], getLineWidth: [null, ''], getRadius: null });
  });
});
