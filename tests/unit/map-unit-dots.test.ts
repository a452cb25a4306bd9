// The wall's dots as binary attributes (unit-dots.ts): the same colours,
// widths and order as the accessor-drawn dots, rows written only for the units
// whose record changed, and an array handed on anew only when it changed.
import { describe, expect, it } from 'vitest';
import { UnitDotBuffers, type UnitDotsInput } from '@/components/map/layers/unit-dots';
import { offlineTeams, unitColor, unitLineColor, unitLineWidth } from '@/components/map/layers/unit-layer';
import { OFFLINE_UNIT_LINE_COLOR, UNIT_RADIUS_PX } from '@/components/map/palette';
import { STALE_AFTER_MS, type UnitState } from '@/lib/model';
import { FACTORY_NOW, isoAt, unit } from '../helpers/factories';

const NOW = FACTORY_NOW;
const fresh = isoAt(NOW - 5_000);
const stale = isoAt(NOW - STALE_AFTER_MS - 5_000);

function input(units: UnitState[], over: Partial<UnitDotsInput> = {}): UnitDotsInput {
  return { units, now: NOW, offline: offlineTeams(units, [], NOW), selectedTeamId: null, ...over };
}

const rgba = (a: Uint8ClampedArray, row: number) => [...a.subarray(row * 4, row * 4 + 4)];
const xy = (a: Float64Array, row: number) => [a[row * 2], a[row * 2 + 1]];

describe('UnitDotBuffers', () => {
  const A = unit(1, { position: [100.1, 31.1], fixTime: fresh });
  const B = unit(2, { position: [100.2, 31.2], fixTime: stale });
  const C = unit(3, { position: [100.3, 31.3], fixTime: fresh, status: 'en_route' });
  const NOWHERE = unit(4, { position: null, fixTime: null });

  it('draws stale units first, then fresh ones by team id, with the accessor-drawn dots’ colours and widths', () => {
    const d = new UnitDotBuffers().update(input([A, B, C, NOWHERE]));
    expect(d.length).toBe(3);
    expect(d.units.map((u) => u.teamId)).toEqual([2, 1, 3]);
    const a = d.attributes;
    expect(xy(a.getPosition.value, 0)).toEqual([100.2, 31.2]);
    d.units.forEach((u, row) => {
      expect(rgba(a.getFillColor.value, row)).toEqual(unitColor(u, NOW));
      expect(rgba(a.getLineColor.value, row)).toEqual(unitLineColor(u, NOW, null));
      expect(a.getLineWidth.value[row]).toBe(unitLineWidth(u, null));
      expect(a.getRadius.value[row]).toBe(UNIT_RADIUS_PX);
    });
  });

  it('draws offline teams first, hollow, and the selected team bigger', () => {
    const d = new UnitDotBuffers().update(input([A, B, C], { offline: new Set([3]), selectedTeamId: 1 }));
    expect(d.units.map((u) => u.teamId)).toEqual([3, 2, 1]);
    expect(rgba(d.attributes.getFillColor.value, 0)).toEqual([0, 0, 0, 0]);
    expect(rgba(d.attributes.getLineColor.value, 0)).toEqual(OFFLINE_UNIT_LINE_COLOR);
    expect(d.attributes.getRadius.value[2]).toBe(UNIT_RADIUS_PX + 2.5);
  });

  it('writes only the moved units’ rows and hands on a new position array, keeping the colour arrays', () => {
    const buffers = new UnitDotBuffers();
    const first = buffers.update(input([A, B, C]));
    const before = { ...first.attributes };
    const movedA = { ...A, position: [100.15, 31.15] as [number, number], fixTime: isoAt(NOW - 1_000) };
    const next = buffers.update(input([movedA, B, C]));
    expect(next).not.toBe(first);
    expect(next.attributes.getPosition).not.toBe(before.getPosition);
    expect(next.attributes.getPosition.value).toBe(before.getPosition.value); // updated in place
    expect(xy(next.attributes.getPosition.value, 1)).toEqual([100.15, 31.15]);
    expect(next.attributes.getFillColor).toBe(before.getFillColor);
    expect(next.attributes.getLineColor).toBe(before.getLineColor);
    expect(next.units[1]).toBe(movedA);
    // Nothing new: the same object back.
    expect(buffers.update(input([movedA, B, C]))).toBe(next);
  });

  it('hands on new colours when a unit’s ring changes without a move, and orders again when one turns stale', () => {
    const buffers = new UnitDotBuffers();
    buffers.update(input([A, B, C]));
    const dispatched = buffers.update(input([{ ...A, status: 'dispatched' }, B, C]));
    expect(rgba(dispatched.attributes.getLineColor.value, 1)).toEqual(unitLineColor({ ...A, status: 'dispatched' }, NOW, null));
    const later = NOW + STALE_AFTER_MS;
    const aged = buffers.update(input([A, B, C], { now: later, offline: new Set() }));
    // All three are stale by then: by team id.
    expect(aged.units.map((u) => u.teamId)).toEqual([1, 2, 3]);
    aged.units.forEach((u, row) => expect(rgba(aged.attributes.getFillColor.value, row)).toEqual(unitColor(u, later)));
  });

  it('starts over when a team comes or goes', () => {
    const buffers = new UnitDotBuffers();
    buffers.update(input([A, B]));
    const three = buffers.update(input([A, B, C]));
    expect(three.length).toBe(3);
    const two = buffers.update(input([A, C]));
    expect(two.units.map((u) => u.teamId)).toEqual([1, 3]);
  });

  it('rings an offline team 3 px grey, a selected offline team in the selection colour, and follows a change of selection alone', () => {
    const buffers = new UnitDotBuffers();
    const d = buffers.update(input([A, B, C], { offline: new Set([1, 2]) }));
    // Offline first (stale 2, then fresh 1), then 3.
    expect(d.units.map((u) => u.teamId)).toEqual([2, 1, 3]);
    expect(rgba(d.attributes.getLineColor.value, 1)).toEqual([...OFFLINE_UNIT_LINE_COLOR]);
    expect(d.attributes.getLineWidth.value[1]).toBe(3);
    expect(d.attributes.getLineWidth.value[2]).toBe(3); // en route: its busy ring
    const picked = buffers.update(input([A, B, C], { offline: new Set([1, 2]), selectedTeamId: 1 }));
    expect(rgba(picked.attributes.getLineColor.value, 1)).toEqual([255, 255, 255, 255]);
    expect(picked.attributes.getLineWidth.value[1]).toBe(3);
    expect(picked.attributes.getRadius.value[1]).toBe(UNIT_RADIUS_PX + 2.5);
    expect(picked.attributes.getRadius.value[0]).toBe(UNIT_RADIUS_PX);
    expect(picked.attributes.getRadius).not.toBe(d.attributes.getRadius);
    const other = buffers.update(input([A, B, C], { offline: new Set([1, 2]), selectedTeamId: 3 }));
    expect(other.attributes.getRadius.value[1]).toBe(UNIT_RADIUS_PX);
    expect(other.attributes.getRadius.value[2]).toBe(UNIT_RADIUS_PX + 2.5);
    expect(rgba(other.attributes.getLineColor.value, 1)).toEqual([...OFFLINE_UNIT_LINE_COLOR]);
  });
});
