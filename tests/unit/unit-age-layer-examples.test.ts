// The wall's unit-age labels pinned by example: only positioned units, and none
// when hidden; the age's picture beside the dot at the marker scale, grey once
// stale, size 0 for a label that lost its place; every fixed prop and the triggers.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageLabelHeight, ageLabelImages, type AgeLabelImage } from '@/components/map/layers/age-label-images';
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

  it('hangs the age’s picture beside the dot at its size, light grey, and darker grey once the unit is stale', () => {
    const layer = buildUnitAgeLayer({ ...BASE, markerScale: 1.5 });
    const icon = (u: UnitState) => call<AgeLabelImage>(layer.props.getIcon, u);
    expect(call(layer.props.getPosition, fresh)).toEqual([100.101, 31.2]);
    expect([icon(fresh).text, icon(twoMinutes).text, icon(stale).text]).toEqual(['<1 min', '2 min', '2 min']);
    expect(icon(twoMinutes).color).toEqual([226, 232, 240, 255]);
    expect(icon(stale).color).toEqual([148, 158, 172, 255]);
    // One picture per text and colour: the same object for the same label, another for the grey one.
    expect(icon(twoMinutes)).toBe(call<AgeLabelImage>(buildUnitAgeLayer(BASE).props.getIcon, twoMinutes));
    // (Compared as references: a matcher would read the picture's lazy url and width, which need a page.)
    expect(icon(stale) === icon(twoMinutes)).toBe(false);
    expect(icon(stale).id).not.toBe(icon(twoMinutes).id);
    // 28 px type with a 3.5 px halo above and below: 41 px, hung from its middle, the text starting after the halo.
    expect(ageLabelHeight(28)).toBe(41);
    expect(call(layer.props.getSize, fresh)).toBe(41);
    expect([icon(fresh).height, icon(fresh).anchorY, icon(fresh).anchorX]).toEqual([41, 20.5, 4]);
    expect(layer.props).toMatchObject({ visible: true, pickable: false, sizeUnits: 'pixels', getPixelOffset: [16, 0] });
    expect(layer.props.updateTriggers).toEqual({ getIcon: ['en', NOW, 28, 1], getSize: [28, ''] });
  });

  it('draws a label that lost its place at size 0', () => {
    const layer = buildUnitAgeLayer({ ...BASE, lang: 'zh', hidden: new Set([2]), hiddenKey: 'h:2' });
    expect([call(layer.props.getSize, fresh), call(layer.props.getSize, twoMinutes)]).toEqual([41, 0]);
    expect(call<AgeLabelImage>(layer.props.getIcon, twoMinutes).text).toBe('2分');
    expect(layer.props.updateTriggers).toEqual({ getIcon: ['zh', NOW, 28, 1], getSize: [28, 'h:2'] });
  });

  it('gives each text, colour, size and pixel density a picture of its own, made once', () => {
    fc.assert(
      fc.property(fc.constantFrom('zh' as const, 'en' as const), fc.integer({ min: 0, max: 5_000 * 86_400_000 }), fc.constantFrom(28, 56), (lang, ageMs, size) => {
        const u = unit(1, { fixTime: isoAt(NOW - ageMs) });
        const layer = buildUnitAgeLayer({ ...BASE, units: [u], lang, size });
        const image = call<AgeLabelImage>(layer.props.getIcon, u);
        expect(image.text).toBe(unitAgeText(u, NOW, lang));
        expect(image.id).toBe(`${image.text}|${image.color.join(',')}|${size}@1`);
        expect(ageLabelImages(size, 1).get(image.text, image.color)).toBe(image);
      }),
    );
    expect(ageLabelImages(28, 2).get('3 min', [1, 2, 3, 255]).height).toBe(82);
  });
});
