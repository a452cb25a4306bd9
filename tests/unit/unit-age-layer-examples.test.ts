// The wall's unit-age labels pinned by example: only positioned units, and none
// when hidden; the text beside the dot at the marker scale, grey once stale,
// size 0 for a label that lost its place; every fixed prop and the triggers.
import { describe, expect, it } from 'vitest';
import { UNIT_AGE_GAP_PX, UNIT_AGES_LAYER_ID, buildUnitAgeLayer, unitAgeOffsetX, unitAgeText } from '@/components/map/layers/unit-age-layer';
import type { PositionedUnit } from '@/components/map/layers/unit-layer';
import type { UnitState } from '@/lib/model';
import { FACTORY_NOW, isoAt, unit } from '../helpers/factories';

const NOW = FACTORY_NOW; // 2025-06-01T08:00:00Z; stale 2 minutes after the newest fix
const call = <R>(fn: unknown, d: UnitState): R => (fn as (d: PositionedUnit, ctx: unknown) => R)(d as PositionedUnit, { index: 0, data: [], target: [] });
const fresh = unit(1, { fixTime: isoAt(NOW - 10_000) });
const twoMinutes = unit(2, { fixTime: isoAt(NOW - 120_000) });
const stale = unit(3, { fixTime: isoAt(NOW - 120_001) });
const nowhere = unit(4, { position: null });
const UNITS = [fresh, twoMinutes, stale, nowhere];
const BASE = { units: UNITS, now: NOW, lang: 'en' as const, visible: true, size: 28, markerScale: 1 };

describe('unit ages by example', () => {
  it('reads an age in whole days from 48 hours on', () => {
    expect(unitAgeText(unit(1, { fixTime: isoAt(NOW - 71 * 3_600_000) }), NOW, 'en')).toBe('2 d');
    expect(unitAgeText(unit(1, { fixTime: isoAt(NOW - 72 * 3_600_000) }), NOW, 'zh')).toBe('3天');
  });

  it('starts the label 4 px right of the 6.5 px dot, scaled and rounded', () => {
    expect(UNIT_AGE_GAP_PX).toBe(4);
    expect([1, 1.5, 2, 3].map(unitAgeOffsetX)).toEqual([11, 16, 21, 32]);
  });

  it('labels the units with a position, and none at all when the layer is hidden', () => {
    const layer = buildUnitAgeLayer(BASE);
    expect(UNIT_AGES_LAYER_ID).toBe('unit-ages');
    expect(layer.id).toBe('unit-ages');
    expect((layer.props.data as PositionedUnit[]).map((u) => u.teamId)).toEqual([1, 2, 3]);
    const hidden = buildUnitAgeLayer({ ...BASE, visible: false });
    expect([hidden.props.visible, hidden.props.data]).toEqual([false, []]);
  });

  it('writes the age at its size beside the dot, light grey, and darker grey once the unit is stale', () => {
    const layer = buildUnitAgeLayer({ ...BASE, markerScale: 1.5 });
    expect(call(layer.props.getPosition, fresh)).toEqual([100.101, 31.2]);
    expect([call(layer.props.getText, fresh), call(layer.props.getText, twoMinutes), call(layer.props.getText, stale)]).toEqual(['<1 min', '2 min', '2 min']);
    expect(call(layer.props.getSize, fresh)).toBe(28);
    expect(call(layer.props.getColor, twoMinutes)).toEqual([226, 232, 240, 255]);
    expect(call(layer.props.getColor, stale)).toEqual([148, 158, 172, 255]);
    expect(layer.props).toMatchObject({
      visible: true,
      pickable: false,
      sizeUnits: 'pixels',
      getPixelOffset: [16, 0],
      getTextAnchor: 'start',
      getAlignmentBaseline: 'center',
      fontWeight: 600,
      characterSet: ' 0123456789<dhimn',
      fontSettings: { sdf: true, buffer: 8 },
      outlineWidth: 3,
      outlineColor: [6, 10, 16, 235],
    });
    expect(layer.props.fontFamily).toBe(
      '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif',
    );
    expect(layer.props.updateTriggers).toEqual({ getText: ['en', NOW], getSize: [28, ''], getColor: NOW });
  });

  it('draws a label that lost its place at size 0', () => {
    const layer = buildUnitAgeLayer({ ...BASE, lang: 'zh', hidden: new Set([2]), hiddenKey: 'h:2' });
    expect([call(layer.props.getSize, fresh), call(layer.props.getSize, twoMinutes)]).toEqual([28, 0]);
    expect(call(layer.props.getText, twoMinutes)).toBe('2分');
    expect(layer.props.updateTriggers).toEqual({ getText: ['zh', NOW], getSize: [28, 'h:2'], getColor: NOW });
  });
});
