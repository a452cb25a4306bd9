import { describe, expect, it } from 'vitest';
import {
  UNIT_HEADINGS_LAYER_ID,
  UNITS_LAYER_ID,
  buildUnitLayers,
  unitColor,
  type PositionedUnit,
} from '@/components/map/layers/unit-layer';
import { BUSY_UNIT_RING_COLORS, FORCE_COLORS, SELECTED_OUTLINE_COLOR, STALE_UNIT_COLOR, UNIT_OUTLINE_COLOR } from '@/components/map/palette';
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

  it('rings a team committed to an incident in its status colour, thicker than a free one', () => {
    const sent = unit(5, { status: 'dispatched', incidentId: 40 });
    const driving = unit(6, { status: 'en_route', incidentId: 40 });
    const there = unit(7, { status: 'on_scene', incidentId: 41 });
    const [, d] = buildUnitLayers({ units: [fresh, sent, driving, there], now: NOW, selectedTeamId: null, visible: true });
    const line = (u: typeof fresh) => call(d.props.getLineColor, u as PositionedUnit);
    const width = (u: typeof fresh) => call<number>(d.props.getLineWidth, u as PositionedUnit);
    expect(line(sent)).toEqual([251, 191, 36, 255]);
    expect(line(driving)).toEqual([251, 191, 36, 255]);
    expect(line(there)).toEqual([56, 189, 248, 255]);
    expect(line(there)).toEqual(BUSY_UNIT_RING_COLORS.on_scene);
    expect(line(fresh)).toEqual(UNIT_OUTLINE_COLOR);
    expect(width(sent)).toBe(3);
    expect(width(fresh)).toBe(1.5);
    // Selection outranks the ring.
    const [, sel] = buildUnitLayers({ units: [there], now: NOW, selectedTeamId: 7, visible: true });
    expect(call(sel.props.getLineColor, there as PositionedUnit)).toEqual(SELECTED_OUTLINE_COLOR);
    // A status change without a move recomputes the rings.
    const [, later] = buildUnitLayers({ units: [fresh, sent, driving, { ...there, status: 'available' }], now: NOW, selectedTeamId: null, visible: true });
    expect(later.props.updateTriggers.getLineColor).not.toEqual(d.props.updateTriggers.getLineColor);
  });
});
