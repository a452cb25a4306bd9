import { describe, expect, it } from 'vitest';
import {
  UNIT_HEADINGS_LAYER_ID,
  UNITS_LAYER_ID,
  buildUnitLayers,
  unitColor,
  type PositionedUnit,
} from '@/components/map/layers/unit-layer';
import { FORCE_COLORS, STALE_UNIT_COLOR } from '@/components/map/palette';
import { STALE_AFTER_MS } from '@/lib/model';
import { unit } from '../helpers/factories';

const NOW = Date.parse('2025-06-01T08:00:00Z');

type Accessor<T, R> = (d: T, ctx: { index: number; data: unknown; target: number[] }) => R;
function call<R>(fn: unknown, d: PositionedUnit): R {
  return (fn as Accessor<PositionedUnit, R>)(d, { index: 0, data: [], target: [] });
}

describe('buildUnitLayers', () => {
  const fresh = unit(1);
  const stale = unit(2, { fixTime: new Date(NOW - STALE_AFTER_MS - 1_000).toISOString(), forceType: 'emergency' });
  const noFix = unit(3, { position: null, fixTime: null, speed: null, heading: null });
  const parked = unit(4, { speed: 0, forceType: 'grid_worker' });
  const [headings, dots] = buildUnitLayers({ units: [fresh, stale, noFix, parked], now: NOW, selectedTeamId: null, visible: true });

  it('uses stable ids', () => {
    expect(dots.id).toBe(UNITS_LAYER_ID);
    expect(headings.id).toBe(UNIT_HEADINGS_LAYER_ID);
    const again = buildUnitLayers({ units: [], now: NOW + 1000, selectedTeamId: 1, visible: false });
    expect(again.map((l) => l.id)).toEqual([UNIT_HEADINGS_LAYER_ID, UNITS_LAYER_ID]);
  });

  it('leaves out units without a position', () => {
    const data = dots.props.data as PositionedUnit[];
    expect(data).toHaveLength(3);
    expect(data.map((u) => u.teamId).sort()).toEqual([1, 2, 4]);
    expect(dots.props.pickable).toBe(true);
  });

  it('draws stale units grey and fresh ones in their force colour', () => {
    const fill = dots.props.getFillColor;
    expect(call(fill, fresh as PositionedUnit)).toEqual(FORCE_COLORS.armband);
    expect(call(fill, stale as PositionedUnit)).toEqual(STALE_UNIT_COLOR);
    expect(call(fill, stale as PositionedUnit)).not.toEqual(call(fill, fresh as PositionedUnit));
    // The same unit goes stale when `now` moves on.
    expect(unitColor(fresh, NOW + STALE_AFTER_MS + 60_000)).toEqual(STALE_UNIT_COLOR);
  });

  it('draws a heading wedge only for fresh, moving units, rotated by -heading', () => {
    const data = headings.props.data as PositionedUnit[];
    expect(data.map((u) => u.teamId)).toEqual([1]);
    expect(call(headings.props.getAngle, fresh as PositionedUnit)).toBe(-90);
  });

  it('puts stale units under fresh ones', () => {
    const data = dots.props.data as PositionedUnit[];
    expect(data[0]?.teamId).toBe(2);
  });

  it('marks the selected unit', () => {
    const [, sel] = buildUnitLayers({ units: [fresh, parked], now: NOW, selectedTeamId: 1, visible: true });
    expect(call<number>(sel.props.getRadius, fresh as PositionedUnit)).toBeGreaterThan(call<number>(sel.props.getRadius, parked as PositionedUnit));
  });

  it('passes visibility through', () => {
    const [h, d] = buildUnitLayers({ units: [fresh], now: NOW, selectedTeamId: null, visible: false });
    expect(h.props.visible).toBe(false);
    expect(d.props.visible).toBe(false);
  });
});
